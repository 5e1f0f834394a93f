//! Consuming events: a durable consumer per stream, explicit acknowledgement, idempotent
//! handling, poison messages recorded and acknowledged instead of redelivered forever.
//!
//! For each message: decode the envelope (undecodable: dead letter and ack); check that it
//! belongs to the stream it came from (producer, type and subject of that stream's producer;
//! otherwise a forgery by another producer: dead letter and ack); in one transaction
//! on the consumer's own database, record `(consumer, event_id)` in `processed_events` (already
//! there: a redelivery, skip and ack), run the handler, commit, then ack. A handler's
//! [`HandlerError::Retry`] naks with a growing delay until `max_deliver`, then dead-letters;
//! [`HandlerError::Poison`] dead-letters at once.

use std::{collections::BTreeMap, future::Future, sync::Arc, time::Duration};

use async_nats::jetstream::{
    self,
    consumer::{AckPolicy, DeliverPolicy, pull},
    message::AckKind,
};
use futures::{FutureExt, StreamExt, future::BoxFuture};
use prost::Message;
use serde::Deserialize;
use sqlx::Row;
use tachawor_proto::events::Envelope;
use tachawor_storage::{Clock, Database, SystemClock};
use tokio::{sync::watch, task::JoinHandle};
use tracing::Instrument;

use crate::{
    EventsError,
    bus::{
        Bus, Inner,
        in_process::{ConsumerRef, InProcessBus},
        nats::NatsBus,
    },
    error::chain,
    metrics::ConsumerMetrics,
    subjects,
};

/// A durable consumer's configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct ConsumerSettings {
    /// The consumer's name on the bus and in `processed_events`. A new name replays the streams
    /// from the start.
    pub durable_name: String,
    /// Event-type patterns, NATS wildcards allowed: `identity.>`, `consultation.petition.*`.
    /// Each starts with its producer's name; one durable consumer is created per producer.
    pub filter_subjects: Vec<String>,
    /// Deliveries of one message before it is dead-lettered.
    #[serde(default = "default_max_deliver")]
    pub max_deliver: i64,
    /// How long a delivered message may stay unacknowledged before it is delivered again.
    /// Short, so that what a crashed process held comes back soon after it restarts: while a
    /// message is being processed, the consumer tells NATS it is still at work on it.
    #[serde(default = "default_ack_wait_secs")]
    pub ack_wait_secs: u64,
    /// Messages requested from the bus at once.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// First redelivery delay after a retryable failure; doubles at each delivery, up to
    /// `retry_max_ms`.
    #[serde(default = "default_retry_backoff_ms")]
    pub retry_backoff_ms: u64,
    /// Longest redelivery delay after a retryable failure.
    #[serde(default = "default_retry_max_ms")]
    pub retry_max_ms: u64,
    /// Events waiting together applied in one transaction (at most 50), each under a
    /// savepoint: a commit per event bounds a consumer's rate by the database's commit time.
    /// 1 by default. Consumers whose handlers lock shared rows must order their transactions
    /// in [`Handler::begin`] before applying several events together, or they can deadlock
    /// each other when each holds a batch's locks.
    #[serde(default = "default_apply_together")]
    pub apply_together: usize,
}

fn default_max_deliver() -> i64 {
    5
}
fn default_ack_wait_secs() -> u64 {
    1
}
fn default_batch_size() -> usize {
    100
}
fn default_retry_backoff_ms() -> u64 {
    1_000
}
fn default_retry_max_ms() -> u64 {
    30_000
}
fn default_apply_together() -> usize {
    1
}

impl ConsumerSettings {
    /// A consumer with the default limits.
    pub fn new(durable_name: &str, filter_subjects: &[&str]) -> Self {
        Self {
            durable_name: durable_name.to_string(),
            filter_subjects: filter_subjects.iter().map(|s| s.to_string()).collect(),
            max_deliver: default_max_deliver(),
            ack_wait_secs: default_ack_wait_secs(),
            batch_size: default_batch_size(),
            retry_backoff_ms: default_retry_backoff_ms(),
            retry_max_ms: default_retry_max_ms(),
            apply_together: default_apply_together(),
        }
    }

