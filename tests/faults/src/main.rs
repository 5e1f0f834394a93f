//! The fault harness (`make faults`): the production topology on one machine, faults injected
//! under load, then a check that nothing acknowledged was lost or doubled. See docs/faults.md.
//!
//! FAULTS_SECONDS (300): about how long the faults phase lasts (the pauses between faults
//! stretch to fill it; the faults themselves need about two minutes). FAULTS_WORKERS (8):
//! people arriving at once. FAULTS_KEEP: keep the run's directory (logs, data) afterwards.
//! `--short`: one fault of each kind, held for less time, FAULTS_SECONDS 60 and 4 workers by
//! default: the form CI runs.

mod check;
mod faults;
mod health;
mod infra;
mod lag;
mod load;
mod pages;
mod procs;
mod services;

use std::{
    collections::BTreeMap,
    process::ExitCode,
    sync::{Arc, atomic::AtomicBool},
    time::Duration,
};

use tachawor_system_tests::Platform;
use tokio::time::Instant;

use crate::{
    check::Fate,
    load::{Kind, Outcome},
};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("the harness failed: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The `q` quantile of durations sorted in increasing order.
pub fn quantile(sorted: &[Duration], q: f64) -> Option<Duration> {
    let last = sorted.len().checked_sub(1)?;
    sorted.get((last as f64 * q).round() as usize).copied()
}

/// Waits until every endpoint answers SERVING to each of `names`; how long that took.
async fn all_serving(endpoints: &[String], names: &[&str], within: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < within {
        let mut all = true;
        for e in endpoints {
            for name in names {
                all &= health::serving(e, name).await;
            }
        }
        if all {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    None
}

async fn run() -> anyhow::Result<bool> {
    let short = std::env::args().any(|a| a == "--short");
    let plan: &[faults::Fault] = if short { &faults::SHORT } else { &faults::FULL };
    let seconds = setting("FAULTS_SECONDS", if short { 60 } else { 300 });
    let workers = setting("FAULTS_WORKERS", if short { 4 } else { 8 }) as usize;
    let dir = tempfile::Builder::new()
        .prefix("tachawor-faults-")
        .tempdir()?;
    let root = dir.path().to_path_buf();
    let logs = root.join("logs");
    std::fs::create_dir_all(&logs)?;
    println!("run directory: {} (logs under logs/)", root.display());

    let pg = infra::Postgres::start(&root, &logs).await?;
    pg.create_databases(&services::SERVICES.map(|(name, _)| name))
        .await?;
    let nats = infra::Nats::start(&root, &logs).await?;
    println!(
        "PostgreSQL on {}, NATS cluster on {:?}",
        pg.port, nats.ports
    );
    let services = services::start(&root, &logs, pg.port, &nats.url()).await?;
    let endpoints: Vec<String> = services
        .iter()
        .flat_map(|s| s.replicas.iter().map(|r| r.endpoint()))
        .collect();
    let names: Vec<String> = services
        .iter()
        .flat_map(|s| s.replicas.iter().map(|r| r.name.clone()))
        .collect();
    anyhow::ensure!(
        all_serving(&endpoints, &[""], Duration::from_secs(90))
            .await
            .is_some(),
        "the services did not all become ready"
    );
    let portal = services::start_portal(&root, &logs, &services).await?;
    let portal_addr: std::net::SocketAddr = format!("127.0.0.1:{}", portal.port).parse()?;
    let channel = |name: &str| {
        services
            .iter()
            .find(|s| s.name == name)
            .expect("a service")
            .channel()
    };
    let platform = Arc::new(Platform {
        identity: channel("identity"),
        consultation: channel("consultation"),
        training: channel("training"),
        reporting: channel("reporting"),
        notification: channel("notification"),
        portal: portal_addr,
        admin_email: services::ADMIN_EMAIL.into(),
        admin_password: services::PASSWORD.into(),
        clock: Arc::new(tachawor_storage::SystemClock),
        manual: None,
    });
    let targets = load::prepare(&platform).await;
    println!("{} replicas ready; load and faults begin", endpoints.len());

    let samples = health::Samples::default();
    let monitor = health::monitor(endpoints.clone(), samples.clone());
    let log = Arc::new(load::Log::default());
    let stop = Arc::new(AtomicBool::new(false));
    let began = Instant::now();
    let load = tokio::spawn(load::run(
        platform.clone(),
        targets.clone(),
        log.clone(),
        workers,
        stop.clone(),
    ));
    let page_paths = pages::paths(&targets);
    let reads = pages::Reads::default();
    let readers = pages::read(
        portal_addr,
        page_paths.clone(),
        2,
        reads.clone(),
        stop.clone(),
    );
    let lags = lag::Samples::default();
    let lag_monitor = lag::monitor(platform.clone(), targets.clone(), lags.clone());
    let mut topology = faults::Platform { pg, nats, services };
    let steps = plan.len() as u64 + 1;
    let held: u64 = plan.iter().map(faults::Fault::held).sum();
    let pause = Duration::from_secs((seconds.saturating_sub(held) / steps).max(5));
    let windows = faults::run(&mut topology, plan, pause).await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let people = load.await?;
    for reader in readers {
        reader.await?;
    }
    let load_ended = Instant::now();
    lag_monitor.abort();

    let healed = all_serving(
        &endpoints,
        &["", tachawor_server::LIVENESS],
        Duration::from_secs(120),
    )
    .await;
    monitor.abort();
    let stored = check::stored(|db| topology.pg.url(db), &targets).await?;
    let (figures, caught_up) =
        check::reporting_caught_up(&platform, &targets, &stored, Duration::from_secs(180)).await;
    let (arrivals, seat_problems) = check::seats(&topology.pg.url("training"), &targets).await?;

    let writes = log.writes.lock().expect("log").clone();
    let attempts = log.attempts.lock().expect("log").clone();
    let mut ok = true;
    println!();
    println!(
        "load: {people} people in {:.0} s, {workers} at a time; {} writes, {} calls",
        (load_ended - began).as_secs_f64(),
        writes.len(),
        attempts.len()
    );

    // Per fault: the writes made from its start until the next fault's start; how long the
    // acknowledged ones took (retries included), and how far reporting trailed them.
    println!();
    println!(
        "{:<32} {:>6} {:>7} {:>8} {:>5} {:>5} {:>7} {:>10} {:>9} {:>7} {:>7} {:>7} {:>9} {:>8}",
        "fault",
        "acked",
        "unknown",
        "refused",
        "lost",
        "dup",
        "phantom",
        "errors",
        "recovered",
        "p50 ms",
        "p99 ms",
        "lag s",
        "pages",
        "page p99"
    );
    let acks = lag::counted_acks(&writes);
    let sample_times: BTreeMap<Instant, bool> = {
        let all = samples.0.lock().expect("samples");
        let mut by_time: BTreeMap<Instant, bool> = BTreeMap::new();
        for s in all.iter() {
            *by_time.entry(s.at).or_insert(true) &= s.serving;
        }
        by_time
    };
    let mut bounds: Vec<(String, Instant, Instant, Option<&faults::Window>)> = vec![(
        "(before the first fault)".into(),
        began,
        windows[0].start,
        None,
    )];
    for (i, w) in windows.iter().enumerate() {
        let end = windows.get(i + 1).map(|n| n.start).unwrap_or(load_ended);
        bounds.push((w.name.clone(), w.start, end, Some(w)));
    }
    for (name, from, to, window) in &bounds {
        let mine: Vec<_> = writes
            .iter()
            .filter(|w| w.at >= *from && w.at < *to)
            .collect();
        let count = |f: &dyn Fn(&load::Write) -> bool| mine.iter().filter(|w| f(w)).count();
        let acked = count(&|w| w.outcome == Outcome::Acked);
        let unknown = count(&|w| w.outcome == Outcome::Unknown);
        let refused = count(&|w| matches!(w.outcome, Outcome::Refused(_)));
        let lost = count(&|w| check::fate(w, &stored) == Fate::Lost);
        let dup = count(&|w| check::fate(w, &stored) == Fate::Duplicated);
        let phantom = count(&|w| check::fate(w, &stored) == Fate::Phantom);
        let calls: Vec<_> = attempts
            .iter()
            .filter(|(at, _)| at >= from && at < to)
            .collect();
        let failed = calls.iter().filter(|(_, failed)| *failed).count();
        let recovered = window.and_then(|w| {
            sample_times
                .range(w.healed..)
                .find(|(_, serving)| **serving)
                .map(|(at, _)| *at - w.start)
        });
        let mut took: Vec<Duration> = mine
            .iter()
            .filter(|w| w.outcome == Outcome::Acked)
            .map(|w| w.took)
            .collect();
        took.sort();
        let ms = |q: f64| {
            quantile(&took, q).map_or("-".to_string(), |d| format!("{:.0}", d.as_secs_f64() * 1e3))
        };
        let lag = lags
            .worst(&acks, *from, *to)
            .map(|d| format!("{:.1}", d.as_secs_f64()))
            .unwrap_or_else(|| "-".to_string());
        let (pages_ok, pages_all, page_p99) = reads.window(*from, *to);
        println!(
            "{:<32} {:>6} {:>7} {:>8} {:>5} {:>5} {:>7} {:>10} {:>9} {:>7} {:>7} {:>7} {:>9} {:>8}",
            name,
            acked,
            unknown,
            refused,
            lost,
            dup,
            phantom,
            format!("{failed}/{}", calls.len()),
            match (window, recovered) {
                (None, _) => "-".to_string(),
                (_, Some(d)) => format!("{:.0} s", d.as_secs_f64()),
                (_, None) => "never".to_string(),
            },
            ms(0.5),
            ms(0.99),
            lag,
            format!("{pages_ok}/{pages_all}"),
            page_p99.map_or("-".to_string(), |d| format!(
                "{:.0} ms",
                d.as_secs_f64() * 1e3
            ))
        );
        ok &= lost == 0 && dup == 0 && phantom == 0;
    }

    println!();
    for kind in Kind::ALL {
        let of_kind: Vec<_> = writes.iter().filter(|w| w.kind == kind).collect();
        let refused: BTreeMap<String, usize> = of_kind.iter().fold(BTreeMap::new(), |mut m, w| {
            if let Outcome::Refused(code) = w.outcome {
                *m.entry(format!("{code:?}")).or_insert(0) += 1;
            }
            m
        });
        println!(
            "{:<14} acked {:>5}, unknown {:>3}, refused {:?}; stored {}",
            kind.name(),
            of_kind
                .iter()
                .filter(|w| w.outcome == Outcome::Acked)
                .count(),
            of_kind
                .iter()
                .filter(|w| w.outcome == Outcome::Unknown)
                .count(),
            refused,
            stored
                .get(&kind)
                .map(|m| m.values().sum::<usize>())
                .unwrap_or(0),
        );
    }
    let acked = writes
        .iter()
        .filter(|w| w.outcome == Outcome::Acked)
        .count();
    if acked == 0 {
        println!("VIOLATION: no write was acknowledged");
        ok = false;
    }

    println!();
    match caught_up {
        Some(d) => println!(
            "reporting counts exactly what the databases hold, {:.1} s after healing",
            d.as_secs_f64()
        ),
        None => {
            ok = false;
            println!("VIOLATION: reporting did not catch up within 180 s");
        }
    }
    for (kind, reported, rows) in &figures {
        println!(
            "  {:<14} reported {reported:>6} stored {rows:>6}",
            kind.name()
        );
    }

    println!(
        "seats: {arrivals} registrations for {} seats, {} problems",
        load::SEATS,
        seat_problems.len()
    );
    for problem in seat_problems.iter().take(10) {
        println!("VIOLATION: {problem}");
    }
    ok &= seat_problems.is_empty();

    let failing = pages::failing(portal_addr, &page_paths).await;
    if failing.is_empty() {
        println!("the portal answers every page again");
    } else {
        ok = false;
        println!("VIOLATION: after healing the portal fails {failing:?}");
    }

    match healed {
        Some(d) => println!(
            "every replica SERVING (readiness and liveness) {:.1} s after the load ended, no hand",
            d.as_secs_f64()
        ),
        None => {
            ok = false;
            println!("VIOLATION: not every replica SERVING within 120 s after the load ended");
        }
    }
    for w in windows.iter().filter(|w| w.ready_throughout) {
        let unready = samples.unready(w.start, w.healed + Duration::from_secs(5));
        if unready.is_empty() {
            println!(
                "readiness during \"{}\": every replica stayed ready",
                w.name
            );
        }
        for (replica, longest) in unready {
            ok = false;
            println!(
                "VIOLATION: {} not ready for {:.0} s during \"{}\" (the kubelet would take it out)",
                names[replica],
                longest.as_secs_f64(),
                w.name
            );
        }
    }
    println!();
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if std::env::var_os("FAULTS_KEEP").is_some() {
        println!("kept {}", dir.keep().display());
    }
    Ok(ok)
}
