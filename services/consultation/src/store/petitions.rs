//! Petitions and their signatures.

use std::collections::BTreeMap;

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PetitionRow {
    pub petition_id: String,
    pub kind: String,
    pub title: String,
    pub object: String,
    pub subject_field: String,
    pub agent_id: String,
    pub association_id: Option<String>,
    pub status: String,
    pub receipt_number: Option<String>,
    pub deposited_at: Option<i64>,
    pub answer_due_at: Option<i64>,
    pub session: String,
    pub rejection_reasons: String,
    pub answered_at: Option<i64>,
    pub late: i64,
    pub created_at: i64,
    /// Signatures per province, as kept by `count` (a JSON object); read with `tally`.
    pub tally: String,
}

const COLUMNS: &str = "petition_id, kind, title, object, subject_field, agent_id, association_id, \
     status, receipt_number, deposited_at, answer_due_at, session, rejection_reasons, answered_at, \
     late, created_at, tally";

pub async fn insert(conn: &mut AnyConnection, p: &PetitionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO petitions (petition_id, kind, title, object, subject_field, agent_id, \
         association_id, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&p.petition_id)
    .bind(&p.kind)
    .bind(&p.title)
    .bind(&p.object)
    .bind(&p.subject_field)
    .bind(&p.agent_id)
    .bind(p.association_id.as_deref())
    .bind(&p.status)
    .bind(p.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the petition's row lock (a no-op update), so signatures, withdrawals and state changes
/// of one petition happen one at a time. False when there is no such petition.
pub async fn lock(conn: &mut AnyConnection, petition_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE petitions SET late = late WHERE petition_id = $1")
        .bind(petition_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(
    conn: &mut AnyConnection,
    petition_id: &str,
) -> Result<Option<PetitionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM petitions WHERE petition_id = $1"
    )))
    .bind(petition_id)
    .fetch_optional(conn)
    .await
}

/// Petitions visible to the caller: all but drafts, plus the caller's own drafts (staff see all).
pub async fn list(
    conn: &mut AnyConnection,
    status: &str,
    viewer_id: &str,
    staff: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<PetitionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM petitions WHERE ($1 = '' OR status = $1) \
         AND (status <> 'draft' OR agent_id = $2 OR $3 = 1) \
         ORDER BY created_at DESC, petition_id LIMIT $4 OFFSET $5"
    )))
    .bind(status)
    .bind(viewer_id)
    .bind(i64::from(staff))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

