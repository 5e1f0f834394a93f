//! Reading the audit log (entries are written by `tachawor_runtime::audit`).

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::identity::AuditEntry;

use crate::domain;

#[derive(FromRow)]
pub struct AuditRow {
    entry_id: String,
    actor_id: String,
    action: String,
    target_type: String,
    target_id: String,
    before_json: String,
    after_json: String,
    occurred_at: i64,
}

impl AuditRow {
    pub fn into_entry(self) -> AuditEntry {
        AuditEntry {
            entry_id: self.entry_id,
            actor_id: self.actor_id,
            action: self.action,
            target_type: self.target_type,
            target_id: self.target_id,
            before_json: self.before_json,
            after_json: self.after_json,
            occurred_at: Some(domain::timestamp(self.occurred_at)),
        }
    }
}

/// Which entries to list; an empty filter matches any.
pub struct Filter<'a> {
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub actor_id: &'a str,
}

/// Entries matching `filter`, newest first.
pub async fn list(
    conn: &mut AnyConnection,
    filter: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT entry_id, actor_id, action, target_type, target_id, before_json, after_json, \
         occurred_at FROM audit_log \
         WHERE ($1 = '' OR target_type = $1) AND ($2 = '' OR target_id = $2) \
         AND ($3 = '' OR actor_id = $3) \
         ORDER BY occurred_at DESC, entry_id DESC LIMIT $4 OFFSET $5",
    )
    .bind(filter.target_type)
    .bind(filter.target_id)
    .bind(filter.actor_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
