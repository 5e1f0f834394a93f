//! The writer on both backends: an idempotent write runs once per key, in one transaction
//! with its events, and a write that fails leaves nothing behind (not even its key).

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tachawor_errors::Error;
use tachawor_events::{BusKind, EventsSettings};
use tachawor_proto::{
    catalogue::{self, EventType},
    consultation::Receipt,
    events::AccountVerified,
};
use tachawor_runtime::{Runtime, Service};
use tachawor_storage::{Backend, Database, MigrationSet, SystemClock};
use tachawor_testkit::TestDatabase;

static NOTES: MigrationSet = MigrationSet {
    name: "notes",
    postgres: sqlx::migrate!("tests/migrations/postgres"),
    sqlite: sqlx::migrate!("tests/migrations/sqlite"),
};

/// Any event of the catalogue will do; the outbox checks only that the producer is its own.
const NOTE_WRITTEN: EventType<AccountVerified> = catalogue::ACCOUNT_VERIFIED;

async fn start(db: &TestDatabase) -> Runtime {
    let events = EventsSettings {
        bus: BusKind::InProcess,
        ..EventsSettings::default()
    };
    Runtime::start(Service {
        producer: "identity",
        region: "test",
        database: &db.settings(),
        events: &events,
        migrations: &NOTES,
        bus: None,
        clock: Arc::new(SystemClock),
    })
    .await
    .expect("the runtime starts")
}

async fn count(db: &Database, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// Notes written, and their events in the outbox.
async fn written(db: &Database) -> (i64, i64) {
    let notes = count(db, "SELECT COUNT(*) FROM notes").await;
    let events = count(db, "SELECT COUNT(*) FROM outbox").await;
    (notes, events)
}

/// Writes a note and its event; counts how often it ran.
async fn write_note(
    runtime: &Runtime,
    runs: &AtomicUsize,
    account: &str,
    key: &str,
    id: &str,
    fail: bool,
) -> Result<Receipt, Error> {
    let writer = runtime.writer();
    writer
        .idempotent(account, "WriteNote", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                runs.fetch_add(1, Ordering::SeqCst);
                sqlx::query("INSERT INTO notes (id, body) VALUES ($1, 'text')")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                writer
                    .emit(&mut tx, NOTE_WRITTEN, id, &AccountVerified::default())
                    .await?;
                if fail {
                    return Err(Error::rule("note.refused", "refused after writing"));
                }
                let receipt = Receipt {
                    number: id.to_string(),
                    deposited_at: None,
                };
                Ok((tx, receipt))
            })
        })
        .await
}

async fn idempotent_writes_on(backend: Backend) {
    let db = TestDatabase::fresh(backend).await;
    let runtime = start(&db).await;
    let runs = AtomicUsize::new(0);

    let first = write_note(&runtime, &runs, "a1", "k1", "n1", false)
        .await
        .unwrap();
    assert_eq!(first.number, "n1");
    // The same key by the same account: the stored answer, the write not run again.
    let again = write_note(&runtime, &runs, "a1", "k1", "n2", false)
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(count(runtime.db(), "SELECT COUNT(*) FROM notes").await, 1);

    // Another account's key, and no key at all, are new writes each time.
    write_note(&runtime, &runs, "a2", "k1", "n3", false)
        .await
        .unwrap();
    write_note(&runtime, &runs, "a1", "", "n4", false)
        .await
        .unwrap();
    write_note(&runtime, &runs, "a1", "", "n5", false)
        .await
        .unwrap();
    assert_eq!(runs.load(Ordering::SeqCst), 4);
    assert_eq!(written(runtime.db()).await, (4, 4));

    // A write that fails after writing leaves no row, no event and no key: its retry runs.
    let refused = write_note(&runtime, &runs, "a1", "k2", "n6", true)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::FailedPrecondition { .. }),
        "{refused:?}"
    );
    assert_eq!(written(runtime.db()).await, (4, 4));
    let retried = write_note(&runtime, &runs, "a1", "k2", "n6", false)
        .await
        .unwrap();
    assert_eq!(retried.number, "n6");
    assert_eq!(runs.load(Ordering::SeqCst), 6);
    assert_eq!(count(runtime.db(), "SELECT COUNT(*) FROM notes").await, 5);
}

/// Ready means the database answers; the bus being away only degrades a service (its writes
/// wait in the outbox), so it never takes a service out of its callers' reach.
#[tokio::test]
async fn only_the_database_is_required_to_serve() {
    let db = TestDatabase::fresh(Backend::Sqlite).await;
    let runtime = start(&db).await;
    let checks: Vec<(&str, bool)> = runtime
        .checks()
        .iter()
        .map(|c| (c.name(), c.is_required()))
        .collect();
    assert_eq!(checks, [("database", true), ("event bus", false)]);
}

#[tokio::test]
async fn idempotent_writes_on_postgres() {
    idempotent_writes_on(Backend::Postgres).await;
}

#[tokio::test]
async fn idempotent_writes_on_sqlite() {
    idempotent_writes_on(Backend::Sqlite).await;
}
