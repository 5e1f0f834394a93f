//! The service's own metrics: messages delivered per channel, and the time from the event
//! to its message. Inbox messages are counted once the consumer's transaction commits, so a
//! rolled-back or redelivered event is not counted; email and SMS once the transport took
//! them, with the failed sends, the dead-lettered and the skipped messages.
//!
//! The consumers' metrics (lag, events processed and dead-lettered) come from the events
//! library.

use std::sync::Mutex;

use opentelemetry::{
    KeyValue, global,
    metrics::{Counter, Histogram},
};

/// Messages delivered, attribute `channel`.
pub const SENT: &str = "tachawor.notification.sent";
/// Seconds from the event's `occurred_at` to the message, attribute `channel`.
pub const LATENCY: &str = "tachawor.notification.latency";
/// Sends that failed (each attempt), attribute `channel`.
pub const FAILED: &str = "tachawor.notification.failed";
/// Messages given up (a permanent failure, out of attempts, or abandoned mid-send), attribute
/// `channel` (`unknown` for those abandoned).
pub const DEAD_LETTERED: &str = "tachawor.notification.dead_lettered";
/// Messages not sent because nobody could receive them, attribute `channel`.
pub const SKIPPED: &str = "tachawor.notification.skipped";

fn sent_counter() -> Counter<u64> {
    global::meter("tachawor")
        .u64_counter(SENT)
        .with_unit("{message}")
        .with_description("Messages delivered to people, per channel")
        .build()
}

fn latency_histogram() -> Histogram<f64> {
    global::meter("tachawor")
        .f64_histogram(LATENCY)
        .with_unit("s")
        .with_description("Time from an event to the message telling of it")
        .build()
}

/// The delivery worker's metrics.
pub(crate) struct DeliveryMetrics {
    sent: Counter<u64>,
    latency: Histogram<f64>,
    failed: Counter<u64>,
    dead_lettered: Counter<u64>,
    skipped: Counter<u64>,
}

impl DeliveryMetrics {
    pub(crate) fn new() -> Self {
        Self {
            sent: sent_counter(),
            latency: latency_histogram(),
            failed: global::meter("tachawor")
                .u64_counter(FAILED)
                .with_unit("{message}")
                .with_description("Sends that failed, each attempt")
                .build(),
            dead_lettered: global::meter("tachawor")
                .u64_counter(DEAD_LETTERED)
                .with_unit("{message}")
                .with_description("Messages given up")
                .build(),
            skipped: global::meter("tachawor")
                .u64_counter(SKIPPED)
                .with_unit("{message}")
                .with_description("Messages nobody could receive")
                .build(),
        }
    }

    /// Notifications that went out on `channel`, each `latency_ms` after its event.
    pub(crate) fn sent(&self, channel: &'static str, latencies_ms: &[i64]) {
        let attrs = [KeyValue::new("channel", channel)];
        self.sent.add(latencies_ms.len() as u64, &attrs);
        for ms in latencies_ms {
            self.latency.record((*ms).max(0) as f64 / 1000.0, &attrs);
        }
    }

    pub(crate) fn failed(&self, channel: &'static str) {
        self.failed.add(1, &[KeyValue::new("channel", channel)]);
    }

    pub(crate) fn dead_lettered(&self, channel: &'static str, rows: u64) {
        self.dead_lettered
            .add(rows, &[KeyValue::new("channel", channel)]);
    }

    pub(crate) fn skipped(&self, channel: &'static str, rows: u64) {
        self.skipped.add(rows, &[KeyValue::new("channel", channel)]);
    }
}

pub(crate) struct Metrics {
    sent: Counter<u64>,
    latency: Histogram<f64>,
    /// Latencies (seconds) of the messages of the transaction under way.
    pending: Mutex<Vec<f64>>,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        Self {
            sent: sent_counter(),
            latency: latency_histogram(),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// A message delivered in the transaction under way, `latency_ms` after its event.
    pub(crate) fn delivered(&self, latency_ms: i64) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.push(latency_ms.max(0) as f64 / 1000.0);
    }

    /// The transaction committed: what it delivered counts.
    pub(crate) fn committed(&self) {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let channel = [KeyValue::new("channel", "inbox")];
        for seconds in &pending {
            self.latency.record(*seconds, &channel);
        }
        if !pending.is_empty() {
            self.sent.add(pending.len() as u64, &channel);
        }
    }

    /// The transaction was abandoned: forget what it would have delivered.
    pub(crate) fn abandoned(&self) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
