//! The bus on NATS JetStream: one file-backed stream per producer, publishes de-duplicated by
//! `Nats-Msg-Id`, durable pull consumers with explicit acknowledgement.

use std::{collections::VecDeque, time::Duration};

use async_nats::{
    HeaderMap,
    connection::State,
    jetstream::{
        self,
        context::PublishErrorKind,
        message::PublishMessage,
        stream::{RawMessageErrorKind, StorageType},
    },
};

use super::{BatchOutcome, Outgoing, PublishAck, StreamMessage, nats_options};
use crate::{EventsError, EventsSettings, subjects};

#[derive(Debug)]
pub(crate) struct NatsBus {
    pub(crate) context: jetstream::Context,
    client: async_nats::Client,
    settings: EventsSettings,
}

impl NatsBus {
    /// Connects in the background when NATS is not there yet: a service starts anyway, its
    /// relay keeps events in the outbox and reports unhealthy until the broker answers.
    pub(crate) async fn connect(settings: &EventsSettings) -> Result<Self, EventsError> {
        let timeout = Duration::from_millis(settings.request_timeout_ms.max(1));
        nats_options::validate_tls(settings)?;
        // Several servers of one cluster may be named, comma-separated: the client starts with
        // whichever answers, and a restarted process does not wait for one particular node.
        let servers: Vec<&str> = settings
            .nats_url
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let client = nats_options::connect_options(settings)
            .await?
            .connect(servers)
            .await
            .map_err(EventsError::Connect)?;
        let context = jetstream::ContextBuilder::new()
            .timeout(timeout)
            .build(client.clone());
        Ok(Self {
            context,
            client,
            settings: settings.clone(),
        })
    }

    pub(crate) fn prefix(&self) -> &str {
        &self.settings.subject_prefix
    }

    pub(crate) fn is_connected(&self) -> bool {
        self.client.connection_state() == State::Connected
    }

    pub(crate) fn stream_config(&self, producer: &str) -> jetstream::stream::Config {
        let s = &self.settings;
        jetstream::stream::Config {
            name: subjects::stream_name(&s.subject_prefix, producer),
            subjects: vec![subjects::stream_subjects(&s.subject_prefix, producer)],
            storage: StorageType::File,
            max_age: Duration::from_secs(s.stream_max_age_days.saturating_mul(86_400)),
            max_bytes: s.stream_max_bytes,
            duplicate_window: Duration::from_secs(s.duplicate_window_secs),
            num_replicas: s.stream_replicas.max(1),
            ..Default::default()
        }
    }

    /// Creates the stream or brings its limits in line with the settings.
    pub(crate) async fn ensure_stream(&self, producer: &str) -> Result<(), EventsError> {
        self.context
            .create_or_update_stream(self.stream_config(producer))
            .await
            .map_err(|e| EventsError::jetstream("stream creation", e))?;
        Ok(())
    }

    pub(crate) fn manages_streams(&self) -> bool {
        self.settings.manage_streams
    }

    /// The stream of a producer, created with the settings' limits when missing (if this
    /// process manages streams) but left as it is otherwise: the producer owns its stream's
    /// configuration.
    pub(crate) async fn stream_for_consumer(
        &self,
        producer: &str,
    ) -> Result<jetstream::stream::Stream, EventsError> {
        if self.settings.manage_streams {
            self.context
                .get_or_create_stream(self.stream_config(producer))
                .await
                .map_err(|e| EventsError::jetstream("stream lookup", e))
        } else {
            let name = subjects::stream_name(self.prefix(), producer);
            self.context
                .get_stream(&name)
                .await
                .map_err(|e| EventsError::jetstream("stream lookup", e))
        }
    }

    pub(crate) async fn delete_stream(&self, producer: &str) -> Result<(), EventsError> {
        let name = subjects::stream_name(self.prefix(), producer);
        match self.context.delete_stream(&name).await {
            Ok(_) => Ok(()),
            Err(e) if e.to_string().contains("not found") => Ok(()),
            Err(e) => Err(EventsError::jetstream("stream deletion", e)),
        }
    }

