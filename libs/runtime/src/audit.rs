//! The audit log: every administrative or moderation change, written in the change's own
//! transaction, so a change and its record stand or fall together. The table comes with
//! [`crate::MIGRATIONS`].

use serde::Serialize;
use sqlx::AnyConnection;

/// One change. `before`/`after` are JSON of the fields that matter and never hold a national
/// ID number, a password or a token.
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub actor_id: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: B,
    pub after: A,
}

pub async fn record<B: Serialize, A: Serialize>(
    conn: &mut AnyConnection,
    change: Change<'_, B, A>,
    at_millis: i64,
) -> Result<(), sqlx::Error> {
    let to_json = |v: serde_json::Result<String>| v.unwrap_or_else(|_| "null".into());
    sqlx::query(
        "INSERT INTO audit_log (entry_id, actor_id, action, target_type, target_id, \
         before_json, after_json, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(change.actor_id)
    .bind(change.action)
    .bind(change.target_type)
    .bind(change.target_id)
    .bind(to_json(serde_json::to_string(&change.before)))
    .bind(to_json(serde_json::to_string(&change.after)))
    .bind(at_millis)
    .execute(conn)
    .await?;
    Ok(())
}
