//! The service runtime: what every Tachawor service process runs around its handlers.
//!
//! [`Runtime::start`] connects the service's database and applies (or verifies) its
//! migrations with the events library's, connects the event bus (or takes the all-in-one's
//! shared in-process bus) and starts the outbox relay. Handlers write through a [`Writer`]: one
//! transaction per RPC, events enqueued inside it, the relay woken after commit.
//! [`Runtime::serve`] serves the gRPC service with health probes on the database and the bus,
//! and on shutdown drains calls, then publishes what is left in the outbox.

pub mod idempotency;

use std::{convert::Infallible, future::Future, sync::Arc};

use tachawor_errors::Error;
use tachawor_events::{Bus, BusKind, EventsSettings, Outbox, Relay, RelayHandle, RelayNotifier};
use tachawor_server::{Probe, ServerSettings, probe};
use tachawor_storage::{Clock, Database, DatabaseSettings, MigrationSet, Transaction};
use tokio::net::TcpListener;

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
    /// The service's own migrations; the events library's and [`idempotency::MIGRATIONS`] are
    /// applied before them.
    pub migrations: &'a MigrationSet,
    /// The bus to publish on; `None` connects to what `events` configures.
    pub bus: Option<Bus>,
    pub clock: Arc<dyn Clock>,
}

/// A running service's database, bus and outbox relay.
pub struct Runtime {
    db: Database,
    bus: Bus,
    relay: RelayHandle,
    writer: Writer,
}

impl Runtime {
    pub async fn start(service: Service<'_>) -> anyhow::Result<Self> {
        let db = Database::connect(service.database).await?;
        db.observe_pool(service.producer);
        db.migrate(
            &[
                &tachawor_events::MIGRATIONS,
                &idempotency::MIGRATIONS,
                service.migrations,
            ],
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
        if let Err(e) = bus.ensure_stream(service.producer).await {
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

    /// Health probes: the database answers, the bus is connected.
    pub fn probes(&self) -> Vec<(&'static str, Probe)> {
        let (db, bus) = (self.db.clone(), self.bus.clone());
        vec![
            (
                "database",
                probe(move || {
                    let db = db.clone();
                    async move { db.is_reachable().await }
                }),
            ),
            (
                "event bus",
                probe(move || {
                    let connected = bus.is_connected();
                    async move { connected }
                }),
            ),
        ]
    }

    /// Serves `service` until `shutdown`, then drains calls and flushes the outbox.
    pub async fn serve<S, B>(
        self,
        listener: TcpListener,
        service: S,
        settings: &ServerSettings,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()>
    where
        S: tonic::server::NamedService
            + tower::Service<
                http::Request<tonic::body::Body>,
                Response = http::Response<B>,
                Error = Infallible,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let served =
            tachawor_server::serve(listener, service, self.probes(), settings, shutdown).await;
        self.relay.shutdown().await;
        served?;
        Ok(())
    }
}

/// Writes a service's changes: one transaction per RPC, its events enqueued inside it.
#[derive(Clone)]
pub struct Writer {
    db: Database,
    outbox: Outbox,
    /// Wakes the relay after a commit, so events leave without waiting for its next poll.
    relay: RelayNotifier,
    clock: Arc<dyn Clock>,
}

impl Writer {
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// Now, in unix milliseconds, from the service's clock.
    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    pub async fn begin(&self) -> Result<Transaction, Error> {
        Ok(self.db.begin().await?)
    }

    /// Commits and wakes the relay.
    pub async fn commit(&self, tx: Transaction) -> Result<(), Error> {
        tx.commit().await?;
        self.relay.notify();
        Ok(())
    }

    /// Enqueues an event inside `tx`; it leaves only if `tx` commits.
    pub async fn emit<M: prost::Name>(
        &self,
        tx: &mut Transaction,
        event_type: &str,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<(), Error> {
        self.outbox
            .enqueue(tx, event_type, aggregate_id, payload)
            .await?;
        Ok(())
    }
}
