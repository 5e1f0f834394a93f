//! Telemetry end to end: identity exporting over OTLP/gRPC to a receiver started by the test.
//! A call carrying a `traceparent` must arrive as a span named after the RPC in that trace, and
//! the RPC duration, database pool, outbox and relay metrics must arrive too. Its own test
//! binary: telemetry is process-wide.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

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
    common::v1::{KeyValue, any_value},
    metrics::v1::metric,
    trace::v1::Span,
};
use tachawor_identity::testing::TestIdentity;
use tachawor_proto::identity::ListProvincesRequest;
use tachawor_storage::ManualClock;
use tachawor_telemetry::TelemetrySettings;
use tachawor_testkit::{Backend, TestEnv};
use tokio::net::TcpListener;
use tonic::{Request, Response, Status, transport::Server};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN: &str = "00f067aa0ba902b7";

/// Keeps what the exporters send.
#[derive(Clone, Default)]
struct Receiver {
    traces: Arc<Mutex<Vec<ExportTraceServiceRequest>>>,
    metrics: Arc<Mutex<Vec<ExportMetricsServiceRequest>>>,
}

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        self.traces.lock().unwrap().push(request.into_inner());
        Ok(Response::new(ExportTraceServiceResponse::default()))
    }
}

#[tonic::async_trait]
impl MetricsService for Receiver {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        self.metrics.lock().unwrap().push(request.into_inner());
        Ok(Response::new(ExportMetricsServiceResponse::default()))
    }
}

/// Logs are accepted and dropped: the exporter must not fail on them.
#[tonic::async_trait]
impl LogsService for Receiver {
    async fn export(
        &self,
        _request: Request<ExportLogsServiceRequest>,
    ) -> Result<Response<ExportLogsServiceResponse>, Status> {
        Ok(Response::new(ExportLogsServiceResponse::default()))
    }
}

