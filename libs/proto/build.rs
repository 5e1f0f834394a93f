//! Compiles `proto/` with protox (no system `protoc`) and writes a descriptor set for reflection.
use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("../../proto");
    let mut files = Vec::new();
    collect_protos(&root, &mut files)?;
    files.sort();
    let fds = protox::compile(&files, [&root])?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    std::fs::write(
        out.join("tachawor_descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )?;
    // Type names give every message `prost::Name`, so event payloads pack into `Any`.
    let mut config = prost_build::Config::new();
    config.enable_type_names();
    // Messages carrying passwords, tokens, CINs or client secrets get a hand-written `Debug`
    // that hides them (src/redact.rs), so no log line or trace can print one by mistake.
    config.skip_debug(
        REDACTED
            .iter()
            .map(|name| format!(".tachawor.identity.v1.{name}")),
    );
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds_with_config(fds, config)?;
    println!("cargo:rerun-if-changed={}", root.display());
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    Ok(())
}

/// Identity's messages whose `Debug` is written by hand in `src/redact.rs`.
const REDACTED: [&str; 15] = [
    "RegisterRequest",
    "LoginRequest",
    "RefreshRequest",
    "LogoutRequest",
    "DeleteMyAccountRequest",
    "VerifyAccountRequest",
    "IssueServiceTokenRequest",
    "IssueServiceTokenResponse",
    "TokenPair",
    "ConfirmContactRequest",
    "ChangeContactRequest",
    "ChangePasswordRequest",
    "RequestPasswordResetRequest",
    "ResetPasswordRequest",
    "GetDeliveryContactResponse",
];

/// Every `.proto` file under `dir`: a new contract file needs no change here.
fn collect_protos(dir: &std::path::Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_protos(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
    Ok(())
}
