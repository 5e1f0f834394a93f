//! # The consultation service
//!
//! Dialogue and consultation: consultations on regional programs with their surveys,
//! proposals, supports and comments; opinions of the consultative instances and the council's
//! answers to their recommendations; the Regional Forum; petitions to the regional council.
//!
//! # Layout
//! - [`app`]: building the service from settings and running it.
//! - [`settings`]: configuration (`config/default.toml`, a file, the environment).
//! - `api`: the gRPC handlers, one module per area.
//! - `store`: SQL per aggregate.
//! - `erasure`: what a deleted account leaves here (identity's `account.deleted`).
//! - `roster`: each instance's vote rule and current members, from identity's instance events.
//! - `attendance`: training's sessions and who was present, from training's events (a Forum
//!   workshop's contributors).
//! - `domain`: the pure rules, one module per aggregate, every refusal in `domain::Rule`,
//!   and the values' spellings.
//! - `validate`: input checks.

mod api;
pub mod app;
pub mod attendance;
pub mod context;
mod domain;
pub mod erasure;
pub mod roster;
pub mod settings;
mod store;
mod validate;

pub use app::{Application, Dependencies};
pub use settings::Settings;

/// The consultation service's own tables.
pub static MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "consultation",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};
