//! One trace links a call to consultation with the processing of its event in reporting, the
//! services running as separate servers over NATS; another links a participant's call with
//! identity answering consultation about them. The tracer provider is process-global, so
//! this check has a test binary of its own.

use std::{collections::HashMap, time::Duration};

use opentelemetry::trace::{SpanKind, TracerProvider as _};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tachawor_proto::{common::LocalizedText, consultation as c};
use tachawor_system_tests::separate::Servers;
use tracing_subscriber::{filter::LevelFilter, layer::SubscriberExt, util::SubscriberInitExt};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const EVENT: &str = "consultation.consultation.opened";
const SECOND_TRACE_ID: &str = "5bf92f3577b34da6a3ce929d0e0e4737";
const SECOND_TRACEPARENT: &str = "00-5bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b8-01";

/// Every finished span of this process, kept in memory. Installed before any service starts
/// (the test kit's log capture then finds a subscriber in place and stands aside).
fn capture() -> InMemorySpanExporter {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    opentelemetry::global::set_tracer_provider(provider.clone());
    tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("system-tests")))
        .with(LevelFilter::INFO)
        .init();
    exporter
}

fn text(s: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: format!("{s} (ar)"),
        fr: s.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_consultation_call_and_its_processing_in_reporting_share_one_trace() {
    let exporter = capture();
    let servers = Servers::start(HashMap::new()).await;
    let p = &servers.platform;
    let staff = p.staff(&p.admin().await).await;
    let mut consultation = p.consultation_as(&staff.token);
    let id = consultation
        .create_consultation(c::CreateConsultationRequest {
            title: text("Programme de développement régional"),
            body: text("Quelles priorités ?"),
            organizer: Some(c::Organizer {
                kind: c::OrganizerKind::Council as i32,
                instance_id: String::new(),
            }),
            audience: c::Audience::Public as i32,
            province_codes: Vec::new(),
            ..Default::default()
        })
        .await
        .expect("create consultation")
        .into_inner()
        .consultation
        .expect("consultation")
        .consultation_id;

    // The call that opens it comes from a caller already in a trace.
    let mut request = tonic::Request::new(c::OpenConsultationRequest {
        consultation_id: id.clone(),
        closes_at: Some(tachawor_proto::dates::timestamp(p.now() + 86_400_000)),
    });
    request
        .metadata_mut()
        .insert("traceparent", TRACEPARENT.parse().expect("ASCII"));
    consultation
        .open_consultation(request)
        .await
        .expect("open consultation");

    let in_trace = |span: &SpanData| span.span_context.trace_id().to_string() == TRACE_ID;
    let group_of = |span: &SpanData| {
        span.attributes
            .iter()
            .find(|kv| kv.key.as_str() == "messaging.consumer.group.name")
            .map(|kv| kv.value.to_string())
            .unwrap_or_default()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let consumed = loop {
        let spans = exporter.get_finished_spans().expect("spans");
        if let Some(span) = spans
            .iter()
            // Notification consumes the event too; reporting's span is the one looked at.
            .find(|s| {
                s.name == EVENT
                    && s.span_kind == SpanKind::Consumer
                    && in_trace(s)
                    && group_of(s).starts_with("reporting")
            })
        {
            break span.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {EVENT} consumer span in trace {TRACE_ID} after 30 s; in other traces: {:?}",
            spans
                .iter()
                .filter(|s| s.span_kind == SpanKind::Consumer && s.name == EVENT)
                .map(|s| (s.name.to_string(), s.span_context.trace_id().to_string()))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        consumed.parent_span_is_remote,
        "a child of the envelope's context"
    );
    // It was reporting's consumer that processed it, as a child of a span of consultation's
    // server in the same trace.
    let group = group_of(&consumed);
    assert!(group.starts_with("reporting"), "consumed by {group}");
    let spans = exporter.get_finished_spans().expect("spans");
    assert!(
        spans.iter().any(|s| s.span_kind == SpanKind::Server
            && in_trace(s)
            && s.name.ends_with("ConsultationService/OpenConsultation")),
        "consultation's server span is in the same trace"
    );
    assert!(
        spans
            .iter()
            .any(|s| in_trace(s) && s.span_context.span_id() == consumed.parent_span_id),
        "the consumer's parent is a span of the same trace"
    );

    // A participant's call makes consultation ask identity about them: identity's server span
    // for that question is in the participant's trace.
    let citizen = p.citizen().await;
    let mut request = tonic::Request::new(c::PostCommentRequest {
        consultation_id: id,
        body: "Plus de transport rural".into(),
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert("traceparent", SECOND_TRACEPARENT.parse().expect("ASCII"));
    p.consultation_as(&citizen.token)
        .post_comment(request)
        .await
        .expect("comment");
    let asked = |span: &SpanData| {
        span.span_kind == SpanKind::Server
            && span.span_context.trace_id().to_string() == SECOND_TRACE_ID
            && span.name.ends_with("IdentityService/BatchGetEligibility")
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !exporter
        .get_finished_spans()
        .expect("spans")
        .iter()
        .any(asked)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no BatchGetEligibility server span in trace {SECOND_TRACE_ID}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
