//! The `attempt_limits` table: one row per limit key. `crate::limits` decides what to count
//! and when to refuse; these statements count atomically.

use sqlx::{AnyPool, FromRow};

/// Forgets a key's attempts.
pub async fn delete(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM attempt_limits WHERE limit_key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Counts one attempt in `key`'s window, in one statement (the row is locked on PostgreSQL,
/// the database on SQLite): a window that started at or before `expired_before` starts again
/// at `now`. Returns the attempts in the window and when it started.
pub async fn count(
    pool: &AnyPool,
    key: &str,
    now: i64,
    expired_before: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO attempt_limits (limit_key, attempts, window_start, next_at) \
         VALUES ($1, 1, $2, 0) \
         ON CONFLICT (limit_key) DO UPDATE SET \
           attempts = CASE WHEN attempt_limits.window_start <= $3 THEN 1 \
                      ELSE attempt_limits.attempts + 1 END, \
           window_start = CASE WHEN attempt_limits.window_start <= $3 THEN $2 \
                          ELSE attempt_limits.window_start END \
         RETURNING attempts, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(expired_before)
    .fetch_one(pool)
    .await
}

/// Gives back one counted attempt.
pub async fn refund(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE attempt_limits SET attempts = attempts - 1 WHERE limit_key = $1 AND attempts > 0",
    )
    .bind(key)
    .execute(pool)
    .await?;
    Ok(())
}

/// A run of attempts: how many, when the last began, and when the next may.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct Run {
    pub attempts: i64,
    pub window_start: i64,
    pub next_at: i64,
}

pub async fn find_run(pool: &AnyPool, key: &str) -> Result<Option<Run>, sqlx::Error> {
    sqlx::query_as(
        "SELECT attempts, window_start, next_at FROM attempt_limits WHERE limit_key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await
}

/// Starts a run with its first attempt; false when another attempt started it first.
pub async fn start_run(
    pool: &AnyPool,
    key: &str,
    now: i64,
    next_at: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO attempt_limits (limit_key, attempts, window_start, next_at) \
         VALUES ($1, 1, $2, $3) ON CONFLICT (limit_key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .bind(next_at)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces the run `seen` with `next` (compare and swap); false when another attempt changed
/// it since it was read.
pub async fn swap_run(
    pool: &AnyPool,
    key: &str,
    seen: Run,
    next: Run,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE attempt_limits SET attempts = $1, window_start = $2, next_at = $3 \
         WHERE limit_key = $4 AND attempts = $5 AND window_start = $6",
    )
    .bind(next.attempts)
    .bind(next.window_start)
    .bind(next.next_at)
    .bind(key)
    .bind(seen.attempts)
    .bind(seen.window_start)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Drops rows whose window started at or before `started_before` and whose delay is over at
/// `now`.
pub async fn prune(pool: &AnyPool, started_before: i64, now: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM attempt_limits WHERE window_start <= $1 AND next_at <= $2")
        .bind(started_before)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(r.rows_affected())
}
