//! The council's answer to a recommendation and its follow-up, written the same way for an
//! instance's recommendations and the Regional Forum's: only the table differs.

use sqlx::AnyConnection;

/// Where one kind of recommendation is kept.
pub struct Recommendations {
    table: &'static str,
    key: &'static str,
}

/// Recommendations of the instances' opinions.
pub const INSTANCE: Recommendations = Recommendations {
    table: "recommendations",
    key: "recommendation_id",
};

/// Recommendations of the Forum's workshops.
pub const FORUM: Recommendations = Recommendations {
    table: "forum_recommendations",
    key: "forum_recommendation_id",
};

pub async fn answer(
    conn: &mut AnyConnection,
    kind: &Recommendations,
    id: &str,
    answer: &str,
    reasons: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET answer = $1, answer_reasons = $2, answered_at = $3 WHERE {} = $4",
        kind.table, kind.key
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(answer)
        .bind(reasons)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_follow_up(
    conn: &mut AnyConnection,
    kind: &Recommendations,
    id: &str,
    follow_up: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET follow_up = $1, follow_up_note = $2 WHERE {} = $3",
        kind.table, kind.key
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(follow_up)
        .bind(note)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
