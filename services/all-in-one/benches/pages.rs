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
use tachawor_proto::{
    common::{Date, LocalizedText},
    consultation::{
        Audience, CreateConsultationRequest, OpenConsultationRequest, Organizer, OrganizerKind,
        consultation_service_client::ConsultationServiceClient,
    },
    identity::{LoginRequest, identity_service_client::IdentityServiceClient},
    training::{
        CreateProgramRequest, Eligibility, ScheduleSessionRequest, SessionDetails, SessionKind,
        Venue, training_service_client::TrainingServiceClient,
    },
};
use tonic::{metadata::MetadataValue, transport::Channel};

mod support;

use support::{AllInOne, result};

const CLIENTS: usize = 50;
const SECONDS: u64 = 4;
const ITEMS: usize = 25;

fn text(s: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: format!("{s} (ar)"),
        fr: s.into(),
        en: String::new(),
    })
}

fn authed<T>(token: &str, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    let value: MetadataValue<_> = format!("Bearer {token}").parse().expect("a header value");
    request.metadata_mut().insert("authorization", value);
    request
}

async fn channel(port: u16) -> Channel {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Channel::from_shared(format!("http://127.0.0.1:{port}"))
            .expect("url")
            .connect()
            .await
        {
            Ok(c) => return c,
            Err(e) if Instant::now() > deadline => panic!("port {port}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// Open consultations and scheduled sessions, as staff would record them.
async fn seed(ports: &[u16; 4], data: &Path) {
    // Identity answering means the first start has written the administrator's password.
    let identity = channel(ports[0]).await;
    let password = std::fs::read_to_string(data.join("admin-password.txt")).expect("password");
    let token = IdentityServiceClient::new(identity)
        .login(LoginRequest {
            identifier: "admin@tachawor.local".into(),
            password: password.trim().into(),
        })
        .await
        .expect("login")
        .into_inner()
        .tokens
        .expect("tokens")
        .access_token;
    let mut consultation = ConsultationServiceClient::new(channel(ports[1]).await);
    let mut training = TrainingServiceClient::new(channel(ports[2]).await);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    for i in 0..ITEMS {
        let id = consultation
            .create_consultation(authed(
                &token,
                CreateConsultationRequest {
                    title: text(&format!("Consultation {i}")),
                    body: text("Quelles priorités pour la région ?"),
                    organizer: Some(Organizer {
                        kind: OrganizerKind::Council as i32,
                        instance_id: String::new(),
                    }),
                    audience: Audience::Public as i32,
                    province_codes: vec!["laayoune".into()],
                },
            ))
            .await
            .expect("create consultation")
            .into_inner()
            .consultation
            .expect("consultation")
            .consultation_id;
        consultation
            .open_consultation(authed(
                &token,
                OpenConsultationRequest {
                    consultation_id: id,
                    closes_at: Some(tachawor_proto::dates::timestamp(now + 30 * 86_400_000)),
                },
            ))
            .await
            .expect("open consultation");
    }
    let program = training
        .create_program(authed(
            &token,
            CreateProgramRequest {
                title: text("Formation"),
                objectives: text("Objectifs"),
                audiences: vec![1],
                milestone_ref: "MALAA0004-1".into(),
                province_codes: vec!["laayoune".into()],
            },
        ))
        .await
        .expect("create program")
        .into_inner()
        .program
        .expect("program")
        .program_id;
    let day = tachawor_proto::dates::date_of_millis(now + 40 * 86_400_000);
    let day: Date = tachawor_proto::dates::date_from_str(&day).expect("a date");
    for i in 0..ITEMS {
        training
            .schedule_session(authed(
                &token,
                ScheduleSessionRequest {
                    program_id: program.clone(),
                    details: Some(SessionDetails {
                        kind: SessionKind::TrainingSession as i32,
                        title: text(&format!("Session {i}")),
                        days: vec![day],
                        venue: Some(Venue {
                            province_code: "laayoune".into(),
                            address: "Siège du Conseil".into(),
                        }),
                        capacity: 30,
                        registration_opens_at: Some(tachawor_proto::dates::timestamp(now)),
                        registration_closes_at: Some(tachawor_proto::dates::timestamp(
                            now + 30 * 86_400_000,
                        )),
                        eligibility: Eligibility::Open as i32,
                        ..Default::default()
                    }),
                },
            ))
            .await
            .expect("schedule session");
    }
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
    seed(&ports, &data).await;

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