pub async fn set_status(
    conn: &mut AnyConnection,
    petition_id: &str,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE petitions SET status = $1 WHERE petition_id = $2")
        .bind(status)
        .bind(petition_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn deposit(
    conn: &mut AnyConnection,
    petition_id: &str,
    receipt: &str,
    at: i64,
    due: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE petitions SET status = 'deposited', receipt_number = $1, deposited_at = $2, \
         answer_due_at = $3 WHERE petition_id = $4",
    )
    .bind(receipt)
    .bind(at)
    .bind(due)
    .bind(petition_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the council's answer: admissible (with its session) or rejected (with reasons).
pub async fn answer(
    conn: &mut AnyConnection,
    petition_id: &str,
    status: &str,
    session: &str,
    reasons: &str,
    at: i64,
    late: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE petitions SET status = $1, session = $2, rejection_reasons = $3, \
         answered_at = $4, late = $5 WHERE petition_id = $6",
    )
    .bind(status)
    .bind(session)
    .bind(reasons)
    .bind(at)
    .bind(i64::from(late))
    .bind(petition_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The petition's signatures per province, as kept on its row.
pub fn tally(row: &PetitionRow) -> Result<Vec<(String, i64)>, sqlx::Error> {
    Ok(kept_tally(row)?.into_iter().collect())
}

fn kept_tally(row: &PetitionRow) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    serde_json::from_str(&row.tally).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// Counts a signature given (`change` 1) or withdrawn (-1) in `province` on the petition's row,
/// and on `row` itself. The caller holds the petition's lock (`lock`), so counts never race.
pub async fn count(
    conn: &mut AnyConnection,
    row: &mut PetitionRow,
    province: &str,
    change: i64,
) -> Result<(), sqlx::Error> {
    let mut kept = kept_tally(row)?;
    let n = kept.entry(province.to_string()).or_default();
    *n += change;
    if *n <= 0 {
        kept.remove(province);
    }
    row.tally = serde_json::to_string(&kept).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query("UPDATE petitions SET tally = $1 WHERE petition_id = $2")
        .bind(&row.tally)
        .bind(&row.petition_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A signature to add.
pub struct NewSignature<'a> {
    pub petition_id: &'a str,
    pub account_id: &'a str,
    /// Identity's person key, when the signer has one.
    pub person_key: Option<&'a str>,
    pub province_code: &'a str,
    pub by_declared_activity: bool,
    /// The member of staff who recorded a paper signature; `None` online.
    pub recorded_by: Option<&'a str>,
    pub at: i64,
}

/// Adds a signature; false when the account, or the person (by person key, whatever the
/// account), has already signed.
pub async fn sign(conn: &mut AnyConnection, s: &NewSignature<'_>) -> Result<bool, sqlx::Error> {
    // No conflict target: either unique index (account or person) refuses the row.
    let done = sqlx::query(
        "INSERT INTO petition_signatures (petition_id, account_id, person_key, province_code, \
         by_declared_activity, signed_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT DO NOTHING",
    )
    .bind(s.petition_id)
    .bind(s.account_id)
    .bind(s.person_key)
    .bind(s.province_code)
    .bind(i64::from(s.by_declared_activity))
    .bind(s.at)
    .bind(s.recorded_by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a signature and returns its province; `None` when there was none.
/// Deletes the signature; its province and when it was given (unix ms), if there was one.
pub async fn withdraw(
    conn: &mut AnyConnection,
    petition_id: &str,
    account_id: &str,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "DELETE FROM petition_signatures WHERE petition_id = $1 AND account_id = $2 \
         RETURNING province_code, signed_at",
    )
    .bind(petition_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct SignatureRow {
    pub petition_id: String,
    pub account_id: String,
    pub province_code: String,
    pub by_declared_activity: i64,
    pub signed_at: i64,
    /// Set for a paper signature: the member of staff who recorded it.
    pub recorded_by: Option<String>,
}

/// Whose signatures a page lists.
pub enum SignaturesOf<'a> {
    /// A petition's, in signing order (the staff's list).
    Petition(&'a str),
    /// A person's, oldest first (their export).
    Account(&'a str),
}

pub async fn signatures(
    conn: &mut AnyConnection,
    of: SignaturesOf<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<SignatureRow>, sqlx::Error> {
    // Column names from this match only, never from input.
    let (column, tie_break, id) = match of {
        SignaturesOf::Petition(id) => ("petition_id", "account_id", id),
        SignaturesOf::Account(id) => ("account_id", "petition_id", id),
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT petition_id, account_id, province_code, by_declared_activity, signed_at, \
         recorded_by FROM petition_signatures WHERE {column} = $1 \
         ORDER BY signed_at, {tie_break} LIMIT $2 OFFSET $3"
    )))
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The petitions `agent_id` created, oldest first, a page at a time.
pub async fn by_agent(
    conn: &mut AnyConnection,
    agent_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<PetitionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM petitions WHERE agent_id = $1 \
         ORDER BY created_at, petition_id LIMIT $2 OFFSET $3"
    )))
    .bind(agent_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The petitions `account_id` signed, in id order (the order they are locked in).
pub async fn signed_by(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let found: Vec<(String,)> = sqlx::query_as(
        "SELECT petition_id FROM petition_signatures WHERE account_id = $1 ORDER BY petition_id",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(found.into_iter().map(|(id,)| id).collect())
}
