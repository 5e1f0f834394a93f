//! Consumers: each event applied once whatever the redeliveries, poison messages set aside and
//! acknowledged, replay from the start, durable state across a restart of the in-process bus.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::future::BoxFuture;
use prost::Message;
use tachawor_events::{
    Bus, BusKind, ConsumerSettings, Envelope, EventsError, Handler, HandlerError, dead_letters,
    subjects, type_url,
};
use tachawor_storage::{Database, sqlx::Row};
use tokio::{sync::oneshot, task::JoinHandle};

use crate::support::*;

const WAIT: Duration = Duration::from_secs(30);
const DURABLE: &str = "reporting";

/// What the test handler does with an event.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    /// Fails retryably this many more times, then succeeds.
    FailTimes(usize),
    /// Rejects the event for good.
    Poison,
    /// Never finishes: the process dies while handling it.
    Hang,
}

/// Records every call and writes a `seen` row inside the consumer's transaction.
#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<String>>,
    /// The events each transaction began with.
    begun_with: Mutex<Vec<Vec<String>>>,
    behaviour: Mutex<HashMap<String, Behaviour>>,
}

impl Recorder {
    fn set(&self, event_id: &str, behaviour: Option<Behaviour>) {
        let mut map = self.behaviour.lock().unwrap();
        match behaviour {
            Some(b) => map.insert(event_id.to_string(), b),
            None => map.remove(event_id),
        };
    }

    fn calls_of(&self, event_id: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|id| *id == event_id)
            .count()
    }
}

impl Handler for Recorder {
    fn handle<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            self.calls.lock().unwrap().push(envelope.event_id.clone());
            // Written before failing: a failed attempt must leave no trace.
            sqlx::query("INSERT INTO seen (event_id, aggregate_id) VALUES ($1, $2)")
                .bind(&envelope.event_id)
                .bind(&envelope.aggregate_id)
                .execute(&mut *tx)
                .await?;
            let behaviour = self
                .behaviour
                .lock()
                .unwrap()
                .get(&envelope.event_id)
                .copied();
            match behaviour {
                Some(Behaviour::Poison) => Err(HandlerError::Poison("rejected by test".into())),
                Some(Behaviour::Hang) => std::future::pending().await,
                Some(Behaviour::FailTimes(n)) if n > 0 => {
                    self.set(&envelope.event_id, Some(Behaviour::FailTimes(n - 1)));
                    Err(HandlerError::Retry(anyhow::anyhow!("transient failure")))
                }
                _ => Ok(()),
            }
        })
    }

    fn begin<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
        events: &'a [&'a Envelope],
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        let ids = events.iter().map(|e| e.event_id.clone()).collect();
        self.begun_with.lock().unwrap().push(ids);
        self.calls.lock().unwrap().push(BEGIN.to_string());
        Box::pin(async { Ok(()) })
    }

    fn finish<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        self.calls.lock().unwrap().push(FINISH.to_string());
        Box::pin(async { Ok(()) })
    }
}

/// What [`Recorder`] files among its calls when a transaction begins, and before it commits.
const BEGIN: &str = "begin";
const FINISH: &str = "finish";

fn envelope(n: u64) -> Envelope {
    Envelope {
        event_id: uuid::Uuid::now_v7().to_string(),
        r#type: EVENT_TYPE.to_string(),
        producer: PRODUCER.to_string(),
        region: REGION.to_string(),
        aggregate_id: format!("account-{n}"),
        payload: Some(prost_types::Any {
            type_url: type_url::<Ping>(),
            value: Ping {
                account_id: format!("account-{n}"),
                n,
            }
            .encode_to_vec(),
        }),
        ..Envelope::default()
    }
}

async fn consumer_db(store: Store) -> TestDb {
    let db = TestDb::migrated(store).await;
    sqlx::query("CREATE TABLE seen (event_id TEXT NOT NULL, aggregate_id TEXT NOT NULL)")
        .execute(db.db.pool())
        .await
        .unwrap();
    db
}

async fn seen(db: &Database) -> Vec<String> {
    sqlx::query("SELECT event_id FROM seen ORDER BY event_id")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("event_id"))
        .collect()
}

async fn count(db: &Database, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

fn quick(mut settings: ConsumerSettings) -> ConsumerSettings {
    settings.retry_backoff_ms = 20;
    settings
}

/// A running consumer and the means to stop it.
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), EventsError>>,
}

