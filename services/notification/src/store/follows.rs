//! The consultations a person follows, as they choose them (FollowConsultation) and list
//! them; following by taking part is learnt from the events ([`super::audience::follow`]).

use sqlx::{AnyConnection, Row};

/// A follow as the caller sees it.
#[derive(Debug, Clone)]
pub(crate) struct FollowRow {
    pub consultation_id: String,
    pub by_choice: bool,
    pub followed_at: i64,
}

/// `account_id` follows the consultation by choice from `now` (or since they began
/// following it by taking part); the follow as it stands.
pub(crate) async fn follow(
    conn: &mut AnyConnection,
    account_id: &str,
    consultation_id: &str,
    now: i64,
) -> Result<FollowRow, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO nt_followers (consultation_id, account_id, by_choice, followed_at) \
         VALUES ($1, $2, 1, $3) ON CONFLICT (consultation_id, account_id) \
         DO UPDATE SET by_choice = 1 RETURNING consultation_id, by_choice, followed_at",
    )
    .bind(consultation_id)
    .bind(account_id)
    .bind(now)
    .fetch_one(conn)
    .await?;
    follow_row(&row)
}

/// Stops `account_id` following the consultation, however they came to; whether they did.
pub(crate) async fn unfollow(
    conn: &mut AnyConnection,
    account_id: &str,
    consultation_id: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM nt_followers WHERE consultation_id = $1 AND account_id = $2")
            .bind(consultation_id)
            .bind(account_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// A page of `account_id`'s follows, newest first (only `consultation_id`'s when not empty):
/// one statement.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    account_id: &str,
    consultation_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<FollowRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT consultation_id, by_choice, followed_at FROM nt_followers \
         WHERE account_id = $1 AND ($2 = '' OR consultation_id = $2) \
         ORDER BY followed_at DESC, consultation_id DESC LIMIT $3 OFFSET $4",
    )
    .bind(account_id)
    .bind(consultation_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter().map(follow_row).collect()
}

fn follow_row(r: &sqlx::any::AnyRow) -> Result<FollowRow, sqlx::Error> {
    Ok(FollowRow {
        consultation_id: r.try_get(0)?,
        by_choice: r.try_get::<i64, _>(1)? != 0,
        followed_at: r.try_get(2)?,
    })
}
