//! The service runtime: what every Tachawor service process runs around its handlers.
//!
//! [`Runtime::start`] connects the service's database and applies (or verifies) its
//! migrations with the events library's, connects the event bus (or takes the all-in-one's
//! shared in-process bus) and starts the outbox relay. Handlers write through a [`Writer`]: one
//! transaction per RPC, events enqueued inside it, the relay woken after commit.
//! [`Hosted::serve`] serves the gRPC service, ready while its database answers (the bus only
//! degrades it), and on shutdown drains calls, then publishes what is left in the outbox.

pub mod account_deletion;
pub mod allocator;
pub mod audit;
pub mod cli;
mod consuming;
mod hosting;
pub mod idempotency;
pub mod imports;
pub mod rpcs;

use std::{future::Future, sync::Arc};

pub use allocator::Allocator;
use tachawor_errors::Error;
use tachawor_events::{
    Bus, BusKind, EventsSettings, Outbox, PreparedEvent, Relay, RelayHandle, RelayNotifier,
};
use tachawor_proto::catalogue::EventType;
pub use tachawor_server::shutdown_signal;
use tachawor_server::{Check, WriteGeneration, probe};
use tachawor_storage::{Clock, Database, DatabaseSettings, MigrationSet, Transaction};

pub use consuming::{Consuming, outdating_cached_answers};
pub use hosting::Hosted;

/// The runtime's tables in every service database: `idempotency_keys` and `audit_log`
/// (versions 100 to 199).
pub static MIGRATIONS: MigrationSet = MigrationSet {
    name: "runtime",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};

/// What the process around a service provides: the all-in-one hands every service its shared
/// in-process bus; a service alone connects to the bus its settings name.
#[derive(Clone)]
pub struct Dependencies {
    /// A bus to publish on; `None` connects to what `[events]` configures.
    pub bus: Option<Bus>,
    pub clock: Arc<dyn Clock>,
}

impl Default for Dependencies {
    fn default() -> Self {
        Self {
            bus: None,
            clock: Arc::new(tachawor_storage::SystemClock),
        }
    }
}

/// What a service tells the runtime about itself.
pub struct Service<'a> {
    /// The producer name of its events (`identity`): first token of every event type.
    pub producer: &'static str,
    /// The region code carried in every event envelope.
    pub region: &'a str,
    pub database: &'a DatabaseSettings,
    pub events: &'a EventsSettings,
    /// The service's own migrations; the events library's and [`MIGRATIONS`] are
    /// applied before them.
    pub migrations: &'a MigrationSet,
    /// The bus to publish on; `None` connects to what `events` configures.
    pub bus: Option<Bus>,
    pub clock: Arc<dyn Clock>,
}

impl<'a> Service<'a> {
    /// A service's description from its settings and what the process provides.
    pub fn new(
        producer: &'static str,
        region: &'a str,
        database: &'a DatabaseSettings,
        events: &'a EventsSettings,
        migrations: &'a MigrationSet,
        deps: &Dependencies,
    ) -> Self {
        Self {
            producer,
            region,
            database,
            events,
            migrations,
            bus: deps.bus.clone(),
            clock: deps.clock.clone(),
        }
    }
}

/// A running service's database, bus and outbox relay.
pub struct Runtime {
    db: Database,
    bus: Bus,
    relay: RelayHandle,
    writer: Writer,
}

/// Every migration set of a service database, in order: the events library's, the runtime's,
/// then the service's own.
fn migration_sets(service: &MigrationSet) -> [&MigrationSet; 3] {
    [&tachawor_events::MIGRATIONS, &MIGRATIONS, service]
}

/// Applies a service's migrations and returns: what a `migrate` subcommand (a job run before a
/// new version serves) does.
pub async fn migrate(database: &DatabaseSettings, service: &MigrationSet) -> anyhow::Result<()> {
    let db = Database::connect(database).await?;
    db.migrate(
        &migration_sets(service),
        tachawor_storage::MigrationMode::Apply,
    )
    .await?;
    db.close().await;
    Ok(())
}

/// How long `streams` keeps trying while NATS is not reachable yet (an init container may
/// start before the broker).
const STREAMS_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

