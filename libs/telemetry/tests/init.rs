//! `init` end to end against an in-process OTLP collector: what the exporters send, and that
//! calling `init` again is safe. One test: `init` installs process-wide state.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use opentelemetry::global;
use opentelemetry_proto::tonic::{
    collector::{
        logs::v1::{
            ExportLogsServiceRequest, ExportLogsServiceResponse,
            logs_service_server::{LogsService, LogsServiceServer},
        },
        metrics::v1::{
            ExportMetricsServiceRequest, ExportMetricsServiceResponse,
            metrics_service_server::{MetricsService, MetricsServiceServer},
        },
        trace::v1::{
            ExportTraceServiceRequest, ExportTraceServiceResponse,
            trace_service_server::{TraceService, TraceServiceServer},
        },
    },
    common::v1::{AnyValue, KeyValue, any_value},
    resource::v1::Resource,
};
use tachawor_telemetry::{LogFormat, TelemetryError, TelemetrySettings, init, propagation};
use tokio::net::TcpListener;
use tonic::{Request, Response, Status, transport::Server};
use tracing_opentelemetry::OpenTelemetrySpanExt;

const REGION: &str = "laayoune-sakia-el-hamra";

/// Keeps every export request it receives.
#[derive(Clone, Default)]
struct Collector {
    traces: Arc<Mutex<Vec<ExportTraceServiceRequest>>>,
    metrics: Arc<Mutex<Vec<ExportMetricsServiceRequest>>>,
    logs: Arc<Mutex<Vec<ExportLogsServiceRequest>>>,
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        self.traces.lock().unwrap().push(request.into_inner());
        Ok(Response::new(ExportTraceServiceResponse::default()))
    }
}

#[tonic::async_trait]
impl MetricsService for Collector {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        self.metrics.lock().unwrap().push(request.into_inner());
        Ok(Response::new(ExportMetricsServiceResponse::default()))
    }
}

#[tonic::async_trait]
impl LogsService for Collector {
    async fn export(
        &self,
        request: Request<ExportLogsServiceRequest>,
    ) -> Result<Response<ExportLogsServiceResponse>, Status> {
        self.logs.lock().unwrap().push(request.into_inner());
        Ok(Response::new(ExportLogsServiceResponse::default()))
    }
}

