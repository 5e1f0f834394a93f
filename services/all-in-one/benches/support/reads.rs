//! Public reads under load on the all-in-one, each beside its baseline measured in the same
//! run, 50 calls in flight over 4 HTTP/2 connections (`tachawor-loadgen`).
//!
//! - Point reads (GetConsultation, GetPetition, GetSession), anonymous, as shipped: against
//!   Health/Check of the same process (target >= 0.5).
//! - Public lists (a page of 20 of ListConsultations, ListPetitions, ListSessions) and
//!   GetIndicators, ListCommitments: against "the limit for the same response", the same
//!   process answering the same bytes from memory. That limit is measured with the replay route
//!   the server library mounts when `server.replay_for_benchmarks` is set (off by default): the
//!   bench asks the RPC once, records its answer's exact bytes on the replay route of the same
//!   server, and loads `tachawor.bench.Replay/Play`, which goes through the same layers
//!   (telemetry, load shedding, the router), reads the request, and answers those bytes with
//!   nothing computed. With the cache as shipped (warm) the target is >= 0.5 of that limit,
//!   with the cache off (`server.cache.ttl_ms = 0`, the all-in-one restarted on the same data)
//!   >= 0.1; p99 under 25 ms either way.
//!
//! Content: 25 open consultations with 4 questions each, 25 petitions collecting signatures,
//! 25 sessions, 8 citizens each answering every survey and registering for every session (400
//! actions, which reporting counts).

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use tachawor_loadgen::{Call, Load, Report};
use tachawor_proto::{
    common::PageRequest,
    consultation::{
        GetConsultationRequest, GetPetitionRequest, ListConsultationsRequest, ListPetitionsRequest,
    },
    reporting::{GetIndicatorsRequest, ListCommitmentsRequest},
    training::{GetSessionRequest, ListSessionsRequest},
};

use super::{
    AllInOne, seed,
    separate::{self, Separate, Started},
    wait_serving,
};

pub const ITEMS: usize = 25;
const QUESTIONS: usize = 4;
const CITIZENS: usize = 8;
const PAGE: i32 = 20;
const P99_LIMIT: Duration = Duration::from_millis(25);

/// One measured figure against its target.
pub struct Figure {
    pub name: String,
    pub ratio: f64,
    pub target: f64,
    pub p99: Duration,
    pub errors: u64,
}

/// The content's ids, the same for both runs (the data directory is kept).
struct Content {
    consultation: String,
    petition: String,
    session: String,
}

/// Where the reads are measured: the two backends of the targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deployment {
    /// The all-in-one on SQLite with the in-process bus.
    AllInOne,
    /// The four services as separate processes on PostgreSQL + NATS.
    Separate,
}

impl Deployment {
    fn label(self) -> &'static str {
        match self {
            Deployment::AllInOne => "SQLite all-in-one",
            Deployment::Separate => "PostgreSQL + NATS services",
        }
    }
}

/// What serves the reads, and its ports (identity, consultation, training, reporting).
struct Running {
    _processes: Started,
    ports: [u16; 4],
}

fn start_all_in_one(binary: &Path, data: &Path, cache_ttl_ms: Option<&str>) -> Running {
    let mut all_in_one = AllInOne::with_binary(binary, data);
    all_in_one
        .command
        .env("TACHAWOR__SERVER__REPLAY_FOR_BENCHMARKS", "true");
    if let Some(ttl) = cache_ttl_ms {
        all_in_one
            .command
            .env("TACHAWOR__SERVER__CACHE__TTL_MS", ttl);
    }
    Running {
        _processes: Started(vec![
            all_in_one.command.spawn().expect("start the all-in-one"),
        ]),
        ports: all_in_one.ports,
    }
}

