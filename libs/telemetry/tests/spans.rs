//! The gRPC layers' spans, captured with an in-memory exporter behind a thread-local subscriber
//! (each test runs on its own current-thread runtime, so server and client tasks see it).

mod support;

use opentelemetry::{
    KeyValue, Value,
    trace::{SpanKind, Status, TracerProvider as _},
};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use support::{ECHO_SPAN, TestServer, echo, eventually};
use tachawor_telemetry::{GrpcClientLayer, TraceContextInterceptor};
use tonic::{Code, service::interceptor::InterceptedService};
use tower::ServiceBuilder;
use tracing::{Instrument, subscriber::DefaultGuard};
use tracing_subscriber::{filter::LevelFilter, layer::SubscriberExt};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN_ID: &str = "00f067aa0ba902b7";
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

struct Capture {
    exporter: InMemorySpanExporter,
    _provider: SdkTracerProvider,
    _default: DefaultGuard,
}

fn capture() -> Capture {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    // INFO keeps the layers' spans and leaves out h2's and hyper's internal ones.
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")))
        .with(LevelFilter::INFO);
    Capture {
        exporter,
        _provider: provider,
        _default: tracing::subscriber::set_default(subscriber),
    }
}

impl Capture {
    fn spans(&self) -> Vec<SpanData> {
        self.exporter.get_finished_spans().unwrap()
    }

    async fn span(&self, name: &str, kind: SpanKind) -> SpanData {
        eventually(&format!("a {kind:?} span named {name}"), || {
            self.spans()
                .into_iter()
                .find(|span| span.name == name && span.span_kind == kind)
        })
        .await
    }
}

fn attribute(span: &SpanData, key: &str) -> Option<Value> {
    span.attributes
        .iter()
        .find(|KeyValue { key: k, .. }| k.as_str() == key)
        .map(|kv| kv.value.clone())
}

#[tokio::test]
async fn server_span_is_named_for_the_method_and_continues_the_callers_trace() {
    let capture = capture();
    let server = TestServer::start().await;

    let reply = echo(server.channel().await, "hello", Some(TRACEPARENT)).await;
    assert_eq!(reply.unwrap(), "hello");

    let span = capture.span(ECHO_SPAN, SpanKind::Server).await;
    assert_eq!(span.span_context.trace_id().to_string(), TRACE_ID);
    assert_eq!(span.parent_span_id.to_string(), PARENT_SPAN_ID);
    assert!(span.parent_span_is_remote);
    assert_eq!(attribute(&span, "rpc.system"), Some("grpc".into()));
    assert_eq!(
        attribute(&span, "rpc.service"),
        Some("tachawor.test.v1.EchoService".into())
    );
    assert_eq!(attribute(&span, "rpc.method"), Some("Echo".into()));
    assert_eq!(attribute(&span, "rpc.grpc.status_code"), Some(0_i64.into()));
    assert_eq!(span.status, Status::Unset);
    server.stop().await;
}

#[tokio::test]
async fn server_span_without_traceparent_starts_a_new_trace() {
    let capture = capture();
    let server = TestServer::start().await;

    echo(server.channel().await, "hello", None).await.unwrap();

    let span = capture.span(ECHO_SPAN, SpanKind::Server).await;
    assert!(span.span_context.is_valid());
    assert_ne!(span.span_context.trace_id().to_string(), TRACE_ID);
    assert_eq!(span.parent_span_id, opentelemetry::trace::SpanId::INVALID);
    server.stop().await;
}

