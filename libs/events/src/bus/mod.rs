//! The event bus: NATS JetStream for standalone services, tables in a local database for the
//! all-in-one. Both are reached through [`Bus`], so service code does not know which it has.

pub(crate) mod in_process;
pub(crate) mod nats;
mod nats_options;

use std::sync::Arc;

use prost::Message;
use tachawor_proto::events::{Envelope, TraceContext};
use tachawor_storage::Database;

use crate::{BusKind, EventsError, EventsSettings, subjects};

/// A handle on the event bus. Cheap to clone; the all-in-one shares one between its services.
#[derive(Clone, Debug)]
pub struct Bus {
    pub(crate) inner: Inner,
}

#[derive(Clone, Debug)]
pub(crate) enum Inner {
    Nats(Arc<nats::NatsBus>),
    InProcess(Arc<in_process::InProcessBus>),
}

/// The broker's acknowledgement of one publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishAck {
    /// Position of the message in its stream.
    pub sequence: u64,
    /// The message id was already in the stream: nothing was stored.
    pub duplicate: bool,
}

/// A message as a stream holds it.
#[derive(Debug, Clone)]
pub struct StreamMessage {
    pub sequence: u64,
    pub subject: String,
    /// The `Nats-Msg-Id` it was published with: the event id.
    pub msg_id: String,
    /// The W3C `traceparent` header it was published with, empty when none.
    pub traceparent: String,
    pub payload: Vec<u8>,
}

impl StreamMessage {
    pub fn envelope(&self) -> Result<Envelope, EventsError> {
        Ok(Envelope::decode(self.payload.as_slice())?)
    }
}

/// One message to publish.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) subject: String,
    pub(crate) msg_id: String,
    pub(crate) payload: Vec<u8>,
    pub(crate) trace: TraceContext,
}

/// What became of a batch: the indices the broker acknowledged, and the first failure.
#[derive(Debug, Default)]
pub(crate) struct BatchOutcome {
    pub(crate) acked: Vec<usize>,
    pub(crate) duplicates: usize,
    pub(crate) error: Option<EventsError>,
}

impl BatchOutcome {
    pub(crate) fn fail(&mut self, error: EventsError) {
        self.error.get_or_insert(error);
    }
}

impl Bus {
    /// Connects to NATS at `settings.nats_url`. Returns at once when NATS is down: the client
    /// keeps trying in the background and [`Bus::is_connected`] says when it is there.
    pub async fn connect(settings: &EventsSettings) -> Result<Bus, EventsError> {
        if settings.bus != BusKind::Nats {
            return Err(EventsError::Config(
                "the in-process bus needs a database: use Bus::in_process".to_string(),
            ));
        }
        subjects::validate_prefix(&settings.subject_prefix).map_err(EventsError::Config)?;
        let bus = nats::NatsBus::connect(settings).await?;
        Ok(Bus {
            inner: Inner::Nats(Arc::new(bus)),
        })
    }

    /// The in-process bus, kept in `db` (the all-in-one gives it its own SQLite file). Applies
    /// the bus's own migrations to that database.
    pub async fn in_process(db: Database, settings: &EventsSettings) -> Result<Bus, EventsError> {
        let bus = in_process::InProcessBus::open(db, settings).await?;
        Ok(Bus {
            inner: Inner::InProcess(Arc::new(bus)),
        })
    }

    pub fn kind(&self) -> BusKind {
        match &self.inner {
            Inner::Nats(_) => BusKind::Nats,
            Inner::InProcess(_) => BusKind::InProcess,
        }
    }

    pub fn subject_prefix(&self) -> &str {
        match &self.inner {
            Inner::Nats(b) => b.prefix(),
            Inner::InProcess(b) => b.prefix(),
        }
    }

    /// Creates the producer's stream, or brings its limits in line with the settings. Called by
    /// each producing service at start; the relay also calls it before a producer's first
    /// publish, so a service started while NATS was down gets its stream when NATS is back.
    pub async fn ensure_stream(&self, producer: &str) -> Result<(), EventsError> {
        match &self.inner {
            Inner::Nats(b) => b.ensure_stream(producer).await,
            Inner::InProcess(b) => b.ensure_stream(producer).await,
        }
    }

    /// Whether this process creates streams itself (`events.manage_streams`; always on the
    /// in-process bus). When not, an admin creates them (`<binary> streams`).
    pub fn manages_streams(&self) -> bool {
        match &self.inner {
            Inner::Nats(b) => b.manages_streams(),
            Inner::InProcess(_) => true,
        }
    }

    /// Deletes a producer's stream and its consumers: for tests, and for an operator who
    /// rebuilds a broker.
    pub async fn delete_stream(&self, producer: &str) -> Result<(), EventsError> {
        match &self.inner {
            Inner::Nats(b) => b.delete_stream(producer).await,
            Inner::InProcess(b) => b.delete_stream(producer).await,
        }
    }

    /// Whether the broker is reachable now; feeds the health service.
    pub fn is_connected(&self) -> bool {
        match &self.inner {
            Inner::Nats(b) => b.is_connected(),
            Inner::InProcess(b) => b.is_connected(),
        }
    }

    /// Publishes an envelope directly, with its event id as message id. Services publish
    /// through the [`crate::Outbox`]; this is for tests and tools.
    pub async fn publish(&self, envelope: &Envelope) -> Result<PublishAck, EventsError> {
        let message = Outgoing {
            subject: subjects::subject(self.subject_prefix(), &envelope.r#type),
            msg_id: envelope.event_id.clone(),
            payload: envelope.encode_to_vec(),
            trace: envelope.trace_context.clone().unwrap_or_default(),
        };
        self.publish_outgoing(&message).await
    }

    /// Publishes raw bytes under a message id of the caller's choosing: for tests that need a
    /// redelivered event or an undecodable message.
    pub async fn publish_bytes(
        &self,
        subject: &str,
        msg_id: &str,
        payload: Vec<u8>,
    ) -> Result<PublishAck, EventsError> {
        let message = Outgoing {
            subject: subject.to_string(),
            msg_id: msg_id.to_string(),
            payload,
            trace: TraceContext::default(),
        };
        self.publish_outgoing(&message).await
    }

    async fn publish_outgoing(&self, message: &Outgoing) -> Result<PublishAck, EventsError> {
        match &self.inner {
            Inner::Nats(b) => b.publish_one(message).await,
            Inner::InProcess(b) => b.publish_one(message).await,
        }
    }

    pub(crate) async fn publish_batch(
        &self,
        messages: &[Outgoing],
        max_in_flight: usize,
    ) -> BatchOutcome {
        match &self.inner {
            Inner::Nats(b) => b.publish_batch(messages, max_in_flight).await,
            Inner::InProcess(b) => b.publish_batch(messages).await,
        }
    }

    /// Every message of a producer's stream, in order.
    pub async fn read_stream_messages(
        &self,
        producer: &str,
    ) -> Result<Vec<StreamMessage>, EventsError> {
        match &self.inner {
            Inner::Nats(b) => b.read_stream(producer).await,
            Inner::InProcess(b) => b.read_stream(producer).await,
        }
    }

    /// Every event of a producer's stream, in order, with its subject: lets a test assert that
    /// an event appears exactly once and carries no personal data.
    pub async fn read_stream(
        &self,
        producer: &str,
    ) -> Result<Vec<(String, Envelope)>, EventsError> {
        self.read_stream_messages(producer)
            .await?
            .into_iter()
            .map(|m| Ok((m.subject.clone(), m.envelope()?)))
            .collect()
    }
}
