//! The outbox relay: publishes committed outbox rows to the bus, in order, then marks them.
//!
//! A row is marked published only after the broker acknowledged it, so nothing is lost when the
//! broker is down; a relay stopped between publish and mark publishes the row again on its next
//! round, and the broker drops that copy by its message id (the event id), so nothing is
//! duplicated either. On PostgreSQL rows are claimed with `FOR UPDATE SKIP LOCKED` inside a
//! transaction held until they are marked, so several replicas share the work; SQLite has a
//! single writer and a plain select does.
//!
//! Order: one relay publishes in `seq` order, awaiting each batch's acknowledgements before the
//! next batch. Replicas sharing the work on PostgreSQL may interleave their batches, and a
//! transaction that commits after a later one makes its event appear later: consumers must not
//! rely on a global order, only on each event being delivered.

use std::{
    collections::HashSet,
    fmt::Write as _,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use prost::Message;
use sqlx::Row;
use tachawor_proto::events::Envelope;
use tachawor_storage::{Backend, Clock, Database, SystemClock};
use tokio::{
    sync::{Notify, watch},
    task::JoinHandle,
};

use crate::{
    EventsError, RelaySettings,
    bus::{Bus, Outgoing},
    error::chain,
    metrics::{OutboxGauges, RelayMetrics},
};

/// How often, in clock time, published rows past their retention are deleted.
const PURGE_EVERY_MS: i64 = 60_000;

/// How often, at most, the backlog gauge is refreshed by counting unpublished rows.
const BACKLOG_EVERY: Duration = Duration::from_secs(1);

/// Test hooks that stop or pause a relay at a precise point of a round.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum RelayFault {
    /// Publishes one batch, then stops without marking it: a relay killed between the two.
    StopAfterPublish,
    /// After its first non-empty claim, signals `claimed` and holds the claim until `release`.
    HoldFirstClaim {
        claimed: Arc<Notify>,
        release: Arc<Notify>,
    },
}

/// A relay about to be started. [`Relay::spawn`] starts one with the defaults.
pub struct Relay {
    db: Database,
    bus: Bus,
    settings: RelaySettings,
    /// Decides when published rows are old enough to delete.
    clock: Arc<dyn Clock>,
    fault: Option<RelayFault>,
    /// The `producer` attribute of its metrics.
    producer: String,
}

/// State the relay task shares with its handle.
#[derive(Debug)]
struct Shared {
    wake: Notify,
    healthy: AtomicBool,
    published: AtomicU64,
    failed_rounds: AtomicU64,
}

/// The running relay. Dropping it stops the relay as [`RelayHandle::shutdown`] would, without
/// waiting for it.
#[derive(Debug)]
pub struct RelayHandle {
    shared: Arc<Shared>,
    bus: Bus,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// A cheap, cloneable way to wake the relay, for the request handlers that commit events.
#[derive(Debug, Clone)]
pub struct RelayNotifier(Arc<Shared>);

impl RelayNotifier {
    /// See [`RelayHandle::notify`].
    pub fn notify(&self) {
        self.0.wake.notify_one();
    }

    /// See [`RelayHandle::failed_rounds`].
    pub fn failed_rounds(&self) -> u64 {
        self.0.failed_rounds.load(Ordering::Relaxed)
    }
}

impl RelayHandle {
    /// A hint that rows were just committed: the relay looks at once instead of at its next poll.
    pub fn notify(&self) {
        self.shared.wake.notify_one();
    }

    pub fn notifier(&self) -> RelayNotifier {
        RelayNotifier(self.shared.clone())
    }

    /// False while the broker is unreachable or its last round failed; feeds the health service.
    pub fn is_healthy(&self) -> bool {
        self.shared.healthy.load(Ordering::Relaxed) && self.bus.is_connected()
    }

    /// Rows this relay has had acknowledged since it started (duplicates included).
    pub fn published_total(&self) -> u64 {
        self.shared.published.load(Ordering::Relaxed)
    }

    /// Rounds that failed (broker or database unreachable) since the relay started.
    pub fn failed_rounds(&self) -> u64 {
        self.shared.failed_rounds.load(Ordering::Relaxed)
    }