impl Running {
    fn start(bus: &Bus, db: &Database, settings: ConsumerSettings, handler: Arc<Recorder>) -> Self {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = bus.run_consumer(db.clone(), settings, handler, async {
            let _ = stopped.await;
        });
        Self { stop, task }
    }

    /// Ends the consumer as a crash would: whatever it holds is never settled.
    async fn crash(self) {
        self.task.abort();
        let _ = self.task.await;
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task
            .await
            .expect("consumer task")
            .expect("consumer ends cleanly");
    }
}

/// The durable consumer as the NATS server sees it.
async fn nats_consumer_info(bus: &TestBus) -> async_nats::jetstream::consumer::Info {
    let client = nats_client(&bus.settings.nats_url, &bus.settings.auth).await;
    let js = async_nats::jetstream::new(client);
    let stream = js
        .get_stream(subjects::stream_name(
            &bus.settings.subject_prefix,
            PRODUCER,
        ))
        .await
        .unwrap();
    let mut consumer = stream
        .get_consumer::<async_nats::jetstream::consumer::pull::Config>(DURABLE)
        .await
        .unwrap();
    consumer.info().await.unwrap().clone()
}

/// Messages delivered to the durable consumer and not yet acknowledged.
async fn unacknowledged(bus: &TestBus) -> u64 {
    match bus.settings.bus {
        BusKind::Nats => {
            let info = nats_consumer_info(bus).await;
            info.num_ack_pending as u64 + info.num_pending
        }
        BusKind::InProcess => {
            let db = &bus.bus_db.as_ref().unwrap().db;
            count(db, "SELECT COUNT(*) FROM bus_pending").await as u64
        }
    }
}

async fn each_event_is_applied_once_under_redelivery(store: Store, kind: BusKind) {
    let db = consumer_db(store).await;
    let bus = TestBus::new(kind).await;
    let recorder = Arc::new(Recorder::default());
    let (e1, e2, e3) = (envelope(1), envelope(2), envelope(3));
    recorder.set(&e2.event_id, Some(Behaviour::FailTimes(1)));

    bus.bus.publish(&e1).await.unwrap();
    bus.bus.publish(&e2).await.unwrap();
    // The same event again under another message id: what a lost ack or a republish yields.
    let again = bus
        .bus
        .publish_bytes(&bus.subject(EVENT_TYPE), "e1-again", e1.encode_to_vec())
        .await
        .unwrap();
    assert!(!again.duplicate);
    bus.bus.publish(&e3).await.unwrap();

    let running = Running::start(
        &bus.bus,
        &db.db,
        quick(ConsumerSettings::new(DURABLE, &["identity.>"])),
        recorder.clone(),
    );
    wait_until(WAIT, "three events are applied", || async {
        seen(&db.db).await.len() == 3
    })
    .await;
    wait_until(WAIT, "every message is acknowledged", || async {
        unacknowledged(&bus).await == 0
    })
    .await;
    running.stop().await;

    let mut expected = vec![
        e1.event_id.clone(),
        e2.event_id.clone(),
        e3.event_id.clone(),
    ];
    expected.sort();
    assert_eq!(seen(&db.db).await, expected, "each applied once");
    assert_eq!(
        recorder.calls_of(&e1.event_id),
        1,
        "the redelivery was skipped"
    );
    assert_eq!(
        recorder.calls_of(&e2.event_id),
        2,
        "retried after its failure"
    );
    assert_eq!(recorder.calls_of(&e3.event_id), 1);
    assert_eq!(
        count(&db.db, "SELECT COUNT(*) FROM processed_events").await,
        3
    );
    assert!(dead_letters(&db.db, DURABLE).await.unwrap().is_empty());
    bus.teardown().await;
    db.teardown().await;
}

