//! What a deleted account leaves in this service's tables: its texts lose their author, its
//! counted rows (responses, supports, reports) are detached, its retried writes are forgotten.

use sqlx::AnyConnection;

/// Empties the author of everything `account_id` wrote, as `author`.
pub async fn detach_authorship(
    conn: &mut AnyConnection,
    account_id: &str,
    author: &str,
) -> Result<(), sqlx::Error> {
    for table in ["comments", "proposals", "forum_contributions"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET author_id = $1 WHERE author_id = $2"
        )))
        .bind(author)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Gives each response, support, comment report and contribution report of `account_id` its own random account id:
/// still counted, no longer anyone's, and the unique (thing, account) keys keep holding.
pub async fn detach_counted(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    for (table, key) in [
        ("responses", "response_id"),
        ("supports", "proposal_id"),
        ("comment_reports", "comment_id"),
        ("forum_contribution_reports", "contribution_id"),
        ("opinion_votes", "opinion_id"),
    ] {
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {key} FROM {table} WHERE account_id = $1"
        )))
        .bind(account_id)
        .fetch_all(&mut *conn)
        .await?;
        for (id,) in rows {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET account_id = $1 WHERE {key} = $2 AND account_id = $3"
            )))
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&id)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Deletes the stored responses of the account's retried writes.
pub async fn forget_idempotency_keys(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM idempotency_keys WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}