    /// Publishes what is pending (for at most `shutdown_timeout_ms`), then stops; returns
    /// `published_total` as it stands once the last round is counted.
    pub async fn shutdown(self) -> u64 {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = chain(&e), "outbox relay task failed");
        }
        self.shared.published.load(Ordering::Relaxed)
    }
}

enum Round {
    /// Rows claimed and all acknowledged.
    Published(usize),
    /// A fault hook stopped the relay.
    Stopped,
}

struct Claimed {
    seq: i64,
    event_id: String,
    event_type: String,
    subject: String,
    envelope: Vec<u8>,
    created_at: i64,
}

/// The relay task's instruments and the gauges they read.
struct Metrics {
    metrics: RelayMetrics,
    gauges: Arc<OutboxGauges>,
}

impl Relay {
    pub fn new(db: Database, bus: Bus, settings: RelaySettings) -> Self {
        Self {
            db,
            bus,
            settings,
            clock: Arc::new(SystemClock),
            fault: None,
            producer: "unknown".to_owned(),
        }
    }

    /// Names the producer in the relay's metrics (`producer` attribute).
    pub fn with_producer(mut self, producer: &str) -> Self {
        self.producer = producer.to_owned();
        self
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    #[doc(hidden)]
    pub fn with_fault(mut self, fault: RelayFault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Starts a relay with the system clock.
    pub fn spawn(db: Database, bus: Bus, settings: RelaySettings) -> RelayHandle {
        Self::new(db, bus, settings).start()
    }

    /// Starts the relay task on the current runtime.
    pub fn start(self) -> RelayHandle {
        let shared = Arc::new(Shared {
            wake: Notify::new(),
            healthy: AtomicBool::new(true),
            published: AtomicU64::new(0),
            failed_rounds: AtomicU64::new(0),
        });
        let (stop, stopped) = watch::channel(false);
        let bus = self.bus.clone();
        let gauges = Arc::new(OutboxGauges {
            backlog: (-1).into(),
            oldest_age_ms: 0.into(),
            publishing: 1.into(),
        });
        let metrics = RelayMetrics::new(&self.producer, &gauges);
        let task = tokio::spawn(self.run(shared.clone(), stopped, Metrics { metrics, gauges }));
        RelayHandle {
            shared,
            bus,
            stop,
            task,
        }
    }

    async fn run(
        mut self,
        shared: Arc<Shared>,
        mut stopped: watch::Receiver<bool>,
        metrics: Metrics,
    ) {
        let poll = Duration::from_millis(self.settings.poll_interval_ms.max(1));
        let max_backoff = Duration::from_millis(self.settings.max_backoff_ms).max(poll);
        let batch = usize::try_from(self.settings.batch_size.max(1)).unwrap_or(usize::MAX);
        let mut ensured = HashSet::new();
        let mut backoff = poll;
        let mut last_purge = i64::MIN;
        let mut last_count: Option<tokio::time::Instant> = None;
        // A dropped handle counts as a stop.
        let stopping = |rx: &watch::Receiver<bool>| *rx.borrow() || rx.has_changed().is_err();
        while !stopping(&stopped) {
            self.count_backlog_if_due(&metrics.gauges, &mut last_count)
                .await;
            match self.round(&mut ensured, &shared, &metrics.metrics).await {
                Ok(Round::Stopped) => return,
                Ok(Round::Published(n)) => {
                    shared.healthy.store(true, Ordering::Relaxed);
                    metrics.gauges.publishing.store(1, Ordering::Relaxed);
                    backoff = poll;
                    if n >= batch {
                        continue;
                    }
                    self.purge_if_due(&mut last_purge).await;
                    tokio::select! {
                        () = shared.wake.notified() => {}
                        () = tokio::time::sleep(poll) => {}
                        _ = stopped.changed() => {}
                    }
                }
                Err(e) => {
                    shared.healthy.store(false, Ordering::Relaxed);
                    metrics.gauges.publishing.store(0, Ordering::Relaxed);
                    shared.failed_rounds.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(
                        error = chain(&e),
                        retry_in_ms = backoff.as_millis(),
                        "outbox relay round failed"
                    );
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        _ = stopped.changed() => {}
                    }
                    backoff = (backoff * 2).min(max_backoff);
                }
            }
        }
        let limit = Duration::from_millis(self.settings.shutdown_timeout_ms);
        let drain = async {
            loop {
                match self.round(&mut ensured, &shared, &metrics.metrics).await {
                    Ok(Round::Published(n)) if n >= batch => {}
                    Ok(_) => return,
                    Err(e) => {
                        tracing::warn!(
                            error = chain(&e),
                            "outbox relay could not flush at shutdown"
                        );
                        tokio::time::sleep(poll).await;
                    }
                }
            }
        };
        if tokio::time::timeout(limit, drain).await.is_err() {
            tracing::warn!("outbox relay stopped with events still pending");
        }
    }

    /// Claims, publishes and marks one batch.
    async fn round(
        &mut self,
        ensured: &mut HashSet<String>,
        shared: &Shared,
        metrics: &RelayMetrics,
    ) -> Result<Round, EventsError> {
        let limit = self.settings.batch_size.max(1);
        match self.db.backend() {
            Backend::Postgres => {
                let mut tx = self.db.begin().await?;
                let rows = claim(
                    &mut tx,
                    limit,
                    "SELECT seq, event_id, event_type, subject, envelope, created_at FROM outbox \
                     WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
                )
                .await?;
                if rows.is_empty() {
                    tx.commit().await?;
                    return Ok(Round::Published(0));
                }
                self.hold_if_asked().await;
                let (acked, error) = self.publish(&rows, ensured).await;
                if matches!(self.fault, Some(RelayFault::StopAfterPublish)) {
                    return Ok(Round::Stopped);
                }
                mark(&mut tx, &acked, self.clock.now_millis()).await?;
                tx.commit().await?;
                self.finish(shared, metrics, &rows, &acked, error)
            }
            Backend::Sqlite => {
                let mut conn = self.db.pool().acquire().await?;
                let rows = claim(
                    &mut conn,
                    limit,
                    "SELECT seq, event_id, event_type, subject, envelope, created_at FROM outbox \
                     WHERE published_at IS NULL ORDER BY seq LIMIT $1",
                )
                .await?;
                if rows.is_empty() {
                    return Ok(Round::Published(0));
                }
                self.hold_if_asked().await;
                let (acked, error) = self.publish(&rows, ensured).await;
                if matches!(self.fault, Some(RelayFault::StopAfterPublish)) {
                    return Ok(Round::Stopped);
                }
                mark(&mut conn, &acked, self.clock.now_millis()).await?;
                self.finish(shared, metrics, &rows, &acked, error)
            }
        }
    }

    fn finish(
        &self,
        shared: &Shared,
        metrics: &RelayMetrics,
        rows: &[Claimed],
        acked: &[i64],
        error: Option<EventsError>,
    ) -> Result<Round, EventsError> {
        shared
            .published
            .fetch_add(acked.len() as u64, Ordering::Relaxed);
        let now = self.clock.now_millis();
        // `acked` is a subsequence of `rows`, both in `seq` order.
        let mut acked_iter = acked.iter().peekable();
        for row in rows {
            if acked_iter.peek() == Some(&&row.seq) {
                acked_iter.next();
                metrics.published(&row.event_type, row.created_at, now);
            }
        }
        metrics.failed(if error.is_some() {
            rows.len() - acked.len()
        } else {
            0
        });
        tracing::debug!(
            claimed = rows.len(),
            published = acked.len(),
            "outbox relay round"
        );
        match error {
            Some(e) => Err(e),
            None => Ok(Round::Published(rows.len())),
        }
    }

    async fn hold_if_asked(&mut self) {
        if let Some(RelayFault::HoldFirstClaim { claimed, release }) = &self.fault {
            claimed.notify_one();
            release.notified().await;
            self.fault = None;
        }
    }

    /// Publishes the rows; returns the sequence numbers acknowledged and the first failure.
    async fn publish(
        &self,
        rows: &[Claimed],
        ensured: &mut HashSet<String>,
    ) -> (Vec<i64>, Option<EventsError>) {
        for row in rows {
            let producer = row.event_type.split('.').next().unwrap_or_default();
            // Under least privilege the stream is an admin's to create; a missing one fails
            // the publish and the rows wait.
            if self.bus.manages_streams() && !ensured.contains(producer) {
                if let Err(e) = self.bus.ensure_stream(producer).await {
                    return (Vec::new(), Some(e));
                }
                ensured.insert(producer.to_string());
            }
        }
        let messages: Vec<Outgoing> = rows
            .iter()
            .map(|row| Outgoing {
                subject: row.subject.clone(),
                msg_id: row.event_id.clone(),
                payload: row.envelope.clone(),
                trace: Envelope::decode(row.envelope.as_slice())
                    .ok()
                    .and_then(|e| e.trace_context)
                    .unwrap_or_default(),
            })
            .collect();
        let outcome = self
            .bus
            .publish_batch(&messages, self.settings.max_in_flight)
            .await;
        if outcome.duplicates > 0 {
            tracing::info!(
                duplicates = outcome.duplicates,
                "the broker already had events from an earlier attempt"
            );
        }
        if matches!(outcome.error, Some(EventsError::StreamNotFound(_))) {
            // The stream was deleted under us: create it again next round.
            ensured.clear();
        }
        let acked = outcome.acked.iter().map(|&i| rows[i].seq).collect();
        (acked, outcome.error)
    }

    /// Refreshes the backlog gauges, at most every [`BACKLOG_EVERY`]: every replica counts the
    /// whole table, so each reports the service's backlog (dashboards take the maximum).
    async fn count_backlog_if_due(
        &self,
        gauges: &OutboxGauges,
        last: &mut Option<tokio::time::Instant>,
    ) {
        let now = tokio::time::Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < BACKLOG_EVERY) {
            return;
        }
        *last = Some(now);
        let counted: Result<(i64, Option<i64>), sqlx::Error> = sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE published_at IS NULL",
        )
        .fetch_one(self.db.pool())
        .await;
        match counted {
            Ok((backlog, oldest)) => {
                let age = oldest.map_or(0, |at| self.clock.now_millis().saturating_sub(at).max(0));
                gauges.backlog.store(backlog, Ordering::Relaxed);
                gauges.oldest_age_ms.store(age, Ordering::Relaxed);
            }
            // The round that follows fails too and reports it.
            Err(e) => tracing::debug!(error = chain(&e), "could not count the outbox backlog"),
        }
    }

    async fn purge_if_due(&self, last_purge: &mut i64) {
        let now = self.clock.now_millis();
        if now.saturating_sub(*last_purge) < PURGE_EVERY_MS {
            return;
        }
        *last_purge = now;
        let retention_ms = i64::try_from(self.settings.retention_hours)
            .unwrap_or(i64::MAX)
            .saturating_mul(3_600_000);
        let result =
            sqlx::query("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1")
                .bind(now.saturating_sub(retention_ms))
                .execute(self.db.pool())
                .await;
        match result {
            Ok(r) if r.rows_affected() > 0 => {
                tracing::debug!(deleted = r.rows_affected(), "old outbox rows deleted");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = chain(&e), "could not delete old outbox rows"),
        }
    }
}

