//! The bus as tables in a database, for the all-in-one: the same semantics as JetStream for
//! Tachawor's use. Streams per producer, de-duplication by message id, durable consumers whose
//! position and unacknowledged messages survive a restart, explicit acknowledgement, redelivery
//! after the ack wait, bounded by `max_deliver`. A `Notify` wakes the consumers of this process
//! as soon as a publish commits.

use std::{
    collections::{BTreeSet, HashSet},
    sync::Mutex,
    time::Duration,
};

use sqlx::Row;
use tachawor_proto::events::TraceContext;
use tachawor_storage::{Backend, Clock, Database, MigrationMode, SystemClock};
use tokio::sync::Notify;

use super::{BatchOutcome, Outgoing, PublishAck, StreamMessage};
use crate::{EventsError, EventsSettings, subjects};

/// Longest a waiting consumer sleeps without a wake-up: covers publishes by another process
/// sharing the bus database.
const IDLE_RECHECK: Duration = Duration::from_secs(1);
/// Messages scanned per round when looking for ones that match a consumer's filter.
const SCAN: i64 = 256;

#[derive(Debug)]
pub(crate) struct InProcessBus {
    db: Database,
    prefix: String,
    max_age_ms: i64,
    /// Signalled after every publish that stored something.
    published: Notify,
    /// Streams known to exist, so a publish does not look its stream up each time.
    streams: Mutex<HashSet<String>>,
}

/// One message handed to a consumer.
pub(crate) struct Fetched {
    pub(crate) seq: i64,
    pub(crate) subject: String,
    pub(crate) payload: Vec<u8>,
    pub(crate) deliveries: i64,
}

