//! The `contact_secrets` table: messages carrying a secret, while they are pending. Secrets are
//! kept only as a keyed hash (to find and check them) and sealed (to be sent);
//! `crate::contact_secrets` makes and checks them.

use sqlx::{AnyConnection, AnyPool, FromRow};

/// A pending request.
#[derive(Debug, Clone, FromRow)]
pub struct SecretRow {
    pub request_id: String,
    pub account_id: String,
    pub channel: String,
    pub purpose: String,
    pub secret_hash: String,
    pub secret_sealed: Vec<u8>,
    pub locale: Option<String>,
    pub expires_at: i64,
}

const COLUMNS: &str =
    "request_id, account_id, channel, purpose, secret_hash, secret_sealed, locale, expires_at";

pub async fn insert(
    conn: &mut AnyConnection,
    row: &SecretRow,
    created_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contact_secrets (request_id, account_id, channel, purpose, secret_hash, \
         secret_sealed, attempts, locale, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)",
    )
    .bind(&row.request_id)
    .bind(&row.account_id)
    .bind(&row.channel)
    .bind(&row.purpose)
    .bind(&row.secret_hash)
    .bind(&row.secret_sealed)
    .bind(&row.locale)
    .bind(created_at)
    .bind(row.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Drops an account's pending requests on `channel` (all channels when `None`) for `purpose`
/// (all purposes when `None`).
pub async fn delete_pending(
    conn: &mut AnyConnection,
    account_id: &str,
    channel: Option<&str>,
    purpose: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM contact_secrets WHERE account_id = $1 \
         AND ($2 = '' OR channel = $2) AND ($3 = '' OR purpose = $3)",
    )
    .bind(account_id)
    .bind(channel.unwrap_or(""))
    .bind(purpose.unwrap_or(""))
    .execute(conn)
    .await?;
    Ok(())
}

/// The unexpired request whose secret hashes to `secret_hash`.
pub async fn find_by_hash(
    conn: &mut AnyConnection,
    secret_hash: &str,
    now: i64,
) -> Result<Option<SecretRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contact_secrets WHERE secret_hash = $1 AND expires_at > $2"
    )))
    .bind(secret_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The account's unexpired request on `channel` for `purpose` (a newer one supersedes older
/// ones, so there is at most one).
pub async fn find_pending(
    conn: &mut AnyConnection,
    account_id: &str,
    channel: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<SecretRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contact_secrets WHERE account_id = $1 AND channel = $2 \
         AND purpose = $3 AND expires_at > $4"
    )))
    .bind(account_id)
    .bind(channel)
    .bind(purpose)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// An unexpired request by its id.
pub async fn find_request(
    conn: &mut AnyConnection,
    request_id: &str,
    now: i64,
) -> Result<Option<SecretRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contact_secrets WHERE request_id = $1 AND expires_at > $2"
    )))
    .bind(request_id)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Counts a wrong try and returns how many there have been (0 if the request is gone).
pub async fn count_wrong_try(
    conn: &mut AnyConnection,
    request_id: &str,
) -> Result<i64, sqlx::Error> {
    let tries: Option<i32> = sqlx::query_scalar(
        "UPDATE contact_secrets SET attempts = attempts + 1 WHERE request_id = $1 \
         RETURNING attempts",
    )
    .bind(request_id)
    .fetch_optional(conn)
    .await?;
    Ok(tries.map_or(0, i64::from))
}

/// Uses a request up: deletes it if it is still there and unexpired. Only one of two
/// concurrent uses gets `true`.
pub async fn consume(
    conn: &mut AnyConnection,
    request_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM contact_secrets WHERE request_id = $1 AND expires_at > $2")
        .bind(request_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete(conn: &mut AnyConnection, request_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM contact_secrets WHERE request_id = $1")
        .bind(request_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Erases expired secrets; run now and then.
pub async fn prune_expired(pool: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM contact_secrets WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(r.rows_affected())
}
