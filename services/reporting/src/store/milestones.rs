//! The statuses staff set on milestones.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

/// A status staff set, as stored.
#[derive(Debug, FromRow)]
pub(crate) struct StatusRow {
    pub status: String,
    pub justification: String,
    pub set_at: i64,
}

pub(crate) async fn find_status(
    conn: &mut AnyConnection,
    milestone_id: &str,
) -> Result<Option<StatusRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT status, justification, set_at FROM rp_milestone_status WHERE milestone_id = $1",
    )
    .bind(milestone_id)
    .fetch_optional(conn)
    .await
}

/// Every status staff set, by milestone: one statement for a whole tracker (there is one row
/// per configured milestone at most).
pub(crate) async fn statuses(
    conn: &mut AnyConnection,
) -> Result<HashMap<String, StatusRow>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT milestone_id, status, justification, set_at FROM rp_milestone_status",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, status, justification, set_at)| {
            (
                id,
                StatusRow {
                    status,
                    justification,
                    set_at,
                },
            )
        })
        .collect())
}

/// Sets (or replaces) the status of a milestone.
pub(crate) async fn set_status(
    conn: &mut AnyConnection,
    milestone_id: &str,
    status: &str,
    justification: &str,
    set_by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rp_milestone_status (milestone_id, status, justification, set_by, set_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (milestone_id) DO UPDATE SET \
         status = excluded.status, justification = excluded.justification, \
         set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(milestone_id)
    .bind(status)
    .bind(justification)
    .bind(set_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
