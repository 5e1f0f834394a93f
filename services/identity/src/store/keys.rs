//! The `signing_keys` table: sealed private keys and when each starts to sign.

use sqlx::{AnyConnection, FromRow};

#[derive(Debug, FromRow)]
pub struct KeyRow {
    pub kid: String,
    pub private_key_ciphertext: Vec<u8>,
    pub activates_at: i64,
}

/// Every stored key, oldest activation first.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<KeyRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kid, private_key_ciphertext, activates_at FROM signing_keys \
         ORDER BY activates_at, kid",
    )
    .fetch_all(conn)
    .await
}

/// A new key and its public half.
pub struct NewKey<'a> {
    pub kid: &'a str,
    pub private_key_ciphertext: Vec<u8>,
    pub public_x: String,
    pub activates_at: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    key: NewKey<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO signing_keys (kid, private_key_ciphertext, public_x, created_at, \
         activates_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(key.kid)
    .bind(key.private_key_ciphertext)
    .bind(key.public_x)
    .bind(now)
    .bind(key.activates_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the keys superseded by a key that activated at or before `superseded_before`.
pub async fn delete_superseded(
    conn: &mut AnyConnection,
    superseded_before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM signing_keys WHERE activates_at < \
         (SELECT MAX(activates_at) FROM signing_keys WHERE activates_at <= $1)",
    )
    .bind(superseded_before)
    .execute(conn)
    .await?;
    Ok(())
}
