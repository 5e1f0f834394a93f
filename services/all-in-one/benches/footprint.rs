//! Start-up time and idle memory, against the targets in the design: each service serving
//! within 1 s of start, one service idle under 30 MiB resident, the all-in-one under 80 MiB.
//!
//! Runs the release binaries (`cargo build --release` first; `make bench` does) as child
//! processes on fresh data, polls `grpc.health.v1` until every service is SERVING, then reads
//! the resident set size after a few idle seconds.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

mod support;

use base64::Engine;
use support::{AllInOne, free_port, region_file, release_binary, result, rss_mib, serving};

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
    let region = region_file();
    let scratch = std::env::temp_dir().join(format!("tachawor-footprint-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");

    // identity alone, on SQLite with the in-process bus: no server needed.
    let port = free_port();
    let started = Instant::now();
    let child = Command::new(release_binary("tachawor-identity"))
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
    let mut all_in_one = AllInOne::on(&scratch.join("all-in-one"));
    let ports = all_in_one.ports;
    let started = Instant::now();
    let child = all_in_one.command.spawn().expect("start the all-in-one");
    let all = measure(child, &ports, started).await;
    let _ = std::fs::remove_dir_all(&scratch);

    for (what, m, limit_mib) in [
        ("identity alone", &identity, 30.0),
        ("all-in-one", &all, 80.0),
    ] {
        let ms = m.to_serving.as_millis();
        result(
            &format!("{what}: start to SERVING (release, fresh SQLite)"),
            &format!("{ms} ms"),
            "",
            &format!("{:.2} of the limit", ms as f64 / 1000.0),
            "< 1000 ms",
            ms < 1000,
        );
        result(
            &format!("{what}: resident memory 3 s after SERVING"),
            &format!("{:.1} MiB", m.rss),
            "",
            &format!("{:.2} of the limit", m.rss / limit_mib),
            &format!("< {limit_mib} MiB"),
            m.rss < limit_mib,
        );
    }
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
