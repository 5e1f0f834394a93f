//! The events library's metrics, from the global meter (`tachawor`): the outbox backlog and the
//! relay's lag and outcomes, a consumer's lag and outcomes.
//!
//! Instruments are built when a relay or consumer starts, so they bind to the meter provider in
//! force then (telemetry is initialised first). Gauges read atomics the running relay or
//! consumer updates, through weak references: once it stops, it reports nothing.
//!
//! Every name here is listed in `deploy/observability/metrics.txt`, which the dashboards are
//! checked against (`make deploy-check`).

use std::sync::{
    Arc, Weak,
    atomic::{AtomicI64, Ordering},
};

use opentelemetry::{
    KeyValue, global,
    metrics::{Counter, Histogram},
};

/// The meter every Tachawor library measures with.
const METER: &str = "tachawor";

/// Unpublished outbox rows, per producer.
pub(crate) const OUTBOX_BACKLOG: &str = "tachawor.outbox.backlog";
/// Age of the oldest unpublished outbox row, per producer.
pub(crate) const OUTBOX_OLDEST_AGE: &str = "tachawor.outbox.oldest_age";
/// 1 while the relay publishes, 0 while it cannot: the service is degraded, writes wait.
pub(crate) const RELAY_PUBLISHING: &str = "tachawor.relay.publishing";
/// Commit-to-acknowledged-publish delay of each event, per producer.
pub(crate) const RELAY_LAG: &str = "tachawor.relay.lag";
/// Events the broker acknowledged, per producer and event type.
pub(crate) const EVENTS_PUBLISHED: &str = "tachawor.events.published";
/// Events a relay round tried and could not publish, per producer.
pub(crate) const EVENTS_PUBLISH_FAILED: &str = "tachawor.events.publish_failed";
/// Messages of a stream not yet delivered to a consumer, per consumer and stream.
pub(crate) const CONSUMER_LAG: &str = "tachawor.consumer.lag";
/// Events a consumer applied (duplicates not counted), per consumer, stream and event type.
pub(crate) const EVENTS_PROCESSED: &str = "tachawor.events.processed";
/// Messages a consumer set aside in `dead_letters`, per consumer and stream.
pub(crate) const EVENTS_DEAD_LETTERED: &str = "tachawor.events.dead_lettered";

/// Latency buckets in milliseconds, from a sub-millisecond publish to a long broker outage.
const LAG_BOUNDARIES_MS: [f64; 16] = [
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1_000.0, 2_500.0, 5_000.0, 10_000.0,
    30_000.0, 60_000.0, 300_000.0,
];

/// What the relay's gauges read: updated by the relay, observed at each export.
#[derive(Debug, Default)]
pub(crate) struct OutboxGauges {
    /// Rows waiting, or -1 before the first count.
    pub(crate) backlog: AtomicI64,
    /// Age in ms of the oldest waiting row; 0 when none waits.
    pub(crate) oldest_age_ms: AtomicI64,
    /// 1 while the relay's rounds succeed, 0 while they fail (broker unreachable).
    pub(crate) publishing: AtomicI64,
}

/// The relay's instruments.
pub(crate) struct RelayMetrics {
    producer: KeyValue,
    lag: Histogram<f64>,
    published: Counter<u64>,
    failed: Counter<u64>,
}

impl RelayMetrics {
    /// Builds the relay's instruments and registers its gauges, which read `gauges` for as long
    /// as the relay holds it.
    pub(crate) fn new(producer: &str, gauges: &Arc<OutboxGauges>) -> Self {
        let meter = global::meter(METER);
        let producer = KeyValue::new("producer", producer.to_owned());
        let weak: Weak<OutboxGauges> = Arc::downgrade(gauges);
        let attrs = [producer.clone()];
        let backlog_attrs = attrs.clone();
        let backlog_source = weak.clone();
        meter
            .i64_observable_gauge(OUTBOX_BACKLOG)
            .with_unit("{event}")
            .with_description("Committed outbox rows not yet published")
            .with_callback(move |observer| {
                if let Some(gauges) = backlog_source.upgrade() {
                    let value = gauges.backlog.load(Ordering::Relaxed);
                    if value >= 0 {
                        observer.observe(value, &backlog_attrs);
                    }
                }
            })
            .build();
        let publishing_attrs = attrs.clone();
        let publishing_source = weak.clone();
        meter
            .i64_observable_gauge(RELAY_PUBLISHING)
            .with_unit("1")
            .with_description(
                "1 while the outbox relay publishes, 0 while it cannot (writes wait in the outbox)",
            )
            .with_callback(move |observer| {
                if let Some(gauges) = publishing_source.upgrade() {
                    observer.observe(gauges.publishing.load(Ordering::Relaxed), &publishing_attrs);
                }
            })
            .build();
        let age_attrs = attrs.clone();
        meter
            .i64_observable_gauge(OUTBOX_OLDEST_AGE)
            .with_unit("ms")
            .with_description("Age of the oldest committed outbox row not yet published")
            .with_callback(move |observer| {
                if let Some(gauges) = weak.upgrade()
                    && gauges.backlog.load(Ordering::Relaxed) >= 0
                {
                    observer.observe(gauges.oldest_age_ms.load(Ordering::Relaxed), &age_attrs);
                }
            })
            .build();
        Self {
            lag: meter
                .f64_histogram(RELAY_LAG)
                .with_unit("ms")
                .with_description("Delay from an event's commit to its acknowledged publish")
                .with_boundaries(LAG_BOUNDARIES_MS.to_vec())
                .build(),
            published: meter
                .u64_counter(EVENTS_PUBLISHED)
                .with_unit("{event}")
                .with_description("Events the broker acknowledged")
                .build(),
            failed: meter
                .u64_counter(EVENTS_PUBLISH_FAILED)
                .with_unit("{event}")
                .with_description("Events a relay round could not publish (retried later)")
                .build(),
            producer,
        }
    }

