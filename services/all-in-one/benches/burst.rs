//! A burst of password work against the release all-in-one: 256 Register and Login calls at
//! once, against the design's targets: the process stays under 250 MiB resident, every call is
//! answered (OK or RESOURCE_EXHAUSTED) within 5 s, a cheap RPC (ListProvinces) keeps its p99
//! under 50 ms during the burst, and memory returns near idle afterwards. Every figure is shown
//! beside its baseline from the same run: idle memory, and ListProvinces without the burst.
//!
//! The registration limits are raised so that every call of the burst costs a hash (the worst
//! case for memory); the hashing bound is the one shipped. `cargo build --release` first
//! (`make bench` does). `BURST_CALLS` changes the number of calls (half of each kind).

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use tachawor_proto::identity::{
    ListProvincesRequest, LoginRequest, RegisterRequest,
    identity_service_client::IdentityServiceClient,
};
use tonic::{Code, transport::Channel};

mod support;

use support::{AllInOne, result, rss_mib, wait_serving};

const PASSWORD: &str = "a long enough password";

async fn connect(port: u16) -> Channel {
    Channel::from_shared(format!("http://127.0.0.1:{port}"))
        .expect("url")
        .connect()
        .await
        .expect("connect")
}

fn percentile(latencies: &mut [Duration], p: f64) -> Duration {
    latencies.sort();
    let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
    latencies[i]
}

/// ListProvinces from `clients` connections of their own, one call after another each, until
/// `stop`; every call's latency.
async fn probe(port: u16, clients: usize, stop: Arc<AtomicBool>) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let mut client = IdentityServiceClient::new(connect(port).await);
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                client
                    .list_provinces(ListProvincesRequest {})
                    .await
                    .expect("ListProvinces");
                latencies.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("probe"));
    }
    all
}

async fn probe_for(port: u16, how_long: Duration) -> Vec<Duration> {
    let stop = Arc::new(AtomicBool::new(false));
    let running = tokio::spawn(probe(port, 4, stop.clone()));
    tokio::time::sleep(how_long).await;
    stop.store(true, Ordering::Relaxed);
    running.await.expect("probe")
}

