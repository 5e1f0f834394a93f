//! Storage: one sqlx pool per service, PostgreSQL or SQLite, chosen by the database URL.
//!
//! Service code speaks to both backends through sqlx's `Any` driver with one SQL text
//! (`$1` placeholders, `RETURNING`, `ON CONFLICT`). The few statements that must differ (row locks
//! with `FOR UPDATE SKIP LOCKED`) branch on [`Database::backend`].
//!
//! Conventions that keep one SQL text valid on both: ids are `TEXT` (UUIDs), instants are
//! `BIGINT` unix milliseconds, flags are `INTEGER` 0/1 (the `Any` driver cannot decode a SQLite
//! `BOOLEAN`).
//!
//! # Layout
//! - [`database`]: connecting, transactions, reachability.
//! - [`migrations`]: per-backend embedded migrations, applied or verified at start-up.
//! - [`clock`]: the time source, injectable so tests never sleep.
//! - [`kept`]: values kept as lists show a row, and filling them for older rows.
//! - [`metrics`]: the connection pool as an OpenTelemetry gauge.

pub mod clock;
pub mod database;
pub mod kept;
pub mod metrics;
pub mod migrations;
pub mod params;

pub use clock::{Clock, ManualClock, SystemClock};
pub use database::{Backend, Database, DatabaseSettings, StorageError};
pub use migrations::{MigrationMode, MigrationSet};
pub use sqlx;

/// The connection type handed to code that writes inside a caller's transaction.
pub type Connection = sqlx::AnyConnection;
/// A transaction on either backend.
pub type Transaction = sqlx::Transaction<'static, sqlx::Any>;