    fn ack_wait(&self) -> Duration {
        Duration::from_secs(self.ack_wait_secs.max(1))
    }

    fn retry_delay(&self, delivered: i64) -> Duration {
        let exp = u32::try_from(delivered.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
        Duration::from_millis(self.retry_backoff_ms.saturating_mul(2_u64.pow(exp)))
            .min(Duration::from_millis(self.retry_max_ms.max(1)))
    }
}

/// Why a handler did not apply an event.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The event can never be applied: recorded in `dead_letters` and acknowledged. The reason
    /// is stored and logged: it must not contain personal data.
    #[error("poison message: {0}")]
    Poison(String),
    /// A transient failure: the event is delivered again after a delay.
    #[error("retryable failure")]
    Retry(#[source] anyhow::Error),
}

impl From<sqlx::Error> for HandlerError {
    fn from(e: sqlx::Error) -> Self {
        Self::Retry(e.into())
    }
}

/// The envelope's event as a handler reads it: `None` for a type this version does not know
/// (acknowledged and ignored), poison for a known type whose payload cannot be read.
pub fn handled_event(
    envelope: &Envelope,
) -> Result<Option<tachawor_proto::catalogue::Event>, HandlerError> {
    crate::decode_event(envelope)
        .map_err(|e| HandlerError::Poison(format!("{}: {e}", envelope.r#type)))
}

/// When the envelope's event occurred, in Unix milliseconds; an envelope without it is poison.
pub fn occurred_at_millis(envelope: &Envelope) -> Result<i64, HandlerError> {
    envelope
        .occurred_at
        .as_ref()
        .map(tachawor_proto::dates::millis)
        .ok_or_else(|| HandlerError::Poison(format!("{} without occurred_at", envelope.r#type)))
}

/// Applies one event inside the consumer's transaction. The transaction already holds the
/// `processed_events` row; it commits only if the handler succeeds.
pub trait Handler: Send + Sync + 'static {
    fn handle<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>>;

    /// Called first in every transaction of applied events, with those events, before any of
    /// them is handled: a handler whose events lock rows that other consumers' events lock too
    /// takes those locks here, all at once and in a fixed order, so that transactions of
    /// several events cannot deadlock one another; one that gathers what the events change,
    /// to write it once per transaction, starts afresh (what a failed transaction gathered is
    /// forgotten).
    fn begin<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
        _events: &'a [&'a Envelope],
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        Box::pin(async { Ok(()) })
    }

    /// Called last in every transaction that commits, after each of its events was handled
    /// (those that failed rolled back alone): a handler whose events change rows that other
    /// consumers' events change too writes here, once and in a fixed order, what they
    /// gathered, so that transactions of several events cannot deadlock one another.
    fn finish<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        Box::pin(async { Ok(()) })
    }

    /// Called once what `handle` wrote for an event has committed (never for a duplicate):
    /// the service forgets the public answers it keeps, as after its own writes.
    fn committed(&self) {}
}

/// A message the consumer gave up on.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    pub consumer: String,
    /// Absent when the envelope could not be decoded.
    pub event_id: Option<String>,
    pub event_type: Option<String>,
    pub subject: String,
    pub reason: String,
    pub payload: Vec<u8>,
    pub deliveries: i64,
    pub created_at: i64,
}

/// The dead letters of a consumer, oldest first.
pub async fn dead_letters(db: &Database, consumer: &str) -> Result<Vec<DeadLetter>, sqlx::Error> {
    sqlx::query(
        "SELECT consumer, event_id, event_type, subject, reason, payload, deliveries, created_at \
         FROM dead_letters WHERE consumer = $1 ORDER BY id",
    )
    .bind(consumer)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| {
        Ok(DeadLetter {
            consumer: row.try_get("consumer")?,
            event_id: row.try_get("event_id")?,
            event_type: row.try_get("event_type")?,
            subject: row.try_get("subject")?,
            reason: row.try_get("reason")?,
            payload: row.try_get("payload")?,
            deliveries: row.try_get("deliveries")?,
            created_at: row.try_get("created_at")?,
        })
    })
    .collect()
}

/// How long a consumer waits before binding again after losing the bus.
const REBIND_BACKOFF: Duration = Duration::from_millis(500);

impl Bus {
    /// Runs a durable consumer until `shutdown` completes: the batch being handled is
    /// finished, then the task ends. Failures of the bus are retried, not returned; the task
    /// fails only on invalid settings.
    pub fn run_consumer(
        &self,
        db: Database,
        settings: ConsumerSettings,
        handler: Arc<dyn Handler>,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> JoinHandle<Result<(), EventsError>> {
        let bus = self.clone();
        tokio::spawn(async move {
            let plan = plan(bus.subject_prefix(), &settings)?;
            let processor = Arc::new(Processor {
                db,
                prefix: bus.subject_prefix().to_string(),
                metrics: ConsumerMetrics::new(&settings.durable_name),
                settings,
                handler,
                clock: Arc::new(SystemClock),
            });
            let (stop, stopped) = watch::channel(false);
            let loops =
                futures::future::try_join_all(plan.into_iter().map(|(producer, filters)| {
                    let processor = processor.clone();
                    let stopped = stopped.clone();
                    match &bus.inner {
                        Inner::Nats(b) => {
                            run_nats(b.clone(), processor, producer, filters, stopped).boxed()
                        }
                        Inner::InProcess(b) => {
                            run_in_process(b.clone(), processor, producer, filters, stopped).boxed()
                        }
                    }
                }));
            tokio::pin!(loops);
            tokio::select! {
                result = &mut loops => return result.map(|_| ()),
                () = shutdown => {}
            }
            let _ = stop.send(true);
            loops.await.map(|_| ())
        })
    }

    /// Forgets a consumer so that its next run replays every stream from the start: deletes
    /// its durable consumers and its `processed_events` rows. Run it while the consumer is
    /// stopped, after clearing the read models it builds.
    pub async fn reset_consumer(
        &self,
        db: &Database,
        settings: &ConsumerSettings,
    ) -> Result<(), EventsError> {
        for (producer, _) in plan(self.subject_prefix(), settings)? {
            let stream = subjects::stream_name(self.subject_prefix(), &producer);
            match &self.inner {
                Inner::Nats(b) => {
                    let result = b
                        .context
                        .delete_consumer_from_stream(&settings.durable_name, &stream)
                        .await;
                    if let Err(e) = result
                        && !e.to_string().contains("not found")
                    {
                        return Err(EventsError::jetstream("consumer deletion", e));
                    }
                }
                Inner::InProcess(b) => b.delete_consumer(&stream, &settings.durable_name).await?,
            }
        }
        sqlx::query("DELETE FROM processed_events WHERE consumer = $1")
            .bind(&settings.durable_name)
            .execute(db.pool())
            .await?;
        Ok(())
    }
}

/// Groups the filters by producer, as subjects with the prefix.
fn plan(
    prefix: &str,
    settings: &ConsumerSettings,
) -> Result<BTreeMap<String, Vec<String>>, EventsError> {
    let name_ok = !settings.durable_name.is_empty()
        && settings
            .durable_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !name_ok {
        return Err(EventsError::Config(format!(
            "durable name {:?} must be letters, digits, '_' or '-'",
            settings.durable_name
        )));
    }
    if settings.filter_subjects.is_empty() {
        return Err(EventsError::Config(
            "a consumer needs at least one filter subject".to_string(),
        ));
    }
    let mut plan: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pattern in &settings.filter_subjects {
        let producer = subjects::producer_of_pattern(pattern).map_err(EventsError::Config)?;
        let subject = if pattern == producer {
            subjects::stream_subjects(prefix, producer)
        } else {
            subjects::subject(prefix, pattern)
        };
        let filters = plan.entry(producer.to_string()).or_default();
        if !filters.contains(&subject) {
            filters.push(subject);
        }
    }
    Ok(plan)
}

/// One delivered message and the means to settle it.
struct Delivery {
    /// The stream it came from, for metrics.
    stream: String,
    /// The producer that stream belongs to: the only one whose envelopes it may carry.
    producer: String,
    subject: String,
    payload: Vec<u8>,
    /// 1 on first delivery.
    delivered: i64,
    acker: Acker,
}

enum Acker {
    Nats(Box<jetstream::Message>),
    InProcess {
        bus: Arc<InProcessBus>,
        stream: String,
        consumer: String,
        seq: i64,
    },
}

impl Delivery {
    async fn ack(&self) {
        let result = match &self.acker {
            Acker::Nats(m) => m.ack().await.map_err(|e| EventsError::jetstream("ack", e)),
            Acker::InProcess {
                bus,
                stream,
                consumer,
                seq,
            } => bus.ack(stream, consumer, *seq).await,
        };
        if let Err(e) = result {
            // The message comes back after the ack wait and is recognised as processed.
            tracing::warn!(error = chain(&e), "could not acknowledge a message");
        }
    }