impl Collector {
    async fn start() -> (Self, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let collector = Collector::default();
        let server = Server::builder()
            .add_service(TraceServiceServer::new(collector.clone()))
            .add_service(MetricsServiceServer::new(collector.clone()))
            .add_service(LogsServiceServer::new(collector.clone()))
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener));
        tokio::spawn(server);
        (collector, endpoint)
    }

    /// (span name, trace id hex, resource) of every exported span.
    fn spans(&self) -> Vec<(String, String, Resource)> {
        let traces = self.traces.lock().unwrap();
        let mut spans = Vec::new();
        for request in traces.iter() {
            for resource_spans in &request.resource_spans {
                let resource = resource_spans.resource.clone().unwrap_or_default();
                for scope in &resource_spans.scope_spans {
                    for span in &scope.spans {
                        spans.push((span.name.clone(), hex(&span.trace_id), resource.clone()));
                    }
                }
            }
        }
        spans
    }

    /// (body, trace id hex) of every exported log record.
    fn log_records(&self) -> Vec<(String, String)> {
        let logs = self.logs.lock().unwrap();
        let mut records = Vec::new();
        for request in logs.iter() {
            for resource_logs in &request.resource_logs {
                for scope in &resource_logs.scope_logs {
                    for record in &scope.log_records {
                        let body = record.body.as_ref().map(text).unwrap_or_default();
                        records.push((body, hex(&record.trace_id)));
                    }
                }
            }
        }
        records
    }

    fn metric_names(&self) -> Vec<String> {
        let metrics = self.metrics.lock().unwrap();
        metrics
            .iter()
            .flat_map(|request| &request.resource_metrics)
            .flat_map(|resource| &resource.scope_metrics)
            .flat_map(|scope| &scope.metrics)
            .map(|metric| metric.name.clone())
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn text(value: &AnyValue) -> String {
    match &value.value {
        Some(any_value::Value::StringValue(text)) => text.clone(),
        other => format!("{other:?}"),
    }
}

fn resource_attribute(resource: &Resource, key: &str) -> Option<String> {
    resource
        .attributes
        .iter()
        .find(|KeyValue { key: k, .. }| k == key)
        .and_then(|kv| kv.value.as_ref())
        .map(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_exports_traces_metrics_and_logs_and_is_safe_to_call_again() {
    let (collector, endpoint) = Collector::start().await;

    // Bad settings fail before anything is installed.
    let bad_ratio = TelemetrySettings {
        sample_ratio: 1.5,
        ..TelemetrySettings::default()
    };
    assert!(matches!(
        init("tachawor-test", REGION, &bad_ratio),
        Err(TelemetryError::SampleRatio(_))
    ));

    let settings = TelemetrySettings {
        log_format: LogFormat::Json,
        otlp_endpoint: Some(endpoint),
        // Metrics are exported by the shutdown below, not by the timer.
        export_interval_ms: 60_000,
        ..TelemetrySettings::default()
    };
    let first = init("tachawor-test", REGION, &settings).unwrap();
    assert!(first.is_active());
    // A second service in the same process shares the pipeline.
    let second = init("tachawor-other", "elsewhere", &TelemetrySettings::default()).unwrap();
    assert!(second.is_active());

    let work_trace_id = {
        let span = tracing::info_span!("work");
        let _entered = span.enter();
        tracing::info!(attempt = 1, "work in progress");
        let trace = propagation::current_trace_context();
        assert!(trace.traceparent.starts_with("00-"), "{trace:?}");
        // The global propagator is W3C TraceContext: it writes the same traceparent.
        let mut carrier = HashMap::new();
        global::get_text_map_propagator(|propagator| {
            propagator.inject_context(&span.context(), &mut carrier)
        });
        assert_eq!(carrier.get("traceparent"), Some(&trace.traceparent));
        trace.traceparent[3..35].to_owned()
    };
    global::meter("tachawor-test")
        .u64_counter("tachawor.test.calls")
        .build()
        .add(1, &[]);

    // Shutting the second guard down only flushes: the pipeline keeps running.
    tokio::task::spawn_blocking(move || second.shutdown())
        .await
        .unwrap();
    let spans = collector.spans();
    let (_, trace_id, resource) = spans
        .iter()
        .find(|(name, ..)| name == "work")
        .unwrap_or_else(|| panic!("span `work` not exported by the flush: {spans:?}"));
    assert_eq!(trace_id, &work_trace_id);
    assert_eq!(
        resource_attribute(resource, "service.name").as_deref(),
        Some("tachawor-test")
    );
    assert_eq!(
        resource_attribute(resource, "service.namespace").as_deref(),
        Some("tachawor")
    );
    assert_eq!(
        resource_attribute(resource, "tachawor.region").as_deref(),
        Some(REGION)
    );

    tracing::info_span!("after the flush").in_scope(|| {});
    tokio::task::spawn_blocking(move || first.shutdown())
        .await
        .unwrap();
    assert!(
        collector
            .spans()
            .iter()
            .any(|(name, ..)| name == "after the flush"),
        "the last guard's shutdown exports what is left"
    );
    let records = collector.log_records();
    assert!(
        records
            .iter()
            .any(|(body, trace)| body == "work in progress" && trace == &work_trace_id),
        "the log event is exported with its span's trace id: {records:?}"
    );
    assert!(
        collector
            .metric_names()
            .contains(&"tachawor.test.calls".to_owned()),
        "{:?}",
        collector.metric_names()
    );

    // After the pipeline is gone, init still does not panic; its guard does nothing.
    let later = init("tachawor-test", REGION, &settings).unwrap();
    assert!(!later.is_active());
}
