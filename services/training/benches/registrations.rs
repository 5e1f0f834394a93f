//! Registration throughput beside PostgreSQL's own: a training server on a fresh PostgreSQL
//! database (events to NATS), beside a real identity server, with N clients calling `Register`
//! for T seconds (distinct people, sessions with half as many seats as people, so half go to
//! the waitlist); then pgbench with the same N clients for the same T seconds, running a
//! one-row INSERT transaction on a fresh database of the same server. Five rounds, alternated;
//! the figure is the median of the rounds' ratios (target: at least 0.50).
//!
//! `BENCH_SECONDS` (default 5), `BENCH_CONCURRENCY` (default 64), `BENCH_PEOPLE` (default 2000)
//! and `BENCH_ROUNDS` (default 5) tune it; `TACHAWOR_TEST_DATABASE_URL` and
//! `TACHAWOR_TEST_NATS_URL` say where PostgreSQL and NATS are. Account creation is not
//! measured. Run with `cargo bench -p tachawor-training` (`make bench` does).

use std::{
    collections::HashMap,
    path::PathBuf,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use futures::{StreamExt, stream};
use tachawor_identity::testing::{
    ADMIN_EMAIL, PASSWORD, SERVICE_SECRET, TestIdentity, region_file,
};
use tachawor_proto::{
    common::LocalizedText,
    identity::{LoginRequest, RegisterRequest as IdentityRegister, Role, SetRolesRequest},
    training::{training_service_client::TrainingServiceClient, *},
};
use tachawor_storage::{Clock, ManualClock};
use tachawor_testkit::{Backend, Bearer, TestEnv};
use tachawor_training::{Application, Dependencies, Settings, settings::DEFAULTS};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn text(s: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: s.into(),
        fr: s.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

// The server measured runs in this process: on the allocator of the training binary.
#[global_allocator]
static ALLOCATOR: tachawor_runtime::Allocator = tachawor_runtime::Allocator;

fn main() -> anyhow::Result<()> {
    // `cargo test --all-targets` runs bench binaries without `--bench`: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    tachawor_runtime::allocator::return_freed_memory();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let seconds = env_number("BENCH_SECONDS", 5) as u64;
    let concurrency = env_number("BENCH_CONCURRENCY", 64);
    let n = env_number("BENCH_PEOPLE", 2000);
    let rounds = env_number("BENCH_ROUNDS", 5);
    let pgbench = pgbench()?;
    let env = TestEnv::start(Backend::Postgres).await;
    let identity_env = TestEnv::start(Backend::Postgres).await;
    let clock = ManualClock::starting_now();
    let identity = TestIdentity::start_in(
        &identity_env,
        clock.clone(),
        HashMap::from([
            ("passwords.memory_kib", "64".to_string()),
            ("passwords.iterations", "1".to_string()),
        ]),
    )
    .await;
    let mut values = env.settings();
    values.insert("region.file".into(), region_file());
    values.insert("auth.identity_url".into(), identity.endpoint());
    values.insert("identity.url".into(), identity.endpoint());
    values.insert("identity.client_secret".into(), SERVICE_SECRET.into());
    values.insert("database.max_connections".into(), "16".into());
    values.insert("database.acquire_timeout_ms".into(), "60000".into());
    let settings: Settings = tachawor_config::load_with(DEFAULTS, &values, None)?;
    let app = Application::build(
        settings,
        Dependencies {
            bus: Some(env.bus.clone()),
            clock: Arc::new(clock.clone()),
        },
    )
    .await?;
    let channel = tachawor_testkit::channel(app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client =
        |token: &str| TrainingServiceClient::with_interceptor(channel.clone(), Bearer::new(token));
    let login = |email: String| {
        let mut anonymous = identity.anonymous();
        async move {
            anonymous
                .login(LoginRequest {
                    identifier: email,
                    password: PASSWORD.into(),
                })
                .await
                .expect("login")
                .into_inner()
                .tokens
                .expect("tokens")
                .access_token
        }
    };
    let register = |email: String| {
        let mut anonymous = identity.anonymous();
        async move {
            anonymous
                .register(IdentityRegister {
                    email: email.clone(),
                    password: PASSWORD.into(),
                    display_name: "Bench".into(),
                    ..Default::default()
                })
                .await
                .expect("register");
            // Register says nothing of the account; signing in tells its id.
            anonymous
                .login(LoginRequest {
                    identifier: email,
                    password: PASSWORD.into(),
                })
                .await
                .expect("login")
                .into_inner()
                .account_id
        }
    };

    let staff_email = "staff@bench.test".to_string();
    let staff_id = register(staff_email.clone()).await;
    identity
        .with_token(&login(ADMIN_EMAIL.into()).await)
        .set_roles(SetRolesRequest {
            account_id: staff_id,
            roles: vec![Role::CouncilStaff as i32],
        })
        .await?;
    let mut staff = client(&login(staff_email).await);
    let program = staff
        .create_program(CreateProgramRequest {
            title: text("Bench"),
            objectives: text("Bench"),
            audiences: vec![Audience::Public as i32],
            milestone_ref: "MALAA0004-1".into(),
            province_codes: vec![],
            idempotency_key: String::new(),
        })
        .await?
        .into_inner()
        .program
        .expect("program");
    let now = clock.now_millis();
    let ts = |millis: i64| prost_types::Timestamp {
        seconds: millis / 1000,
        nanos: 0,
    };
    let schedule = |mut staff: TrainingServiceClient<_>, program_id: String| async move {
        staff
            .schedule_session(ScheduleSessionRequest {
                program_id,
                details: Some(SessionDetails {
                    kind: SessionKind::Forum as i32,
                    title: text("Bench"),
                    days: vec![],
                    schedule: vec![SessionDay {
                        date: Some(tachawor_proto::common::Date {
                            year: 2200,
                            month: 1,
                            day: 1,
                        }),
                        start: "09:00".into(),
                        end: "17:00".into(),
                        ..Default::default()
                    }],
                    venue: None,
                    online_url: "https://region.test/forum".into(),
                    capacity: (n / 2).max(1) as i32,
                    registration_opens_at: Some(ts(now - 60_000)),
                    registration_closes_at: Some(ts(now + 86_400_000)),
                    facilitators: vec![],
                    materials: vec![],
                    eligibility: Eligibility::Open as i32,
                    attendance_threshold_percent: 0,
                }),
                idempotency_key: String::new(),
            })
            .await
            .expect("session")
            .into_inner()
            .session
            .expect("session")
            .session_id
    };

    eprintln!("creating {n} accounts…");
    let tokens: Vec<String> = stream::iter(0..n)
        .map(|i| async move {
            let email = format!("p{i}@bench.test");
            register(email.clone()).await;
            login(email).await
        })
        .buffer_unordered(32)
        .collect()
        .await;

    let duration = Duration::from_secs(seconds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 1..=rounds {
        // Enough sessions that the calls never run out within the round: every person
        // registers once for each.
        let mut sessions = Vec::new();
        for _ in 0..SESSIONS_PER_ROUND {
            sessions.push(schedule(staff.clone(), program.program_id.clone()).await);
        }
        let calls: Vec<(String, String)> = sessions
            .iter()
            .flat_map(|s| tokens.iter().map(move |t| (s.clone(), t.clone())))
            .collect();
        let started = Instant::now();
        let results: Vec<Result<(), tonic::Status>> = stream::iter(calls)
            .take_while(|_| std::future::ready(started.elapsed() < duration))
            .map(|(session_id, token)| {
                let mut c = client(&token);
                tokio::spawn(async move {
                    c.register(RegisterRequest {
                        session_id,
                        idempotency_key: String::new(),
                    })
                    .await
                    .map(|_| ())
                })
            })
            .buffer_unordered(concurrency)
            .map(|joined| joined.expect("task"))
            .collect()
            .await;
        let elapsed = started.elapsed();
        let failed = results.iter().filter(|r| r.is_err()).count();
        if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
            anyhow::bail!("{failed} of {} calls failed, first: {e:?}", results.len());
        }
        let rate = results.len() as f64 / elapsed.as_secs_f64();
        let tps = pgbench_tps(&pgbench, concurrency, seconds).await?;
        let ratio = rate / tps;
        eprintln!(
            "round {round}: Register {} calls in {:.2} s = {rate:.0}/s; pgbench {tps:.0} tps \
             over {seconds} s; ratio {ratio:.2}",
            results.len(),
            elapsed.as_secs_f64()
        );
        ratios.push((ratio, rate, tps));
    }
    ratios.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (ratio, rate, tps) = ratios[ratios.len() / 2];
    println!(
        "RESULT\ttraining Register, {concurrency} clients, {seconds} s (median of {rounds})\t\
         {rate:.0} registrations/s\tpgbench one-row INSERT {tps:.0} tps\t{ratio:.2}\t>= 0.50\t{}",
        if ratio >= 0.5 { "PASS" } else { "FAIL" }
    );
    let _ = stop.send(());
    let _ = server.await;
    Ok(())
}

/// Sessions scheduled per round: people × sessions calls are available to the round.
const SESSIONS_PER_ROUND: usize = 25;

/// pgbench from PATH or PostgreSQL's own directory.
fn pgbench() -> anyhow::Result<PathBuf> {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(
            std::fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .map(|d| d.path().join("bin")),
        );
    candidates
        .map(|dir| dir.join("pgbench"))
        .find(|p| p.exists())
        .ok_or_else(|| anyhow::anyhow!("pgbench not found (install postgresql-contrib)"))
}

/// pgbench's transactions per second with `clients` clients for `seconds`: one BEGIN, one-row
/// INSERT, COMMIT per transaction, on a fresh database.
async fn pgbench_tps(pgbench: &PathBuf, clients: usize, seconds: u64) -> anyhow::Result<f64> {
    let database = tachawor_testkit::TestDatabase::fresh(Backend::Postgres).await;
    let db = tachawor_storage::Database::connect(&database.settings()).await?;
    sqlx::query(
        "CREATE TABLE one_row (id BIGSERIAL PRIMARY KEY, session_id TEXT NOT NULL, \
         account_id TEXT NOT NULL, created_at BIGINT NOT NULL)",
    )
    .execute(db.pool())
    .await?;
    db.close().await;
    let script = tempfile::NamedTempFile::new()?;
    std::fs::write(
        script.path(),
        "BEGIN;\nINSERT INTO one_row (session_id, account_id, created_at) \
         VALUES ('s', md5(random()::text), 0);\nCOMMIT;\n",
    )?;
    let output = Command::new(pgbench)
        .args(["-n", "-c", &clients.to_string(), "-j", "2", "-T"])
        .arg(seconds.to_string())
        .arg("-f")
        .arg(script.path())
        .arg(database.url())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "pgbench printed no figure: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
}
