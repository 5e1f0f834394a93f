//! Telemetry: logs, traces and metrics for every Tachawor process.
//!
//! # Layout
//! - `settings`: [`TelemetrySettings`], the `[telemetry]` configuration table.
//! - `install`: [`init`] installs the subscriber, propagator and providers; [`TelemetryGuard`]
//!   flushes and shuts them down.
//! - `providers`: the OpenTelemetry tracer, meter and logger providers and their OTLP exporters.
//! - [`grpc`]: tower layers that trace and measure gRPC calls, server and client side.
//! - [`propagation`]: W3C trace context in gRPC metadata, NATS headers and event envelopes.

pub mod grpc;
mod install;
pub mod propagation;
mod providers;
mod settings;

pub use grpc::{GrpcClientLayer, GrpcServerLayer, TraceContextInterceptor};
pub use install::{TelemetryError, TelemetryGuard, init};
pub use settings::{LogFormat, TelemetrySettings};