    async fn nak(&self, delay: Duration) {
        let result = match &self.acker {
            Acker::Nats(m) => m
                .ack_with(AckKind::Nak(Some(delay)))
                .await
                .map_err(|e| EventsError::jetstream("nak", e)),
            Acker::InProcess {
                bus,
                stream,
                consumer,
                seq,
            } => bus.nak(stream, consumer, *seq, delay).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = chain(&e), "could not nak a message");
        }
    }
}

/// Handles deliveries for one consumer, whatever the bus.
struct Processor {
    db: Database,
    /// The bus's subject prefix, to check a message's subject against its type.
    prefix: String,
    metrics: ConsumerMetrics,
    settings: ConsumerSettings,
    handler: Arc<dyn Handler>,
    clock: Arc<dyn Clock>,
}

enum Applied {
    Done,
    Duplicate,
}

impl Processor {
    /// Handles a batch of deliveries in stream order, `apply_together` events per
    /// transaction (the commit is what bounds a consumer's rate). Each event runs under a
    /// savepoint: one that fails is rolled back alone and retried or dead-lettered as it would
    /// be alone, the others commit; every event is handed to the handler once per delivery.
    async fn process_all(&self, deliveries: Vec<Delivery>) {
        let mut admitted = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            match self.admit(&delivery) {
                Ok(envelope) => admitted.push((delivery, envelope)),
                Err(refused) => {
                    let (envelope, reason) = *refused;
                    self.give_up(&delivery, envelope.as_ref(), &reason).await
                }
            }
        }
        for chunk in admitted.chunks(self.settings.apply_together.clamp(1, MAX_APPLIED_TOGETHER)) {
            match self.apply_all(chunk).await {
                Ok(outcomes) => {
                    for ((delivery, envelope), outcome) in chunk.iter().zip(outcomes) {
                        self.settle(delivery, envelope, outcome)
                            .instrument(self.span(delivery, envelope))
                            .await;
                    }
                }
                // The transaction itself failed (the database): nothing of it was kept.
                Err(e) => {
                    let e = format!("{e:#}");
                    for (delivery, envelope) in chunk {
                        let failure = HandlerError::Retry(anyhow::anyhow!("{e}"));
                        self.settle(delivery, envelope, Err(failure))
                            .instrument(self.span(delivery, envelope))
                            .await;
                    }
                }
            }
        }
    }

