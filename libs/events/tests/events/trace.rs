//! One trace from the operation that caused an event, through the outbox and the bus, into the
//! consumer that applies it.

use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::future::BoxFuture;
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_sdk::{
    error::OTelSdkResult,
    trace::{SdkTracerProvider, SpanData, SpanExporter},
};
use tachawor_events::{
    BusKind, ConsumerSettings, Envelope, Handler, HandlerError, Relay, pending_count,
};
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

use crate::support::*;

/// Keeps every finished span.
#[derive(Debug, Clone, Default)]
struct Collector(Arc<Mutex<Vec<SpanData>>>);

impl SpanExporter for Collector {
    fn export(&self, batch: Vec<SpanData>) -> impl Future<Output = OTelSdkResult> + Send {
        self.0.lock().unwrap().extend(batch);
        std::future::ready(Ok(()))
    }
}

struct Accept;

impl Handler for Accept {
    fn handle<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
        _envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async { Ok(()) })
    }
}

async fn the_trace_follows_the_event_into_the_consumer(kind: BusKind) {
    let collector = Collector::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(collector.clone())
        .build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
    // Current-thread runtime: the spawned relay and consumer run under this subscriber too.
    let _guard = tracing::subscriber::set_default(subscriber);

    let db = TestDb::migrated(Store::Sqlite).await;
    let bus = TestBus::new(kind).await;
    let request = tracing::info_span!("register");
    let root = request.context().span().span_context().clone();
    assert!(root.is_valid());
    enqueue_committed(&db.db, &bus.outbox(), 0, 1)
        .instrument(request.clone())
        .await;
    drop(request);

    let relay = Relay::spawn(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone());
    wait_until(
        Duration::from_secs(30),
        "the event is published",
        || async { pending_count(&db.db).await.unwrap() == 0 },
    )
    .await;
    relay.shutdown().await;
    let messages = bus.bus.read_stream_messages(PRODUCER).await.unwrap();
    let envelope = messages[0].envelope().unwrap();
    let traceparent = envelope.trace_context.unwrap().traceparent;
    assert!(
        traceparent.contains(&root.trace_id().to_string()),
        "{traceparent}"
    );
    assert_eq!(
        messages[0].traceparent, traceparent,
        "the header carries it too"
    );

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let consumer = bus.bus.run_consumer(
        db.db.clone(),
        ConsumerSettings::new("reporting", &["identity.>"]),
        Arc::new(Accept),
        async {
            let _ = stopped.await;
        },
    );
    let spans = collector.0.clone();
    wait_until(
        Duration::from_secs(30),
        "the consumer's span ends",
        || async { spans.lock().unwrap().iter().any(|s| s.name == EVENT_TYPE) },
    )
    .await;
    let _ = stop.send(());
    consumer.await.unwrap().unwrap();

    let consumed = collector
        .0
        .lock()
        .unwrap()
        .iter()
        .find(|s| s.name == EVENT_TYPE)
        .cloned()
        .unwrap();
    assert_eq!(consumed.span_context.trace_id(), root.trace_id());
    assert_eq!(consumed.parent_span_id, root.span_id());
    bus.teardown().await;
    db.teardown().await;
}

#[tokio::test]
async fn the_trace_follows_the_event_over_nats() {
    the_trace_follows_the_event_into_the_consumer(BusKind::Nats).await;
}

#[tokio::test]
async fn the_trace_follows_the_event_over_the_in_process_bus() {
    the_trace_follows_the_event_into_the_consumer(BusKind::InProcess).await;
}