/// Creates or updates the producer's stream and returns: what a `streams` subcommand, run with
/// admin credentials, does before a service whose own NATS user may not manage streams.
/// Nothing to do on the in-process bus.
pub async fn create_streams(events: &EventsSettings, producer: &str) -> anyhow::Result<()> {
    if events.bus == BusKind::InProcess {
        tracing::info!("the in-process bus creates its streams itself");
        return Ok(());
    }
    let bus = Bus::connect(events).await?;
    let deadline = tokio::time::Instant::now() + STREAMS_DEADLINE;
    loop {
        match bus.ensure_stream(producer).await {
            Ok(()) => break,
            Err(e) if tokio::time::Instant::now() < deadline => {
                tracing::warn!(error = %e, "could not create the event stream yet; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    tracing::info!(
        stream = tachawor_events::subjects::stream_name(bus.subject_prefix(), producer),
        "event stream ready"
    );
    Ok(())
}

impl Runtime {
    pub async fn start(service: Service<'_>) -> anyhow::Result<Self> {
        let db = Database::connect(service.database).await?;
        db.observe_pool(service.producer);
        db.migrate(
            &migration_sets(service.migrations),
            service.database.migrations,
        )
        .await?;
        let bus = match service.bus {
            Some(bus) => bus,
            // A service run alone on the in-process bus keeps it in its own database.
            None if service.events.bus == BusKind::InProcess => {
                Bus::in_process(db.clone(), service.events).await?
            }
            None => Bus::connect(service.events).await?,
        };
        if bus.manages_streams()
            && let Err(e) = bus.ensure_stream(service.producer).await
        {
            // The relay keeps events in the outbox until the broker is back.
            tracing::warn!(error = %e, "could not create the event stream yet");
        }
        let relay = Relay::new(db.clone(), bus.clone(), service.events.relay.clone())
            .with_clock(service.clock.clone())
            .with_producer(service.producer)
            .start();
        let writer = Writer {
            db: db.clone(),
            outbox: Outbox::new(
                service.producer,
                service.region,
                service.events,
                service.clock.clone(),
            ),
            relay: relay.notifier(),
            clock: service.clock,
            generation: WriteGeneration::default(),
        };
        Ok(Self {
            db,
            bus,
            relay,
            writer,
        })
    }

    pub fn db(&self) -> &Database {
        &self.db
    }

    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    /// The handle handlers write with.
    pub fn writer(&self) -> Writer {
        self.writer.clone()
    }

    /// Health checks: the service is ready while its database answers. The bus is watched
    /// but not required: while it is away, writes go on into the outbox and the relay
    /// publishes them on its return, so the service is only degraded (and logs so).
    pub fn checks(&self) -> Vec<Check> {
        let (db, bus) = (self.db.clone(), self.bus.clone());
        vec![
            Check::required(
                "database",
                probe(move || {
                    let db = db.clone();
                    async move { db.is_reachable().await }
                }),
            ),
            Check::degrading(
                "event bus",
                probe(move || {
                    let connected = bus.is_connected();
                    async move { connected }
                }),
            ),
        ]
    }
}

/// How long a retried write is recognised by its idempotency key.
pub(crate) const IDEMPOTENCY_RETENTION_MILLIS: i64 = 24 * 3600 * 1000;

/// Forgets idempotency keys older than the retention, every ten minutes.
pub(crate) async fn prune_idempotency_keys(writer: Writer) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Ok(mut conn) = writer.db.pool().acquire().await {
            let before = writer.now() - IDEMPOTENCY_RETENTION_MILLIS;
            if let Err(e) = idempotency::prune(&mut conn, before).await {
                tracing::warn!(error = %e, "could not prune idempotency keys");
            }
        }
    }
}

/// The work of an idempotent write ([`Writer::idempotent`]): it gets the transaction and gives
/// it back with the response.
pub type WriteFuture<'a, R> =
    std::pin::Pin<Box<dyn Future<Output = Result<(Transaction, R), Error>> + Send + 'a>>;

/// Writes a service's changes: one transaction per RPC, its events enqueued inside it.
#[derive(Clone)]
pub struct Writer {
    db: Database,
    outbox: Outbox,
    /// Wakes the relay after a commit, so events leave without waiting for its next poll.
    relay: RelayNotifier,
    clock: Arc<dyn Clock>,
    /// Bumped by every commit, so the response cache never serves an answer made before it.
    generation: WriteGeneration,
}

impl Writer {
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// Now, in unix milliseconds, from the service's clock.
    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    /// The outbox relay this writer wakes.
    pub fn relay(&self) -> &RelayNotifier {
        &self.relay
    }

    pub async fn begin(&self) -> Result<Transaction, Error> {
        Ok(self.db.begin().await?)
    }

    /// The count of this service's committed writes, which the response cache follows.
    pub fn generation(&self) -> &WriteGeneration {
        &self.generation
    }

    /// Commits, outdates the cached public answers and wakes the relay.
    pub async fn commit(&self, tx: Transaction) -> Result<(), Error> {
        tx.commit().await?;
        self.generation.bump();
        self.relay.notify();
        Ok(())
    }

    /// Runs one idempotent write: begins a transaction, answers a repeat of `key` (by this
    /// account, for this RPC) with the stored response, otherwise hands the transaction to
    /// `write`, stores the response it gives back under the key and commits. An empty key
    /// never replays. The replay is read in the write's own transaction, so of two concurrent
    /// first calls with one key, one fails with `ABORTED` instead of both acting.
    ///
    /// `write` owns the transaction and returns it with the response, as a boxed future: a
    /// closure borrowing the transaction, or an async closure, makes the handler's future
    /// impossible for the compiler to prove `Send`. The usual shape borrows the handler's
    /// values and moves only the transaction in:
    ///
    /// ```ignore
    /// ctx.writer.idempotent(&caller.account_id, "Sign", key, |tx| Box::pin(async {
    ///     let mut tx = tx;
    ///     // … the write, with `&mut tx` …
    ///     Ok((tx, response))
    /// })).await
    /// ```
    pub async fn idempotent<'a, R>(
        &self,
        account_id: &str,
        rpc: &str,
        key: &str,
        write: impl FnOnce(Transaction) -> WriteFuture<'a, R>,
    ) -> Result<R, Error>
    where
        R: prost::Message + Default,
    {
        let mut tx = self.begin().await?;
        if let Some(done) = idempotency::replay(&mut tx, account_id, rpc, key).await? {
            return Ok(done);
        }
        let (mut tx, response) = write(tx).await?;
        idempotency::remember(&mut tx, account_id, rpc, key, &response, self.now()).await?;
        self.commit(tx).await?;
        Ok(response)
    }

    /// Enqueues an event inside `tx`; it leaves only if `tx` commits. The catalogue's
    /// `event_type` names the payload's message, so a mismatch does not compile.
    pub async fn emit<M: prost::Name>(
        &self,
        tx: &mut Transaction,
        event_type: EventType<M>,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<(), Error> {
        self.outbox
            .enqueue(tx, event_type.name(), aggregate_id, payload)
            .await?;
        Ok(())
    }

    /// [`Writer::emit`] on a connection already inside a transaction (an event handler's).
    pub async fn emit_on<M: prost::Name>(
        &self,
        conn: &mut sqlx::AnyConnection,
        event_type: EventType<M>,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<(), Error> {
        self.outbox
            .enqueue(conn, event_type.name(), aggregate_id, payload)
            .await?;
        Ok(())
    }

    /// Builds an event for [`Writer::emit_all`], carrying the current span's trace.
    pub fn prepare<M: prost::Name>(
        &self,
        event_type: EventType<M>,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<PreparedEvent, Error> {
        Ok(self
            .outbox
            .prepare(event_type.name(), aggregate_id, payload)?)
    }

    /// Enqueues several prepared events inside `tx` in one statement, in order.
    pub async fn emit_all(
        &self,
        tx: &mut Transaction,
        events: &[PreparedEvent],
    ) -> Result<(), Error> {
        self.outbox.insert(tx, events).await?;
        Ok(())
    }
}