fn now() -> i64 {
    SystemClock.now_millis()
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl InProcessBus {
    pub(crate) async fn open(db: Database, settings: &EventsSettings) -> Result<Self, EventsError> {
        subjects::validate_prefix(&settings.subject_prefix).map_err(EventsError::Config)?;
        db.migrate(&[&crate::BUS_MIGRATIONS], MigrationMode::Apply)
            .await?;
        let max_age_ms = i64::try_from(settings.stream_max_age_days)
            .unwrap_or(i64::MAX / 86_400_000)
            .saturating_mul(86_400_000);
        Ok(Self {
            db,
            prefix: settings.subject_prefix.clone(),
            max_age_ms,
            published: Notify::new(),
            streams: Mutex::new(HashSet::new()),
        })
    }

    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    pub(crate) fn is_connected(&self) -> bool {
        !self.db.pool().is_closed()
    }

    /// Creates the stream, or updates its limits, and drops messages older than its age limit.
    pub(crate) async fn ensure_stream(&self, producer: &str) -> Result<(), EventsError> {
        let name = subjects::stream_name(&self.prefix, producer);
        let now = now();
        sqlx::query(
            "INSERT INTO bus_streams (name, subjects, max_age_ms, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET subjects = excluded.subjects, \
             max_age_ms = excluded.max_age_ms",
        )
        .bind(&name)
        .bind(subjects::stream_subjects(&self.prefix, producer))
        .bind(self.max_age_ms)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        if self.max_age_ms > 0 {
            let cutoff = now.saturating_sub(self.max_age_ms);
            sqlx::query("DELETE FROM bus_messages WHERE stream = $1 AND created_at < $2")
                .bind(&name)
                .bind(cutoff)
                .execute(self.db.pool())
                .await?;
            sqlx::query(
                "DELETE FROM bus_pending WHERE stream = $1 AND NOT EXISTS \
                 (SELECT 1 FROM bus_messages m WHERE m.seq = bus_pending.seq)",
            )
            .bind(&name)
            .execute(self.db.pool())
            .await?;
        }
        self.streams.lock().expect("stream cache lock").insert(name);
        Ok(())
    }

    pub(crate) async fn delete_stream(&self, producer: &str) -> Result<(), EventsError> {
        let name = subjects::stream_name(&self.prefix, producer);
        let mut tx = self.db.begin().await?;
        for sql in [
            "DELETE FROM bus_pending WHERE stream = $1",
            "DELETE FROM bus_consumers WHERE stream = $1",
            "DELETE FROM bus_messages WHERE stream = $1",
            "DELETE FROM bus_streams WHERE name = $1",
        ] {
            sqlx::query(sql).bind(&name).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.streams
            .lock()
            .expect("stream cache lock")
            .remove(&name);
        Ok(())
    }

    /// The stream that captures `subject`, as JetStream would find it.
    async fn stream_of(&self, subject: &str) -> Result<String, EventsError> {
        let not_found = || EventsError::StreamNotFound(subject.to_string());
        let producer =
            subjects::producer_of_subject(&self.prefix, subject).ok_or_else(not_found)?;
        let name = subjects::stream_name(&self.prefix, producer);
        if self
            .streams
            .lock()
            .expect("stream cache lock")
            .contains(&name)
        {
            return Ok(name);
        }
        let exists = sqlx::query("SELECT name FROM bus_streams WHERE name = $1")
            .bind(&name)
            .fetch_optional(self.db.pool())
            .await?
            .is_some();
        if !exists {
            return Err(not_found());
        }
        self.streams
            .lock()
            .expect("stream cache lock")
            .insert(name.clone());
        Ok(name)
    }

    /// Stores the messages in one transaction; a message id already in its stream is a
    /// duplicate and is not stored again.
    pub(crate) async fn publish_batch(&self, messages: &[Outgoing]) -> BatchOutcome {
        let mut outcome = BatchOutcome::default();
        let mut streams = Vec::with_capacity(messages.len());
        let mut error = None;
        for message in messages {
            match self.stream_of(&message.subject).await {
                Ok(stream) => streams.push(stream),
                Err(e) => {
                    // Publish what precedes the first message without a stream, as JetStream would.
                    error = Some(e);
                    break;
                }
            }
        }
        match self.store(&messages[..streams.len()], &streams).await {
            Ok(duplicates) => {
                outcome.acked.extend(0..streams.len());
                outcome.duplicates = duplicates.iter().filter(|d| **d).count();
            }
            Err(e) => {
                outcome.fail(e);
                return outcome;
            }
        }
        if let Some(e) = error {
            outcome.fail(e);
        }
        outcome
    }

    pub(crate) async fn publish_one(&self, message: &Outgoing) -> Result<PublishAck, EventsError> {
        let stream = self.stream_of(&message.subject).await?;
        let (seq, duplicate) = self.store_returning_seq(message, &stream).await?;
        Ok(PublishAck {
            sequence: u64::try_from(seq).unwrap_or_default(),
            duplicate,
        })
    }

    async fn store(
        &self,
        messages: &[Outgoing],
        streams: &[String],
    ) -> Result<Vec<bool>, EventsError> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.db.begin().await?;
        self.lock_streams(&mut tx, streams).await?;
        let mut duplicates = Vec::with_capacity(messages.len());
        let now = now();
        for (message, stream) in messages.iter().zip(streams) {
            let stored = insert_message(&mut tx, message, stream, now).await?;
            duplicates.push(stored.is_none());
        }
        tx.commit().await?;
        if duplicates.iter().any(|d| !d) {
            self.published.notify_waiters();
        }
        Ok(duplicates)
    }

    async fn store_returning_seq(
        &self,
        message: &Outgoing,
        stream: &str,
    ) -> Result<(i64, bool), EventsError> {
        let mut tx = self.db.begin().await?;
        self.lock_streams(&mut tx, std::slice::from_ref(&stream.to_string()))
            .await?;
        let result = match insert_message(&mut tx, message, stream, now()).await? {
            Some(seq) => (seq, false),
            None => {
                let seq: i64 = sqlx::query_scalar(
                    "SELECT seq FROM bus_messages WHERE stream = $1 AND msg_id = $2",
                )
                .bind(stream)
                .bind(&message.msg_id)
                .fetch_one(&mut *tx)
                .await?;
                (seq, true)
            }
        };
        tx.commit().await?;
        if !result.1 {
            self.published.notify_waiters();
        }
        Ok(result)
    }

    /// On PostgreSQL, serialises the publishers of a stream so sequence numbers commit in
    /// order and a consumer's position never skips a message committed late. SQLite's
    /// `BEGIN IMMEDIATE` already does.
    async fn lock_streams(
        &self,
        tx: &mut tachawor_storage::Transaction,
        streams: &[String],
    ) -> Result<(), EventsError> {
        if self.db.backend() == Backend::Postgres {
            let distinct: BTreeSet<&String> = streams.iter().collect();
            for stream in distinct {
                sqlx::query("SELECT name FROM bus_streams WHERE name = $1 FOR UPDATE")
                    .bind(stream)
                    .fetch_optional(&mut **tx)
                    .await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn read_stream(
        &self,
        producer: &str,
    ) -> Result<Vec<StreamMessage>, EventsError> {
        let name = subjects::stream_name(&self.prefix, producer);
        let rows = sqlx::query(
            "SELECT seq, subject, msg_id, payload, traceparent FROM bus_messages \
             WHERE stream = $1 ORDER BY seq",
        )
        .bind(&name)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StreamMessage {
                    sequence: u64::try_from(row.try_get::<i64, _>("seq")?).unwrap_or_default(),
                    subject: row.try_get("subject")?,
                    msg_id: row.try_get("msg_id")?,
                    traceparent: row.try_get("traceparent")?,
                    payload: row.try_get("payload")?,
                })
            })
            .collect()
    }

    /// Creates the durable consumer, starting from the first message of the stream (`whole`:
    /// the stream's subjects), or starts it again from there when `filters` take subjects it
    /// did not. Whatever it was handed before and did not settle is due again at
    /// once: a consumer binds when its process starts, or after a failed fetch when it holds
    /// nothing, so no one is working on those messages (a crashed process's would otherwise
    /// wait out their ack wait).
    pub(crate) async fn ensure_consumer(
        &self,
        stream: &str,
        name: &str,
        filters: &[String],
        whole: &str,
    ) -> Result<(), EventsError> {
        let mut tx = self.db.begin().await?;
        let held: Option<String> = sqlx::query_scalar(
            "SELECT filter_subjects FROM bus_consumers WHERE stream = $1 AND name = $2",
        )
        .bind(stream)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
        let held: Option<Vec<String>> = held.map(|h| {
            h.split('\n')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect()
        });
        match held {
            Some(held) if subjects::filters_cover(&held, filters, whole) => {}
            held => {
                // New, or a newer version takes subjects it did not: from the stream's first
                // message, as NATS does (what was applied is skipped by `processed_events`).
                if held.is_some() {
                    tracing::info!(
                        durable = %name,
                        "consumer's filter widened; replaying the stream from its start"
                    );
                }
                sqlx::query("DELETE FROM bus_pending WHERE stream = $1 AND consumer = $2")
                    .bind(stream)
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO bus_consumers \
                     (stream, name, filter_subjects, delivered_seq, created_at) \
                     VALUES ($1, $2, $3, 0, $4) \
                     ON CONFLICT (stream, name) DO UPDATE SET \
                     filter_subjects = excluded.filter_subjects, delivered_seq = 0",
                )
                .bind(stream)
                .bind(name)
                .bind(filters.join("\n"))
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "UPDATE bus_pending SET redeliver_at = 0 \
             WHERE stream = $1 AND consumer = $2 AND redeliver_at > 0",
        )
        .bind(stream)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn delete_consumer(
        &self,
        stream: &str,
        name: &str,
    ) -> Result<(), EventsError> {
        let mut tx = self.db.begin().await?;
        sqlx::query("DELETE FROM bus_pending WHERE stream = $1 AND consumer = $2")
            .bind(stream)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM bus_consumers WHERE stream = $1 AND name = $2")
            .bind(stream)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hands out up to `batch` messages: those whose ack wait has expired first, then new ones
    /// matching the filter. Each is pending until acknowledged.
    pub(crate) async fn fetch(
        &self,
        consumer: &ConsumerRef<'_>,
        batch: usize,
    ) -> Result<Vec<Fetched>, EventsError> {
        let batch = i64::try_from(batch.max(1)).unwrap_or(i64::MAX);
        let now = now();
        let redeliver_at = now.saturating_add(consumer.ack_wait_ms);
        let mut tx = self.db.begin().await?;
        let lock = match self.db.backend() {
            Backend::Postgres => {
                "SELECT delivered_seq FROM bus_consumers WHERE stream = $1 AND name = $2 FOR UPDATE"
            }
            Backend::Sqlite => {
                "SELECT delivered_seq FROM bus_consumers WHERE stream = $1 AND name = $2"
            }
        };
        let Some(mut cursor) = sqlx::query_scalar::<_, i64>(lock)
            .bind(consumer.stream)
            .bind(consumer.name)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(EventsError::Config(format!(
                "consumer {} on {} was deleted",
                consumer.name, consumer.stream
            )));
        };

        // Out of deliveries: JetStream stops redelivering these, and so do we.
        sqlx::query(
            "DELETE FROM bus_pending WHERE stream = $1 AND consumer = $2 \
             AND deliveries >= $3 AND redeliver_at <= $4",
        )
        .bind(consumer.stream)
        .bind(consumer.name)
        .bind(consumer.max_deliver)
        .bind(now)
        .execute(&mut *tx)
        .await?;

        let mut out = Vec::new();
        let due = sqlx::query(
            "SELECT p.seq, p.deliveries, m.subject, m.payload FROM bus_pending p \
             JOIN bus_messages m ON m.seq = p.seq \
             WHERE p.stream = $1 AND p.consumer = $2 AND p.redeliver_at <= $3 \
             ORDER BY p.seq LIMIT $4",
        )
        .bind(consumer.stream)
        .bind(consumer.name)
        .bind(now)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await?;
        for row in due {
            let seq: i64 = row.try_get("seq")?;
            sqlx::query(
                "UPDATE bus_pending SET deliveries = deliveries + 1, redeliver_at = $4 \
                 WHERE stream = $1 AND consumer = $2 AND seq = $3",
            )
            .bind(consumer.stream)
            .bind(consumer.name)
            .bind(seq)
            .bind(redeliver_at)
            .execute(&mut *tx)
            .await?;
            out.push(Fetched {
                seq,
                subject: row.try_get("subject")?,
                payload: row.try_get("payload")?,
                deliveries: row.try_get::<i64, _>("deliveries")? + 1,
            });
        }

        let start_cursor = cursor;
        'scan: while (out.len() as i64) < batch {
            let rows = sqlx::query(
                "SELECT seq, subject, payload FROM bus_messages \
                 WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            )
            .bind(consumer.stream)
            .bind(cursor)
            .bind(SCAN)
            .fetch_all(&mut *tx)
            .await?;
            let scanned = rows.len() as i64;
            for row in rows {
                let seq: i64 = row.try_get("seq")?;
                let subject: String = row.try_get("subject")?;
                cursor = seq;
                if !consumer
                    .filters
                    .iter()
                    .any(|f| subjects::subject_matches(f, &subject))
                {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO bus_pending (stream, consumer, seq, deliveries, redeliver_at) \
                     VALUES ($1, $2, $3, 1, $4)",
                )
                .bind(consumer.stream)
                .bind(consumer.name)
                .bind(seq)
                .bind(redeliver_at)
                .execute(&mut *tx)
                .await?;
                out.push(Fetched {
                    seq,
                    subject,
                    payload: row.try_get("payload")?,
                    deliveries: 1,
                });
                if out.len() as i64 >= batch {
                    break 'scan;
                }
            }
            if scanned < SCAN {
                break;
            }
        }
        if cursor != start_cursor {
            sqlx::query(
                "UPDATE bus_consumers SET delivered_seq = $3 WHERE stream = $1 AND name = $2",
            )
            .bind(consumer.stream)
            .bind(consumer.name)
            .bind(cursor)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Messages of the stream past the consumer's cursor: not yet delivered to it (whatever its
    /// filter, an upper bound), for the consumer-lag gauge.
    pub(crate) async fn undelivered(&self, consumer: &ConsumerRef<'_>) -> Result<i64, EventsError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM bus_messages m JOIN bus_consumers c \
             ON c.stream = m.stream AND c.name = $2 \
             WHERE m.stream = $1 AND m.seq > c.delivered_seq",
        )
        .bind(consumer.stream)
        .bind(consumer.name)
        .fetch_one(self.db.pool())
        .await?)
    }

    /// When the next unacknowledged message becomes due for redelivery, if any.
    async fn next_due(&self, consumer: &ConsumerRef<'_>) -> Result<Option<i64>, EventsError> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(redeliver_at) FROM bus_pending WHERE stream = $1 AND consumer = $2",
        )
        .bind(consumer.stream)
        .bind(consumer.name)
        .fetch_one(self.db.pool())
        .await?)
    }

    /// Fetches, or waits until a publish or a redelivery makes something available.
    pub(crate) async fn next_batch(
        &self,
        consumer: &ConsumerRef<'_>,
        batch: usize,
    ) -> Result<Vec<Fetched>, EventsError> {
        loop {
            // Registered before looking, so a publish committed meanwhile still wakes us.
            let published = self.published.notified();
            tokio::pin!(published);
            published.as_mut().enable();
            let fetched = self.fetch(consumer, batch).await?;
            if !fetched.is_empty() {
                return Ok(fetched);
            }
            let wait = match self.next_due(consumer).await? {
                Some(at) => Duration::from_millis(
                    u64::try_from(at.saturating_sub(now()).max(0)).unwrap_or_default(),
                )
                .min(IDLE_RECHECK),
                None => IDLE_RECHECK,
            };
            tokio::select! {
                () = &mut published => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    pub(crate) async fn ack(
        &self,
        stream: &str,
        consumer: &str,
        seq: i64,
    ) -> Result<(), EventsError> {
        sqlx::query("DELETE FROM bus_pending WHERE stream = $1 AND consumer = $2 AND seq = $3")
            .bind(stream)
            .bind(consumer)
            .bind(seq)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    pub(crate) async fn nak(
        &self,
        stream: &str,
        consumer: &str,
        seq: i64,
        delay: Duration,
    ) -> Result<(), EventsError> {
        sqlx::query(
            "UPDATE bus_pending SET redeliver_at = $4 WHERE stream = $1 AND consumer = $2 AND seq = $3",
        )
        .bind(stream)
        .bind(consumer)
        .bind(seq)
        .bind(now().saturating_add(millis(delay)))
        .execute(self.db.pool())
        .await?;
        self.published.notify_waiters();
        Ok(())
    }
}

/// A durable consumer on one stream, with the settings a fetch needs.
pub(crate) struct ConsumerRef<'a> {
    pub(crate) stream: &'a str,
    pub(crate) name: &'a str,
    /// Subject patterns (with the prefix).
    pub(crate) filters: &'a [String],
    pub(crate) ack_wait_ms: i64,
    pub(crate) max_deliver: i64,
}

/// Inserts one message unless its id is already in the stream; its sequence when stored.
async fn insert_message(
    tx: &mut tachawor_storage::Transaction,
    message: &Outgoing,
    stream: &str,
    now: i64,
) -> Result<Option<i64>, EventsError> {
    let TraceContext {
        traceparent,
        tracestate,
    } = &message.trace;
    let seq: Option<i64> = sqlx::query_scalar(
        "INSERT INTO bus_messages \
         (stream, subject, msg_id, payload, traceparent, tracestate, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (stream, msg_id) DO NOTHING RETURNING seq",
    )
    .bind(stream)
    .bind(&message.subject)
    .bind(&message.msg_id)
    .bind(&message.payload)
    .bind(traceparent)
    .bind(tracestate)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(seq)
}
