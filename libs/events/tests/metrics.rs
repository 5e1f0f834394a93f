//! The library's metrics, read from an in-memory exporter installed as the global meter
//! provider (its own test binary: the provider is process-wide). SQLite and the in-process bus,
//! so nothing external is needed: the instruments are the same on PostgreSQL and NATS.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use futures::future::BoxFuture;
use opentelemetry::{Value, global};
use opentelemetry_sdk::metrics::{
    InMemoryMetricExporter, PeriodicReader, SdkMeterProvider,
    data::{AggregatedMetrics, MetricData, ResourceMetrics},
};
use tachawor_events::{
    Bus, BusKind, ConsumerSettings, Envelope, EventsSettings, Handler, HandlerError, MIGRATIONS,
    Outbox, Relay, subjects,
};
use tachawor_storage::{Database, DatabaseSettings, MigrationMode, SystemClock};

#[derive(Clone, PartialEq, prost::Message)]
struct Ping {
    #[prost(string, tag = "1")]
    account_id: String,
}

impl prost::Name for Ping {
    const PACKAGE: &'static str = "tachawor.test.v1";
    const NAME: &'static str = "Ping";
}

/// Applies every event but those of the aggregate `poison`.
struct PoisonOne;

impl Handler for PoisonOne {
    fn handle<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            if envelope.aggregate_id == "poison" {
                Err(HandlerError::Poison("rejected by the test".into()))
            } else {
                Ok(())
            }
        })
    }
}

/// The latest export, flushed now.
fn latest(provider: &SdkMeterProvider, exporter: &InMemoryMetricExporter) -> Vec<ResourceMetrics> {
    provider.force_flush().unwrap();
    let mut exported = exporter.get_finished_metrics().unwrap();
    let last = exported.pop();
    last.into_iter().collect()
}

/// (attributes, value) of each point of a metric: sums and gauges as i64/u64, histograms as
/// their count.
fn points(metrics: &[ResourceMetrics], name: &str) -> Vec<(Vec<(String, Value)>, i64)> {
    fn attrs<'a>(it: impl Iterator<Item = &'a opentelemetry::KeyValue>) -> Vec<(String, Value)> {
        it.map(|kv| (kv.key.to_string(), kv.value.clone()))
            .collect()
    }
    let mut out = Vec::new();
    let all = metrics
        .iter()
        .flat_map(|rm| rm.scope_metrics())
        .flat_map(|s| s.metrics());
    for metric in all.filter(|m| m.name() == name) {
        match metric.data() {
            AggregatedMetrics::I64(MetricData::Gauge(g)) => {
                out.extend(g.data_points().map(|p| (attrs(p.attributes()), p.value())));
            }
            AggregatedMetrics::U64(MetricData::Sum(s)) => {
                out.extend(
                    s.data_points()
                        .map(|p| (attrs(p.attributes()), i64::try_from(p.value()).unwrap())),
                );
            }
            AggregatedMetrics::F64(MetricData::Histogram(h)) => {
                out.extend(
                    h.data_points()
                        .map(|p| (attrs(p.attributes()), i64::try_from(p.count()).unwrap())),
                );
            }
            other => panic!("{name}: unexpected data {other:?}"),
        }
    }
    out
}

fn has(attrs: &[(String, Value)], key: &str, value: &str) -> bool {
    attrs
        .iter()
        .any(|(k, v)| k == key && *v == Value::from(value.to_owned()))
}

