//! Attendance per day, and the check-in codes shown at the venue.

use std::collections::HashMap;

use sqlx::AnyConnection;

/// Records presence; false when it was already recorded for that day.
pub async fn record(
    conn: &mut AnyConnection,
    registration_id: &str,
    session_id: &str,
    day: &str,
    method: &str,
    recorded_by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO attendance (registration_id, session_id, day, method, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (registration_id, day) DO NOTHING",
    )
    .bind(registration_id)
    .bind(session_id)
    .bind(day)
    .bind(method)
    .bind(recorded_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn days_of(
    conn: &mut AnyConnection,
    registration_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT day FROM attendance WHERE registration_id = $1 ORDER BY day")
            .bind(registration_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// Days attended per registration, for a whole session (one query for a list).
pub async fn days_in_session(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT registration_id, day FROM attendance WHERE session_id = $1 ORDER BY day",
    )
    .bind(session_id)
    .fetch_all(conn)
    .await?;
    Ok(group(rows))
}

/// Days attended per registration, for a person's registrations.
pub async fn days_of_account(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.registration_id, a.day FROM attendance a \
         JOIN registrations r ON r.registration_id = a.registration_id \
         WHERE r.account_id = $1 ORDER BY a.day",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(group(rows))
}

fn group(rows: Vec<(String, String)>) -> HashMap<String, Vec<String>> {
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for (registration_id, day) in rows {
        by.entry(registration_id).or_default().push(day);
    }
    by
}

pub async fn any_in_session(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendance WHERE session_id = $1")
        .bind(session_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Confirmed participants who attended at least one day.
pub async fn attendees(conn: &mut AnyConnection, session_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT a.registration_id) FROM attendance a \
         JOIN registrations r ON r.registration_id = a.registration_id \
         WHERE a.session_id = $1 AND r.status = 'confirmed'",
    )
    .bind(session_id)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

pub async fn insert_code(
    conn: &mut AnyConnection,
    session_id: &str,
    day: &str,
    code: &str,
    issued_by: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO check_in_codes (session_id, day, code, issued_by, issued_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (session_id, day, code) \
         DO UPDATE SET issued_by = excluded.issued_by, issued_at = excluded.issued_at, \
         expires_at = excluded.expires_at",
    )
    .bind(session_id)
    .bind(day)
    .bind(code)
    .bind(issued_by)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the code for this session and day expires (or expired); `None` when never issued.
pub async fn code_expiry(
    conn: &mut AnyConnection,
    session_id: &str,
    day: &str,
    code: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT expires_at FROM check_in_codes WHERE session_id = $1 AND day = $2 AND code = $3",
    )
    .bind(session_id)
    .bind(day)
    .bind(code)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(e,)| e))
}

pub async fn failures(
    conn: &mut AnyConnection,
    registration_id: &str,
    day: &str,
) -> Result<i64, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT failures FROM check_in_failures WHERE registration_id = $1 AND day = $2",
    )
    .bind(registration_id)
    .bind(day)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(n,)| n).unwrap_or(0))
}

pub async fn add_failure(
    conn: &mut AnyConnection,
    registration_id: &str,
    day: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO check_in_failures (registration_id, day, failures) VALUES ($1, $2, 1) \
         ON CONFLICT (registration_id, day) \
         DO UPDATE SET failures = check_in_failures.failures + 1",
    )
    .bind(registration_id)
    .bind(day)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the codes that expired before `before` (unix milliseconds).
pub async fn prune_codes(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM check_in_codes WHERE expires_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes the wrong-code counts of `through` and earlier days (`YYYY-MM-DD` sorts as text).
pub async fn prune_failures(conn: &mut AnyConnection, through: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM check_in_failures WHERE day <= $1")
        .bind(through)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
