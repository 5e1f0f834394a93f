//! Writing events in the same transaction as the change they describe.

use std::sync::Arc;

use prost::{Message, Name};
use tachawor_storage::Clock;

use crate::{
    EventsSettings,
    envelope::{self, EnvelopeParts},
    subjects,
};

/// Writes a producer's events into its outbox table; the [`crate::Relay`] publishes them.
#[derive(Debug, Clone)]
pub struct Outbox {
    /// First token of every event type this outbox accepts.
    producer: String,
    /// Carried in every envelope: the region is configuration, never assumed.
    region: String,
    subject_prefix: String,
    /// The time an event occurred, injectable so tests control it.
    clock: Arc<dyn Clock>,
}

impl Outbox {
    pub fn new(
        producer: &str,
        region: &str,
        settings: &EventsSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            producer: producer.to_string(),
            region: region.to_string(),
            subject_prefix: settings.subject_prefix.clone(),
            clock,
        }
    }

    pub fn producer(&self) -> &str {
        &self.producer
    }

    /// Writes the event inside the caller's transaction and returns its id. The event exists
    /// for the rest of the system only if that transaction commits. Captures the current span's
    /// trace context into the envelope, so the trace follows the event to its consumers.
    ///
    /// `event_type` must be `<producer>.<aggregate>.<event>` for this outbox's producer
    /// (`sqlx::Error::InvalidArgument` otherwise).
    pub async fn enqueue<M: Name>(
        &self,
        conn: &mut sqlx::AnyConnection,
        event_type: &str,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<uuid::Uuid, sqlx::Error> {
        subjects::validate_event_type(&self.producer, event_type)
            .map_err(sqlx::Error::InvalidArgument)?;
        let event_id = uuid::Uuid::now_v7();
        let now = self.clock.now_millis();
        let envelope = envelope::build(
            EnvelopeParts {
                event_id,
                event_type,
                occurred_at_millis: now,
                producer: &self.producer,
                region: &self.region,
                trace_context: tachawor_telemetry::propagation::current_trace_context(),
                aggregate_id,
            },
            payload,
        );
        sqlx::query(
            "INSERT INTO outbox (event_id, event_type, subject, envelope, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(event_id.to_string())
        .bind(event_type)
        .bind(subjects::subject(&self.subject_prefix, event_type))
        .bind(envelope.encode_to_vec())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        tracing::debug!(event.id = %event_id, event_type, "event enqueued");
        Ok(event_id)
    }
}
