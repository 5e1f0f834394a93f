//! Start-up time and idle memory, against the targets in the design: each service serving
//! within 1 s of start, one service idle under 30 MiB resident, the all-in-one under 80 MiB.
//!
//! Runs the release binaries (`cargo build --release` first; `make bench` does) as child
//! processes on fresh data, polls `grpc.health.v1` until every service is SERVING, then reads
//! the resident set size after a few idle seconds.

use std::{
    process::Child,
    time::{Duration, Instant},
};

mod support;

use support::{AllInOne, free_port, identity_alone, result, rss_mib, serving};

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

#[tokio::main]
async fn main() {
    let scratch = std::env::temp_dir().join(format!("tachawor-footprint-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");

    // identity alone, on SQLite with the in-process bus: no server needed.
    let port = free_port();
    let started = Instant::now();
    let child = identity_alone(&scratch, port)
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
