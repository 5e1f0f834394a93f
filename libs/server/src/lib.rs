//! The gRPC runner every Tachawor service binary uses.
//!
//! # Layout
//! - `settings`: [`ServerSettings`], the `[server]` configuration table.
//! - `serve`: [`serve`] runs one service with health, reflection, telemetry, a timeout and a
//!   concurrency limit, and drains on shutdown; [`bind`] opens the configured address.
//! - `health`: [`Probe`]s decide whether the service reports SERVING.
//! - `signal`: [`shutdown_signal`], SIGTERM or SIGINT.

mod health;
mod serve;
mod settings;
mod signal;

pub use health::{Probe, probe};
pub use serve::{ServerError, bind, serve};
pub use settings::ServerSettings;
pub use signal::shutdown_signal;
