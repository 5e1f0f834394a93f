//! Values kept beside a table's columns: a row as lists show it, written in the transaction of
//! every change to it, so a page reads one value per row instead of converting its columns.
//! Rows from before such a value existed have it NULL; the service writes them as it starts.

use std::{future::Future, pin::Pin};

use crate::{Database, Transaction};

/// Writing one row's value inside the transaction it is given, which it hands back.
pub type Keep<'a, E> = Pin<Box<dyn Future<Output = Result<Transaction, E>> + Send + 'a>>;

/// Writes the kept value of every row of `table` whose `column` is NULL, with `keep` (given the
/// transaction and the row's `id_column`, the same code every change runs), `batch` rows a
/// transaction; how many it wrote. The names are the caller's constants, never input.
pub async fn fill<'a, E>(
    db: &Database,
    table: &'static str,
    id_column: &'static str,
    column: &'static str,
    batch: i64,
    mut keep: impl FnMut(Transaction, String) -> Keep<'a, E>,
) -> Result<usize, E>
where
    E: From<sqlx::Error>,
{
    let unfilled = format!("SELECT {id_column} FROM {table} WHERE {column} IS NULL LIMIT $1");
    let mut written = 0;
    loop {
        let mut tx = db.begin().await?;
        let ids: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(unfilled.as_str()))
            .bind(batch)
            .fetch_all(&mut *tx)
            .await?;
        let found = ids.len();
        for (id,) in ids {
            tx = keep(tx, id).await?;
        }
        tx.commit().await?;
        written += found;
        if (found as i64) < batch {
            return Ok(written);
        }
    }
}
