//! # The training service
//!
//! Capacity building and events, milestones 1 to 4 of commitment MALAA0004: programs, their
//! sessions (training sessions, regional meetings, the forum), registrations with a waitlist,
//! attendance per day, evaluations and certificates anyone can verify.
//!
//! # Layout
//! - [`app`]: building the service from settings and running it.
//! - [`settings`]: configuration (`config/default.toml`, a file, the environment).
//! - `api`: the gRPC handlers, one module per area.
//! - `store`: SQL per aggregate (the only place with SQL).
//! - `eligibility`: who may register, asked of identity with a service token.
//! - `erasure`: what a deleted account leaves here (identity's `account.deleted`).
//! - `domain`: each aggregate's statuses and rules, without a database (`domain::Rule` lists
//!   every refusal); value spellings, dates and the venue's day.
//! - `registrar`: concurrent registrations for one session, committed together.
//! - [`maintenance`]: deleting check-in codes and wrong-code counts once their day is over.

mod api;
pub mod app;
pub mod context;
mod domain;
mod eligibility;
pub mod erasure;
pub mod maintenance;
mod registrar;
pub mod settings;
mod store;

pub use app::{Application, Dependencies};
pub use settings::Settings;

/// The training service's own tables.
pub static MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "training",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};