fn start_separate(services: &Separate, cache_ttl_ms: Option<&str>) -> Running {
    let mut extra = vec![("server.replay_for_benchmarks", "true")];
    if let Some(ttl) = cache_ttl_ms {
        extra.push(("server.cache.ttl_ms", ttl));
    }
    Running {
        _processes: services.start(&extra),
        ports: services.ports,
    }
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn page() -> Option<PageRequest> {
    Some(PageRequest {
        page_size: PAGE,
        page_token: String::new(),
    })
}

const CONSULTATION: &str = "/tachawor.consultation.v1.ConsultationService/";
const TRAINING: &str = "/tachawor.training.v1.TrainingService/";
const REPORTING: &str = "/tachawor.reporting.v1.ReportingService/";

/// The public lists and summaries, each with the index of the port that serves it.
fn lists() -> Vec<(&'static str, usize, Call)> {
    vec![
        (
            "ListConsultations (page of 20)",
            1,
            Call::new(
                &format!("{CONSULTATION}ListConsultations"),
                &ListConsultationsRequest {
                    status: 0,
                    page: page(),
                    ..Default::default()
                },
            ),
        ),
        (
            "ListPetitions (page of 20)",
            1,
            Call::new(
                &format!("{CONSULTATION}ListPetitions"),
                &ListPetitionsRequest {
                    status: 0,
                    page: page(),
                },
            ),
        ),
        (
            "ListSessions (page of 20)",
            2,
            Call::new(
                &format!("{TRAINING}ListSessions"),
                &ListSessionsRequest {
                    page: page(),
                    ..Default::default()
                },
            ),
        ),
        (
            "GetIndicators (no split)",
            3,
            Call::new(
                &format!("{REPORTING}GetIndicators"),
                &GetIndicatorsRequest::default(),
            ),
        ),
        (
            "ListCommitments",
            3,
            Call::new(
                &format!("{REPORTING}ListCommitments"),
                &ListCommitmentsRequest {},
            ),
        ),
    ]
}

/// Runs the whole measurement on `deployment` (`binary`: the release or debug all-in-one, for
/// [`Deployment::AllInOne`]), `seconds` per figure, printing one RESULT line per figure; the
/// figures, for the caller to judge.
pub async fn measure(deployment: Deployment, binary: &Path, seconds: f64) -> Vec<Figure> {
    let scratch = std::env::temp_dir().join(format!(
        "tachawor-reads-{}-{deployment:?}",
        std::process::id()
    ));
    let data = scratch.join("data");
    let services = match deployment {
        Deployment::AllInOne => None,
        Deployment::Separate => Some(Separate::prepare(scratch.join("services")).await),
    };
    let start = |cache_ttl_ms: Option<&str>| match &services {
        None => start_all_in_one(binary, &data, cache_ttl_ms),
        Some(services) => start_separate(services, cache_ttl_ms),
    };
    let load = Load {
        connections: 4,
        in_flight: 50,
        duration: Duration::from_secs_f64(seconds),
    };
    let label = deployment.label();
    let mut figures = Vec::new();
    let content;
    {
        let running = start(None);
        wait_serving(&running.ports).await;
        let admin = match deployment {
            Deployment::AllInOne => seed::admin_token(running.ports[0], &data).await,
            Deployment::Separate => {
                seed::sign_in(
                    running.ports[0],
                    separate::ADMIN_EMAIL,
                    separate::ADMIN_PASSWORD,
                )
                .await
            }
        };
        content = record_content(&running.ports, &admin).await;
        settle(running.ports[3]).await;
        point_reads(&running.ports, &content, label, &load, &mut figures).await;
        public_lists(
            &running.ports,
            label,
            "warm cache",
            0.5,
            &load,
            &mut figures,
        )
        .await;
    }
    {
        let running = start(Some("0"));
        wait_serving(&running.ports).await;
        public_lists(&running.ports, label, "cache off", 0.1, &load, &mut figures).await;
    }
    drop(services);
    let _ = std::fs::remove_dir_all(&scratch);
    figures
}

async fn record_content(ports: &[u16; 4], admin: &str) -> Content {
    let admin = admin.to_string();
    let consultations = seed::consultations(ports[1], &admin, ITEMS, QUESTIONS).await;
    let petitions = seed::petitions(ports[1], &admin, ITEMS).await;
    let sessions = seed::sessions(ports[2], &admin, ITEMS).await;
    let citizens = seed::citizens(ports[0], CITIZENS).await;
    seed::actions(ports, &citizens, &consultations, &sessions).await;
    Content {
        consultation: consultations[0].clone(),
        petition: petitions[0].clone(),
        session: sessions[0].clone(),
    }
}

/// Waits until reporting has counted every event: its indicators stay the same over 1.5 s.
async fn settle(reporting: u16) {
    let call = Call::new(
        &format!("{REPORTING}GetIndicators"),
        &GetIndicatorsRequest::default(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = tachawor_loadgen::once(addr(reporting), &call).await;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let now = tachawor_loadgen::once(addr(reporting), &call).await;
        if now.is_ok() && now == last {
            return;
        }
        last = now;
    }
    panic!("reporting's indicators never settled");
}

fn health() -> Call {
    Call::new(
        "/grpc.health.v1.Health/Check",
        &tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        },
    )
}

async fn point_reads(
    ports: &[u16; 4],
    content: &Content,
    deployment: &str,
    load: &Load,
    out: &mut Vec<Figure>,
) {
    let reads = [
        (
            "GetConsultation",
            ports[1],
            Call::new(
                &format!("{CONSULTATION}GetConsultation"),
                &GetConsultationRequest {
                    consultation_id: content.consultation.clone(),
                },
            ),
        ),
        (
            "GetPetition",
            ports[1],
            Call::new(
                &format!("{CONSULTATION}GetPetition"),
                &GetPetitionRequest {
                    petition_id: content.petition.clone(),
                },
            ),
        ),
        (
            "GetSession",
            ports[2],
            Call::new(
                &format!("{TRAINING}GetSession"),
                &GetSessionRequest {
                    session_id: content.session.clone(),
                },
            ),
        ),
    ];
    let reads: Vec<_> = reads
        .into_iter()
        .map(|(name, port, call)| {
            (
                format!("{name} req/s (50 in flight), {deployment}"),
                port,
                call,
            )
        })
        .filter(|(name, _, _)| wanted(name))
        .collect();
    if reads.is_empty() {
        return;
    }
    let baseline = run(ports[1], &health(), load).await;
    for (name, port, call) in reads {
        let measured = run(port, &call, load).await;
        out.push(report(&name, &measured, "Health/Check", &baseline, 0.5));
    }
}

async fn public_lists(
    ports: &[u16; 4],
    deployment: &str,
    label: &str,
    target: f64,
    load: &Load,
    out: &mut Vec<Figure>,
) {
    for (name, port, call) in lists() {
        let figure = format!("{name} req/s, {label} (50 in flight), {deployment}");
        if !wanted(&figure) {
            continue;
        }
        let port = ports[port];
        let answer = tachawor_loadgen::once(addr(port), &call)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let message = strip_frame(&answer);
        // The recorded answer is the message the RPC gave, framed again by the replay route.
        tachawor_loadgen::once(
            addr(port),
            &Call::raw("/tachawor.bench.Replay/Record", message),
        )
        .await
        .unwrap_or_else(|e| panic!("record {name}: {e}"));
        let play = Call::new("/tachawor.bench.Replay/Play", &());
        let played = tachawor_loadgen::once(addr(port), &play).await;
        assert_eq!(
            played.as_ref(),
            Ok(&answer),
            "the replay answers the same bytes"
        );
        let limit = run(port, &play, load).await;
        let measured = run(port, &call, load).await;
        out.push(report(
            &figure,
            &measured,
            &format!("same {} bytes from memory", answer.len()),
            &limit,
            target,
        ));
    }
}

/// Whether figure `name` is measured: all of them, or those whose name holds `READS_ONLY`
/// (to measure one read while working on it).
fn wanted(name: &str) -> bool {
    std::env::var("READS_ONLY").map_or(true, |only| name.contains(&only))
}

/// The message of a one-frame answer.
fn strip_frame(frames: &[u8]) -> &[u8] {
    assert!(
        frames.len() >= 5 && frames[0] == 0,
        "one uncompressed frame"
    );
    let len = u32::from_be_bytes([frames[1], frames[2], frames[3], frames[4]]) as usize;
    assert_eq!(frames.len(), 5 + len, "one frame");
    &frames[5..]
}

async fn run(port: u16, call: &Call, load: &Load) -> Report {
    // A short warm-up: connections, the cache, the database's pages.
    let warm = Load {
        duration: Duration::from_millis(200),
        ..load.clone()
    };
    let _ = tachawor_loadgen::run(addr(port), call, &warm).await;
    tachawor_loadgen::run(addr(port), call, load).await
}

/// Prints the figure's RESULT line and its p99's, and returns it.
fn report(name: &str, measured: &Report, base: &str, baseline: &Report, target: f64) -> Figure {
    let ratio = measured.per_second / baseline.per_second;
    let verdict = |pass: bool| if pass { "PASS" } else { "FAIL" };
    let clean = measured.errors == 0 && baseline.errors == 0;
    println!(
        "RESULT\t{name}\t{:.0} req/s\t{base} {:.0} req/s\t{ratio:.3}\t>= {target:.2}\t{}",
        measured.per_second,
        baseline.per_second,
        verdict(ratio >= target && clean)
    );
    println!(
        "RESULT\t{name}: p99\t{:.1} ms\t{base} p99 {:.1} ms\t{:.1} ms vs {} ms\t< {} ms\t{}",
        ms(measured.p99),
        ms(baseline.p99),
        ms(measured.p99),
        P99_LIMIT.as_millis(),
        P99_LIMIT.as_millis(),
        verdict(measured.p99 < P99_LIMIT && clean)
    );
    for (which, r) in [("measured", measured), ("baseline", baseline)] {
        if let Some(e) = &r.first_error {
            eprintln!("{name} ({which}): {} errors, first: {e}", r.errors);
        }
    }
    Figure {
        name: name.to_string(),
        ratio,
        target,
        p99: measured.p99,
        errors: measured.errors + baseline.errors,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The all-in-one cargo built beside this bench or test (release under `cargo bench`, debug
/// under `cargo test`), or the one `TACHAWOR_READS_BINARY` names (the release build, for the
/// short form's ratios to mean what the bench's do).
pub fn binary() -> PathBuf {
    std::env::var_os("TACHAWOR_READS_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tachawor")))
}
