//! Reports and hiding, kept the same way for comments and Forum contributions: a flag and a
//! reason on the row, a count of reports since the last review, one report per account in a
//! table of their own.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tachawor_storage::params;

/// Where one kind of moderated text is kept.
pub struct Moderated {
    /// Its name in the moderation queue.
    pub kind: &'static str,
    table: &'static str,
    key: &'static str,
    reports: &'static str,
}

pub const COMMENTS: Moderated = Moderated {
    kind: "comment",
    table: "comments",
    key: "comment_id",
    reports: "comment_reports",
};

pub const FORUM_CONTRIBUTIONS: Moderated = Moderated {
    kind: "forum_contribution",
    table: "forum_contributions",
    key: "contribution_id",
    reports: "forum_contribution_reports",
};

/// The moderation queue: comments and Forum contributions reported since their last review or
/// hidden, newest first, a page at a time, as (kind, id); one statement.
pub async fn queue(
    conn: &mut AnyConnection,
    limit: i64,
    offset: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let select = |m: &Moderated| {
        format!(
            "SELECT CAST('{}' AS TEXT) AS kind, {} AS id, created_at FROM {} \
             WHERE hidden = 1 OR reports > 0",
            m.kind, m.key, m.table
        )
    };
    let sql = format!(
        "SELECT kind, id FROM ({} UNION ALL {}) queued \
         ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2",
        select(&COMMENTS),
        select(&FORUM_CONTRIBUTIONS)
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await
}

/// The reports on each of `ids` as (reason, reported_at), oldest first: one statement for a
/// whole page. Who reported is not read.
pub async fn reports_of(
    conn: &mut AnyConnection,
    kind: &Moderated,
    ids: &[&str],
) -> Result<HashMap<String, Vec<(String, i64)>>, sqlx::Error> {
    let mut by_id: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_id);
    }
    let statement = format!(
        "SELECT {key}, reason, created_at FROM {reports} \
         WHERE {key} IN ({}) ORDER BY {key}, created_at, account_id",
        params::list(1, ids.len()),
        key = kind.key,
        reports = kind.reports,
    );
    let mut query = sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(statement));
    for id in ids {
        query = query.bind(*id);
    }
    for (id, reason, at) in query.fetch_all(conn).await? {
        by_id.entry(id).or_default().push((reason, at));
    }
    Ok(by_id)
}

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
