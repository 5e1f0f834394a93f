//! The delivery worker: sends the email and SMS rows the consumers recorded.
//!
//! Each round claims the due rows in one short transaction (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so replicas take disjoint rows; SQLite has one writer), decides per person and
//! channel what goes out (rate limit, digest) and leases the rows to this worker. Then, per
//! message: identity gives the contact (none: skipped), the message is written, its rows are
//! committed as `sending`, the transport is called, and the outcome is recorded. A row left
//! `sending` by a stopped worker is dead-lettered as "outcome unknown", never sent twice.

pub mod contacts;
mod email;
pub mod render;
mod sms;
mod transport;

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use rand::Rng;
use tachawor_proto::identity::ContactChannel;
use tachawor_storage::{Backend, Clock, Database};
use tokio::{sync::watch, task::JoinHandle};
use tracing::Instrument;

pub use contacts::{Contact, ContactBook, IdentityContacts, LookupError};
pub use render::{Lang, Purpose};

use crate::{
    kinds::{Channel, Kind},
    metrics::DeliveryMetrics,
    recipients,
    settings::{DeliverySettings, Settings},
    store::{
        audience, broadcasts,
        deliveries::{self, Due},
        inbox::Message,
    },
};
use email::Mailer;
use render::{Notice, Renderer};
use sms::SmsSender;
use transport::SendError;

/// What sends the messages, built from the settings.
pub(crate) struct Worker {
    db: Database,
    clock: Arc<dyn Clock>,
    contacts: Arc<dyn ContactBook>,
    renderer: Renderer,
    mailer: Mailer,
    sms: SmsSender,
    settings: DeliverySettings,
    default_lang: Lang,
    /// This worker's name on the rows it leases.
    owner: String,
    metrics: DeliveryMetrics,
}

/// A running worker: stop it with [`Running::stop`]. Dropped without stopping (the service
/// killed where it stands), its task is aborted with it.
pub(crate) struct Running {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Running {
    /// Lets the message being sent finish, hands the other claimed rows back, and waits.
    pub(crate) async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// One message to send: a single row, or a digest of several of one person and channel.
struct Planned {
    message_id: String,
    account_id: String,
    channel: Channel,
    rows: Vec<Due>,
}

impl Worker {
    pub(crate) fn new(
        settings: &Settings,
        db: Database,
        clock: Arc<dyn Clock>,
        contacts: Arc<dyn ContactBook>,
    ) -> anyhow::Result<Self> {
        let default_lang = Lang::parse(&settings.notification.default_language)
            .ok_or_else(|| anyhow::anyhow!("notification.default_language must be ar or fr"))?;
        Ok(Self {
            db,
            clock,
            contacts,
            renderer: Renderer::new(
                &settings.notification.portal_url,
                Some(settings.notification.messages_dir.as_str())
                    .filter(|d| !d.is_empty())
                    .map(std::path::Path::new),
            )
            .map_err(|e| anyhow::anyhow!(e))?,
            mailer: Mailer::new(&settings.email)?,
            sms: SmsSender::new(&settings.sms)?,
            settings: settings.delivery.clone(),
            default_lang,
            owner: uuid::Uuid::now_v7().to_string(),
            metrics: DeliveryMetrics::new(),
        })
    }