/// Samples the resident set until `stop`; the highest seen.
fn sample_peak(pid: u32, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<f64> {
    std::thread::spawn(move || {
        let mut peak: f64 = 0.0;
        while !stop.load(Ordering::Relaxed) {
            peak = peak.max(rss_mib(pid));
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    })
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("BURST_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let scratch = std::env::temp_dir().join(format!("tachawor-burst-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let mut all_in_one = AllInOne::on(&scratch.join("data"));
    let ports = all_in_one.ports;
    let identity = ports[0];
    let mut child = all_in_one
        .command
        .env("TACHAWOR__REGISTER_LIMITS__MAX_PER_PEER", "1000000")
        .env("TACHAWOR__REGISTER_LIMITS__MAX_TOTAL", "1000000")
        .spawn()
        .expect("start the all-in-one");
    let pid = child.id();
    wait_serving(&ports).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle = rss_mib(pid);

    // Accounts for the burst's logins, made a few at a time beforehand.
    let logins = calls / 2;
    let registrations = calls - logins;
    let channel = connect(identity).await;
    let mut made = Vec::new();
    for chunk in (0..logins).collect::<Vec<_>>().chunks(4) {
        let mut batch = Vec::new();
        for i in chunk {
            let email = format!("known{i}@burst.test");
            let mut client = IdentityServiceClient::new(channel.clone());
            batch.push(tokio::spawn(async move {
                client
                    .register(RegisterRequest {
                        email: email.clone(),
                        password: PASSWORD.into(),
                        display_name: "Known".into(),
                        ..Default::default()
                    })
                    .await
                    .expect("register before the burst");
                email
            }));
        }
        for b in batch {
            made.push(b.await.expect("register"));
        }
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before_burst = rss_mib(pid);

    // ListProvinces alone: the baseline.
    let mut quiet = probe_for(identity, Duration::from_secs(3)).await;

    // The burst, over 8 connections, with ListProvinces probed beside it.
    let stop_sampling = Arc::new(AtomicBool::new(false));
    let sampler = sample_peak(pid, stop_sampling.clone());
    let stop_probe = Arc::new(AtomicBool::new(false));
    let probing = tokio::spawn(probe(identity, 4, stop_probe.clone()));
    let mut channels = Vec::new();
    for _ in 0..8 {
        channels.push(connect(identity).await);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..calls {
        let mut client = IdentityServiceClient::new(channels[i % channels.len()].clone());
        let login = i % 2 == 0 && i / 2 < made.len();
        let email = if login {
            made[i / 2].clone()
        } else {
            format!("new{i}@burst.test")
        };
        tasks.push(tokio::spawn(async move {
            let at = Instant::now();
            let code = if login {
                client
                    .login(LoginRequest {
                        identifier: email,
                        password: PASSWORD.into(),
                    })
                    .await
                    .map(|_| ())
            } else {
                client
                    .register(RegisterRequest {
                        email,
                        password: PASSWORD.into(),
                        display_name: "Burst".into(),
                        ..Default::default()
                    })
                    .await
                    .map(|_| ())
            }
            .map_or_else(|e| e.code(), |_| Code::Ok);
            (login, code, at.elapsed())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.expect("call"));
    }
    let burst_took = started.elapsed();
    // Keep probing a moment so the probe covers the whole burst, then stop.
    stop_probe.store(true, Ordering::Relaxed);
    let mut busy = probing.await.expect("probe");
    stop_sampling.store(true, Ordering::Relaxed);
    let peak = sampler.join().expect("sampler");

    tokio::time::sleep(Duration::from_secs(10)).await;
    let after_10 = rss_mib(pid);
    tokio::time::sleep(Duration::from_secs(15)).await;
    let after_25 = rss_mib(pid);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&scratch);

    let count = |login: bool, code: Code| {
        answers
            .iter()
            .filter(|(l, c, _)| *l == login && *c == code)
            .count()
    };
    let slowest = answers.iter().map(|a| a.2).max().unwrap_or_default();
    let unexpected = answers
        .iter()
        .filter(|(_, c, _)| !matches!(c, Code::Ok | Code::ResourceExhausted))
        .count();
    let within = answers
        .iter()
        .filter(|a| a.2 <= Duration::from_secs(5))
        .count();
    let quiet_p99 = percentile(&mut quiet, 0.99);
    let busy_p99 = percentile(&mut busy, 0.99);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;

    println!(
        "burst ({calls} calls at once: {logins} Login, {registrations} Register; release all-in-one, fresh SQLite data)"
    );
    println!(
        "  answers: Login {} OK, {} RESOURCE_EXHAUSTED; Register {} OK, {} RESOURCE_EXHAUSTED; {unexpected} other",
        count(true, Code::Ok),
        count(true, Code::ResourceExhausted),
        count(false, Code::Ok),
        count(false, Code::ResourceExhausted),
    );
    println!(
        "  answered within 5 s: {within}/{calls}; slowest {:.0} ms; burst over in {:.0} ms",
        ms(slowest),
        ms(burst_took)
    );
    println!(
        "  resident: idle {idle:.1} MiB, before the burst {before_burst:.1} MiB, peak {peak:.1} MiB \
         (x{:.2} idle; target < 250 MiB)",
        peak / idle
    );
    println!(
        "  resident after the burst: 10 s {after_10:.1} MiB (x{:.2} idle), 25 s {after_25:.1} MiB (x{:.2} idle)",
        after_10 / idle,
        after_25 / idle
    );
    println!(
        "  ListProvinces p99: alone {:.2} ms ({} calls), during the burst {:.2} ms ({} calls), x{:.2} (target < 50 ms)",
        ms(quiet_p99),
        quiet.len(),
        ms(busy_p99),
        busy.len(),
        ms(busy_p99) / ms(quiet_p99)
    );
    let met = peak < 250.0 && within == calls && unexpected == 0 && ms(busy_p99) < 50.0;
    println!("  targets {}", if met { "met" } else { "NOT met" });
    result(
        &format!("burst of {calls} Login/Register: peak resident memory"),
        &format!("{peak:.0} MiB"),
        &format!("idle {idle:.0} MiB"),
        &format!("x{:.2} idle", peak / idle),
        "< 250 MiB",
        peak < 250.0,
    );
    result(
        &format!("burst of {calls} Login/Register: answered (OK or RESOURCE_EXHAUSTED) within 5 s"),
        &format!("{within} of {calls}, {unexpected} other"),
        &format!("slowest {:.0} ms", ms(slowest)),
        &format!("{:.2}", within as f64 / calls as f64),
        "all",
        within == calls && unexpected == 0,
    );
    result(
        "ListProvinces p99 during the burst",
        &format!("{:.1} ms", ms(busy_p99)),
        &format!("alone {:.1} ms", ms(quiet_p99)),
        &format!("x{:.1} alone", ms(busy_p99) / ms(quiet_p99)),
        "< 50 ms",
        ms(busy_p99) < 50.0,
    );
}
