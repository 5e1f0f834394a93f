//! SQL, one module per aggregate. One text for both backends.

pub mod accounts;
pub mod answers;
pub mod articles;
pub mod attendance;
pub mod consultations;
pub mod forum;
pub mod moderation;
pub mod opinions;
pub mod petitions;
pub mod proposals;
pub mod roster;

/// The rows of `select` (`SELECT … FROM <table>`) whose `key` is one of `ids`, in no
/// particular order: one statement.
pub async fn by_ids<T>(
    conn: &mut sqlx::AnyConnection,
    select: &str,
    key: &str,
    ids: &[&str],
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let statement = format!(
        "{select} WHERE {key} IN ({})",
        tachawor_storage::params::list(1, ids.len())
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(statement));
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// Increments and returns a named counter (petition receipts), inside the caller's transaction.
pub async fn next_in_sequence(
    conn: &mut sqlx::AnyConnection,
    name: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query("INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    let (value,): (i64,) =
        sqlx::query_as("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?;
    Ok(value)
}
