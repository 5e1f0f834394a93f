//! # The notification service
//!
//! Tells people what came of their participation: the other services' events are turned into
//! messages for the people they concern (the author of an answered proposal, the signers and
//! agent of a petition, the participants of a session, the followers of a consultation), kept
//! in an inbox each person reads, under preferences per channel and kind.
//!
//! # Layout
//! - [`app`]: building the service from settings and running it.
//! - [`settings`]: configuration (`config/default.toml`, a file, the environment).
//! - `consumers`: the durable consumers, one per producer.
//! - `recipients`: who is told what, event by event.
//! - `kinds`: the kinds of message and the channels, as stored.
//! - [`delivery`]: the worker sending email and SMS (contacts from identity, Fluent
//!   templates, SMTP or `.eml` files, an SMS provider or a file, retries, rate limit, digest).
//! - `store`: SQL of who is concerned, the inbox, the deliveries and the preferences.
//! - [`metrics`]: messages delivered and the time from event to message.
//! - `api`: the gRPC handlers.

mod api;
pub mod app;
mod consumers;
pub mod context;
pub mod delivery;
mod kinds;
pub mod metrics;
mod recipients;
pub mod settings;
mod store;

pub use app::{Application, Dependencies};
pub use consumers::PRODUCERS;
pub use settings::Settings;

/// The notification service's own tables.
pub static MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "notification",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};