    /// The envelope of a delivery that may be applied, or why it may not (with the envelope
    /// when it could be read).
    fn admit(&self, delivery: &Delivery) -> Result<Envelope, Box<(Option<Envelope>, String)>> {
        let envelope = match Envelope::decode(delivery.payload.as_slice()) {
            Ok(e) if !e.event_id.is_empty() => e,
            Ok(_) => return Err(Box::new((None, "envelope without an event id".into()))),
            Err(e) => return Err(Box::new((None, format!("undecodable envelope: {e}")))),
        };
        match self.check_origin(delivery, &envelope) {
            Ok(()) => Ok(envelope),
            Err(reason) => Err(Box::new((Some(envelope), reason.into()))),
        }
    }

    fn span(&self, delivery: &Delivery, envelope: &Envelope) -> tracing::Span {
        let span = tracing::info_span!(
            "event.consume",
            otel.name = %envelope.r#type,
            otel.kind = "consumer",
            messaging.destination.name = %delivery.subject,
            messaging.consumer.group.name = %self.settings.durable_name,
            event.id = %envelope.event_id,
            delivery = delivery.delivered,
        );
        if let Some(trace) = &envelope.trace_context {
            tachawor_telemetry::propagation::set_parent(&span, trace);
        }
        span
    }

    /// An envelope must say it comes from the producer whose stream carried it, with a type of
    /// that producer published on that type's subject: a producer allowed to publish only on
    /// its own subjects cannot pass its messages off as another's. The reason names no value
    /// from the message, which an impostor chose.
    fn check_origin(&self, delivery: &Delivery, envelope: &Envelope) -> Result<(), &'static str> {
        if envelope.producer != delivery.producer {
            return Err("envelope producer does not match its stream");
        }
        if subjects::validate_event_type(&delivery.producer, &envelope.r#type).is_err() {
            return Err("event type does not belong to its stream's producer");
        }
        if delivery.subject != subjects::subject(&self.prefix, &envelope.r#type) {
            return Err("subject does not match the event type");
        }
        Ok(())
    }

    /// Acknowledges an event whose effects committed; retries or dead-letters one that failed.
    async fn settle(
        &self,
        delivery: &Delivery,
        envelope: &Envelope,
        outcome: Result<Applied, HandlerError>,
    ) {
        match outcome {
            Ok(Applied::Done) => {
                self.metrics.processed(&delivery.stream, &envelope.r#type);
                delivery.ack().await;
            }
            Ok(Applied::Duplicate) => {
                tracing::debug!("event already processed");
                delivery.ack().await;
            }
            Err(HandlerError::Poison(reason)) => {
                self.give_up(delivery, Some(envelope), &reason).await;
            }
            Err(HandlerError::Retry(e)) if delivery.delivered >= self.settings.max_deliver => {
                let reason = format!("gave up after {} deliveries: {e:#}", delivery.delivered);
                self.give_up(delivery, Some(envelope), &reason).await;
            }
            Err(HandlerError::Retry(e)) => {
                let delay = self.settings.retry_delay(delivery.delivered);
                tracing::warn!(
                    error = format!("{e:#}"),
                    retry_in_ms = delay.as_millis(),
                    "event handling failed"
                );
                delivery.nak(delay).await;
            }
        }
    }

    /// Applies events in one transaction, in order, each under a savepoint: what one event's
    /// handler wrote is rolled back alone when it fails. The outer error is the transaction's.
    async fn apply_all(
        &self,
        batch: &[(Delivery, Envelope)],
    ) -> Result<Vec<Result<Applied, HandlerError>>, sqlx::Error> {
        let mut tx = self.db.begin().await?;
        let events: Vec<&Envelope> = batch.iter().map(|(_, envelope)| envelope).collect();
        self.handler.begin(&mut tx, &events).await?;
        // A lone event needs no savepoint: if it fails, the whole transaction is rolled back.
        let alone = batch.len() == 1;
        let mut outcomes = Vec::with_capacity(batch.len());
        for (delivery, envelope) in batch {
            if !alone {
                sqlx::query("SAVEPOINT event").execute(&mut *tx).await?;
            }
            let outcome = self
                .apply_in(&mut tx, envelope)
                .instrument(self.span(delivery, envelope))
                .await;
            if !alone {
                let end = if outcome.is_ok() {
                    "RELEASE SAVEPOINT event"
                } else {
                    "ROLLBACK TO SAVEPOINT event"
                };
                sqlx::query(end).execute(&mut *tx).await?;
            }
            outcomes.push(outcome);
        }
        if alone && outcomes.iter().any(Result::is_err) {
            tx.rollback().await?;
            return Ok(outcomes);
        }
        self.handler.finish(&mut tx).await?;
        tx.commit().await?;
        if outcomes.iter().any(|o| matches!(o, Ok(Applied::Done))) {
            self.handler.committed();
        }
        Ok(outcomes)
    }

    /// Records the event as processed by this consumer and hands it to the handler, inside
    /// `tx`; an event already recorded is a duplicate and changes nothing.
    async fn apply_in(
        &self,
        tx: &mut sqlx::AnyConnection,
        envelope: &Envelope,
    ) -> Result<Applied, HandlerError> {
        let inserted = sqlx::query(
            "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (consumer, event_id) DO NOTHING",
        )
        .bind(&self.settings.durable_name)
        .bind(&envelope.event_id)
        .bind(self.clock.now_millis())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(Applied::Duplicate);
        }
        self.handler.handle(tx, envelope).await?;
        Ok(Applied::Done)
    }

    /// Records the message in `dead_letters` and acknowledges it; if even that fails, the
    /// message is left for a later delivery.
    async fn give_up(&self, delivery: &Delivery, envelope: Option<&Envelope>, reason: &str) {
        let result = sqlx::query(
            "INSERT INTO dead_letters \
             (consumer, event_id, event_type, subject, reason, payload, deliveries, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(&self.settings.durable_name)
        .bind(envelope.map(|e| e.event_id.clone()))
        .bind(envelope.map(|e| e.r#type.clone()))
        .bind(&delivery.subject)
        .bind(reason)
        .bind(&delivery.payload)
        .bind(delivery.delivered)
        .bind(self.clock.now_millis())
        .execute(self.db.pool())
        .await;
        match result {
            Ok(_) => {
                // The id is logged only when it is one: a forged message chooses its fields.
                let event_id = envelope
                    .map(|e| e.event_id.as_str())
                    .filter(|id| uuid::Uuid::parse_str(id).is_ok());
                tracing::warn!(
                    stream = %delivery.stream,
                    event.id = event_id,
                    reason,
                    "message dead-lettered"
                );
                self.metrics.dead_lettered(&delivery.stream);
                delivery.ack().await;
            }
            Err(e) => {
                tracing::warn!(error = chain(&e), "could not record a dead letter");
                delivery
                    .nak(self.settings.retry_delay(delivery.delivered))
                    .await;
            }
        }
    }
}

/// Waits `delay` unless the consumer is stopped first; true when stopped.
async fn pause(delay: Duration, stopped: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        () = tokio::time::sleep(delay) => is_stopped(stopped),
        _ = stopped.changed() => true,
    }
}

fn is_stopped(stopped: &watch::Receiver<bool>) -> bool {
    *stopped.borrow() || stopped.has_changed().is_err()
}

/// The durable consumer on the producer's stream, created or updated.
async fn bind_nats(
    bus: &NatsBus,
    settings: &ConsumerSettings,
    producer: &str,
    filters: &[String],
) -> Result<PullConsumer, EventsError> {
    let stream = bus.stream_for_consumer(producer).await?;
    let whole_stream = subjects::stream_subjects(bus.prefix(), producer);
    let mut config = pull::Config {
        durable_name: Some(settings.durable_name.clone()),
        deliver_policy: DeliverPolicy::All,
        ack_policy: AckPolicy::Explicit,
        ack_wait: settings.ack_wait(),
        max_deliver: settings.max_deliver,
        ..Default::default()
    };
    // One filter works with every server; several need NATS 2.10.
    match filters {
        [only] if *only == whole_stream => {}
        [only] => config.filter_subject = only.clone(),
        many => config.filter_subjects = many.to_vec(),
    }
    stream
        .get_or_create_consumer(&settings.durable_name, config)
        .await
        .map_err(|e| EventsError::jetstream("consumer creation", e))
}

type PullConsumer = jetstream::consumer::Consumer<pull::Config>;

/// Events applied in one transaction at most: more savepoints per transaction would cost
/// PostgreSQL more.
const MAX_APPLIED_TOGETHER: usize = 50;

/// How long one pull waits for a message when none is waiting.
const NATS_IDLE_PULL: Duration = Duration::from_secs(5);

/// Bound on one pull, answered or not. A pull request sent while the cluster had no leader for
/// the consumer (every node restarting) is never answered, and a fetch without an expiry would
/// wait for that answer forever: the consumer binds again instead.
const PULL_UNANSWERED: Duration = Duration::from_secs(15);

/// The next messages to handle: those waiting now (up to `batch`), else the first to arrive
/// within [`NATS_IDLE_PULL`]. Every one is received before any is handled, so the consumer
/// holds all it was given and can keep each alive (nothing waits unseen in a client buffer
/// while its ack wait runs out).
async fn pull_nats(
    consumer: &PullConsumer,
    batch: usize,
) -> Result<Vec<jetstream::Message>, EventsError> {
    let waiting = consumer
        .fetch()
        .max_messages(batch.max(1))
        .messages()
        .await
        .map_err(|e| EventsError::jetstream("fetch", e))?;
    let mut messages = collect_nats(waiting).await?;
    if messages.is_empty() {
        let first = consumer
            .batch()
            .max_messages(1)
            .expires(NATS_IDLE_PULL)
            .messages()
            .await
            .map_err(|e| EventsError::jetstream("pull", e))?;
        messages = collect_nats(first).await?;
    }
    Ok(messages)
}

async fn collect_nats(mut batch: pull::Batch) -> Result<Vec<jetstream::Message>, EventsError> {
    let mut out = Vec::new();
    while let Some(next) = batch.next().await {
        out.push(next.map_err(|e| EventsError::jetstream("pull", e))?);
    }
    Ok(out)
}

/// Tells NATS, every half ack wait, that the messages of the batch in hand are still being
/// worked on, so that only a dead consumer's messages wait out the ack wait (a progress note on
/// a message already acknowledged is ignored). Never returns.
async fn still_working(bus: &NatsBus, replies: &[Option<async_nats::Subject>], ack_wait: Duration) {
    let mut tick = tokio::time::interval(ack_wait / 2);
    tick.tick().await;
    loop {
        tick.tick().await;
        for reply in replies.iter().flatten() {
            if let Err(e) = bus.progress(reply.clone()).await {
                tracing::debug!(error = chain(&e), "could not extend a message's ack wait");
            }
        }
    }
}

async fn run_nats(
    bus: Arc<NatsBus>,
    processor: Arc<Processor>,
    producer: String,
    filters: Vec<String>,
    mut stopped: watch::Receiver<bool>,
) -> Result<(), EventsError> {
    let stream = subjects::stream_name(bus.prefix(), &producer);
    let settings = &processor.settings;
    while !is_stopped(&stopped) {
        let consumer = match bind_nats(&bus, settings, &producer, &filters).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(
                    error = chain(&e),
                    producer,
                    "consumer could not bind; retrying"
                );
                if pause(REBIND_BACKOFF, &mut stopped).await {
                    break;
                }
                continue;
            }
        };
        loop {
            let messages = tokio::select! {
                pulled = tokio::time::timeout(
                    PULL_UNANSWERED,
                    pull_nats(&consumer, settings.batch_size),
                ) => pulled,
                _ = stopped.changed() => return Ok(()),
            };
            let messages = match messages {
                Ok(Ok(m)) => m,
                Ok(Err(e)) => {
                    tracing::warn!(
                        error = chain(&e),
                        producer,
                        "consumer pull failed; binding again"
                    );
                    break;
                }
                Err(_) => {
                    // What it may have received unacknowledged comes again after the ack wait.
                    tracing::warn!(
                        producer,
                        timeout_ms = PULL_UNANSWERED.as_millis() as u64,
                        "consumer pull unanswered; binding again"
                    );
                    break;
                }
            };
            let replies: Vec<_> = messages.iter().map(|m| m.reply.clone()).collect();
            if let Some(pending) = messages
                .last()
                .and_then(|m| m.info().ok())
                .map(|i| i.pending)
            {
                processor
                    .metrics
                    .lag(&stream, i64::try_from(pending).unwrap_or(i64::MAX));
            }
            let deliveries = messages
                .into_iter()
                .map(|message| Delivery {
                    stream: stream.clone(),
                    producer: producer.clone(),
                    subject: message.subject.to_string(),
                    payload: message.payload.to_vec(),
                    delivered: message.info().map(|i| i.delivered).unwrap_or(1),
                    acker: Acker::Nats(Box::new(message)),
                })
                .collect();
            tokio::select! {
                () = processor.process_all(deliveries) => {}
                () = still_working(&bus, &replies, settings.ack_wait()) => {}
            }
            if is_stopped(&stopped) {
                return Ok(());
            }
        }
        if pause(REBIND_BACKOFF, &mut stopped).await {
            break;
        }
    }
    Ok(())
}

