//! News for everyone who chose its kind (a consultation opened). The consumer records one
//! row; the delivery worker tells the holders of the preference a batch at a time, so no
//! transaction ever loads every account.

use sqlx::{AnyConnection, Row};

use super::inbox::Message;
use crate::kinds::Kind;

/// A broadcast still being told.
#[derive(Debug, Clone)]
pub(crate) struct Broadcast {
    pub event_id: String,
    pub kind: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
    pub occurred_at: i64,
    /// The last account told by the batches done; '' before the first.
    pub last_account_id: String,
}

/// Records a broadcast of `message` (once, whatever the redeliveries of its event).
pub(crate) async fn record(
    conn: &mut AnyConnection,
    message: &Message<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_broadcasts (event_id, kind, subject_type, subject_id, detail, \
         occurred_at, created_at, last_account_id) VALUES ($1, $2, $3, $4, $5, $6, $7, '') \
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(message.event_id)
    .bind(message.kind.as_sql())
    .bind(message.subject_type)
    .bind(message.subject_id)
    .bind(&message.detail)
    .bind(message.occurred_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether some broadcast is not finished: a read, so a round with nothing to tell takes no
/// write lock (SQLite has one writer, the consumers).
pub(crate) async fn any_open(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 FROM nt_broadcasts WHERE finished_at IS NULL LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// The oldest broadcast not finished. With `lock` (PostgreSQL) it is locked for the
/// transaction, skipping one another worker holds.
pub(crate) async fn next(
    conn: &mut AnyConnection,
    lock: bool,
) -> Result<Option<Broadcast>, sqlx::Error> {
    let sql = format!(
        "SELECT event_id, kind, subject_type, subject_id, detail, occurred_at, \
         last_account_id FROM nt_broadcasts WHERE finished_at IS NULL \
         ORDER BY created_at, event_id LIMIT 1{}",
        if lock { " FOR UPDATE SKIP LOCKED" } else { "" }
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(Broadcast {
            event_id: r.try_get(0)?,
            kind: r.try_get(1)?,
            subject_type: r.try_get(2)?,
            subject_id: r.try_get(3)?,
            detail: r.try_get(4)?,
            occurred_at: r.try_get(5)?,
            last_account_id: r.try_get(6)?,
        })
    })
    .transpose()
}

/// Up to `limit` people who turned `kind` on for some channel, after `after` in account order.
pub(crate) async fn holders(
    conn: &mut AnyConnection,
    kind: Kind,
    after: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT account_id FROM nt_preferences \
         WHERE kind = $1 AND enabled = 1 AND account_id > $2 ORDER BY account_id LIMIT $3",
    )
    .bind(kind.as_sql())
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
}

/// Records the batch done up to `last_account_id`, and the broadcast finished at `finished`.
pub(crate) async fn advance(
    conn: &mut AnyConnection,
    event_id: &str,
    last_account_id: &str,
    finished: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE nt_broadcasts SET last_account_id = $1, finished_at = $2 WHERE event_id = $3",
    )
    .bind(last_account_id)
    .bind(finished)
    .bind(event_id)
    .execute(conn)
    .await?;
    Ok(())
}
