//! # The reporting service
//!
//! What happened, for the council, the OGP monitoring body and the public: indicators built
//! only from the other services' events, the commitment tracker, exports.
//!
//! # Layout
//! - [`app`]: building the service from settings and running it.
//! - [`settings`]: configuration (`config/default.toml`, a file, the environment).
//! - `consumers`: the durable consumers that feed the read models, and the rebuild.
//! - `projection`: what each event adds to the read models.
//! - `store`: SQL of the read models and of the aggregates kept with them, the evidence and
//!   figures read from the aggregates, the same counted again from the facts (to check them),
//!   and the statuses staff set.
//! - `measures`: the one definition of each indicator, and how its figures are computed.
//! - `suppression`: which public cells are withheld (small cells and their complements).
//! - `tracker`: the commitment tracker (reference data, evidence, proposed status).
//! - `export`: CSV, JSON and Markdown files.
//! - `gauges`: headline indicators as OpenTelemetry gauges.
//! - `api`: the gRPC handlers.

mod api;
pub mod app;
mod consumers;
pub mod context;
mod domain;
mod export;
mod gauges;
pub mod measures;
mod projection;
pub mod settings;
mod store;
mod suppression;
pub mod tracker;

pub use app::{Application, Dependencies};
pub use measures::disagreements;
pub use projection::apply_all;
pub use settings::Settings;

/// The reporting service's own tables.
pub static MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "reporting",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};