async fn run_in_process(
    bus: Arc<InProcessBus>,
    processor: Arc<Processor>,
    producer: String,
    filters: Vec<String>,
    mut stopped: watch::Receiver<bool>,
) -> Result<(), EventsError> {
    let settings = &processor.settings;
    let stream = subjects::stream_name(bus.prefix(), &producer);
    let consumer = ConsumerRef {
        stream: &stream,
        name: &settings.durable_name,
        filters: &filters,
        ack_wait_ms: i64::try_from(settings.ack_wait_secs.max(1).saturating_mul(1_000))
            .unwrap_or(i64::MAX),
        max_deliver: settings.max_deliver,
    };
    let mut bound = false;
    while !is_stopped(&stopped) {
        if !bound {
            let result = async {
                bus.ensure_stream(&producer).await?;
                bus.ensure_consumer(&stream, &settings.durable_name, &filters)
                    .await
            }
            .await;
            if let Err(e) = result {
                tracing::warn!(
                    error = chain(&e),
                    producer,
                    "consumer could not bind; retrying"
                );
                pause(REBIND_BACKOFF, &mut stopped).await;
                continue;
            }
            bound = true;
        }
        let batch = tokio::select! {
            batch = bus.next_batch(&consumer, settings.batch_size) => batch,
            _ = stopped.changed() => break,
        };
        match batch {
            // A fetched batch is finished even when stopping, so nothing waits for the ack wait.
            Ok(batch) => {
                match bus.undelivered(&consumer).await {
                    Ok(lag) => processor.metrics.lag(&stream, lag),
                    Err(e) => tracing::debug!(error = chain(&e), "could not measure consumer lag"),
                }
                let deliveries = batch
                    .into_iter()
                    .map(|fetched| Delivery {
                        stream: stream.clone(),
                        producer: producer.clone(),
                        subject: fetched.subject,
                        payload: fetched.payload,
                        delivered: fetched.deliveries,
                        acker: Acker::InProcess {
                            bus: bus.clone(),
                            stream: stream.clone(),
                            consumer: settings.durable_name.clone(),
                            seq: fetched.seq,
                        },
                    })
                    .collect();
                processor.process_all(deliveries).await;
            }
            Err(e) => {
                tracing::warn!(
                    error = chain(&e),
                    producer,
                    "consumer fetch failed; retrying"
                );
                bound = false;
                pause(REBIND_BACKOFF, &mut stopped).await;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_grouped_by_producer_with_the_prefix() {
        let settings = ConsumerSettings::new(
            "reporting",
            &[
                "identity.>",
                "training.session.*",
                "training.certificate.issued",
                "identity",
            ],
        );
        let grouped = plan("p", &settings).unwrap();
        assert_eq!(grouped["identity"], vec!["p.identity.>".to_string()]);
        assert_eq!(
            grouped["training"],
            vec![
                "p.training.session.*".to_string(),
                "p.training.certificate.issued".to_string()
            ]
        );
        assert!(plan("p", &ConsumerSettings::new("a.b", &["identity.>"])).is_err());
        assert!(plan("p", &ConsumerSettings::new("r", &[">"])).is_err());
        assert!(plan("p", &ConsumerSettings::new("r", &[])).is_err());
    }

    #[test]
    fn retry_delay_doubles_up_to_its_maximum() {
        let mut s = ConsumerSettings::new("r", &["identity.>"]);
        s.retry_backoff_ms = 100;
        s.retry_max_ms = 1_000;
        assert_eq!(s.retry_delay(1), Duration::from_millis(100));
        assert_eq!(s.retry_delay(2), Duration::from_millis(200));
        assert_eq!(s.retry_delay(4), Duration::from_millis(800));
        assert_eq!(s.retry_delay(5), Duration::from_secs(1));
        assert_eq!(s.retry_delay(1_000), Duration::from_secs(1));
    }
}
