//! The inbox: one message per person and event (`UNIQUE (event_id, account_id)`), so an
//! event delivered again, or naming a person twice, tells them once.

use sqlx::{AnyConnection, Row};

use crate::kinds::{Channel, Kind};

/// A message to record.
#[derive(Debug, Clone)]
pub(crate) struct Message<'a> {
    pub event_id: &'a str,
    pub kind: Kind,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub detail: String,
    pub occurred_at: i64,
}

/// Puts `message` in `account_id`'s inbox if the inbox is on for its kind (as they set it, or
/// by default) and they do not have it yet; whether it was put there.
pub(crate) async fn deliver(
    conn: &mut AnyConnection,
    account_id: &str,
    message: &Message<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO nt_notifications (notification_id, account_id, event_id, kind, \
         subject_type, subject_id, detail, occurred_at, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 \
         WHERE COALESCE((SELECT enabled FROM nt_preferences WHERE account_id = $2 \
           AND channel = $10 AND kind = $4), $11) = 1 \
         ON CONFLICT (event_id, account_id) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(account_id)
    .bind(message.event_id)
    .bind(message.kind.as_sql())
    .bind(message.subject_type)
    .bind(message.subject_id)
    .bind(&message.detail)
    .bind(message.occurred_at)
    .bind(now)
    .bind(Channel::Inbox.as_sql())
    .bind(i64::from(message.kind.enabled_by_default(Channel::Inbox)))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A message as the inbox lists it.
#[derive(Debug, Clone)]
pub(crate) struct InboxRow {
    pub notification_id: String,
    pub kind: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
    pub occurred_at: i64,
    pub read_at: Option<i64>,
}

/// A page of `account_id`'s messages, newest first: one statement.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    account_id: &str,
    unread_only: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT notification_id, kind, subject_type, subject_id, detail, occurred_at, read_at \
         FROM nt_notifications WHERE account_id = $1 AND ($2 = 0 OR read_at IS NULL) \
         ORDER BY occurred_at DESC, notification_id DESC LIMIT $3 OFFSET $4",
    )
    .bind(account_id)
    .bind(i64::from(unread_only))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(InboxRow {
                notification_id: r.try_get(0)?,
                kind: r.try_get(1)?,
                subject_type: r.try_get(2)?,
                subject_id: r.try_get(3)?,
                detail: r.try_get(4)?,
                occurred_at: r.try_get(5)?,
                read_at: r.try_get(6)?,
            })
        })
        .collect()
}

pub(crate) async fn unread(conn: &mut AnyConnection, account_id: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM nt_notifications WHERE account_id = $1 AND read_at IS NULL",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    row.try_get(0)
}

/// Marks `account_id`'s unread messages among `ids` (all of them when `None`) read at `now`;
/// how many were marked.
pub(crate) async fn mark_read(
    conn: &mut AnyConnection,
    account_id: &str,
    ids: Option<&[String]>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let done = match ids {
        None => {
            sqlx::query(
                "UPDATE nt_notifications SET read_at = $1 \
                 WHERE account_id = $2 AND read_at IS NULL",
            )
            .bind(now)
            .bind(account_id)
            .execute(conn)
            .await?
        }
        Some(ids) => {
            let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!(
                "UPDATE nt_notifications SET read_at = $1 WHERE account_id = $2 \
                 AND read_at IS NULL AND notification_id IN ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(now)
                .bind(account_id);
            for id in ids {
                query = query.bind(id);
            }
            query.execute(conn).await?
        }
    };
    Ok(done.rows_affected() as i64)
}
