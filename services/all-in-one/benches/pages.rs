//! Web pages under load, against the design's target: p99 under 100 ms at 50 concurrent
//! clients on the all-in-one, beside the same server answering a static response (`/healthz`)
//! as the baseline measured in the same run.
//!
//! Runs the release all-in-one (`cargo build --release -p tachawor-all-in-one` first; `make
//! bench` does) on fresh data, records 25 open consultations and 25 sessions through the gRPC
//! API as staff would, then sends each page from 50 keep-alive clients for a few seconds.

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Empty};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};

mod support;

use support::{AllInOne, result, seed};

const CLIENTS: usize = 50;
const SECONDS: u64 = 4;
const ITEMS: usize = 25;

/// Open consultations and scheduled sessions, as staff would record them.
async fn record_content(ports: &[u16; 4], data: &Path) {
    let token = seed::admin_token(ports[0], data).await;
    seed::consultations(ports[1], &token, ITEMS, 0).await;
    seed::sessions(ports[2], &token, ITEMS).await;
}

struct Load {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

/// `CLIENTS` clients asking for `url` in a loop for `SECONDS`.
async fn load(url: &str) -> Load {
    let client: Client<_, Empty<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let client = Arc::new(client);
    let uri: http::Uri = url.parse().expect("a URL");
    let until = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, uri) = (client.clone(), uri.clone());
            tokio::spawn(async move {
                let (mut times, mut errors) = (Vec::new(), 0usize);
                while Instant::now() < until {
                    let t = Instant::now();
                    let request = http::Request::get(uri.clone())
                        .header("cookie", "lang=ar")
                        .body(Empty::new())
                        .expect("a request");
                    match client.request(request).await {
                        Ok(response) => {
                            let ok = response.status().is_success();
                            let _ = response.into_body().collect().await;
                            if ok {
                                times.push(t.elapsed());
                            } else {
                                errors += 1;
                            }
                        }
                        Err(_) => errors += 1,
                    }
                }
                (times, errors)
            })
        })
        .collect();
    let (mut times, mut errors) = (Vec::new(), 0);
    for task in tasks {
        let (t, e) = task.await.expect("a client");
        times.extend(t);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    Load {
        per_second: times.len() as f64 / elapsed,
        p50: at(0.50),
        p99: at(0.99),
        errors,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    println!(
        "portal pages (release all-in-one, SQLite, {CLIENTS} clients, {SECONDS} s each; {ITEMS} open consultations and {ITEMS} sessions)"
    );
    println!(
        "  {:<34} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
        "page", "req/s", "p50 ms", "p99 ms", "ratio", "errors", "p99<100"
    );
    // The portal as shipped (each replica keeps a public page 2 s), then without that cache:
    // every request then costs its gRPC calls and rendering.
    measure("", None).await;
    measure(" (no page cache)", Some("0")).await;
}

/// Starts the all-in-one on fresh data (with `pages.cache_ttl_ms` when given), records the
/// content, and loads each page beside `/healthz` of the same process.
async fn measure(label: &str, cache_ttl_ms: Option<&str>) {
    let scratch = std::env::temp_dir().join(format!("tachawor-pages-{}", std::process::id()));
    let data = scratch.join("data");
    let mut all_in_one = AllInOne::on(&data);
    let (ports, portal) = (all_in_one.ports, all_in_one.portal);
    if let Some(ttl) = cache_ttl_ms {
        all_in_one.command.env("TACHAWOR__PAGES__CACHE_TTL_MS", ttl);
    }
    let mut child = all_in_one.command.spawn().expect("start the all-in-one");
    record_content(&ports, &data).await;

    let base = format!("http://127.0.0.1:{portal}");
    // Warm the connections and the services' caches before measuring.
    let _ = load(&format!("{base}/ar/")).await;
    let baseline = load(&format!("{base}/healthz")).await;
    let row = |name: &str, l: &Load| {
        println!(
            "  {:<34} {:>9.0} {:>9.1} {:>9.1} {:>7.3} {:>7} {:>7}",
            format!("{name}{label}"),
            l.per_second,
            l.p50.as_secs_f64() * 1000.0,
            l.p99.as_secs_f64() * 1000.0,
            l.per_second / baseline.per_second,
            l.errors,
            if l.p99 < Duration::from_millis(100) && l.errors == 0 {
                "pass"
            } else {
                "FAIL"
            }
        );
    };
    row("/healthz (baseline)", &baseline);
    for page in [
        "/ar/",
        "/ar/consultations",
        "/ar/training",
        "/fr/petitions",
        "/ar/transparency",
    ] {
        let measured = load(&format!("{base}{page}")).await;
        row(page, &measured);
        result(
            &format!("page {page}{label}: p99 at {CLIENTS} clients"),
            &format!(
                "{:.1} ms ({:.0} req/s, {} errors)",
                measured.p99.as_secs_f64() * 1000.0,
                measured.per_second,
                measured.errors
            ),
            &format!("/healthz {:.0} req/s", baseline.per_second),
            &format!(
                "{:.3} of /healthz req/s",
                measured.per_second / baseline.per_second
            ),
            "p99 < 100 ms",
            measured.p99 < Duration::from_millis(100) && measured.errors == 0,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&scratch);
}
