//! Registration throughput: a training server on a fresh PostgreSQL database (events to NATS),
//! beside a real identity server, and N concurrent `Register` calls from N distinct people on a
//! session with N/2 seats (so half go to the waitlist). Prints registrations per second.
//!
//! `BENCH_REGISTRATIONS` (default 6000: a few seconds of calls, so that start-up weighs little
//! beside pgbench's five steady seconds) and `BENCH_CONCURRENCY` (default 64) tune it;
//! `TACHAWOR_TEST_DATABASE_URL` and `TACHAWOR_TEST_NATS_URL` say where PostgreSQL and NATS are.
//! Account creation is not measured. Run with `cargo bench -p tachawor-training`.

use std::{collections::HashMap, sync::Arc, time::Instant};

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
    })
}

fn main() -> anyhow::Result<()> {
    // `cargo test --all-targets` runs bench binaries without `--bench`: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let n = env_number("BENCH_REGISTRATIONS", 6000);
    let concurrency = env_number("BENCH_CONCURRENCY", 64);
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
    let session = staff
        .schedule_session(ScheduleSessionRequest {
            program_id: program.program_id,
            details: Some(SessionDetails {
                kind: SessionKind::Forum as i32,
                title: text("Bench"),
                days: vec![tachawor_proto::common::Date {
                    year: 2200,
                    month: 1,
                    day: 1,
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
        })
        .await?
        .into_inner()
        .session
        .expect("session");

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

    eprintln!("{n} registrations, {concurrency} at a time…");
    let started = Instant::now();
    let results: Vec<Result<(), tonic::Status>> = stream::iter(tokens)
        .map(|token| {
            let mut c = client(&token);
            let session_id = session.session_id.clone();
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
        eprintln!("first failure: {e:?}");
    }
    let rate = (n - failed) as f64 / elapsed.as_secs_f64();
    println!(
        "training Register: {n} calls ({failed} failed) in {:.2} s with {concurrency} in flight: {rate:.0} registrations/s",
        elapsed.as_secs_f64()
    );
    println!("REGISTRATIONS_PER_SEC={rate:.1}");
    println!("DURATION_SECS={}", elapsed.as_secs().max(5));
    println!("CONCURRENCY={concurrency}");
    let _ = stop.send(());
    let _ = server.await;
    Ok(())
}