async fn poison_messages_are_dead_lettered_and_acknowledged(store: Store, kind: BusKind) {
    let db = consumer_db(store).await;
    let bus = TestBus::new(kind).await;
    let recorder = Arc::new(Recorder::default());
    let (poison, hopeless, good) = (envelope(1), envelope(2), envelope(3));
    recorder.set(&poison.event_id, Some(Behaviour::Poison));
    recorder.set(&hopeless.event_id, Some(Behaviour::FailTimes(usize::MAX)));

    bus.bus
        .publish_bytes(&bus.subject(EVENT_TYPE), "garbage", vec![0xff, 0x01, 0x02])
        .await
        .unwrap();
    bus.bus.publish(&poison).await.unwrap();
    bus.bus.publish(&hopeless).await.unwrap();
    bus.bus.publish(&good).await.unwrap();

    let mut settings = quick(ConsumerSettings::new(DURABLE, &["identity.account.*"]));
    settings.max_deliver = 3;
    let running = Running::start(&bus.bus, &db.db, settings, recorder.clone());
    wait_until(WAIT, "three messages are dead-lettered", || async {
        dead_letters(&db.db, DURABLE).await.unwrap().len() == 3
    })
    .await;
    wait_until(WAIT, "the good event is applied", || async {
        seen(&db.db).await == vec![good.event_id.clone()]
    })
    .await;
    wait_until(WAIT, "every message is acknowledged", || async {
        unacknowledged(&bus).await == 0
    })
    .await;
    running.stop().await;

    let letters = dead_letters(&db.db, DURABLE).await.unwrap();
    let garbage = letters.iter().find(|l| l.event_id.is_none()).unwrap();
    assert!(
        garbage.reason.starts_with("undecodable envelope"),
        "{}",
        garbage.reason
    );
    assert_eq!(garbage.payload, vec![0xff, 0x01, 0x02]);
    assert_eq!(garbage.subject, bus.subject(EVENT_TYPE));
    let rejected = letters
        .iter()
        .find(|l| l.event_id.as_deref() == Some(&poison.event_id))
        .unwrap();
    assert_eq!(rejected.reason, "rejected by test");
    assert_eq!(rejected.deliveries, 1);
    assert_eq!(rejected.event_type.as_deref(), Some(EVENT_TYPE));
    let exhausted = letters
        .iter()
        .find(|l| l.event_id.as_deref() == Some(&hopeless.event_id))
        .unwrap();
    assert_eq!(exhausted.deliveries, 3);
    assert!(
        exhausted.reason.starts_with("gave up after 3 deliveries"),
        "{}",
        exhausted.reason
    );
    assert_eq!(
        recorder.calls_of(&hopeless.event_id),
        3,
        "bounded by max_deliver"
    );
    assert_eq!(recorder.calls_of(&poison.event_id), 1);
    bus.teardown().await;
    db.teardown().await;
}

async fn a_reset_consumer_replays_the_stream_from_the_start(kind: BusKind) {
    let db = consumer_db(Store::Sqlite).await;
    let bus = TestBus::new(kind).await;
    let recorder = Arc::new(Recorder::default());
    let events = [envelope(1), envelope(2), envelope(3)];
    for e in &events {
        bus.bus.publish(e).await.unwrap();
    }
    let settings = quick(ConsumerSettings::new(DURABLE, &["identity.>"]));
    let running = Running::start(&bus.bus, &db.db, settings.clone(), recorder.clone());
    wait_until(WAIT, "the events are applied", || async {
        seen(&db.db).await.len() == 3
    })
    .await;
    running.stop().await;

    // A rebuild: clear the read model, forget the consumer, run it again.
    sqlx::query("DELETE FROM seen")
        .execute(db.db.pool())
        .await
        .unwrap();
    bus.bus.reset_consumer(&db.db, &settings).await.unwrap();
    let running = Running::start(&bus.bus, &db.db, settings, recorder.clone());
    wait_until(WAIT, "the events are applied again", || async {
        seen(&db.db).await.len() == 3
    })
    .await;
    running.stop().await;
    for e in &events {
        assert_eq!(recorder.calls_of(&e.event_id), 2);
    }
    bus.teardown().await;
    db.teardown().await;
}

/// Another event type of the test producer's stream.
const OTHER_TYPE: &str = "identity.account.verified";

fn other(n: u64) -> Envelope {
    Envelope {
        r#type: OTHER_TYPE.to_string(),
        ..envelope(n)
    }
}