async fn sqlite(dir: &std::path::Path, name: &str) -> Database {
    Database::connect(&DatabaseSettings::from_url(format!(
        "sqlite://{}",
        dir.join(name).display()
    )))
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_consumer_and_pool_report_their_metrics() {
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(exporter.clone()).build())
        .build();
    // Before the relay and consumer start: they build their instruments from the global meter.
    global::set_meter_provider(provider.clone());

    let dir = tempfile::tempdir().unwrap();
    let settings = EventsSettings {
        bus: BusKind::InProcess,
        subject_prefix: "metrics".into(),
        ..EventsSettings::default()
    };
    let producer_db = sqlite(dir.path(), "producer.db").await;
    producer_db
        .migrate(&[&MIGRATIONS], MigrationMode::Apply)
        .await
        .unwrap();
    producer_db.observe_pool("identity");
    let consumer_db = sqlite(dir.path(), "consumer.db").await;
    consumer_db
        .migrate(&[&MIGRATIONS], MigrationMode::Apply)
        .await
        .unwrap();
    let bus = Bus::in_process(sqlite(dir.path(), "bus.db").await, &settings)
        .await
        .unwrap();

    let outbox = Outbox::new("identity", "region", &settings, Arc::new(SystemClock));
    let mut tx = producer_db.begin().await.unwrap();
    for aggregate in ["a", "b", "poison"] {
        outbox
            .enqueue(
                &mut tx,
                "identity.account.registered",
                aggregate,
                &Ping {
                    account_id: aggregate.into(),
                },
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let relay = Relay::new(producer_db.clone(), bus.clone(), settings.relay.clone())
        .with_producer("identity")
        .start();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let consumer = bus.run_consumer(
        consumer_db.clone(),
        ConsumerSettings::new("reporting", &["identity.>"]),
        Arc::new(PoisonOne),
        async {
            let _ = stopped.await;
        },
    );

    let stream = subjects::stream_name("metrics", "identity");
    let deadline = Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        let metrics = latest(&provider, &exporter);
        let processed: i64 = points(&metrics, "tachawor.events.processed")
            .iter()
            .map(|p| p.1)
            .sum();
        let dead: i64 = points(&metrics, "tachawor.events.dead_lettered")
            .iter()
            .map(|p| p.1)
            .sum();
        let backlog_drained = points(&metrics, "tachawor.outbox.backlog")
            .iter()
            .any(|p| p.1 == 0);
        if processed == 2 && dead == 1 && backlog_drained {
            break metrics;
        }
        assert!(
            Instant::now() < deadline,
            "metrics never showed 2 processed, 1 dead-lettered, an empty backlog: {metrics:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    let published = points(&metrics, "tachawor.events.published");
    assert_eq!(published.len(), 1, "{published:?}");
    assert!(has(&published[0].0, "producer", "identity"));
    assert!(has(
        &published[0].0,
        "event_type",
        "identity.account.registered"
    ));
    assert_eq!(published[0].1, 3);
    let lag = points(&metrics, "tachawor.relay.lag");
    assert_eq!(lag.iter().map(|p| p.1).sum::<i64>(), 3, "{lag:?}");
    assert!(lag.iter().all(|p| has(&p.0, "producer", "identity")));
    assert!(points(&metrics, "tachawor.events.publish_failed").is_empty());
    let oldest = points(&metrics, "tachawor.outbox.oldest_age");
    assert!(oldest.iter().any(|p| has(&p.0, "producer", "identity")));
    let publishing = points(&metrics, "tachawor.relay.publishing");
    assert!(
        publishing
            .iter()
            .any(|p| has(&p.0, "producer", "identity") && p.1 == 1),
        "{publishing:?}"
    );

    let dead = points(&metrics, "tachawor.events.dead_lettered");
    assert!(has(&dead[0].0, "consumer", "reporting"));
    assert!(has(&dead[0].0, "stream", &stream));
    let consumer_lag = points(&metrics, "tachawor.consumer.lag");
    assert!(
        consumer_lag
            .iter()
            .any(|p| has(&p.0, "consumer", "reporting")
                && has(&p.0, "stream", &stream)
                && p.1 == 0),
        "{consumer_lag:?}"
    );

    let pool = points(&metrics, "tachawor.db.pool.connections");
    let state = |s: &str| {
        pool.iter()
            .find(|p| has(&p.0, "pool", "identity") && has(&p.0, "state", s))
            .map(|p| p.1)
    };
    assert_eq!(state("max"), Some(10), "{pool:?}");
    assert!(
        state("in_use").is_some() && state("idle").is_some(),
        "{pool:?}"
    );

    let _ = stop.send(());
    consumer.await.unwrap().unwrap();
    relay.shutdown().await;
    provider.shutdown().unwrap();
}
