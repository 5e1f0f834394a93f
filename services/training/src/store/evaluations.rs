//! Evaluations: one per participant and session.

use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct EvaluationRow {
    pub evaluation_id: String,
    pub session_id: String,
    pub account_id: String,
    pub registration_id: String,
    pub satisfaction: i32,
    pub comment: String,
    pub pre_test_score: Option<i32>,
    pub post_test_score: Option<i32>,
    pub submitted_at: i64,
}

/// False when the person already evaluated the session.
pub async fn insert(conn: &mut AnyConnection, row: &EvaluationRow) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO evaluations (evaluation_id, session_id, account_id, registration_id, \
         satisfaction, comment, pre_test_score, post_test_score, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (session_id, account_id) DO NOTHING",
    )
    .bind(&row.evaluation_id)
    .bind(&row.session_id)
    .bind(&row.account_id)
    .bind(&row.registration_id)
    .bind(row.satisfaction)
    .bind(&row.comment)
    .bind(row.pre_test_score)
    .bind(row.post_test_score)
    .bind(row.submitted_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

const COLUMNS: &str = "evaluation_id, session_id, account_id, registration_id, satisfaction, \
     comment, pre_test_score, post_test_score, submitted_at";

pub async fn of_session(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Vec<EvaluationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evaluations WHERE session_id = $1 \
         ORDER BY submitted_at, evaluation_id"
    )))
    .bind(session_id)
    .fetch_all(conn)
    .await
}

/// The evaluations of `account_id`, oldest first, a page at a time.
pub async fn of_account(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<EvaluationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evaluations WHERE account_id = $1 \
         ORDER BY submitted_at, evaluation_id LIMIT $2 OFFSET $3"
    )))
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Erases the comments of `account_id` (their words); the scores stay.
pub async fn erase_comments(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE evaluations SET comment = '' WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}