/// A newer version's consumer takes a subject the durable consumer did not: it gets that
/// subject's events published before it existed, and nothing is applied twice; on NATS an older
/// replica binding afterwards leaves the wider consumer as it is.
async fn a_consumer_whose_filter_widens_gets_what_it_did_not_take(kind: BusKind) {
    let db = consumer_db(Store::Sqlite).await;
    let bus = TestBus::new(kind).await;
    let recorder = Arc::new(Recorder::default());
    let (registered, verified) = (envelope(1), other(2));
    bus.bus.publish(&registered).await.unwrap();
    bus.bus.publish(&verified).await.unwrap();
    let narrow = quick(ConsumerSettings::new(DURABLE, &[EVENT_TYPE]));
    let running = Running::start(&bus.bus, &db.db, narrow.clone(), recorder.clone());
    wait_until(WAIT, "the registration is applied", || async {
        seen(&db.db).await.len() == 1
    })
    .await;
    running.stop().await;
    assert_eq!(recorder.calls_of(&verified.event_id), 0, "not taken yet");

    let wide = quick(ConsumerSettings::new(DURABLE, &[EVENT_TYPE, OTHER_TYPE]));
    let running = Running::start(&bus.bus, &db.db, wide, recorder.clone());
    wait_until(
        WAIT,
        "the verification published earlier is applied",
        || async { seen(&db.db).await.len() == 2 },
    )
    .await;
    if kind == BusKind::Nats {
        let older = Running::start(&bus.bus, &db.db, narrow, recorder.clone());
        let later = other(3);
        bus.bus.publish(&later).await.unwrap();
        wait_until(WAIT, "a later verification is applied", || async {
            seen(&db.db).await.len() == 3
        })
        .await;
        older.stop().await;
        // Both subjects (a server before 2.10 keeps no list of filters: the whole stream).
        let config = nats_consumer_info(&bus).await.config;
        assert_eq!(config.filter_subject, "", "not narrowed again");
        assert!(
            matches!(config.filter_subjects.len(), 0 | 2),
            "{:?}",
            config.filter_subjects
        );
    }
    running.stop().await;
    assert_eq!(
        recorder.calls_of(&registered.event_id),
        1,
        "the replay skipped it"
    );
    assert_eq!(recorder.calls_of(&verified.event_id), 1);
    bus.teardown().await;
    db.teardown().await;
}