    pub(crate) fn start(self) -> Running {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(stopped));
        Running {
            stop,
            task: Some(task),
        }
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let pause = Duration::from_millis(self.settings.poll_interval_ms.max(10));
        loop {
            if *stopped.borrow() {
                return;
            }
            let busy = match self.round(&stopped).await {
                Ok(sent) => sent > 0,
                Err(error) => {
                    tracing::warn!(error = %error, "delivery round failed");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = stopped.changed() => {}
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
    }

    /// Claims what is due and sends it; how many messages were handled.
    async fn round(&self, stopped: &watch::Receiver<bool>) -> anyhow::Result<usize> {
        let now = self.clock.now_millis();
        let mut conn = self.db.begin().await?;
        let unknown =
            deliveries::bury_unknown(&mut conn, now - self.settings.stale_sending_ms, now).await?;
        conn.commit().await?;
        if unknown > 0 {
            tracing::warn!(rows = unknown, "messages abandoned mid-send dead-lettered");
            self.metrics.dead_lettered("unknown", unknown);
        }
        let told = self.fan_out(now).await?;
        let planned = self.claim(now).await?;
        let count = planned.len() + told;
        let mut rest = planned.into_iter();
        for message in rest.by_ref() {
            let span = tracing::info_span!(
                "delivery",
                message_id = %message.message_id,
                channel = message.channel.as_sql(),
                rows = message.rows.len()
            );
            self.deliver(&message).instrument(span).await;
            if *stopped.borrow() {
                break;
            }
        }
        // Stopping: what was claimed and not sent waits for the next worker, now.
        let left: Vec<String> = rest
            .flat_map(|m| m.rows.into_iter().map(|r| r.delivery_id))
            .collect();
        if !left.is_empty() {
            let ids: Vec<&str> = left.iter().map(String::as_str).collect();
            let mut tx = self.db.begin().await?;
            deliveries::postpone(&mut tx, &ids, now, "handed back at shutdown").await?;
            tx.commit().await?;
        }
        Ok(count)
    }

    /// Tells the next `batch_size` people of the oldest unfinished broadcast (followers of a
    /// consultation, or holders of a preference), in one transaction, and records how far it
    /// got; how many people were told.
    async fn fan_out(&self, now: i64) -> anyhow::Result<usize> {
        if !broadcasts::any_open(&mut *self.db.pool().acquire().await?).await? {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let lock = self.db.backend() == Backend::Postgres;
        let Some(broadcast) = broadcasts::next(&mut tx, lock).await? else {
            return Ok(0);
        };
        let limit = self.settings.batch_size.max(1);
        // A kind this version does not know (from a newer one) tells nobody here.
        let kind = Kind::from_sql(&broadcast.kind);
        let people = match kind {
            Some(kind) => broadcasts::next_people(&mut tx, &broadcast, kind, limit).await?,
            None => Vec::new(),
        };
        // Latencies of the messages put in inboxes, counted once committed.
        let mut in_inbox = Vec::new();
        if let Some(kind) = kind {
            let message = Message {
                event_id: &broadcast.event_id,
                kind,
                subject_type: &broadcast.subject_type,
                subject_id: &broadcast.subject_id,
                detail: broadcast.detail.clone(),
                occurred_at: broadcast.occurred_at,
            };
            for account_id in &people {
                if recipients::tell(&mut tx, account_id, &message, now).await? {
                    in_inbox.push(now - broadcast.occurred_at);
                }
            }
        }
        let last = people.last().unwrap_or(&broadcast.last_account_id);
        let finished = ((people.len() as i64) < limit).then_some(now);
        broadcasts::advance(&mut tx, &broadcast, last, finished).await?;
        tx.commit().await?;
        if !in_inbox.is_empty() {
            self.metrics.sent(Channel::Inbox.as_sql(), &in_inbox);
        }
        Ok(people.len())
    }

    /// Claims the due rows and decides what goes out, in one transaction.
    async fn claim(&self, now: i64) -> anyhow::Result<Vec<Planned>> {
        let s = &self.settings;
        let mut tx = self.db.begin().await?;
        let lock = self.db.backend() == Backend::Postgres;
        let due = deliveries::due(&mut tx, now, s.batch_size.max(1), lock).await?;
        // Per person and channel, in key order (accounts are locked in that order).
        let mut groups: BTreeMap<(String, String), Vec<Due>> = BTreeMap::new();
        for row in due {
            groups
                .entry((row.account_id.clone(), row.channel.clone()))
                .or_default()
                .push(row);
        }
        let mut planned = Vec::new();
        for ((account_id, channel_sql), rows) in groups {
            let Some(channel) = Channel::from_sql(&channel_sql) else {
                continue;
            };
            let (urgent, notices): (Vec<Due>, Vec<Due>) =
                rows.into_iter().partition(|r| is_urgent(&r.kind));
            // Secrets and security notices go alone and at once.
            for row in urgent {
                planned.push(Planned::new(&account_id, channel, vec![row]));
            }
            if notices.is_empty() {
                continue;
            }
            // Two workers deciding for one person wait for each other here.
            audience::lock_account(&mut tx, &account_id, false).await?;
            let (recent, oldest) = deliveries::recent_messages(
                &mut tx,
                &account_id,
                &channel_sql,
                now - s.rate_window_ms,
                now,
            )
            .await?;
            let allowed = (s.rate_limit - recent).max(0) as usize;
            if allowed == 0 {
                let until = oldest
                    .map(|o| o + s.rate_window_ms)
                    .unwrap_or(now + s.rate_window_ms / s.rate_limit.max(1))
                    .max(now + 1);
                let ids: Vec<&str> = notices.iter().map(|r| r.delivery_id.as_str()).collect();
                deliveries::postpone(&mut tx, &ids, until, "rate limit").await?;
                continue;
            }
            if notices.len() >= s.digest_threshold.max(2) {
                planned.push(Planned::new(&account_id, channel, notices));
                continue;
            }
            let mut notices = notices.into_iter();
            for row in notices.by_ref().take(allowed) {
                planned.push(Planned::new(&account_id, channel, vec![row]));
            }
            let waiting: Vec<Due> = notices.collect();
            if !waiting.is_empty() {
                let until = now + s.rate_window_ms / s.rate_limit.max(1);
                let ids: Vec<&str> = waiting.iter().map(|r| r.delivery_id.as_str()).collect();
                deliveries::postpone(&mut tx, &ids, until, "rate limit").await?;
            }
        }
        for message in &planned {
            let ids: Vec<&str> = message
                .rows
                .iter()
                .map(|r| r.delivery_id.as_str())
                .collect();
            deliveries::lease(
                &mut tx,
                &ids,
                &self.owner,
                &message.message_id,
                now + s.lease_ms,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(planned)
    }

    /// Looks the contact up, writes the message, sends it and records what happened.
    async fn deliver(&self, message: &Planned) {
        if let Err(error) = self.try_deliver(message).await {
            // The rows stay leased; once the lease ends they are claimed again.
            tracing::warn!(error = %error, "delivery not recorded");
        }
    }

    async fn try_deliver(&self, message: &Planned) -> anyhow::Result<()> {
        let first = &message.rows[0];
        let purpose = Purpose::parse(&first.kind);
        let now = self.clock.now_millis();
        if purpose.is_some() && first.expires_at > 0 && first.expires_at <= now {
            return self.end(message, "skipped", "the request expired").await;
        }
        let request_id = if purpose.is_some() {
            first.request_id.as_str()
        } else {
            ""
        };
        let channel = match message.channel {
            Channel::Sms => ContactChannel::Phone,
            _ => ContactChannel::Email,
        };
        let contact = match self
            .contacts
            .contact(&message.account_id, channel, request_id)
            .await
        {
            Ok(contact) => contact,
            Err(LookupError::Nobody) => {
                let reason = if purpose.is_some() {
                    "the request is no longer pending"
                } else {
                    "no verified contact consented to messages"
                };
                return self.end(message, "skipped", reason).await;
            }
            Err(LookupError::Unavailable(reason)) => {
                return self.failed(message, SendError::Transient(reason)).await;
            }
        };
        let lang = contact.lang.unwrap_or(self.default_lang);
        let name = contact.display_name.as_str();
        let rendered = match purpose {
            Some(purpose) => self.renderer.request(lang, name, purpose, &contact.secret),
            None if message.rows.len() > 1 => {
                let notices: Vec<Notice<'_>> = message.rows.iter().map(notice).collect();
                self.renderer.digest(lang, name, &notices)
            }
            None => self.renderer.notice(lang, name, &notice(first)),
        };
        // Committed before the transport is called: a crash from here on never sends again.
        let mut tx = self.db.begin().await?;
        let held = deliveries::start_sending(
            &mut tx,
            &message.message_id,
            &self.owner,
            self.clock.now_millis(),
        )
        .await?;
        if held as usize != message.rows.len() {
            // The lease ran out and another worker has these rows.
            tx.rollback().await?;
            return Ok(());
        }
        tx.commit().await?;
        let sent = match message.channel {
            Channel::Email => {
                self.mailer
                    .send(&contact.address, name, &rendered, &message.message_id)
                    .await
            }
            Channel::Sms => {
                self.sms
                    .send(&contact.address, &rendered.sms, &message.message_id)
                    .await
            }
            Channel::Inbox => Err(SendError::Permanent("the inbox is not sent".into())),
        };
        match sent {
            Ok(()) => {
                let now = self.clock.now_millis();
                self.end(message, "sent", "").await?;
                let latencies: Vec<i64> =
                    message.rows.iter().map(|r| now - r.occurred_at).collect();
                self.metrics.sent(message.channel.as_sql(), &latencies);
                tracing::info!("message sent");
                Ok(())
            }
            Err(error) => self.failed(message, error).await,
        }
    }

    /// Ends the message's rows in `state` (`sent`, `skipped` or `dead`).
    async fn end(&self, message: &Planned, state: &str, reason: &str) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        let reason = (!reason.is_empty()).then_some(reason);
        let ended = deliveries::finish(
            &mut tx,
            &message.message_id,
            &self.owner,
            state,
            reason,
            self.clock.now_millis(),
        )
        .await?;
        tx.commit().await?;
        let channel = message.channel.as_sql();
        match state {
            "skipped" => {
                tracing::info!(reason, "message skipped");
                self.metrics.skipped(channel, ended);
            }
            "dead" => {
                tracing::warn!(reason, "message dead-lettered");
                self.metrics.dead_lettered(channel, ended);
            }
            _ => {}
        }
        Ok(())
    }

    /// A failed send: retried later with backoff, or dead-lettered when permanent or out of
    /// attempts.
    async fn failed(&self, message: &Planned, error: SendError) -> anyhow::Result<()> {
        let channel = message.channel.as_sql();
        self.metrics.failed(channel);
        let reason = error.reason().to_string();
        if let SendError::Permanent(_) = error {
            return self.end(message, "dead", &reason).await;
        }
        let now = self.clock.now_millis();
        let mut tx = self.db.begin().await?;
        let mut buried = 0;
        for row in &message.rows {
            let attempts = row.attempts + 1;
            let dead = attempts >= self.settings.max_attempts;
            buried += u64::from(dead);
            let due_at = now + self.backoff(attempts);
            deliveries::retry_or_bury(
                &mut tx,
                &row.delivery_id,
                &self.owner,
                dead,
                due_at,
                &reason,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        if buried > 0 {
            tracing::warn!(reason, "message dead-lettered after its last attempt");
            self.metrics.dead_lettered(channel, buried);
        } else {
            tracing::info!(reason, "message will be tried again");
        }
        Ok(())
    }

    /// The wait before attempt `attempts + 1`: doubling from `retry_initial_ms` up to
    /// `retry_max_ms`, then a random point in its upper half, so retries spread out.
    fn backoff(&self, attempts: i64) -> i64 {
        let ceiling = backoff_ceiling(
            self.settings.retry_initial_ms,
            self.settings.retry_max_ms,
            attempts,
        );
        rand::rng().random_range(ceiling / 2..=ceiling.max(1))
    }
}

impl Planned {
    fn new(account_id: &str, channel: Channel, rows: Vec<Due>) -> Self {
        Self {
            message_id: uuid::Uuid::now_v7().to_string(),
            account_id: account_id.to_string(),
            channel,
            rows,
        }
    }
}

/// Identity's requests and security notices skip the rate limit and the digest.
fn is_urgent(kind: &str) -> bool {
    Purpose::is_known(kind) || kind == Kind::PasswordChanged.as_sql()
}

fn notice(row: &Due) -> Notice<'_> {
    Notice {
        kind: &row.kind,
        subject_type: &row.subject_type,
        subject_id: &row.subject_id,
        detail: &row.detail,
    }
}

/// `initial × 2^(attempts-1)`, at most `max`.
fn backoff_ceiling(initial: i64, max: i64, attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 40) as u32;
    initial
        .max(1)
        .saturating_mul(1_i64 << doublings.min(62))
        .min(max.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_ceiling() {
        assert_eq!(backoff_ceiling(30_000, 3_600_000, 1), 30_000);
        assert_eq!(backoff_ceiling(30_000, 3_600_000, 2), 60_000);
        assert_eq!(backoff_ceiling(30_000, 3_600_000, 4), 240_000);
        assert_eq!(backoff_ceiling(30_000, 3_600_000, 9), 3_600_000);
        assert_eq!(backoff_ceiling(30_000, 3_600_000, 1_000), 3_600_000);
    }

    #[test]
    fn secrets_and_security_notices_are_urgent_notifications_are_not() {
        assert!(is_urgent("verify_contact"));
        assert!(is_urgent("reset_password"));
        assert!(is_urgent("password_changed"));
        assert!(!is_urgent("proposal_answered"));
    }
}
