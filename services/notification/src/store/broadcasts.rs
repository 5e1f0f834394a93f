//! News for many people: a consultation's followers (its opening, closing, answer), or
//! everyone who chose its kind (a consultation opened). The consumer records one row per
//! audience; the delivery worker tells its people a batch at a time, in account order, so no
//! transaction ever loads them all.

use sqlx::{AnyConnection, Row};

use super::inbox::Message;
use crate::kinds::Kind;

/// Whom a broadcast tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// The followers of the consultation the broadcast is about.
    Followers,
    /// The people who turned the broadcast's kind on for some channel.
    Preference,
}

impl Audience {
    fn as_sql(self) -> &'static str {
        match self {
            Audience::Followers => "followers",
            Audience::Preference => "preference",
        }
    }

    fn from_sql(s: &str) -> Option<Audience> {
        [Audience::Followers, Audience::Preference]
            .into_iter()
            .find(|a| a.as_sql() == s)
    }
}

/// A broadcast still being told.
#[derive(Debug, Clone)]
pub(crate) struct Broadcast {
    pub event_id: String,
    /// As stored: an audience this version does not know (from a newer one) tells nobody
    /// here.
    pub audience: String,
    pub kind: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
    pub occurred_at: i64,
    /// The last account told by the batches done; '' before the first.
    pub last_account_id: String,
}

/// Records a broadcast of `message` to `audience` (once, whatever the redeliveries of its
/// event).
pub(crate) async fn record(
    conn: &mut AnyConnection,
    message: &Message<'_>,
    audience: Audience,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_broadcasts (event_id, audience, kind, subject_type, subject_id, \
         detail, occurred_at, created_at, last_account_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '') \
         ON CONFLICT (event_id, audience) DO NOTHING",
    )
    .bind(message.event_id)
    .bind(audience.as_sql())
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

/// The oldest broadcast not finished. An event's followers are told before the holders of a
/// preference (a follower who also holds it is told once, as a follower): the holders' row
/// waits while the followers' is unfinished, even when another worker holds it. With `lock`
/// (PostgreSQL) the row is locked for the transaction, skipping one another worker holds.
pub(crate) async fn next(
    conn: &mut AnyConnection,
    lock: bool,
) -> Result<Option<Broadcast>, sqlx::Error> {
    let sql = format!(
        "SELECT event_id, audience, kind, subject_type, subject_id, detail, occurred_at, \
         last_account_id FROM nt_broadcasts b WHERE finished_at IS NULL \
         AND NOT (audience = 'preference' AND EXISTS (SELECT 1 FROM nt_broadcasts f \
           WHERE f.event_id = b.event_id AND f.audience = 'followers' \
           AND f.finished_at IS NULL)) \
         ORDER BY created_at, event_id, audience LIMIT 1{}",
        if lock { " FOR UPDATE SKIP LOCKED" } else { "" }
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(Broadcast {
            event_id: r.try_get(0)?,
            audience: r.try_get(1)?,
            kind: r.try_get(2)?,
            subject_type: r.try_get(3)?,
            subject_id: r.try_get(4)?,
            detail: r.try_get(5)?,
            occurred_at: r.try_get(6)?,
            last_account_id: r.try_get(7)?,
        })
    })
    .transpose()
}

/// Up to `limit` people `broadcast` tells, after its last batch in account order.
pub(crate) async fn next_people(
    conn: &mut AnyConnection,
    broadcast: &Broadcast,
    kind: Kind,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let after = broadcast.last_account_id.as_str();
    match Audience::from_sql(&broadcast.audience) {
        Some(Audience::Preference) => holders(conn, kind, after, limit).await,
        Some(Audience::Followers) => followers(conn, broadcast, after, limit).await,
        None => Ok(Vec::new()),
    }
}

/// Up to `limit` followers of the broadcast's consultation, after `after` in account order (the
/// followers' key is the consultation then the account: one index range): those who followed
/// it when the event occurred. Someone who took part since (and so follows now) is not told,
/// say, that it opened.
async fn followers(
    conn: &mut AnyConnection,
    broadcast: &Broadcast,
    after: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT account_id FROM nt_followers \
         WHERE consultation_id = $1 AND account_id > $2 AND followed_at <= $3 \
         ORDER BY account_id LIMIT $4",
    )
    .bind(&broadcast.subject_id)
    .bind(after)
    .bind(broadcast.occurred_at)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
}

/// Up to `limit` people who turned `kind` on for some channel, after `after` in account order.
async fn holders(
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
    broadcast: &Broadcast,
    last_account_id: &str,
    finished: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE nt_broadcasts SET last_account_id = $1, finished_at = $2 \
         WHERE event_id = $3 AND audience = $4",
    )
    .bind(last_account_id)
    .bind(finished)
    .bind(&broadcast.event_id)
    .bind(&broadcast.audience)
    .execute(conn)
    .await?;
    Ok(())
}
