//! The gRPC runner every Tachawor service binary uses.
//!
//! # Layout
//! - `settings`: [`ServerSettings`], the `[server]` configuration table.
//! - `serve`: [`serve`] runs one service with health, reflection, telemetry, a timeout,
//!   concurrency limits and optional TLS, and drains on shutdown; [`bind`] opens the configured
//!   address.
//! - `health`: [`Check`]s decide whether the service reports SERVING (ready), apart from
//!   [`LIVENESS`], SERVING while the process answers.
//! - `shedding`: the limit on calls in progress across all connections.
//! - `tls`: [`ServerTlsSettings`] for serving, [`ClientTlsSettings`] and [`endpoint`] for the
//!   channels services open to each other.
//! - `cache`: [`ResponseCache`], answers to anonymous public reads kept briefly, forgotten at the
//!   next write ([`WriteGeneration`]).
//! - `recorded`: an answer held in memory and sent again.
//! - `replay`: the benchmarks' route answering recorded bytes (`replay_for_benchmarks`).
//! - `replicas`: [`Replicas`], calls spread over a service's replicas, reads sent again to the
//!   next one when a replica fails.
//! - `signal`: [`shutdown_signal`], SIGTERM or SIGINT.

mod cache;
mod health;
mod recorded;
mod replay;
mod replicas;
mod serve;
mod settings;
mod shedding;
mod signal;
mod tls;

pub use cache::{CacheSettings, Cached, Now, ResponseCache, WriteGeneration};
pub use health::{Check, LIVENESS, Probe, probe};
pub use replicas::{Replicas, is_read};
pub use serve::{ServerError, bind, serve};
pub use settings::ServerSettings;
pub use signal::shutdown_signal;
pub use tls::{ClientTlsSettings, ServerTlsSettings, TlsError, endpoint};