async fn claim(
    conn: &mut sqlx::AnyConnection,
    limit: i64,
    sql: &'static str,
) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query(sql)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| {
            Ok(Claimed {
                seq: row.try_get("seq")?,
                event_id: row.try_get("event_id")?,
                event_type: row.try_get("event_type")?,
                subject: row.try_get("subject")?,
                envelope: row.try_get("envelope")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

async fn mark(conn: &mut sqlx::AnyConnection, seqs: &[i64], now: i64) -> Result<(), sqlx::Error> {
    if seqs.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("UPDATE outbox SET published_at = $1 WHERE seq IN (");
    for (i, seq) in seqs.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{sep}{seq}");
    }
    sql.push(')');
    // Only integers read back from the outbox are interpolated.
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Events committed and not yet published: the outbox backlog, for metrics.
pub async fn pending_count(db: &Database) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
        .fetch_one(db.pool())
        .await
}

/// Marks the kept rows of `from_seq..=to_seq` unpublished, so the relay publishes them again:
/// for a broker that lost messages it had acknowledged. Returns how many rows will be sent.
/// A copy still inside the broker's duplicate window is dropped by it as a duplicate.
pub async fn republish_range(
    db: &Database,
    from_seq: i64,
    to_seq: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE outbox SET published_at = NULL \
         WHERE seq >= $1 AND seq <= $2 AND published_at IS NOT NULL",
    )
    .bind(from_seq)
    .bind(to_seq)
    .execute(db.pool())
    .await?
    .rows_affected())
}
