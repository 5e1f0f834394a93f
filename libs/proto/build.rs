//! Compiles `proto/` with protox (no system `protoc`) and writes a descriptor set for reflection.
use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("../../proto");
    let files: Vec<PathBuf> = [
        "tachawor/common/v1/common.proto",
        "tachawor/events/v1/envelope.proto",
        "tachawor/events/v1/identity.proto",
        "tachawor/identity/v1/identity.proto",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    let fds = protox::compile(&files, [&root])?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    std::fs::write(
        out.join("tachawor_descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )?;
    // Type names give every message `prost::Name`, so event payloads pack into `Any`.
    let mut config = prost_build::Config::new();
    config.enable_type_names();
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds_with_config(fds, config)?;
    println!("cargo:rerun-if-changed={}", root.display());
    Ok(())
}
