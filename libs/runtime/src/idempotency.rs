//! Idempotency keys: a write a client may retry carries an optional key; the response of the
//! first call is stored with (account, rpc, key) in the call's own transaction, and a repeat
//! gets that response back instead of acting twice.
//!
//! ```ignore
//! if let Some(done) = idempotency::replay::<SignResponse>(&mut tx, &who, "Sign", &key).await? {
//!     return Ok(done);
//! }
//! // ... the write ...
//! idempotency::remember(&mut tx, &who, "Sign", &key, &response, now).await?;
//! ```
//!
//! Its table comes with [`crate::MIGRATIONS`], which [`crate::Runtime::start`] applies after
//! the events library's.

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};
use tachawor_errors::{Error, Violations};

/// The longest key accepted.
pub const KEY_MAX: usize = 64;

/// Records a violation on `field` when `key` is too long or holds other than printable ASCII.
pub fn check_key(v: &mut Violations, field: &str, key: &str) {
    v.check(
        key.len() <= KEY_MAX && key.chars().all(|c| c.is_ascii_graphic()),
        field,
        "at most 64 printable ASCII characters",
    );
}

/// The stored response of an earlier call with this key; `None` when there is none or the key
/// is empty (no key: no replay).
pub async fn replay<M: prost::Message + Default>(
    conn: &mut AnyConnection,
    account_id: &str,
    rpc: &str,
    key: &str,
) -> Result<Option<M>, Error> {
    if key.is_empty() {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT response FROM idempotency_keys WHERE account_id = $1 AND rpc = $2 AND idempotency_key = $3",
    )
    .bind(account_id)
    .bind(rpc)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Ok(None),
        Some(row) => {
            let bytes: Vec<u8> = row.try_get(0)?;
            M::decode(bytes.as_slice())
                .map(Some)
                .map_err(Error::internal)
        }
    }
}

/// [`replay`] for several callers' `(account_id, key)` in one statement: the stored responses,
/// by `(account_id, key)`, of those that have one. Entries with an empty key are skipped (no
/// key: no replay). Read inside the write's transaction, as [`replay`] is.
pub async fn replay_all<M: prost::Message + Default>(
    conn: &mut AnyConnection,
    rpc: &str,
    entries: &[(&str, &str)],
) -> Result<HashMap<(String, String), M>, Error> {
    let keyed: Vec<_> = entries.iter().filter(|(_, key)| !key.is_empty()).collect();
    if keyed.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs: Vec<String> = (0..keyed.len())
        .map(|i| {
            format!(
                "(account_id = ${} AND idempotency_key = ${})",
                2 + 2 * i,
                3 + 2 * i
            )
        })
        .collect();
    let sql = format!(
        "SELECT account_id, idempotency_key, response FROM idempotency_keys \
         WHERE rpc = $1 AND ({})",
        pairs.join(" OR ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(rpc);
    for (account_id, key) in keyed {
        query = query.bind(*account_id).bind(*key);
    }
    let mut stored = HashMap::new();
    for row in query.fetch_all(&mut *conn).await? {
        let account_id: String = row.try_get(0)?;
        let key: String = row.try_get(1)?;
        let bytes: Vec<u8> = row.try_get(2)?;
        let response = M::decode(bytes.as_slice()).map_err(Error::internal)?;
        stored.insert((account_id, key), response);
    }
    Ok(stored)
}

/// Stores `response` under the key (nothing when the key is empty). A concurrent first call
/// with the same key makes this fail with `ABORTED`; the client's next retry is replayed.
pub async fn remember<M: prost::Message>(
    conn: &mut AnyConnection,
    account_id: &str,
    rpc: &str,
    key: &str,
    response: &M,
    now_millis: i64,
) -> Result<(), Error> {
    remember_all(conn, rpc, &[(account_id, key, response)], now_millis).await
}

/// [`remember`] for several callers' `(account_id, key, response)` in one statement; entries
/// with an empty key are skipped. One key already stored fails them all.
pub async fn remember_all<M: prost::Message>(
    conn: &mut AnyConnection,
    rpc: &str,
    entries: &[(&str, &str, &M)],
    now_millis: i64,
) -> Result<(), Error> {
    let keyed: Vec<_> = entries
        .iter()
        .filter(|(_, key, _)| !key.is_empty())
        .collect();
    if keyed.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO idempotency_keys (account_id, rpc, idempotency_key, response, created_at) \
         VALUES {}",
        tachawor_storage::params::rows(1, keyed.len(), 5)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (account_id, key, response) in keyed {
        query = query
            .bind(*account_id)
            .bind(rpc)
            .bind(*key)
            .bind(response.encode_to_vec())
            .bind(now_millis);
    }
    query
        .execute(&mut *conn)
        .await
        .map_err(|e| match Error::from(e) {
            Error::AlreadyExists(_) => {
                Error::Aborted("a call with this idempotency key is in progress, retry".into())
            }
            other => other,
        })?;
    Ok(())
}

/// Forgets keys stored before `before_millis`; services call it from their maintenance loop.
pub async fn prune(conn: &mut AnyConnection, before_millis: i64) -> Result<u64, Error> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(before_millis)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use tachawor_proto::common::Date;
    use tachawor_storage::{Backend, Database, MigrationMode};
    use tachawor_testkit::TestDatabase;

    use super::*;

    #[tokio::test]
    async fn replay_all_answers_the_stored_keys_only() {
        let test_db = TestDatabase::fresh(Backend::Sqlite).await;
        let db = Database::connect(&test_db.settings()).await.unwrap();
        db.migrate(&[&crate::MIGRATIONS], MigrationMode::Apply)
            .await
            .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let day = |day| Date {
            year: 2026,
            month: 1,
            day,
        };
        let first = day(7);
        remember_all(
            &mut conn,
            "Register",
            &[("a", "k1", &first), ("b", "", &first)],
            1,
        )
        .await
        .unwrap();
        // Another RPC's key is not this one's.
        remember(&mut conn, "b", "Other", "k2", &day(8), 1)
            .await
            .unwrap();
        let stored: HashMap<(String, String), Date> = replay_all(
            &mut conn,
            "Register",
            &[("a", "k1"), ("a", "k2"), ("b", "k2"), ("b", "")],
        )
        .await
        .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored.get(&("a".into(), "k1".into())), Some(&first));
        assert!(
            replay_all::<Date>(&mut conn, "Register", &[("c", "")])
                .await
                .unwrap()
                .is_empty()
        );
    }
}
