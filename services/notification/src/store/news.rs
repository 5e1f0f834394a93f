//! News kept per audience, so that someone learnt of late is told what happened after they
//! joined it. Both sides lock the audience's row first, in the same transaction as the rest:
//! a transaction telling news and one adding a person to its audience are taken one after the
//! other, so the second sees what the first wrote.

use sqlx::{AnyConnection, Row};

use super::inbox::Message;
use crate::kinds::Kind;

/// Who hears of a subject's news: the people the service knows are concerned by one thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Audience {
    /// A petition's signers and agent.
    Petition(String),
    /// A training session's participants (confirmed or waiting).
    Session(String),
    /// A consultative instance's current members.
    Instance(String),
    /// A consultation's followers.
    Consultation(String),
}

impl Audience {
    fn key(&self) -> (&'static str, &str) {
        match self {
            Audience::Petition(id) => ("petition", id),
            Audience::Session(id) => ("session", id),
            Audience::Instance(id) => ("instance", id),
            Audience::Consultation(id) => ("consultation", id),
        }
    }
}

/// Locks `audience` until the transaction ends (an upsert: the row is made on first use, and
/// a concurrent first use waits for this one).
pub(crate) async fn lock(conn: &mut AnyConnection, audience: &Audience) -> Result<(), sqlx::Error> {
    let (kind, id) = audience.key();
    sqlx::query(
        "INSERT INTO nt_audiences (audience_type, audience_id) VALUES ($1, $2) \
         ON CONFLICT (audience_type, audience_id) DO UPDATE SET audience_id = excluded.audience_id",
    )
    .bind(kind)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Keeps `message` as news for `audience` (once, whatever the redeliveries of its event). The
/// caller holds the audience's lock.
pub(crate) async fn keep(
    conn: &mut AnyConnection,
    audience: &Audience,
    message: &Message<'_>,
) -> Result<(), sqlx::Error> {
    let (kind, id) = audience.key();
    sqlx::query(
        "INSERT INTO nt_news (event_id, audience_type, audience_id, kind, subject_type, \
         subject_id, detail, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(message.event_id)
    .bind(kind)
    .bind(id)
    .bind(message.kind.as_sql())
    .bind(message.subject_type)
    .bind(message.subject_id)
    .bind(&message.detail)
    .bind(message.occurred_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A piece of news as kept.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub event_id: String,
    pub kind: Kind,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
    pub occurred_at: i64,
}

impl Kept {
    pub(crate) fn message(&self) -> Message<'_> {
        Message {
            event_id: &self.event_id,
            kind: self.kind,
            subject_type: &self.subject_type,
            subject_id: &self.subject_id,
            detail: self.detail.clone(),
            occurred_at: self.occurred_at,
        }
    }
}

/// The news of `audience` that occurred after `at` (someone who took part in a consultation
/// the instant it opened knows it opened), oldest first: usually none, as people are mostly
/// learnt of before what concerns them. Kinds this version does not know (kept by a
/// newer one) are left out. The caller holds the audience's lock.
pub(crate) async fn since(
    conn: &mut AnyConnection,
    audience: &Audience,
    at: i64,
) -> Result<Vec<Kept>, sqlx::Error> {
    let (kind, id) = audience.key();
    let rows = sqlx::query(
        "SELECT event_id, kind, subject_type, subject_id, detail, occurred_at FROM nt_news \
         WHERE audience_type = $1 AND audience_id = $2 AND occurred_at > $3 \
         ORDER BY occurred_at, event_id",
    )
    .bind(kind)
    .bind(id)
    .bind(at)
    .fetch_all(conn)
    .await?;
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(kind) = Kind::from_sql(row.try_get::<&str, _>(1)?) else {
            continue;
        };
        kept.push(Kept {
            event_id: row.try_get(0)?,
            kind,
            subject_type: row.try_get(2)?,
            subject_id: row.try_get(3)?,
            detail: row.try_get(4)?,
            occurred_at: row.try_get(5)?,
        });
    }
    Ok(kept)
}
