//! What each person chose: a row per channel and kind they set; the others keep their default.

use sqlx::{AnyConnection, Row};

use crate::kinds::{Channel, Kind};

/// The preferences `account_id` set, as (channel, kind, enabled); unknown spellings (from a
/// newer version) are skipped.
pub(crate) async fn of(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<(Channel, Kind, bool)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT channel, kind, enabled FROM nt_preferences WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(conn)
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let (channel, kind): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        let enabled: i64 = r.try_get(2)?;
        if let (Some(c), Some(k)) = (Channel::from_sql(&channel), Kind::from_sql(&kind)) {
            out.push((c, k, enabled != 0));
        }
    }
    Ok(out)
}

pub(crate) async fn set(
    conn: &mut AnyConnection,
    account_id: &str,
    channel: Channel,
    kind: Kind,
    enabled: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_preferences (account_id, channel, kind, enabled, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, channel, kind) \
         DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
    )
    .bind(account_id)
    .bind(channel.as_sql())
    .bind(kind.as_sql())
    .bind(i64::from(enabled))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
