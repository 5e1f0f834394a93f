//! OpenTelemetry providers: a tracer always (so trace context propagates even without a
//! collector), and OTLP/gRPC exporters for traces, metrics and logs when an endpoint is set.

use std::time::Duration;

use opentelemetry::KeyValue;
use opentelemetry_otlp::{LogExporter, MetricExporter, SpanExporter, WithExportConfig};
use opentelemetry_sdk::{
    Resource,
    logs::SdkLoggerProvider,
    metrics::{PeriodicReader, SdkMeterProvider},
    trace::{Sampler, SdkTracerProvider},
};

use crate::{TelemetryError, TelemetrySettings};

/// Resource attribute naming the council region a deployment serves.
pub(crate) const REGION_ATTRIBUTE: &str = "tachawor.region";

/// The providers one `init` installs; shut down together, in order, by the guard.
pub(crate) struct Providers {
    pub(crate) tracer: SdkTracerProvider,
    pub(crate) meter: Option<SdkMeterProvider>,
    pub(crate) logger: Option<SdkLoggerProvider>,
}

impl Providers {
    pub(crate) fn build(
        service_name: &str,
        region: &str,
        settings: &TelemetrySettings,
    ) -> Result<Self, TelemetryError> {
        let resource = resource(service_name, region);
        let sampler =
            Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(settings.sample_ratio)));
        let tracer = SdkTracerProvider::builder()
            .with_sampler(sampler)
            .with_resource(resource.clone());

        let Some(endpoint) = settings.otlp_endpoint.as_deref() else {
            return Ok(Self {
                tracer: tracer.build(),
                meter: None,
                logger: None,
            });
        };

        let spans = SpanExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()?;
        let metrics = MetricExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()?;
        let logs = LogExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()?;

        let reader = PeriodicReader::builder(metrics)
            .with_interval(Duration::from_millis(settings.export_interval_ms.max(1)))
            .build();
        Ok(Self {
            tracer: tracer.with_batch_exporter(spans).build(),
            meter: Some(
                SdkMeterProvider::builder()
                    .with_reader(reader)
                    .with_resource(resource.clone())
                    .build(),
            ),
            logger: Some(
                SdkLoggerProvider::builder()
                    .with_batch_exporter(logs)
                    .with_resource(resource)
                    .build(),
            ),
        })
    }

    /// Exports whatever is buffered, without shutting anything down.
    pub(crate) fn flush(&self) {
        report("flush traces", self.tracer.force_flush());
        if let Some(meter) = &self.meter {
            report("flush metrics", meter.force_flush());
        }
        if let Some(logger) = &self.logger {
            report("flush logs", logger.force_flush());
        }
    }
}

impl Drop for Providers {
    // Traces first (their last spans may log), then metrics, then logs.
    fn drop(&mut self) {
        report("shut down traces", self.tracer.shutdown());
        if let Some(meter) = &self.meter {
            report("shut down metrics", meter.shutdown());
        }
        if let Some(logger) = &self.logger {
            report("shut down logs", logger.shutdown());
        }
    }
}

fn resource(service_name: &str, region: &str) -> Resource {
    Resource::builder()
        .with_service_name(service_name.to_owned())
        .with_attributes([
            KeyValue::new("service.namespace", "tachawor"),
            KeyValue::new(REGION_ATTRIBUTE, region.to_owned()),
        ])
        .build()
}

// The log pipeline may be the thing that failed, so this goes straight to standard error.
fn report(what: &str, result: opentelemetry_sdk::error::OTelSdkResult) {
    if let Err(error) = result {
        eprintln!("telemetry: could not {what}: {error}");
    }
}
