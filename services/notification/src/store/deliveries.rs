//! Messages to send by email and SMS: one row per person, event and channel
//! (`UNIQUE (event_id, account_id, channel)`), so an event delivered again sends nothing more.
//!
//! A row is `pending` until the worker sends it; a claimed row is still `pending`, leased to
//! one worker until `due_at` (a crashed worker's lease runs out and another claims the row). It
//! turns `sending`, committed, just before the transport is called, and `sent`, `skipped` or
//! `dead` after; a row found `sending` long after is never sent again.

use sqlx::{AnyConnection, Row};
use tachawor_storage::params;

use crate::kinds::{Channel, Kind};

/// A message to send, as the consumers record it.
#[derive(Debug, Clone)]
pub(crate) struct NewDelivery<'a> {
    pub event_id: &'a str,
    pub account_id: &'a str,
    pub channel: Channel,
    /// A kind of notification's spelling, or identity's purpose.
    pub kind: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub detail: &'a str,
    pub request_id: &'a str,
    pub expires_at: i64,
    pub occurred_at: i64,
    /// Sent only if the person's preference for this kind on the channel is on; `None`: always
    /// (security notices and what identity asked for).
    pub preference: Option<Kind>,
}

/// Records `delivery` unless the person turned its channel off for its kind or already has
/// it; whether it was recorded.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    delivery: &NewDelivery<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (asks, kind, default) = match delivery.preference {
        Some(kind) => (
            1_i64,
            kind.as_sql(),
            i64::from(kind.enabled_by_default(delivery.channel)),
        ),
        None => (0, "", 1),
    };
    let done = sqlx::query(
        "INSERT INTO nt_deliveries (delivery_id, event_id, account_id, channel, kind, \
         subject_type, subject_id, detail, request_id, expires_at, occurred_at, created_at, \
         state, attempts, due_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', 0, $12 \
         WHERE $13 = 0 OR COALESCE((SELECT enabled FROM nt_preferences WHERE account_id = $3 \
           AND channel = $4 AND kind = $14), $15) = 1 \
         ON CONFLICT (event_id, account_id, channel) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(delivery.event_id)
    .bind(delivery.account_id)
    .bind(delivery.channel.as_sql())
    .bind(delivery.kind)
    .bind(delivery.subject_type)
    .bind(delivery.subject_id)
    .bind(delivery.detail)
    .bind(delivery.request_id)
    .bind(delivery.expires_at)
    .bind(delivery.occurred_at)
    .bind(now)
    .bind(asks)
    .bind(kind)
    .bind(default)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A due row, as the worker reads it.
#[derive(Debug, Clone)]
pub(crate) struct Due {
    pub delivery_id: String,
    pub account_id: String,
    pub channel: String,
    pub kind: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
    pub request_id: String,
    pub expires_at: i64,
    pub occurred_at: i64,
    pub attempts: i64,
}

/// Up to `limit` pending rows due at `now`, oldest first. With `lock` (PostgreSQL) they are
/// locked for the transaction, skipping rows another worker holds.
pub(crate) async fn due(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
    lock: bool,
) -> Result<Vec<Due>, sqlx::Error> {
    let sql = format!(
        "SELECT delivery_id, account_id, channel, kind, subject_type, subject_id, detail, \
         request_id, expires_at, occurred_at, attempts FROM nt_deliveries \
         WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at, delivery_id LIMIT $2{}",
        if lock { " FOR UPDATE SKIP LOCKED" } else { "" }
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Due {
                delivery_id: r.try_get(0)?,
                account_id: r.try_get(1)?,
                channel: r.try_get(2)?,
                kind: r.try_get(3)?,
                subject_type: r.try_get(4)?,
                subject_id: r.try_get(5)?,
                detail: r.try_get(6)?,
                request_id: r.try_get(7)?,
                expires_at: r.try_get(8)?,
                occurred_at: r.try_get(9)?,
                attempts: r.try_get::<i64, _>(10)?,
            })
        })
        .collect()
}

