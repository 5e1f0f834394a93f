//! Proposals, supports and comments.

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProposalRow {
    pub proposal_id: String,
    pub consultation_id: String,
    pub title: String,
    pub body: String,
    pub author_id: String,
    pub association_id: Option<String>,
    pub supports: i64,
    pub study_required: i64,
    pub answer: Option<String>,
    pub answer_reasons: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
}

const COLUMNS: &str = "proposal_id, consultation_id, title, body, author_id, association_id, \
     supports, study_required, answer, answer_reasons, created_at, answered_at";

pub async fn insert(conn: &mut AnyConnection, p: &ProposalRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO proposals (proposal_id, consultation_id, title, body, author_id, \
         association_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&p.proposal_id)
    .bind(&p.consultation_id)
    .bind(&p.title)
    .bind(&p.body)
    .bind(&p.author_id)
    .bind(p.association_id.as_deref())
    .bind(p.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<ProposalRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM proposals WHERE proposal_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn list(
    conn: &mut AnyConnection,
    consultation_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProposalRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM proposals WHERE consultation_id = $1 \
         ORDER BY created_at, proposal_id LIMIT $2 OFFSET $3"
    )))
    .bind(consultation_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Takes the proposal's row lock; false when there is none.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE proposals SET supports = supports WHERE proposal_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds the account's support; false when it already supports the proposal.
pub async fn support(
    conn: &mut AnyConnection,
    proposal_id: &str,
    account_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO supports (proposal_id, account_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (proposal_id, account_id) DO NOTHING",
    )
    .bind(proposal_id)
    .bind(account_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE proposals SET supports = supports + 1 WHERE proposal_id = $1")
        .bind(proposal_id)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Marks the proposal for study once; true only for the call that did it.
pub async fn require_study(
    conn: &mut AnyConnection,
    proposal_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE proposals SET study_required = 1, study_required_at = $1 \
         WHERE proposal_id = $2 AND study_required = 0",
    )
    .bind(now)
    .bind(proposal_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn answer(
    conn: &mut AnyConnection,
    proposal_id: &str,
    answer: &str,
    reasons: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE proposals SET answer = $1, answer_reasons = $2, answered_at = $3 \
         WHERE proposal_id = $4",
    )
    .bind(answer)
    .bind(reasons)
    .bind(now)
    .bind(proposal_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub comment_id: String,
    pub consultation_id: String,
    pub proposal_id: Option<String>,
    pub parent_comment_id: Option<String>,
    pub author_id: String,
    pub body: String,
    pub hidden: i64,
    pub hidden_reason: String,
    pub reports: i64,
    pub created_at: i64,
}

const COMMENT_COLUMNS: &str = "comment_id, consultation_id, proposal_id, parent_comment_id, \
     author_id, body, hidden, hidden_reason, reports, created_at";

pub async fn insert_comment(conn: &mut AnyConnection, c: &CommentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO comments (comment_id, consultation_id, proposal_id, parent_comment_id, \
         author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&c.comment_id)
    .bind(&c.consultation_id)
    .bind(c.proposal_id.as_deref())
    .bind(c.parent_comment_id.as_deref())
    .bind(&c.author_id)
    .bind(&c.body)
    .bind(c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_comment(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<CommentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE comment_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn list_comments(
    conn: &mut AnyConnection,
    consultation_id: &str,
    proposal_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE consultation_id = $1 \
         AND ($2 = '' OR proposal_id = $2) \
         ORDER BY created_at, comment_id LIMIT $3 OFFSET $4"
    )))
    .bind(consultation_id)
    .bind(proposal_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The comments of `ids`, in no particular order: one statement.
pub async fn comments_by_ids(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<Vec<CommentRow>, sqlx::Error> {
    let select = format!("SELECT {COMMENT_COLUMNS} FROM comments");
    super::by_ids(conn, &select, "comment_id", ids).await
}

/// The proposals `author_id` wrote, oldest first, a page at a time.
pub async fn by_author(
    conn: &mut AnyConnection,
    author_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProposalRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM proposals WHERE author_id = $1 \
         ORDER BY created_at, proposal_id LIMIT $2 OFFSET $3"
    )))
    .bind(author_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The comments `author_id` wrote, oldest first, a page at a time.
pub async fn comments_by_author(
    conn: &mut AnyConnection,
    author_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE author_id = $1 \
         ORDER BY created_at, comment_id LIMIT $2 OFFSET $3"
    )))
    .bind(author_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// A support given to a proposal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SupportRow {
    pub proposal_id: String,
    pub created_at: i64,
}

/// The supports `account_id` gave, oldest first, a page at a time.
pub async fn supports_by_account(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<SupportRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT proposal_id, created_at FROM supports WHERE account_id = $1 \
         ORDER BY created_at, proposal_id LIMIT $2 OFFSET $3",
    )
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
