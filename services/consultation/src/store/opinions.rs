//! Opinions of the consultative instances and their recommendations.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tachawor_storage::params;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpinionRow {
    pub opinion_id: String,
    pub instance_id: String,
    pub matter: String,
    pub referral: String,
    pub consultation_id: Option<String>,
    pub body: String,
    pub status: String,
    pub created_by: String,
    pub created_at: i64,
    pub adopted_at: Option<i64>,
    /// What the vote was counted against when it closed (unset for drafts and for opinions
    /// adopted before votes).
    pub members_at_close: Option<i64>,
    pub quorum_percent: Option<i64>,
    pub majority: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecommendationRow {
    pub recommendation_id: String,
    pub opinion_id: String,
    pub position: i64,
    pub text: String,
    pub answer: Option<String>,
    pub answer_reasons: String,
    pub follow_up: String,
    pub follow_up_note: String,
}

const COLUMNS: &str = "opinion_id, instance_id, matter, referral, consultation_id, body, status, \
     created_by, created_at, adopted_at, members_at_close, quorum_percent, majority";

pub async fn insert(conn: &mut AnyConnection, o: &OpinionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO opinions (opinion_id, instance_id, matter, referral, consultation_id, body, \
         status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&o.opinion_id)
    .bind(&o.instance_id)
    .bind(&o.matter)
    .bind(&o.referral)
    .bind(o.consultation_id.as_deref())
    .bind(&o.body)
    .bind(&o.status)
    .bind(&o.created_by)
    .bind(o.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_recommendation(
    conn: &mut AnyConnection,
    opinion_id: &str,
    position: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recommendations (recommendation_id, opinion_id, position, text, follow_up) \
         VALUES ($1, $2, $3, $4, 'not_started')",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(opinion_id)
    .bind(position)
    .bind(text)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<OpinionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM opinions WHERE opinion_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE opinions SET status = status WHERE opinion_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Adopted opinions, and drafts of the instances in `member_of` (all drafts for staff).
pub async fn list(
    conn: &mut AnyConnection,
    instance_id: &str,
    staff: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<OpinionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM opinions WHERE ($1 = '' OR instance_id = $1) \
         AND (status = 'adopted' OR $2 = 1) \
         ORDER BY created_at DESC, opinion_id LIMIT $3 OFFSET $4"
    )))
    .bind(instance_id)
    .bind(i64::from(staff))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

pub async fn recommendations(
    conn: &mut AnyConnection,
    opinion_id: &str,
) -> Result<Vec<RecommendationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT recommendation_id, opinion_id, position, text, answer, answer_reasons, \
         follow_up, follow_up_note FROM recommendations WHERE opinion_id = $1 ORDER BY position",
    )
    .bind(opinion_id)
    .fetch_all(conn)
    .await
}

/// The recommendations of each of `ids`, in their order: one statement for a whole page.
pub async fn recommendations_of(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, Vec<RecommendationRow>>, sqlx::Error> {
    let mut by_opinion: HashMap<String, Vec<RecommendationRow>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_opinion);
    }
    let statement = format!(
        "SELECT recommendation_id, opinion_id, position, text, answer, answer_reasons, \
         follow_up, follow_up_note FROM recommendations WHERE opinion_id IN ({}) \
         ORDER BY opinion_id, position",
        params::list(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, RecommendationRow>(sqlx::AssertSqlSafe(statement));
    for id in ids {
        query = query.bind(*id);
    }
    for row in query.fetch_all(conn).await? {
        by_opinion
            .entry(row.opinion_id.clone())
            .or_default()
            .push(row);
    }
    Ok(by_opinion)
}

/// Locks a recommendation's row and returns it.
pub async fn lock_recommendation(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<RecommendationRow>, sqlx::Error> {
    sqlx::query("UPDATE recommendations SET position = position WHERE recommendation_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query_as(
        "SELECT recommendation_id, opinion_id, position, text, answer, answer_reasons, \
         follow_up, follow_up_note FROM recommendations WHERE recommendation_id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Replaces a draft's text and recommendations.
pub async fn update_draft(
    conn: &mut AnyConnection,
    o: &OpinionRow,
    recommendations: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE opinions SET matter = $1, referral = $2, consultation_id = $3, body = $4 \
         WHERE opinion_id = $5",
    )
    .bind(&o.matter)
    .bind(&o.referral)
    .bind(o.consultation_id.as_deref())
    .bind(&o.body)
    .bind(&o.opinion_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM recommendations WHERE opinion_id = $1")
        .bind(&o.opinion_id)
        .execute(&mut *conn)
        .await?;
    for (i, r) in recommendations.iter().enumerate() {
        insert_recommendation(conn, &o.opinion_id, i as i64 + 1, r).await?;
    }
    Ok(())
}

/// Records a member's vote, replacing theirs if they voted before; returns whether it did.
pub async fn cast_vote(
    conn: &mut AnyConnection,
    opinion_id: &str,
    account_id: &str,
    choice: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE opinion_votes SET choice = $1, cast_at = $2 \
         WHERE opinion_id = $3 AND account_id = $4",
    )
    .bind(choice)
    .bind(now)
    .bind(opinion_id)
    .bind(account_id)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if !changed {
        sqlx::query(
            "INSERT INTO opinion_votes (opinion_id, account_id, choice, cast_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(opinion_id)
        .bind(account_id)
        .bind(choice)
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(changed)
}

pub async fn has_votes(conn: &mut AnyConnection, opinion_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT account_id FROM opinion_votes WHERE opinion_id = $1 LIMIT 1")
            .bind(opinion_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// `(for, against, abstain)` of each of `ids` that has votes, in one statement.
pub async fn votes_of(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, (i64, i64, i64)>, sqlx::Error> {
    let mut counts: HashMap<String, (i64, i64, i64)> = HashMap::new();
    if ids.is_empty() {
        return Ok(counts);
    }
    let statement = format!(
        "SELECT opinion_id, choice, COUNT(*) FROM opinion_votes WHERE opinion_id IN ({}) \
         GROUP BY opinion_id, choice",
        params::list(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(statement));
    for id in ids {
        query = query.bind(*id);
    }
    for (id, choice, n) in query.fetch_all(conn).await? {
        let entry = counts.entry(id).or_default();
        match choice.as_str() {
            "for" => entry.0 += n,
            "against" => entry.1 += n,
            _ => entry.2 += n,
        }
    }
    Ok(counts)
}

/// The members' votes on an opinion, oldest first.
pub async fn list_votes(
    conn: &mut AnyConnection,
    opinion_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, choice, cast_at FROM opinion_votes WHERE opinion_id = $1 \
         ORDER BY cast_at, account_id LIMIT $2 OFFSET $3",
    )
    .bind(opinion_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// A person's votes on any opinion (opinion id, choice, cast at), oldest first: their export.
pub async fn votes_by_account(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT opinion_id, choice, cast_at FROM opinion_votes WHERE account_id = $1 \
         ORDER BY cast_at, opinion_id LIMIT $2 OFFSET $3",
    )
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Adopts the opinion, keeping what its vote was counted against.
pub async fn adopt_counted(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
    members: i64,
    quorum_percent: i64,
    majority: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE opinions SET status = 'adopted', adopted_at = $1, members_at_close = $2, \
         quorum_percent = $3, majority = $4 WHERE opinion_id = $5",
    )
    .bind(now)
    .bind(members)
    .bind(quorum_percent)
    .bind(majority)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