/// Messages to `account_id` on `channel` that count against its rate limit: sent since
/// `since`, being sent, or claimed by a worker (leased until after `now`).
pub(crate) async fn recent_messages(
    conn: &mut AnyConnection,
    account_id: &str,
    channel: &str,
    since: i64,
    now: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT message_id), \
         MIN(CASE WHEN state = 'sent' THEN finished_at END) FROM nt_deliveries \
         WHERE account_id = $1 AND channel = $2 AND message_id IS NOT NULL \
         AND ((state = 'sent' AND finished_at >= $3) OR state = 'sending' \
           OR (state = 'pending' AND lease_owner IS NOT NULL AND due_at > $4))",
    )
    .bind(account_id)
    .bind(channel)
    .bind(since)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Leases rows to `owner` until `until`, as one message `message_id`.
pub(crate) async fn lease(
    conn: &mut AnyConnection,
    ids: &[&str],
    owner: &str,
    message_id: &str,
    until: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE nt_deliveries SET lease_owner = $1, message_id = $2, due_at = $3 \
         WHERE delivery_id IN ({})",
        params::list(4, ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner)
        .bind(message_id)
        .bind(until);
    for id in ids {
        query = query.bind(*id);
    }
    query.execute(conn).await?;
    Ok(())
}

/// Puts rows back to wait until `until`, saying why.
pub(crate) async fn postpone(
    conn: &mut AnyConnection,
    ids: &[&str],
    until: i64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE nt_deliveries SET due_at = $1, reason = $2, lease_owner = NULL, \
         message_id = NULL WHERE delivery_id IN ({})",
        params::list(3, ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(until)
        .bind(reason);
    for id in ids {
        query = query.bind(*id);
    }
    query.execute(conn).await?;
    Ok(())
}

/// Marks the rows of `message_id` still leased to `owner` as being sent; how many. Fewer than
/// the message's rows means the lease ran out and another worker took them: do not send.
pub(crate) async fn start_sending(
    conn: &mut AnyConnection,
    message_id: &str,
    owner: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE nt_deliveries SET state = 'sending', sending_at = $1 \
         WHERE message_id = $2 AND lease_owner = $3 AND state = 'pending'",
    )
    .bind(now)
    .bind(message_id)
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Ends the rows of `message_id` held by `owner` in `state` (`sent`, `skipped` or `dead`).
pub(crate) async fn finish(
    conn: &mut AnyConnection,
    message_id: &str,
    owner: &str,
    state: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE nt_deliveries SET state = $1, reason = $2, finished_at = $3 \
         WHERE message_id = $4 AND lease_owner = $5 AND state IN ('pending', 'sending')",
    )
    .bind(state)
    .bind(reason)
    .bind(now)
    .bind(message_id)
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One row of a message that failed for a passing reason: tried again at `due_at`, or dead
/// when `dead`.
pub(crate) async fn retry_or_bury(
    conn: &mut AnyConnection,
    delivery_id: &str,
    owner: &str,
    dead: bool,
    due_at: i64,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE nt_deliveries SET attempts = attempts + 1, reason = $1, \
         state = CASE WHEN $2 = 1 THEN 'dead' ELSE 'pending' END, \
         finished_at = CASE WHEN $2 = 1 THEN $3 ELSE NULL END, \
         due_at = $4, sending_at = NULL, \
         lease_owner = CASE WHEN $2 = 1 THEN lease_owner ELSE NULL END, \
         message_id = CASE WHEN $2 = 1 THEN message_id ELSE NULL END \
         WHERE delivery_id = $5 AND lease_owner = $6 AND state IN ('pending', 'sending')",
    )
    .bind(reason)
    .bind(i64::from(dead))
    .bind(now)
    .bind(due_at)
    .bind(delivery_id)
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rows left `sending` since before `before` (their worker stopped mid-send): they may or
/// may not have gone out, so they are never sent again but dead-lettered. How many.
pub(crate) async fn bury_unknown(
    conn: &mut AnyConnection,
    before: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE nt_deliveries SET state = 'dead', finished_at = $1, \
         reason = 'outcome unknown: the service stopped while sending' \
         WHERE state = 'sending' AND sending_at < $2",
    )
    .bind(now)
    .bind(before)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