#[tokio::test]
async fn the_in_process_bus_keeps_its_consumers_across_a_reopening() {
    let db = consumer_db(Store::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bus.db");
    let settings = settings(BusKind::InProcess);
    let mut consumer = quick(ConsumerSettings::new(DURABLE, &["identity.>"]));
    // The failing event is retried within a second whatever its number of deliveries.
    consumer.max_deliver = 1_000;
    consumer.ack_wait_secs = 1;
    let recorder = Arc::new(Recorder::default());
    let (e1, e2, e3, e4) = (envelope(1), envelope(2), envelope(3), envelope(4));
    recorder.set(&e4.event_id, Some(Behaviour::FailTimes(usize::MAX)));

    let bus_db = sqlite_at(path.clone()).await;
    let bus = Bus::in_process(bus_db.clone(), &settings).await.unwrap();
    bus.ensure_stream(PRODUCER).await.unwrap();
    for e in [&e1, &e2, &e4] {
        bus.publish(e).await.unwrap();
    }
    let running = Running::start(&bus, &db.db, consumer.clone(), recorder.clone());
    wait_until(
        WAIT,
        "two events applied and the third attempted",
        || async { seen(&db.db).await.len() == 2 && recorder.calls_of(&e4.event_id) >= 1 },
    )
    .await;
    running.stop().await;
    drop(bus);
    bus_db.close().await;

    let bus_db = sqlite_at(path).await;
    let bus = Bus::in_process(bus_db.clone(), &settings).await.unwrap();
    let ack = bus.publish(&e2).await.unwrap();
    assert!(
        ack.duplicate,
        "the message id is remembered across the reopening"
    );
    bus.publish(&e3).await.unwrap();
    recorder.set(&e4.event_id, None);
    let running = Running::start(&bus, &db.db, consumer, recorder.clone());
    wait_until(
        WAIT,
        "the new and the unacknowledged events are applied",
        || async { seen(&db.db).await.len() == 4 },
    )
    .await;
    running.stop().await;

    assert_eq!(recorder.calls_of(&e1.event_id), 1, "not delivered again");
    assert_eq!(recorder.calls_of(&e2.event_id), 1);
    assert_eq!(recorder.calls_of(&e3.event_id), 1);
    assert_eq!(
        count(&bus_db, "SELECT COUNT(*) FROM bus_pending").await,
        0,
        "everything acknowledged"
    );
    bus_db.close().await;
    db.teardown().await;
}

/// A bus on `servers` (the stream kept `replicas` times) as their admin, with a consumer that
/// has applied the event returned.
async fn consuming_a_first_event(
    db: &TestDb,
    servers: &[&NatsServer],
    replicas: usize,
) -> (TestBus, Arc<Recorder>, Running, Envelope) {
    let mut settings = settings(BusKind::Nats);
    settings.nats_url = servers
        .iter()
        .map(|s| s.url())
        .collect::<Vec<_>>()
        .join(",");
    settings.auth = test_user("admin");
    settings.request_timeout_ms = 500;
    settings.stream_replicas = replicas;
    // A cluster just started takes a stream once it has elected its leader.
    let probe = Bus::connect(&settings)
        .await
        .expect("NATS settings are valid");
    wait_until(
        Duration::from_secs(30),
        "JetStream takes a stream",
        || async { probe.ensure_stream(PRODUCER).await.is_ok() },
    )
    .await;
    let bus = TestBus::with_settings(settings).await;
    let recorder = Arc::new(Recorder::default());
    let first = envelope(1);
    bus.bus.publish(&first).await.unwrap();
    let running = Running::start(
        &bus.bus,
        &db.db,
        quick(ConsumerSettings::new(DURABLE, &["identity.>"])),
        recorder.clone(),
    );
    wait_until(WAIT, "the first event is applied", || async {
        seen(&db.db).await.len() == 1
    })
    .await;
    (bus, recorder, running, first)
}

#[tokio::test]
async fn a_consumer_resumes_when_nats_comes_back() {
    let db = consumer_db(Store::Sqlite).await;
    let mut server = NatsServer::new();
    server.start().await;
    let (bus, recorder, running, e1) = consuming_a_first_event(&db, &[&server], 1).await;
    let e2 = envelope(2);

    server.kill();
    wait_until(WAIT, "the bus notices", || async {
        !bus.bus.is_connected()
    })
    .await;
    server.start().await;
    wait_until(WAIT, "the bus reconnects", || async {
        bus.bus.is_connected()
    })
    .await;
    bus.bus.publish(&e2).await.unwrap();
    wait_until(
        WAIT,
        "the event published after the restart is applied",
        || async { seen(&db.db).await.len() == 2 },
    )
    .await;
    running.stop().await;
    assert_eq!(recorder.calls_of(&e1.event_id), 1);
    db.teardown().await;
}

/// Every node of a three-node cluster killed and started again: pulls sent while no node led
/// the consumer go unanswered, and the consumer must not wait for them forever.
#[tokio::test]
async fn a_consumer_resumes_when_the_whole_nats_cluster_comes_back() {
    let db = consumer_db(Store::Sqlite).await;
    let mut servers = NatsServer::cluster(3);
    for server in &mut servers {
        server.start().await;
    }
    let all: Vec<&NatsServer> = servers.iter().collect();
    let (bus, recorder, running, e1) = consuming_a_first_event(&db, &all, 3).await;
    let e2 = envelope(2);

    for server in &mut servers {
        server.kill();
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    for server in &mut servers {
        server.start().await;
    }
    wait_until(
        Duration::from_secs(60),
        "the stream takes writes again",
        || async { bus.bus.publish(&e2).await.is_ok() },
    )
    .await;
    wait_until(
        Duration::from_secs(60),
        "the event published after the restart is applied",
        || async { seen(&db.db).await.len() == 2 },
    )
    .await;
    running.stop().await;
    assert_eq!(recorder.calls_of(&e1.event_id), 1);
    assert_eq!(recorder.calls_of(&e2.event_id), 1);
    db.teardown().await;
}

#[tokio::test]
async fn invalid_consumer_settings_end_the_task_with_an_error() {
    let db = consumer_db(Store::Sqlite).await;
    let bus = TestBus::new(BusKind::InProcess).await;
    let task = bus.bus.run_consumer(
        db.db.clone(),
        ConsumerSettings::new("bad.name", &["identity.>"]),
        Arc::new(Recorder::default()),
        std::future::pending(),
    );
    assert!(matches!(task.await.unwrap(), Err(EventsError::Config(_))));
    bus.teardown().await;
    db.teardown().await;
}

/// Events waiting together are applied in one transaction: one that fails, or is poison, is
/// rolled back alone; the others are kept; each is handed to the handler once per delivery.
async fn a_failing_event_does_not_undo_the_rest_of_its_batch(kind: BusKind) {
    let db = consumer_db(Store::Postgres).await;
    let bus = TestBus::new(kind).await;
    let recorder = Arc::new(Recorder::default());
    let events: Vec<Envelope> = (1..=6).map(envelope).collect();
    recorder.set(&events[2].event_id, Some(Behaviour::FailTimes(1)));
    recorder.set(&events[3].event_id, Some(Behaviour::Poison));
    bus.bus.ensure_stream(PRODUCER).await.unwrap();
    for e in &events {
        bus.bus.publish(e).await.unwrap();
    }
    let mut settings = quick(ConsumerSettings::new(DURABLE, &["identity.>"]));
    settings.apply_together = 50;
    let running = Running::start(&bus.bus, &db.db, settings, recorder.clone());
    wait_until(WAIT, "every event but the poison applied", || async {
        seen(&db.db).await.len() == 5
    })
    .await;
    wait_until(WAIT, "every message is acknowledged", || async {
        unacknowledged(&bus).await == 0
    })
    .await;
    running.stop().await;
    let calls: Vec<usize> = events
        .iter()
        .map(|e| recorder.calls_of(&e.event_id))
        .collect();
    assert_eq!(calls, [1, 1, 2, 1, 1, 1], "handler calls per event");
    let all = recorder.calls.lock().unwrap().clone();
    let begins = all.iter().filter(|c| *c == BEGIN).count();
    assert_eq!(
        all.first().map(String::as_str),
        Some(BEGIN),
        "begin comes first: {all:?}"
    );
    let finishes = all.iter().filter(|c| *c == FINISH).count();
    assert!(
        begins < all.len() - begins - finishes,
        "begin is called once per transaction, not once per event: {all:?}"
    );
    // Each transaction began with the very events it then handled, in order.
    let handled: Vec<Vec<String>> = all
        .split(|c| c == BEGIN)
        .skip(1)
        .map(|t| t.iter().filter(|c| *c != FINISH).cloned().collect())
        .collect();
    assert_eq!(*recorder.begun_with.lock().unwrap(), handled, "{all:?}");
    // Every transaction here commits: each ends with `finish`, after its events.
    assert_eq!(finishes, begins, "{all:?}");
    assert_eq!(all.last().map(String::as_str), Some(FINISH), "{all:?}");
    for (before, call) in all.iter().zip(all.iter().skip(1)) {
        if call == BEGIN {
            assert_eq!(
                before, FINISH,
                "a transaction ends before the next: {all:?}"
            );
        }
    }
    let letters = dead_letters(&db.db, DURABLE).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(
        letters[0].event_id.as_deref(),
        Some(events[3].event_id.as_str())
    );
    assert_eq!(
        count(&db.db, "SELECT COUNT(*) FROM processed_events").await,
        5,
        "the poison event is not recorded as processed"
    );
    bus.teardown().await;
    db.teardown().await;
}

/// A consumer stuck on a first event (`slow`), a second one (`next`) published behind it.
struct Stuck {
    db: TestDb,
    bus: TestBus,
    settings: ConsumerSettings,
    recorder: Arc<Recorder>,
    slow: Envelope,
    next: Envelope,
}

impl Stuck {
    async fn start(kind: BusKind) -> (Self, Running) {
        let db = consumer_db(Store::Sqlite).await;
        let bus = TestBus::new(kind).await;
        let settings = quick(ConsumerSettings::new(DURABLE, &["identity.>"]));
        let recorder = Arc::new(Recorder::default());
        let (slow, next) = (envelope(1), envelope(2));
        recorder.set(&slow.event_id, Some(Behaviour::Hang));
        bus.bus.ensure_stream(PRODUCER).await.unwrap();
        for e in [&slow, &next] {
            bus.bus.publish(e).await.unwrap();
        }
        let stuck = Self {
            db,
            bus,
            settings,
            recorder,
            slow,
            next,
        };
        let running = stuck.consumer();
        wait_until(WAIT, "the slow event is being handled", || async {
            stuck.recorder.calls_of(&stuck.slow.event_id) == 1
        })
        .await;
        (stuck, running)
    }

    /// Another consumer on the same durable: a replica, or the process started again.
    fn consumer(&self) -> Running {
        Running::start(
            &self.bus.bus,
            &self.db.db,
            self.settings.clone(),
            self.recorder.clone(),
        )
    }

    /// Waits until both events are applied by `survivor`, stops it, checks the bus is settled.
    async fn recovered_by(self, survivor: Running, within: Duration, what: &str) {
        wait_until(within, what, || async {
            seen(&self.db.db).await.len() == 2
        })
        .await;
        survivor.stop().await;
        assert_eq!(
            unacknowledged(&self.bus).await,
            0,
            "everything acknowledged"
        );
        self.bus.teardown().await;
        self.db.teardown().await;
    }
}

/// What a consumer held when its process died comes back soon after the restart, with the
/// default ack wait.
async fn what_a_crashed_consumer_held_comes_back_after_the_restart(kind: BusKind) {
    let (stuck, running) = Stuck::start(kind).await;
    running.crash().await;
    stuck.recorder.set(&stuck.slow.event_id, None);
    // A restart takes a moment; then both events are applied well before the old 30 s ack wait.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let restarted = stuck.consumer();
    stuck
        .recovered_by(
            restarted,
            Duration::from_secs(5),
            "the held and the following events are applied soon after the restart",
        )
        .await;
}

/// Two replicas on one durable NATS consumer: while one works on a slow message past the ack
/// wait, the other is not handed it (nor what the first holds behind it); once the first dies,
/// the other takes them within the ack wait.
#[tokio::test]
async fn a_replica_keeps_what_it_works_on_until_it_dies() {
    let (stuck, first) = Stuck::start(BusKind::Nats).await;
    let ack_wait = Duration::from_secs(stuck.settings.ack_wait_secs);
    let second = stuck.consumer();
    tokio::time::sleep(ack_wait * 2).await;
    let calls = |e: &Envelope| stuck.recorder.calls_of(&e.event_id);
    assert_eq!(calls(&stuck.slow), 1, "not handed to the other replica");
    assert_eq!(calls(&stuck.next), 0, "held behind the slow one");
    assert_eq!(
        nats_consumer_info(&stuck.bus).await.num_redelivered,
        0,
        "nothing delivered twice"
    );
    stuck.recorder.set(&stuck.slow.event_id, None);
    first.crash().await;
    stuck
        .recovered_by(
            second,
            ack_wait + Duration::from_secs(3),
            "the other replica applies what the dead one held",
        )
        .await;
}

macro_rules! cases {
    ($case:ident: $($name:ident => ($($arg:expr),*)),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                $case($($arg),*).await
            }
        )+
    };
}