#[tokio::test]
async fn status_codes_come_from_the_response_and_server_faults_mark_the_span() {
    let capture = capture();
    let server = TestServer::start().await;
    let channel = server.channel().await;

    let refused = echo(channel.clone(), "fail", None).await.unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    let crashed = echo(channel, "crash", None).await.unwrap_err();
    assert_eq!(crashed.code(), Code::Internal);

    let spans = eventually("two server spans", || {
        let spans: Vec<_> = capture
            .spans()
            .into_iter()
            .filter(|span| span.name == ECHO_SPAN)
            .collect();
        (spans.len() == 2).then_some(spans)
    })
    .await;
    let by_code = |code: i64| {
        spans
            .iter()
            .find(|span| attribute(span, "rpc.grpc.status_code") == Some(code.into()))
            .unwrap_or_else(|| panic!("no span with status code {code}: {spans:?}"))
    };
    // A caller's mistake is not a server fault; an internal error is.
    assert_eq!(by_code(3).status, Status::Unset);
    assert!(matches!(by_code(13).status, Status::Error { .. }));
    server.stop().await;
}

#[tokio::test]
async fn health_and_reflection_calls_are_not_traced() {
    let capture = capture();
    let server = TestServer::start().await;
    let channel = server.channel().await;

    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap();
    assert_eq!(status.into_inner().status, 1); // SERVING

    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest,
    };
    let mut reflection = ServerReflectionClient::new(channel.clone());
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = reflection
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    assert!(answers.message().await.unwrap().is_some());
    drop(answers);

    // A traced call after them: once its span is out, theirs would have been too.
    echo(channel, "after", Some(TRACEPARENT)).await.unwrap();
    capture.span(ECHO_SPAN, SpanKind::Server).await;
    let names: Vec<_> = capture.spans().into_iter().map(|span| span.name).collect();
    assert_eq!(names, vec![ECHO_SPAN]);
    server.stop().await;
}

#[tokio::test]
async fn client_layer_opens_a_client_span_whose_context_reaches_the_server() {
    let capture = capture();
    let server = TestServer::start().await;
    let channel = ServiceBuilder::new()
        .layer(GrpcClientLayer::new())
        .service(server.channel().await);

    let caller = tracing::info_span!("caller");
    echo(channel, "hello", None)
        .instrument(caller.clone())
        .await
        .unwrap();
    drop(caller);

    let server_span = capture.span(ECHO_SPAN, SpanKind::Server).await;
    let client_span = capture.span(ECHO_SPAN, SpanKind::Client).await;
    let caller_span = capture.span("caller", SpanKind::Internal).await;
    let trace_id = caller_span.span_context.trace_id();
    assert_eq!(client_span.span_context.trace_id(), trace_id);
    assert_eq!(server_span.span_context.trace_id(), trace_id);
    assert_eq!(
        client_span.parent_span_id,
        caller_span.span_context.span_id()
    );
    assert_eq!(
        server_span.parent_span_id,
        client_span.span_context.span_id()
    );
    assert_eq!(
        attribute(&client_span, "rpc.grpc.status_code"),
        Some(0_i64.into())
    );
    server.stop().await;
}

#[tokio::test]
async fn client_layer_marks_a_failed_call() {
    let capture = capture();
    let server = TestServer::start().await;
    let channel = ServiceBuilder::new()
        .layer(GrpcClientLayer::new())
        .service(server.channel().await);

    let refused = echo(channel, "fail", None).await.unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);

    let client_span = capture.span(ECHO_SPAN, SpanKind::Client).await;
    assert_eq!(
        attribute(&client_span, "rpc.grpc.status_code"),
        Some(3_i64.into())
    );
    assert!(matches!(client_span.status, Status::Error { .. }));
    server.stop().await;
}

#[tokio::test]
async fn interceptor_sends_the_current_trace_context() {
    let capture = capture();
    let server = TestServer::start().await;
    let channel = InterceptedService::new(server.channel().await, TraceContextInterceptor);

    let caller = tracing::info_span!("caller");
    echo(channel, "hello", None)
        .instrument(caller.clone())
        .await
        .unwrap();
    drop(caller);

    let server_span = capture.span(ECHO_SPAN, SpanKind::Server).await;
    let caller_span = capture.span("caller", SpanKind::Internal).await;
    assert_eq!(
        server_span.span_context.trace_id(),
        caller_span.span_context.trace_id()
    );
    assert_eq!(
        server_span.parent_span_id,
        caller_span.span_context.span_id()
    );
    server.stop().await;
}
