//! Login rate limits, per identifier and per peer address, shared by every replica through the
//! database. Keys are hashes, so the table holds no email, phone or address.

use sqlx::AnyConnection;

use crate::{protect::sha256_hex, settings::LoginLimits};

/// The keys a login attempt counts against.
pub fn keys(identifier: &str, peer: Option<std::net::IpAddr>) -> (String, Option<String>) {
    (
        format!("id:{}", sha256_hex(identifier)),
        peer.map(|ip| format!("peer:{}", sha256_hex(&ip.to_string()))),
    )
}

/// Whether either key has reached its limit of failures within the window.
pub async fn is_limited(
    conn: &mut AnyConnection,
    limits: &LoginLimits,
    identifier_key: &str,
    peer_key: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let since = now - limits.window_secs * 1000;
    if failures(conn, identifier_key, since).await? >= limits.max_failures_per_identifier {
        return Ok(true);
    }
    match peer_key {
        Some(peer) => Ok(failures(conn, peer, since).await? >= limits.max_failures_per_peer),
        None => Ok(false),
    }
}

async fn failures(conn: &mut AnyConnection, key: &str, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM login_failures WHERE limit_key = $1 AND failed_at > $2",
    )
    .bind(key)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

pub async fn record_failure(
    conn: &mut AnyConnection,
    keys: &[&str],
    now: i64,
) -> Result<(), sqlx::Error> {
    for key in keys {
        sqlx::query("INSERT INTO login_failures (limit_key, failed_at) VALUES ($1, $2)")
            .bind(*key)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A successful login clears the identifier's failures (not the peer's).
pub async fn clear(conn: &mut AnyConnection, identifier_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE limit_key = $1")
        .bind(identifier_key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops failures older than the window; run now and then.
pub async fn prune(
    conn: &mut AnyConnection,
    limits: &LoginLimits,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(now - limits.window_secs * 1000)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
