//! Start-up time and idle memory, against the targets in the design: each service serving
//! within 1 s of start, one service idle under 30 MiB resident, the all-in-one under 80 MiB.
//!
//! Runs the release binaries (`cargo build --release` first; `make bench` does) as child
//! processes on fresh data, polls `grpc.health.v1` until every service is SERVING, then reads
//! the resident set size after a few idle seconds.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use base64::Engine;
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn binary(name: &str) -> PathBuf {
    let path = workspace().join("target/release").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release -p tachawor-all-in-one -p tachawor-identity` first",
        path.display()
    );
    path
}

/// Resident set size of a process, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS");
    kib / 1024.0
}

async fn serving(port: u16, deadline: Instant) -> bool {
    while Instant::now() < deadline {
        if let Ok(channel) =
            tonic::transport::Channel::from_shared(format!("http://127.0.0.1:{port}"))
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

struct Measured {
    to_serving: Duration,
    rss: f64,
}

async fn measure(mut child: Child, ports: &[u16], started: Instant) -> Measured {
    let deadline = started + Duration::from_secs(30);
    for port in ports {
        assert!(serving(*port, deadline).await, "port {port} never SERVING");
    }
    let to_serving = started.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss = rss_mib(child.id());
    let _ = child.kill();
    let _ = child.wait();
    Measured { to_serving, rss }
}

fn key() -> String {
    base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
}

#[tokio::main]
async fn main() {
    let region = workspace().join("config/regions/laayoune-sakia-el-hamra.toml");
    let commitments = workspace().join("config/commitments/malaa0004.toml");
    let scratch = std::env::temp_dir().join(format!("tachawor-footprint-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");

    // identity alone, on SQLite with the in-process bus: no server needed.
    let port = free_port();
    let started = Instant::now();
    let child = Command::new(binary("tachawor-identity"))
        .current_dir(&scratch)
        .env("TACHAWOR__SERVER__LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "TACHAWOR__DATABASE__URL",
            format!("sqlite://{}/identity.db", scratch.display()),
        )
        .env("TACHAWOR__EVENTS__BUS", "in_process")
        .env("TACHAWOR__REGION__FILE", &region)
        .env("TACHAWOR__SECRETS__CIN_ENCRYPTION_KEY", key())
        .env("TACHAWOR__SECRETS__CIN_HMAC_KEY", key())
        .env("TACHAWOR__SECRETS__SIGNING_KEY_ENCRYPTION_KEY", key())
        .env("TACHAWOR__TELEMETRY__LOG_FILTER", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start identity");
    let identity = measure(child, &[port], started).await;

    // The all-in-one: four services and the portal in one process.
    let ports = [free_port(), free_port(), free_port(), free_port()];
    let started = Instant::now();
    let child = Command::new(binary("tachawor"))
        .args(["--data-dir"])
        .arg(scratch.join("all-in-one"))
        .args(["--identity-port", &ports[0].to_string()])
        .args(["--consultation-port", &ports[1].to_string()])
        .args(["--training-port", &ports[2].to_string()])
        .args(["--reporting-port", &ports[3].to_string()])
        .args(["--portal-port", &free_port().to_string()])
        .arg("--region-file")
        .arg(&region)
        .arg("--commitments-file")
        .arg(&commitments)
        .env("TACHAWOR__TELEMETRY__LOG_FILTER", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the all-in-one");
    let all = measure(child, &ports, started).await;
    let _ = std::fs::remove_dir_all(&scratch);

    println!("footprint (release build, fresh SQLite data, idle 3 s after SERVING)");
    println!(
        "  identity alone: serving after {:>5} ms (target 1000), {:>5.1} MiB resident (target 30)",
        identity.to_serving.as_millis(),
        identity.rss
    );
    println!(
        "  all-in-one:     serving after {:>5} ms (target 1000), {:>5.1} MiB resident (target 80)",
        all.to_serving.as_millis(),
        all.rss
    );
}
