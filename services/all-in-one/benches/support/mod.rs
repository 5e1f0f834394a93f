//! What the benchmarks share: free ports, the release binaries, the all-in-one's command line
//! on fresh data, waiting until it serves, and resident memory.

#![allow(dead_code)] // each benchmark uses its own part

pub mod reads;
pub mod seed;
pub mod separate;

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use tonic::transport::Channel;
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A release binary of the workspace; `make bench` builds them first.
pub fn release_binary(name: &str) -> PathBuf {
    let path = workspace().join("target/release").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release -p tachawor-all-in-one -p tachawor-identity` first",
        path.display()
    );
    path
}

pub fn region_file() -> PathBuf {
    workspace().join("config/regions/laayoune-sakia-el-hamra.toml")
}

pub fn commitments_file() -> PathBuf {
    workspace().join("config/commitments/malaa0004.toml")
}

/// The release all-in-one on `data`, every service and the portal on a free port of its own,
/// quiet; the caller adds what it needs and spawns it.
pub struct AllInOne {
    pub command: Command,
    /// identity, consultation, training, reporting.
    pub ports: [u16; 4],
    pub portal: u16,
}

impl AllInOne {
    pub fn on(data: &Path) -> Self {
        Self::with_binary(&release_binary("tachawor"), data)
    }

    /// The same with another build of the all-in-one.
    pub fn with_binary(binary: &Path, data: &Path) -> Self {
        let ports = [free_port(), free_port(), free_port(), free_port()];
        let portal = free_port();
        let mut command = Command::new(binary);
        command
            .arg("--data-dir")
            .arg(data)
            .args(["--identity-port", &ports[0].to_string()])
            .args(["--consultation-port", &ports[1].to_string()])
            .args(["--training-port", &ports[2].to_string()])
            .args(["--reporting-port", &ports[3].to_string()])
            .args(["--portal-port", &portal.to_string()])
            .arg("--region-file")
            .arg(region_file())
            .arg("--commitments-file")
            .arg(commitments_file())
            .env("TACHAWOR__TELEMETRY__LOG_FILTER", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Self {
            command,
            ports,
            portal,
        }
    }
}

/// Whether the gRPC server on `port` answers SERVING before `deadline`.
pub async fn serving(port: u16, deadline: Instant) -> bool {
    while Instant::now() < deadline {
        if let Ok(channel) = Channel::from_shared(format!("http://127.0.0.1:{port}"))
            .expect("url")
            .connect()
            .await
        {
            let status = HealthClient::new(channel)
                .check(HealthCheckRequest {
                    service: String::new(),
                })
                .await
                .map(|r| r.into_inner().status);
            if matches!(status, Ok(s) if s == ServingStatus::Serving as i32) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

/// Waits until every port answers SERVING (30 s at most).
pub async fn wait_serving(ports: &[u16]) {
    let deadline = Instant::now() + Duration::from_secs(30);
    for port in ports {
        assert!(serving(*port, deadline).await, "port {port} never SERVING");
    }
}

/// Resident set size of a process, in MiB.
pub fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS");
    kib / 1024.0
}

/// One figure for `make bench`'s table: what was measured, its baseline from the same run, the
/// ratio the target is about, the target, and whether it is met.
pub fn result(figure: &str, value: &str, baseline: &str, ratio: &str, target: &str, pass: bool) {
    println!(
        "RESULT\t{figure}\t{value}\t{baseline}\t{ratio}\t{target}\t{}",
        if pass { "PASS" } else { "FAIL" }
    );
}

/// A fresh random 32-byte key, base64.
pub fn key() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
}

/// Settings (dotted keys) as the `TACHAWOR__…` variables a service binary reads.
pub fn variables<'a>(
    settings: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Vec<(String, String)> {
    settings
        .into_iter()
        .map(|(k, v)| {
            (
                format!("TACHAWOR__{}", k.to_uppercase().replace('.', "__")),
                v.clone(),
            )
        })
        .collect()
}

/// The release identity alone on `port`, on SQLite under `scratch` with the in-process bus
/// (no server needed), quiet; the caller spawns it.
pub fn identity_alone(scratch: &Path, port: u16) -> Command {
    let mut command = Command::new(release_binary("tachawor-identity"));
    command
        .current_dir(scratch)
        .env("TACHAWOR__SERVER__LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "TACHAWOR__DATABASE__URL",
            format!("sqlite://{}/identity.db", scratch.display()),
        )
        .env("TACHAWOR__EVENTS__BUS", "in_process")
        .env("TACHAWOR__REGION__FILE", region_file())
        .env("TACHAWOR__SECRETS__CIN_ENCRYPTION_KEY", key())
        .env("TACHAWOR__SECRETS__CIN_HMAC_KEY", key())
        .env("TACHAWOR__SECRETS__SIGNING_KEY_ENCRYPTION_KEY", key())
        .env("TACHAWOR__TELEMETRY__LOG_FILTER", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}
