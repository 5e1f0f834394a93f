//! The service's own metrics: messages delivered per channel, and the time from the event
//! to its message. Counted once the consumer's transaction commits, so a rolled-back or
//! redelivered event is not counted.
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

pub(crate) struct Metrics {
    sent: Counter<u64>,
    latency: Histogram<f64>,
    /// Latencies (seconds) of the messages of the transaction under way.
    pending: Mutex<Vec<f64>>,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let meter = global::meter("tachawor");
        Self {
            sent: meter
                .u64_counter(SENT)
                .with_unit("{message}")
                .with_description("Messages delivered to people, per channel")
                .build(),
            latency: meter
                .f64_histogram(LATENCY)
                .with_unit("s")
                .with_description("Time from an event to the message telling of it")
                .build(),
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
