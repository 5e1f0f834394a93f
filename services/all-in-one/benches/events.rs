//! Events from a write to reporting, against the targets of the design:
//! - an event is visible in reporting p99 under 250 ms after its write commits, at 1,000
//!   events/s sustained for a minute, on PostgreSQL + NATS;
//! - after reporting is killed (SIGKILL) in the middle of its work and started again, what it
//!   had not finished is processed within 2 s of the restart, on NATS and on the in-process bus.
//!
//! The producer is a real service runtime in this process (training's database, outbox and
//! relay) writing one `training.registration.confirmed` per transaction, from several writers
//! paced to the rate; reporting is the release binary (`cargo build --release` first; `make
//! bench` does), a process of its own on its own PostgreSQL database. Latency is read after the
//! run from the two databases: from the outbox row's `created_at` (written in the write's
//! transaction, just before it commits) to reporting's `processed_events.processed_at` (written
//! in the consumer's transaction, just before it commits), both from this machine's clock.
//!
//! `EVENTS_SECONDS` shortens the sustained run (60 by default); `EVENTS_RATE` changes its rate.

use std::{
    collections::HashMap,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use tachawor_events::{Bus, BusKind, EventsSettings};
use tachawor_proto::{
    catalogue,
    common::{ActorKind, AgeBand, Gender},
    events::{TrainingParticipant, TrainingRegistrationChanged},
};
use tachawor_runtime::{Dependencies, Runtime, Service, Writer};
use tachawor_storage::{Database, sqlx};
use tachawor_testkit::{Backend, TestDatabase, TestEnv};

mod support;

use support::{
    commitments_file, free_port, identity_alone, region_file, release_binary, result, serving,
    variables,
};

const REGION: &str = "laayoune-sakia-el-hamra";
const PROVINCES: [&str; 4] = ["laayoune", "boujdour", "tarfaya", "es-semara"];
/// Writers sharing the rate: enough that one slow commit does not hold the pace back.
const WRITERS: usize = 16;
/// Events written before the kill, and how many of them reporting has applied when it is
/// killed (it is then in the middle of the rest).
const CRASH_EVENTS: usize = 400;
const KILL_AFTER: i64 = 100;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `[events]` settings as the variables a service binary reads.
fn events_variables(settings: &HashMap<String, String>) -> Vec<(String, String)> {
    variables(settings.iter().filter(|(k, _)| k.starts_with("events.")))
}

/// Reporting as its own process on `database`, consuming through `events`.
struct Reporting {
    database_url: String,
    /// Where reporting fetches the keys that check tokens: it waits for them to serve.
    identity_url: String,
    events: Vec<(String, String)>,
    port: u16,
    child: Option<Child>,
}

impl Reporting {
    fn new(identity_url: &str, database_url: &str, events: Vec<(String, String)>) -> Self {
        Self {
            identity_url: identity_url.to_string(),
            database_url: database_url.to_string(),
            events,
            port: free_port(),
            child: None,
        }
    }

    /// Starts the binary and waits until it serves.
    async fn start(&mut self) {
        let mut command = Command::new(release_binary("tachawor-reporting"));
        command
            .env(
                "TACHAWOR__SERVER__LISTEN_ADDR",
                format!("127.0.0.1:{}", self.port),
            )
            .env("TACHAWOR__DATABASE__URL", &self.database_url)
            .env("TACHAWOR__REGION__FILE", region_file())
            .env("TACHAWOR__COMMITMENTS__FILE", commitments_file())
            .env("TACHAWOR__AUTH__IDENTITY_URL", &self.identity_url)
            .env("TACHAWOR__TELEMETRY__LOG_FILTER", "error")
            .envs(self.events.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.log()).expect("reporting's log file"));
        self.child = Some(command.spawn().expect("start reporting"));
        let deadline = Instant::now() + Duration::from_secs(30);
        if !serving(self.port, deadline).await {
            let log = std::fs::read_to_string(self.log()).unwrap_or_default();
            panic!("reporting never SERVING; it wrote:\n{log}");
        }
    }

    fn log(&self) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("tachawor-events-reporting-{}.log", self.port))
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Reporting {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The producer: a service runtime with its own database, outbox and relay.
async fn producer(events: &EventsSettings, bus: Option<Bus>) -> (Runtime, TestDatabase) {
    let database = TestDatabase::fresh(Backend::Postgres).await;
    let runtime = Runtime::start(Service::new(
        "training",
        REGION,
        &database.settings(),
        events,
        &tachawor_training::MIGRATIONS,
        &Dependencies {
            bus,
            ..Dependencies::default()
        },
    ))
    .await
    .expect("the producer starts");
    (runtime, database)
}

/// One registration: one transaction, one event.
async fn register(writer: &Writer, n: usize) {
    let participant = TrainingParticipant {
        account_id: uuid::Uuid::from_u128(n as u128 % 5_000 + 1).to_string(),
        province_code: PROVINCES[n % PROVINCES.len()].to_string(),
        gender: [Gender::Female, Gender::Male][n % 2] as i32,
        age_band: AgeBand::AgeBand2534 as i32,
        actor_kind: ActorKind::Citizen as i32,
    };
    let registration_id = uuid::Uuid::now_v7().to_string();
    let event = TrainingRegistrationChanged {
        registration_id: registration_id.clone(),
        session_id: uuid::Uuid::from_u128(n as u128 % 50 + 1).to_string(),
        program_id: uuid::Uuid::from_u128(7).to_string(),
        participant: Some(participant),
        previous_status: String::new(),
    };
    let mut tx = writer.begin().await.expect("begin");
    writer
        .emit(
            &mut tx,
            catalogue::REGISTRATION_CONFIRMED,
            &registration_id,
            &event,
        )
        .await
        .expect("emit");
    writer.commit(tx).await.expect("commit");
}

/// Writes `total` events at `rate` per second (as fast as possible when 0) from `WRITERS`
/// paced writers; returns the rate achieved.
async fn write(writer: &Writer, total: usize, rate: u64) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let writer = writer.clone();
            tokio::spawn(async move {
                for n in (w..total).step_by(WRITERS) {
                    if rate > 0 {
                        let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
                        tokio::time::sleep_until(due.into()).await;
                    }
                    register(&writer, n).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("writer");
    }
    total as f64 / started.elapsed().as_secs_f64()
}

async fn count(db: &Database, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.pool())
        .await
        .expect("count")
}

/// Waits until reporting has applied `total` events; false after `within`.
async fn applied(reporting: &Database, total: usize, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if count(reporting, "SELECT COUNT(*) FROM processed_events").await >= total as i64 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

/// Milliseconds from each event's write to its processing, sorted.
async fn latencies(producer: &Database, reporting: &Database) -> Vec<i64> {
    let written: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT event_id, created_at FROM outbox")
            .fetch_all(producer.pool())
            .await
            .expect("outbox")
            .into_iter()
            .collect();
    let mut out: Vec<i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT event_id, processed_at FROM processed_events")
            .fetch_all(reporting.pool())
            .await
            .expect("processed events")
            .into_iter()
            .filter_map(|(id, at)| written.get(&id).map(|w| at - w))
            .collect();
    out.sort_unstable();
    out
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

/// A minute at the target rate on PostgreSQL + NATS.
async fn sustained(identity: &str, seconds: u64, rate: u64) {
    let env = TestEnv::start(Backend::Postgres).await;
    env.create_streams(&["identity", "consultation", "training"])
        .await;
    let mut reporting = Reporting::new(
        identity,
        env.database.url(),
        events_variables(&env.settings()),
    );
    reporting.start().await;
    let reporting_db = Database::connect(&env.database.settings())
        .await
        .expect("reporting's database");
    let (runtime, producer_db) = producer(&env.events, None).await;
    let total = (seconds * rate) as usize;
    let achieved = write(&runtime.writer(), total, rate).await;
    assert!(
        applied(&reporting_db, total, Duration::from_secs(120)).await,
        "reporting did not apply every event"
    );
    let producer_conn = Database::connect(&producer_db.settings())
        .await
        .expect("db");
    let lat = latencies(&producer_conn, &reporting_db).await;
    assert_eq!(lat.len(), total, "every event is matched with its write");
    let (p50, p99, max) = (
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat[lat.len() - 1],
    );
    println!(
        "sustained: {total} events over {seconds} s, {achieved:.0} events/s achieved; \
         write to reporting p50 {p50} ms, p99 {p99} ms, max {max} ms"
    );
    result(
        &format!(
            "event visible in reporting, p99 ({rate} events/s for {seconds} s, PostgreSQL + NATS)"
        ),
        &format!("{p99} ms"),
        &format!("p50 {p50} ms at {achieved:.0} events/s achieved"),
        &format!("{:.2} of the limit", p99 as f64 / 250.0),
        "< 250 ms",
        p99 < 250 && achieved >= rate as f64 * 0.95,
    );
    reporting.kill();
}

/// Reporting killed while it works through a burst, then started again.
async fn crash(identity: &str, kind: BusKind) {
    let env = TestEnv::start(Backend::Postgres).await;
    let mut events = env.events.clone();
    let (bus_name, reporting_events, bus) = match kind {
        BusKind::Nats => {
            env.create_streams(&["identity", "consultation", "training"])
                .await;
            ("NATS", events_variables(&env.settings()), None)
        }
        BusKind::InProcess => {
            // The bus lives in reporting's database, as a service alone on `in_process` keeps
            // it; the producer publishes into the same tables.
            events.bus = BusKind::InProcess;
            let mut vars = events_variables(&env.settings());
            vars.retain(|(k, _)| !k.starts_with("TACHAWOR__EVENTS__BUS"));
            vars.push(("TACHAWOR__EVENTS__BUS".into(), "in_process".into()));
            ("in-process bus", vars, Some(()))
        }
    };
    let mut reporting = Reporting::new(identity, env.database.url(), reporting_events);
    reporting.start().await;
    let reporting_db = Database::connect(&env.database.settings())
        .await
        .expect("reporting's database");
    let bus = match bus {
        Some(()) => Some(
            Bus::in_process(reporting_db.clone(), &events)
                .await
                .expect("the in-process bus in reporting's database"),
        ),
        None => None,
    };
    let (runtime, _producer_db) = producer(&events, bus).await;
    let writer = Arc::new(runtime.writer());
    write(&writer, CRASH_EVENTS, 0).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&reporting_db, "SELECT COUNT(*) FROM processed_events").await < KILL_AFTER {
        assert!(Instant::now() < deadline, "reporting applied nothing");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    reporting.kill();
    let before = count(&reporting_db, "SELECT COUNT(*) FROM processed_events").await;
    let restarted = Instant::now();
    reporting.start().await;
    let serving_after = restarted.elapsed();
    let done = applied(&reporting_db, CRASH_EVENTS, Duration::from_secs(60)).await;
    let took = restarted.elapsed();
    assert!(
        done,
        "reporting did not apply every event after the restart"
    );
    println!(
        "crash ({bus_name}): killed with {before} of {CRASH_EVENTS} applied; serving again after \
         {} ms; the rest applied {} ms after the restart",
        serving_after.as_millis(),
        took.as_millis()
    );
    result(
        &format!("pending events applied after a kill and restart ({bus_name})"),
        &format!("{} ms after the restart", took.as_millis()),
        &format!("serving again after {} ms", serving_after.as_millis()),
        &format!("{:.2} of the limit", took.as_secs_f64() / 2.0),
        "< 2000 ms",
        took < Duration::from_secs(2),
    );
    reporting.kill();
}

#[tokio::main]
async fn main() {
    let seconds = env_number("EVENTS_SECONDS", 60);
    let rate = env_number("EVENTS_RATE", 1_000);
    let scratch = std::env::temp_dir().join(format!("tachawor-events-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let port = free_port();
    let mut identity = identity_alone(&scratch, port)
        .spawn()
        .expect("start identity");
    assert!(
        serving(port, Instant::now() + Duration::from_secs(30)).await,
        "identity never SERVING"
    );
    let identity_url = format!("http://127.0.0.1:{port}");
    crash(&identity_url, BusKind::Nats).await;
    crash(&identity_url, BusKind::InProcess).await;
    sustained(&identity_url, seconds, rate).await;
    let _ = identity.kill();
    let _ = identity.wait();
    let _ = std::fs::remove_dir_all(&scratch);
}
