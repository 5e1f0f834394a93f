//! Reports and hiding, kept the same way for comments and Forum contributions: a flag and a
//! reason on the row, a count of reports since the last review, one report per account in a
//! table of their own.

use sqlx::AnyConnection;

/// Where one kind of moderated text is kept.
pub struct Moderated {
    table: &'static str,
    key: &'static str,
    reports: &'static str,
}

pub const COMMENTS: Moderated = Moderated {
    table: "comments",
    key: "comment_id",
    reports: "comment_reports",
};

pub const FORUM_CONTRIBUTIONS: Moderated = Moderated {
    table: "forum_contributions",
    key: "contribution_id",
    reports: "forum_contribution_reports",
};

/// Locks a row; whether it exists.
pub async fn lock(
    conn: &mut AnyConnection,
    kind: &Moderated,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET reports = reports WHERE {} = $1",
        kind.table, kind.key
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records `account_id`'s report; false when they had already reported it.
pub async fn report(
    conn: &mut AnyConnection,
    kind: &Moderated,
    id: &str,
    account_id: &str,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "INSERT INTO {} ({}, account_id, reason, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT ({}, account_id) DO NOTHING",
        kind.reports, kind.key, kind.key
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(account_id)
        .bind(reason)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let sql = format!(
        "UPDATE {} SET reports = reports + 1 WHERE {} = $1",
        kind.table, kind.key
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Hides or shows a row; showing it again also clears its reports.
pub async fn set_hidden(
    conn: &mut AnyConnection,
    kind: &Moderated,
    id: &str,
    hidden: bool,
    reason: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET hidden = $1, hidden_reason = $2 WHERE {} = $3",
        kind.table, kind.key
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(i64::from(hidden))
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if !hidden {
        let sql = format!("DELETE FROM {} WHERE {} = $1", kind.reports, kind.key);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        let sql = format!(
            "UPDATE {} SET reports = 0 WHERE {} = $1",
            kind.table, kind.key
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .execute(conn)
            .await?;
    }
    Ok(())
}
