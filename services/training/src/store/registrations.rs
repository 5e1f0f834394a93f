//! Registrations: one per person and session, confirmed or waitlisted in arrival order.

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::{events::TrainingParticipant, training::Registration};
use tachawor_storage::params;

use crate::domain::{self, registration::Status};

#[derive(Debug, Clone, FromRow)]
pub struct RegistrationRow {
    pub registration_id: String,
    pub session_id: String,
    pub account_id: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    /// Arrival order within the session.
    pub seq: i64,
    pub province_code: String,
    pub actor_kind: i32,
    pub registered_at: i64,
    pub cancelled_at: Option<i64>,
    /// Rank among the waitlisted (computed; meaningful only when waitlisted).
    pub waitlist_position: i64,
}

const COLUMNS: &str = "r.registration_id, r.session_id, r.account_id, r.status, r.seq, \
     r.province_code, r.actor_kind, r.registered_at, r.cancelled_at, \
     (SELECT COUNT(*) FROM registrations w WHERE w.session_id = r.session_id \
      AND w.status = 'waitlisted' AND w.seq <= r.seq) AS waitlist_position";

impl RegistrationRow {
    /// The statistical attributes of the participant, for events.
    pub fn participant(&self) -> TrainingParticipant {
        TrainingParticipant {
            account_id: self.account_id.clone(),
            province_code: self.province_code.clone(),
            gender: 0,
            age_band: 0,
            actor_kind: self.actor_kind,
        }
    }

    /// The registration as the contract shows it, with its attendance (derived) out of the
    /// session's `session_days`.
    pub fn to_proto(&self, attended: &[String], session_days: usize) -> Registration {
        let rate = (attended.len() * 100)
            .checked_div(session_days)
            .map_or(0, |r| r as i32);
        Registration {
            registration_id: self.registration_id.clone(),
            session_id: self.session_id.clone(),
            account_id: self.account_id.clone(),
            status: self.status.to_proto() as i32,
            waitlist_position: if self.status == Status::Waitlisted {
                i32::try_from(self.waitlist_position).unwrap_or(i32::MAX)
            } else {
                0
            },
            arrival: self.seq,
            registered_at: Some(domain::timestamp(self.registered_at)),
            cancelled_at: self.cancelled_at.map(domain::timestamp),
            attended_days: attended.iter().map(|d| domain::date_from_str(d)).collect(),
            attendance_rate_percent: rate,
        }
    }
}

/// Inserts registrations, or reactivates people's cancelled ones, in one statement; answers
/// `(account_id, registration_id)` for each row written (a person who already holds an active
/// registration for the session gets none). A reactivated registration keeps its id.
pub async fn upsert_all(
    conn: &mut AnyConnection,
    rows: &[RegistrationRow],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = format!(
        "INSERT INTO registrations (registration_id, session_id, account_id, status, seq, \
         province_code, actor_kind, registered_at, cancelled_at) VALUES {}",
        params::rows(1, rows.len(), 9)
    );
    sql.push_str(
        " ON CONFLICT (session_id, account_id) DO UPDATE SET status = excluded.status, \
         seq = excluded.seq, province_code = excluded.province_code, \
         actor_kind = excluded.actor_kind, registered_at = excluded.registered_at, \
         cancelled_at = NULL WHERE registrations.status = 'cancelled' \
         RETURNING account_id, registration_id",
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for row in rows {
        query = query
            .bind(row.registration_id.as_str())
            .bind(row.session_id.as_str())
            .bind(row.account_id.as_str())
            .bind(row.status.as_sql())
            .bind(row.seq)
            .bind(row.province_code.as_str())
            .bind(row.actor_kind)
            .bind(row.registered_at)
            .bind(row.cancelled_at);
    }
    query.fetch_all(conn).await
}

/// Which of `account_ids` hold an active (not cancelled) registration for the session.
pub async fn active_among(
    conn: &mut AnyConnection,
    session_id: &str,
    account_ids: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT account_id FROM registrations WHERE session_id = $1 \
         AND status <> 'cancelled' AND account_id IN ({})",
        params::list(2, account_ids.len())
    )))
    .bind(session_id);
    for id in account_ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// Which of `session_ids` the account holds a confirmed seat for.
pub async fn confirmed_sessions_of(
    conn: &mut AnyConnection,
    account_id: &str,
    session_ids: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT session_id FROM registrations WHERE account_id = $1 \
         AND status = 'confirmed' AND session_id IN ({})",
        params::list(2, session_ids.len())
    )))
    .bind(account_id);
    for id in session_ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

pub async fn find(
    conn: &mut AnyConnection,
    registration_id: &str,
) -> Result<Option<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM registrations r WHERE r.registration_id = $1"
    )))
    .bind(registration_id)
    .fetch_optional(conn)
    .await
}

pub async fn find_for(
    conn: &mut AnyConnection,
    session_id: &str,
    account_id: &str,
) -> Result<Option<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM registrations r WHERE r.session_id = $1 AND r.account_id = $2"
    )))
    .bind(session_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

pub async fn set_status(
    conn: &mut AnyConnection,
    registration_id: &str,
    status: Status,
    cancelled_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE registrations SET status = $2, cancelled_at = $3 WHERE registration_id = $1",
    )
    .bind(registration_id)
    .bind(status.as_sql())
    .bind(cancelled_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The first `n` waitlisted, in arrival order.
pub async fn first_waitlisted(
    conn: &mut AnyConnection,
    session_id: &str,
    n: i64,
) -> Result<Vec<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM registrations r WHERE r.session_id = $1 \
         AND r.status = 'waitlisted' ORDER BY r.seq LIMIT $2"
    )))
    .bind(session_id)
    .bind(n)
    .fetch_all(conn)
    .await
}

pub async fn count(
    conn: &mut AnyConnection,
    session_id: &str,
    status: Status,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = $2")
            .bind(session_id)
            .bind(status.as_sql())
            .fetch_one(conn)
            .await?;
    Ok(n)
}

/// A session's registrations in arrival order, optionally of one status.
pub async fn list(
    conn: &mut AnyConnection,
    session_id: &str,
    status: Option<Status>,
    limit: i64,
    offset: i64,
) -> Result<Vec<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM registrations r WHERE r.session_id = $1 \
         AND ($2 = '' OR r.status = $2) ORDER BY r.seq LIMIT $3 OFFSET $4"
    )))
    .bind(session_id)
    .bind(status.map_or("", Status::as_sql))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// A person's registrations, newest first.
pub async fn list_for_account(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM registrations r WHERE r.account_id = $1 \
         ORDER BY r.registered_at DESC, r.registration_id LIMIT $2 OFFSET $3"
    )))
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The active registrations of `account_id` for scheduled sessions whose first day is `today`
/// or later, as `(registration_id, session_id)`, by session: the candidates, of which the
/// caller keeps those whose first day's start is still ahead.
pub async fn upcoming_of(
    conn: &mut AnyConnection,
    account_id: &str,
    today: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.registration_id, r.session_id FROM registrations r \
         JOIN sessions s ON s.session_id = r.session_id \
         WHERE r.account_id = $1 AND r.status <> $2 AND s.status = $3 \
         AND s.first_day >= $4 ORDER BY r.session_id",
    )
    .bind(account_id)
    .bind(Status::Cancelled.as_sql())
    .bind(domain::session::Status::Scheduled.as_sql())
    .bind(today)
    .fetch_all(conn)
    .await
}