    /// One acknowledged event, committed at `created_at` (unix ms), acknowledged at `now`.
    pub(crate) fn published(&self, event_type: &str, created_at: i64, now: i64) {
        let attrs = [
            self.producer.clone(),
            KeyValue::new("event_type", event_type.to_owned()),
        ];
        self.published.add(1, &attrs);
        // Precision below a millisecond is irrelevant here; i64 to f64 is exact far enough.
        let lag = now.saturating_sub(created_at).max(0) as f64;
        self.lag.record(lag, &attrs[..1]);
    }

    pub(crate) fn failed(&self, count: usize) {
        if count > 0 {
            self.failed
                .add(count as u64, std::slice::from_ref(&self.producer));
        }
    }
}

/// A consumer's instruments, shared by its loops (one per stream).
pub(crate) struct ConsumerMetrics {
    consumer: KeyValue,
    processed: Counter<u64>,
    dead_lettered: Counter<u64>,
    /// Lag per stream, read by the gauge.
    lags: Arc<std::sync::Mutex<Vec<(String, i64)>>>,
}

impl ConsumerMetrics {
    pub(crate) fn new(consumer: &str) -> Self {
        let meter = global::meter(METER);
        let consumer_attr = KeyValue::new("consumer", consumer.to_owned());
        let lags: Arc<std::sync::Mutex<Vec<(String, i64)>>> = Arc::default();
        let weak = Arc::downgrade(&lags);
        let gauge_consumer = consumer_attr.clone();
        meter
            .i64_observable_gauge(CONSUMER_LAG)
            .with_unit("{message}")
            .with_description("Messages of a stream not yet delivered to the consumer")
            .with_callback(move |observer| {
                let Some(lags) = weak.upgrade() else { return };
                let lags = lags.lock().unwrap_or_else(|e| e.into_inner());
                for (stream, lag) in lags.iter() {
                    observer.observe(
                        *lag,
                        &[
                            gauge_consumer.clone(),
                            KeyValue::new("stream", stream.clone()),
                        ],
                    );
                }
            })
            .build();
        Self {
            processed: meter
                .u64_counter(EVENTS_PROCESSED)
                .with_unit("{event}")
                .with_description(
                    "Events a consumer applied (redeliveries of applied ones not counted)",
                )
                .build(),
            dead_lettered: meter
                .u64_counter(EVENTS_DEAD_LETTERED)
                .with_unit("{message}")
                .with_description("Messages a consumer set aside as dead letters")
                .build(),
            consumer: consumer_attr,
            lags,
        }
    }

    pub(crate) fn lag(&self, stream: &str, lag: i64) {
        let mut lags = self.lags.lock().unwrap_or_else(|e| e.into_inner());
        match lags.iter_mut().find(|(s, _)| s == stream) {
            Some((_, value)) => *value = lag,
            None => lags.push((stream.to_owned(), lag)),
        }
    }

    pub(crate) fn processed(&self, stream: &str, event_type: &str) {
        self.processed.add(
            1,
            &[
                self.consumer.clone(),
                KeyValue::new("stream", stream.to_owned()),
                KeyValue::new("event_type", event_type.to_owned()),
            ],
        );
    }

    pub(crate) fn dead_lettered(&self, stream: &str) {
        self.dead_lettered.add(
            1,
            &[
                self.consumer.clone(),
                KeyValue::new("stream", stream.to_owned()),
            ],
        );
    }
}