cases!(each_event_is_applied_once_under_redelivery:
    applied_once_under_redelivery_postgres_nats => (Store::Postgres, BusKind::Nats),
    applied_once_under_redelivery_sqlite_nats => (Store::Sqlite, BusKind::Nats),
    applied_once_under_redelivery_postgres_in_process => (Store::Postgres, BusKind::InProcess),
    applied_once_under_redelivery_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(poison_messages_are_dead_lettered_and_acknowledged:
    poison_messages_are_dead_lettered_postgres_nats => (Store::Postgres, BusKind::Nats),
    poison_messages_are_dead_lettered_sqlite_nats => (Store::Sqlite, BusKind::Nats),
    poison_messages_are_dead_lettered_postgres_in_process => (Store::Postgres, BusKind::InProcess),
    poison_messages_are_dead_lettered_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(a_reset_consumer_replays_the_stream_from_the_start:
    a_reset_consumer_replays_the_stream_nats => (BusKind::Nats),
    a_reset_consumer_replays_the_stream_in_process => (BusKind::InProcess),
);

cases!(a_consumer_whose_filter_widens_gets_what_it_did_not_take:
    a_widened_filter_gets_what_it_missed_nats => (BusKind::Nats),
    a_widened_filter_gets_what_it_missed_in_process => (BusKind::InProcess),
);

cases!(what_a_crashed_consumer_held_comes_back_after_the_restart:
    what_a_crashed_consumer_held_comes_back_nats => (BusKind::Nats),
    what_a_crashed_consumer_held_comes_back_in_process => (BusKind::InProcess),
);

cases!(a_failing_event_does_not_undo_the_rest_of_its_batch:
    a_failing_event_does_not_undo_its_batch_nats => (BusKind::Nats),
    a_failing_event_does_not_undo_its_batch_in_process => (BusKind::InProcess),
);
