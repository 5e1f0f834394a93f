//! `init`: the process-wide subscriber, propagator and providers, and the guard that flushes them.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use opentelemetry::{global, trace::TracerProvider as _};
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_subscriber::{
    EnvFilter, Layer, Registry, filter::Directive, layer::SubscriberExt, util::SubscriberInitExt,
};

use crate::{LogFormat, TelemetrySettings, providers::Providers};

/// Why telemetry could not start.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("invalid log filter `{directives}`: {source}")]
    Filter {
        directives: String,
        source: tracing_subscriber::filter::ParseError,
    },
    #[error("sample_ratio must be within 0.0..=1.0, got {0}")]
    SampleRatio(f64),
    #[error("an OTLP endpoint needs a Tokio runtime: call init from within one")]
    NoRuntime,
    #[error("could not build an OTLP exporter: {0}")]
    Exporter(#[from] opentelemetry_otlp::ExporterBuildError),
    #[error("could not install the tracing subscriber: {0}")]
    Subscriber(#[from] tracing_subscriber::util::TryInitError),
}

/// Keeps telemetry running; dropping it (or [`TelemetryGuard::shutdown`]) flushes and shuts down
/// the tracer, meter and logger providers, in that order.
///
/// Shutting down blocks while the last batches are exported: do it from a multi-thread Tokio
/// runtime (or `spawn_blocking`), never from a current-thread one, whose single thread the
/// exporters' gRPC client needs.
#[must_use = "dropping the guard shuts telemetry down"]
pub struct TelemetryGuard {
    installed: Option<Arc<Providers>>,
}

impl TelemetryGuard {
    /// Flushes; the last guard of a process also shuts the providers down.
    pub fn shutdown(mut self) {
        self.release();
    }

    /// False for a guard that does nothing (a global subscriber was already installed by
    /// something other than `init`, or an earlier `init` was already shut down).
    pub fn is_active(&self) -> bool {
        self.installed.is_some()
    }

    fn release(&mut self) {
        if let Some(installed) = self.installed.take() {
            // Other guards still use the providers: export what we have, leave them running.
            if Arc::strong_count(&installed) > 1 {
                installed.flush();
            }
            // The last reference shuts the providers down (`Drop for Providers`).
            drop(installed);
        }
    }
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        self.release();
    }
}

impl std::fmt::Debug for TelemetryGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelemetryGuard")
            .field("active", &self.is_active())
            .finish()
    }
}

/// The providers of the running `init`, shared by every guard handed out while any is alive.
static INSTALLED: Mutex<Option<Weak<Providers>>> = Mutex::new(None);

/// Exporters and the telemetry pipeline's own client must not log into the OTLP log bridge:
/// each exported batch would produce more records to export.
const EXPORT_PIPELINE_TARGETS: [&str; 5] = ["opentelemetry", "tonic", "h2", "hyper", "tower"];

/// Starts logs, traces and metrics for this process.
///
/// - Always: the global W3C TraceContext propagator; a `tracing` subscriber writing `pretty` or
///   `json` lines filtered by `log_filter` (or `RUST_LOG`); an OpenTelemetry tracer behind
///   `tracing` spans, so trace context is created and propagated even with nothing exported.
/// - With `otlp_endpoint`: OTLP/gRPC export of traces (batch), metrics (periodic reader, set as
///   the global meter provider) and logs (`tracing` events bridged to OpenTelemetry logs), under
///   the resource `service.name`, `service.namespace = "tachawor"`, `tachawor.region`. The
///   endpoint requires a Tokio runtime.
///
/// Calling `init` more than once never panics. While a guard from an earlier call is alive, a
/// later call returns a guard sharing the same pipeline (its service name and settings are
/// ignored: the first call's apply to the whole process, as in the all-in-one); the pipeline
/// shuts down with the last guard. If a global `tracing` subscriber was already installed by
/// anything else, or the earlier pipeline has been shut down, the returned guard does nothing.
pub fn init(
    service_name: &str,
    region: &str,
    settings: &TelemetrySettings,
) -> Result<TelemetryGuard, TelemetryError> {
    global::set_text_map_propagator(TraceContextPropagator::new());

    let mut installed = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(shared) = installed.as_ref().and_then(Weak::upgrade) {
        return Ok(TelemetryGuard {
            installed: Some(shared),
        });
    }
    if tracing::dispatcher::has_been_set() {
        return Ok(TelemetryGuard { installed: None });
    }

    if !(0.0..=1.0).contains(&settings.sample_ratio) {
        return Err(TelemetryError::SampleRatio(settings.sample_ratio));
    }
    let directives = settings.directives();
    // Validated before anything is built, so a typo fails start-up with a clear message.
    filter(&directives)?;
    if settings.otlp_endpoint.is_some() && tokio::runtime::Handle::try_current().is_err() {
        return Err(TelemetryError::NoRuntime);
    }

    let providers = Providers::build(service_name, region, settings)?;
    let mut layers: Vec<Box<dyn Layer<Registry> + Send + Sync>> = Vec::with_capacity(3);
    layers.push(match settings.log_format {
        LogFormat::Pretty => tracing_subscriber::fmt::layer()
            .with_filter(filter(&directives)?)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_filter(filter(&directives)?)
            .boxed(),
    });
    layers.push(
        tracing_opentelemetry::layer()
            .with_tracer(providers.tracer.tracer("tachawor"))
            .with_filter(filter(&directives)?)
            .boxed(),
    );
    if let Some(logger) = &providers.logger {
        let mut bridge_filter = filter(&directives)?;
        for target in EXPORT_PIPELINE_TARGETS {
            bridge_filter = bridge_filter.add_directive(off(target));
        }
        layers.push(
            OpenTelemetryTracingBridge::new(logger)
                .with_filter(bridge_filter)
                .boxed(),
        );
    }
    tracing_subscriber::registry().with(layers).try_init()?;

    global::set_tracer_provider(providers.tracer.clone());
    if let Some(meter) = &providers.meter {
        global::set_meter_provider(meter.clone());
    }
    let shared = Arc::new(providers);
    *installed = Some(Arc::downgrade(&shared));
    Ok(TelemetryGuard {
        installed: Some(shared),
    })
}

fn filter(directives: &str) -> Result<EnvFilter, TelemetryError> {
    EnvFilter::builder()
        .parse(directives)
        .map_err(|source| TelemetryError::Filter {
            directives: directives.to_owned(),
            source,
        })
}

fn off(target: &str) -> Directive {
    format!("{target}=off")
        .parse()
        .expect("a crate name followed by =off is a valid directive")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_filter_is_reported_with_its_text() {
        let error = filter("info,sqlx=[").unwrap_err();
        assert!(error.to_string().contains("info,sqlx=["), "{error}");
        assert!(filter("info,sqlx=warn,tachawor_identity=debug").is_ok());
    }
}