impl Receiver {
    /// Serves OTLP/gRPC on a free loopback port; returns the endpoint.
    async fn start(&self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = Server::builder()
            .add_service(TraceServiceServer::new(self.clone()))
            .add_service(MetricsServiceServer::new(self.clone()))
            .add_service(LogsServiceServer::new(self.clone()))
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener));
        tokio::spawn(server);
        endpoint
    }

    fn spans(&self) -> Vec<(Span, Vec<KeyValue>)> {
        let traces = self.traces.lock().unwrap();
        traces
            .iter()
            .flat_map(|r| &r.resource_spans)
            .flat_map(|rs| {
                let resource = rs.resource.clone().unwrap_or_default().attributes;
                rs.scope_spans
                    .iter()
                    .flat_map(|ss| ss.spans.clone())
                    .map(move |s| (s, resource.clone()))
            })
            .collect()
    }

    /// Names of the metrics received, with their data points' attribute sets.
    fn metrics(&self) -> HashMap<String, Vec<Vec<KeyValue>>> {
        let mut out: HashMap<String, Vec<Vec<KeyValue>>> = HashMap::new();
        for request in self.metrics.lock().unwrap().iter() {
            for metric in request
                .resource_metrics
                .iter()
                .flat_map(|rm| &rm.scope_metrics)
                .flat_map(|sm| &sm.metrics)
            {
                let points: Vec<Vec<KeyValue>> = match &metric.data {
                    Some(metric::Data::Histogram(h)) => {
                        h.data_points.iter().map(|p| p.attributes.clone()).collect()
                    }
                    Some(metric::Data::Gauge(g)) => {
                        g.data_points.iter().map(|p| p.attributes.clone()).collect()
                    }
                    Some(metric::Data::Sum(s)) => {
                        s.data_points.iter().map(|p| p.attributes.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                out.entry(metric.name.clone()).or_default().extend(points);
            }
        }
        out
    }
}

fn string_attr(attrs: &[KeyValue], key: &str) -> Option<String> {
    attrs.iter().find(|kv| kv.key == key).and_then(|kv| {
        match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
            Some(any_value::Value::StringValue(s)) => Some(s.clone()),
            Some(any_value::Value::IntValue(i)) => Some(i.to_string()),
            _ => None,
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Polls `check` until it holds, failing with `what` after 20 seconds.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_and_metrics_of_a_call_reach_the_collector() {
    let receiver = Receiver::default();
    let endpoint = receiver.start().await;
    // Before the service starts: its gRPC layer and its metrics bind to the global providers.
    let telemetry = tachawor_telemetry::init(
        "identity",
        "laayoune-sakia-el-hamra",
        &TelemetrySettings {
            otlp_endpoint: Some(endpoint.clone()),
            export_interval_ms: 200,
            log_filter: "info".into(),
            ..TelemetrySettings::default()
        },
    )
    .expect("telemetry starts");
    assert!(
        telemetry.is_active(),
        "no other subscriber may be installed first"
    );

    let env = TestEnv::start(Backend::Sqlite).await;
    let identity = TestIdentity::start_in(
        &env,
        ManualClock::new(1_800_000_000_000),
        HashMap::from([("telemetry.otlp_endpoint", endpoint)]),
    )
    .await;

    let traceparent = format!("00-{TRACE_ID}-{PARENT_SPAN}-01");
    let mut request = Request::new(ListProvincesRequest::default());
    request
        .metadata_mut()
        .insert("traceparent", traceparent.parse().unwrap());
    identity
        .anonymous()
        .list_provinces(request)
        .await
        .expect("ListProvinces answers");
    // A write: an event in the outbox, published by the relay.
    identity.register("someone@people.test").await;

    let rpc_span = "tachawor.identity.v1.IdentityService/ListProvinces";
    eventually("the ListProvinces span", || {
        receiver.spans().iter().any(|(s, _)| s.name == rpc_span)
    })
    .await;
    let spans = receiver.spans();
    let (span, resource) = spans.iter().find(|(s, _)| s.name == rpc_span).unwrap();
    assert_eq!(
        hex(&span.trace_id),
        TRACE_ID,
        "the span continues the caller's trace"
    );
    assert_eq!(hex(&span.parent_span_id), PARENT_SPAN);
    assert_eq!(
        string_attr(&span.attributes, "rpc.grpc.status_code").as_deref(),
        Some("0")
    );
    assert_eq!(
        string_attr(resource, "service.name").as_deref(),
        Some("identity")
    );
    assert!(
        spans
            .iter()
            .any(|(s, _)| s.name == "tachawor.identity.v1.IdentityService/Register"),
        "the Register span arrives too"
    );

    let wanted = [
        "rpc.server.duration",
        "tachawor.db.pool.connections",
        "tachawor.outbox.backlog",
        "tachawor.relay.lag",
        "tachawor.events.published",
    ];
    eventually("the RPC duration, pool, outbox and relay metrics", || {
        let metrics = receiver.metrics();
        wanted.iter().all(|name| metrics.contains_key(*name))
    })
    .await;
    let metrics = receiver.metrics();
    let durations = &metrics["rpc.server.duration"];
    assert!(
        durations.iter().any(|attrs| {
            string_attr(attrs, "rpc.service").as_deref()
                == Some("tachawor.identity.v1.IdentityService")
                && string_attr(attrs, "rpc.method").as_deref() == Some("ListProvinces")
                && string_attr(attrs, "rpc.grpc.status_code").as_deref() == Some("0")
        }),
        "{durations:?}"
    );
    assert!(metrics["tachawor.db.pool.connections"].iter().any(|attrs| {
        string_attr(attrs, "pool").as_deref() == Some("identity")
            && string_attr(attrs, "state").as_deref() == Some("max")
    }));
    assert!(metrics["tachawor.events.published"].iter().any(|attrs| {
        string_attr(attrs, "event_type").as_deref() == Some("identity.account.registered")
    }));

    drop(identity);
    tokio::task::spawn_blocking(move || telemetry.shutdown())
        .await
        .unwrap();
}