    /// Publishes in order with up to `max_in_flight` acknowledgements awaited at once. Stops
    /// sending at the first failure; what was already sent is still awaited.
    pub(crate) async fn publish_batch(
        &self,
        messages: &[Outgoing],
        max_in_flight: usize,
    ) -> BatchOutcome {
        let mut outcome = BatchOutcome::default();
        let mut in_flight = VecDeque::new();
        for (index, message) in messages.iter().enumerate() {
            if in_flight.len() >= max_in_flight.max(1) {
                let (i, ack) = in_flight.pop_front().expect("in flight is not empty");
                if !settle(&mut outcome, i, &messages[i].subject, ack).await {
                    break;
                }
            }
            match self
                .context
                .send_publish(message.subject.clone(), publish_of(message))
                .await
            {
                Ok(ack) => in_flight.push_back((index, ack)),
                Err(e) => {
                    outcome.fail(publish_error(&message.subject, e));
                    break;
                }
            }
        }
        // Awaited together: when the broker is gone they time out at once, not one by one.
        let results = futures::future::join_all(
            in_flight
                .into_iter()
                .map(|(i, ack)| async move { (i, ack.await) }),
        )
        .await;
        for (i, result) in results {
            record(&mut outcome, i, &messages[i].subject, result);
        }
        outcome
    }

    pub(crate) async fn publish_one(&self, message: &Outgoing) -> Result<PublishAck, EventsError> {
        let ack = self
            .context
            .send_publish(message.subject.clone(), publish_of(message))
            .await
            .map_err(|e| publish_error(&message.subject, e))?
            .await
            .map_err(|e| publish_error(&message.subject, e))?;
        Ok(PublishAck {
            sequence: ack.sequence,
            duplicate: ack.duplicate,
        })
    }

    /// Extends the ack wait of a message being processed (JetStream's "work in progress").
    pub(crate) async fn progress(&self, reply: async_nats::Subject) -> Result<(), EventsError> {
        self.client
            .publish(reply, "+WPI".into())
            .await
            .map_err(|e| EventsError::jetstream("progress", e))
    }

    /// Every message the producer's stream holds, in order.
    pub(crate) async fn read_stream(
        &self,
        producer: &str,
    ) -> Result<Vec<StreamMessage>, EventsError> {
        let name = subjects::stream_name(self.prefix(), producer);
        let mut stream = self
            .context
            .get_stream(&name)
            .await
            .map_err(|e| EventsError::jetstream("stream lookup", e))?;
        let state = stream
            .info()
            .await
            .map_err(|e| EventsError::jetstream("stream info", e))?
            .state
            .clone();
        let mut out = Vec::new();
        if state.messages == 0 {
            return Ok(out);
        }
        for seq in state.first_sequence..=state.last_sequence {
            match stream.get_raw_message(seq).await {
                Ok(m) => out.push(StreamMessage {
                    sequence: m.sequence,
                    subject: m.subject.to_string(),
                    msg_id: header(&m.headers, "Nats-Msg-Id"),
                    traceparent: header(&m.headers, "traceparent"),
                    payload: m.payload.to_vec(),
                }),
                Err(e) if e.kind() == RawMessageErrorKind::NoMessageFound => {}
                Err(e) => return Err(EventsError::jetstream("message read", e)),
            }
        }
        Ok(out)
    }
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .map(|v| v.as_str().to_string())
        .unwrap_or_default()
}

fn publish_of(message: &Outgoing) -> PublishMessage {
    let mut publish = PublishMessage::build()
        .payload(message.payload.clone().into())
        .message_id(&message.msg_id);
    // The trace of the operation that caused the event, not the relay's own.
    if !message.trace.traceparent.is_empty() {
        publish = publish.header("traceparent", message.trace.traceparent.as_str());
    }
    if !message.trace.tracestate.is_empty() {
        publish = publish.header("tracestate", message.trace.tracestate.as_str());
    }
    publish
}

fn publish_error(subject: &str, e: jetstream::context::PublishError) -> EventsError {
    if e.kind() == PublishErrorKind::StreamNotFound {
        EventsError::StreamNotFound(subject.to_string())
    } else {
        EventsError::NotAcknowledged(e.into())
    }
}

/// Awaits one acknowledgement; false when it failed.
async fn settle(
    outcome: &mut BatchOutcome,
    index: usize,
    subject: &str,
    ack: jetstream::context::PublishAckFuture,
) -> bool {
    record(outcome, index, subject, ack.await)
}

fn record(
    outcome: &mut BatchOutcome,
    index: usize,
    subject: &str,
    result: Result<jetstream::publish::PublishAck, jetstream::context::PublishError>,
) -> bool {
    match result {
        Ok(ack) => {
            outcome.acked.push(index);
            outcome.duplicates += usize::from(ack.duplicate);
            true
        }
        Err(e) => {
            outcome.fail(publish_error(subject, e));
            false
        }
    }
}
