//! Refresh tokens and their families. Tokens are kept only as hashes; `crate::tokens` decides
//! when to issue, rotate and revoke them.

use sqlx::{AnyConnection, FromRow};

pub async fn insert_family(
    conn: &mut AnyConnection,
    family_id: &str,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO token_families (family_id, account_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(family_id)
    .bind(account_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    family_id: &str,
    issued_at: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(family_id)
    .bind(issued_at)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A refresh token with what its family says of it.
#[derive(Debug, FromRow)]
pub struct TokenRow {
    pub family_id: String,
    pub account_id: String,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn find_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.family_id, f.account_id, t.expires_at, f.revoked_at \
         FROM refresh_tokens t JOIN token_families f ON f.family_id = t.family_id \
         WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

/// Marks the token used unless it already was; only one of two concurrent calls succeeds.
pub async fn mark_used(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let marked = sqlx::query(
        "UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(marked.rows_affected() > 0)
}

/// When an existing token was used, if it was.
pub async fn used_at(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT used_at FROM refresh_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_one(conn)
        .await
}

/// Revokes the family of a token; false when the token is unknown or its family revoked.
pub async fn revoke_family_of(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE token_families SET revoked_at = $1 WHERE revoked_at IS NULL AND family_id = \
         (SELECT family_id FROM refresh_tokens WHERE token_hash = $2)",
    )
    .bind(now)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn revoke_family(
    conn: &mut AnyConnection,
    family_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE token_families SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes every session of an account (deletion, role change).
pub async fn revoke_all(
    conn: &mut AnyConnection,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE token_families SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// When each of an account's sessions was opened, oldest first (for its data export).
pub async fn families_opened_at(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT created_at FROM token_families WHERE account_id = $1 ORDER BY created_at",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await
}
