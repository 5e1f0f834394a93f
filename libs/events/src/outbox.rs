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
        let event = self.prepare(event_type, aggregate_id, payload)?;
        let event_id = event.event_id;
        self.insert(conn, std::slice::from_ref(&event)).await?;
        Ok(event_id)
    }

    /// Builds an event's row without writing it, with the current span's trace context: a
    /// writer that combines several callers' changes prepares each under its caller's span,
    /// then writes them together with [`Outbox::insert`].
    pub fn prepare<M: Name>(
        &self,
        event_type: &str,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<PreparedEvent, sqlx::Error> {
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
        Ok(PreparedEvent {
            event_id,
            event_type: event_type.to_string(),
            subject: subjects::subject(&self.subject_prefix, event_type),
            envelope: envelope.encode_to_vec(),
            created_at: now,
        })
    }

    /// Writes prepared events inside the caller's transaction, in one statement, in the order
    /// given (the relay publishes them in that order).
    pub async fn insert(
        &self,
        conn: &mut sqlx::AnyConnection,
        events: &[PreparedEvent],
    ) -> Result<(), sqlx::Error> {
        if events.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO outbox (event_id, event_type, subject, envelope, created_at) VALUES {}",
            tachawor_storage::params::rows(1, events.len(), 5)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for event in events {
            query = query
                .bind(event.event_id.to_string())
                .bind(event.event_type.as_str())
                .bind(event.subject.as_str())
                .bind(event.envelope.as_slice())
                .bind(event.created_at);
        }
        query.execute(&mut *conn).await?;
        for event in events {
            tracing::debug!(event.id = %event.event_id, event_type = %event.event_type, "event enqueued");
        }
        Ok(())
    }
}

/// An event ready to be written to the outbox: see [`Outbox::prepare`].
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    pub event_id: uuid::Uuid,
    event_type: String,
    subject: String,
    envelope: Vec<u8>,
    created_at: i64,
}
