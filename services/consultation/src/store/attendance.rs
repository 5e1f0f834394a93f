//! The projection of training's sessions and attendance (`crate::attendance`): the kind of
//! each session, and who was present at it. Every write is an upsert, so an event applied
//! again, or the stream replayed from the start, leaves the same rows.

use sqlx::AnyConnection;

/// A session training scheduled, with its kind (`training_session`, `regional_meeting`,
/// `forum`).
pub async fn record_session(
    conn: &mut AnyConnection,
    session_id: &str,
    kind: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO training_sessions (session_id, kind) VALUES ($1, $2) \
         ON CONFLICT (session_id) DO UPDATE SET kind = excluded.kind",
    )
    .bind(session_id)
    .bind(kind)
    .execute(conn)
    .await?;
    Ok(())
}

/// `account_id` was present at the session (on some day).
pub async fn record_presence(
    conn: &mut AnyConnection,
    session_id: &str,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO training_attendance (session_id, account_id) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(session_id)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The kind of a session training told of; `None` for a session it did not (yet).
pub async fn session_kind(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT kind FROM training_sessions WHERE session_id = $1")
            .bind(session_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.map(|(kind,)| kind))
}

/// Whether training recorded `account_id` present at the session.
pub async fn was_present(
    conn: &mut AnyConnection,
    session_id: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    let found = sqlx::query(
        "SELECT session_id FROM training_attendance WHERE session_id = $1 AND account_id = $2",
    )
    .bind(session_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Forgets a deleted account's presences.
pub async fn forget(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM training_attendance WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}
