//! Events: how Tachawor services tell each other what happened.
//!
//! A service writes each event into its outbox table in the same transaction as the change it
//! describes ([`Outbox::enqueue`]); the [`Relay`] publishes committed rows to the [`Bus`] with the
//! event id as message id, so the broker stores each event once; consumers
//! ([`Bus::run_consumer`]) are durable, acknowledge explicitly and record what they processed in
//! the same transaction as its effect, so a redelivered event is applied once.
//!
//! # Layout
//! - [`settings`]: the `[events]` configuration section.
//! - [`subjects`]: event types, subjects and stream names.
//! - [`envelope`]: the envelope's typed payload.
//! - [`outbox`]: writing events inside the caller's transaction.
//! - [`relay`]: publishing the outbox, retention, republishing a range.
//! - [`bus`]: NATS JetStream or the in-process bus, behind one handle.
//! - [`consumer`]: durable, idempotent consumers with dead letters.
//! - `metrics`: outbox backlog, relay lag, consumer lag and outcomes (global meter).
//!
//! # Migrations
//! [`MIGRATIONS`] (versions 1 to 49) create `outbox`, `processed_events` and `dead_letters` in a
//! service's database; [`BUS_MIGRATIONS`] (versions 50 to 99) create the in-process bus's tables,
//! applied by [`Bus::in_process`].

pub mod bus;
pub mod consumer;
pub mod envelope;
mod error;
mod metrics;
pub mod outbox;
pub mod relay;
pub mod settings;
pub mod subjects;

pub use bus::{Bus, PublishAck, StreamMessage};
pub use consumer::{
    ConsumerSettings, DeadLetter, Handler, HandlerError, dead_letters, handled_event,
    occurred_at_millis,
};
pub use envelope::{PayloadError, decode_event, decode_payload, type_url};
pub use error::EventsError;
pub use outbox::{Outbox, PreparedEvent};
pub use relay::{Relay, RelayFault, RelayHandle, RelayNotifier, pending_count, republish_range};
pub use settings::{BusKind, EventsSettings, NatsAuth, NatsTls, RelaySettings};
pub use tachawor_proto::events::{Envelope, TraceContext};

/// The outbox, processed-events and dead-letter tables, for every service's database.
pub static MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "events",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};

/// The in-process bus's tables, in the database given to [`Bus::in_process`].
pub static BUS_MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "events-bus",
    postgres: sqlx::migrate!("migrations/bus/postgres"),
    sqlite: sqlx::migrate!("migrations/bus/sqlite"),
};
