//! # The identity service
//!
//! Accounts, credentials, associations, consultative instances and who may do what. It issues
//! the access tokens every other service verifies locally with the keys it publishes.
//!
//! # Layout
//! - [`app`]: building the service from settings and running it.
//! - [`settings`]: configuration (`config/default.toml`, a file, the environment).
//! - `api`: the gRPC handlers, one module per area.
//! - `store`: all the SQL, per aggregate (and per table for tokens, keys, limits).
//! - `tokens`, `keys`: access and refresh tokens, signing keys.
//! - `passwords`, `protect`: argon2id (bounded), AES-GCM sealing, HMAC fingerprints.
//! - [`memory`]: returning the hashes' memory to the system.
//! - `contact_secrets`: the links and codes that verify a contact or reset a password.
//! - `limits`: rate limits on logins, registrations, verifications and resets.
//! - `bootstrap`: reference instances and the first administrator.
//! - `domain`: value spellings, and each aggregate's statuses and rules (`domain/`), with the
//!   one list of rules the service refuses by (`domain::rule`).
//! - `validate`: input checks.

mod api;
pub mod app;
pub mod bootstrap;
mod contact_secrets;
pub mod context;
mod domain;
mod keys;
mod limits;
pub mod memory;
mod passwords;
mod protect;
pub mod settings;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod tokens;
mod validate;

pub use app::{Application, Dependencies};
pub use settings::Settings;

/// The identity service's own tables.
pub static MIGRATIONS: tachawor_storage::MigrationSet = tachawor_storage::MigrationSet {
    name: "identity",
    postgres: sqlx::migrate!("migrations/postgres"),
    sqlite: sqlx::migrate!("migrations/sqlite"),
};
