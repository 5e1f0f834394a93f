//! SQL of the read models. Every write is order-independent: the same events applied in any
//! order, any number of times, leave the same rows.
//!
//! The reads: [`evidence`] behind milestones, [`figures`] behind indicators; and
//! [`milestones`], the statuses staff set.

pub(crate) mod evidence;
pub(crate) mod figures;
pub(crate) mod milestones;

use sqlx::AnyConnection;

/// One counted thing, as [`upsert_fact`] records it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fact {
    pub indicator: &'static str,
    /// What makes two events about the same thing count once (a registration id, a
    /// petition and an account, ...).
    pub subject_key: String,
    pub account_id: Option<String>,
    pub province_code: Option<String>,
    pub actor_kind: Option<String>,
    pub milestone_ref: Option<String>,
    pub kind: Option<String>,
    pub value: f64,
    pub denominator: f64,
    /// A counter rather than a latest value: `value` is added to the fact of this month (for
    /// signatures, whose pairs of petition and account are not kept).
    pub count_in: Option<String>,
}

/// Records a fact seen at `at` (unix ms). A fact already there keeps the month of its first
/// event and takes the value of its latest; attributes fill in where they were unknown.
pub(crate) async fn upsert_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
    at: i64,
) -> Result<(), sqlx::Error> {
    if let Some(month) = &fact.count_in {
        return add_to_fact(conn, fact, month, at).await;
    }
    sqlx::query(
        "INSERT INTO rp_facts (indicator, subject_key, month, first_at, last_at, account_id, \
         province_code, actor_kind, milestone_ref, kind, value, denominator) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (indicator, subject_key) DO UPDATE SET \
         value = CASE WHEN excluded.last_at >= rp_facts.last_at \
                 THEN excluded.value ELSE rp_facts.value END, \
         denominator = CASE WHEN excluded.last_at >= rp_facts.last_at \
                 THEN excluded.denominator ELSE rp_facts.denominator END, \
         month = CASE WHEN excluded.first_at < rp_facts.first_at \
                 THEN excluded.month ELSE rp_facts.month END, \
         first_at = CASE WHEN excluded.first_at < rp_facts.first_at \
                 THEN excluded.first_at ELSE rp_facts.first_at END, \
         last_at = CASE WHEN excluded.last_at > rp_facts.last_at \
                 THEN excluded.last_at ELSE rp_facts.last_at END, \
         account_id = COALESCE(rp_facts.account_id, excluded.account_id), \
         province_code = COALESCE(rp_facts.province_code, excluded.province_code), \
         actor_kind = COALESCE(rp_facts.actor_kind, excluded.actor_kind), \
         milestone_ref = COALESCE(rp_facts.milestone_ref, excluded.milestone_ref), \
         kind = COALESCE(rp_facts.kind, excluded.kind)",
    )
    .bind(fact.indicator)
    .bind(&fact.subject_key)
    .bind(crate::domain::month_of_millis(at))
    .bind(at)
    .bind(fact.account_id.as_deref())
    .bind(fact.province_code.as_deref())
    .bind(fact.actor_kind.as_deref())
    .bind(fact.milestone_ref.as_deref())
    .bind(fact.kind.as_deref())
    .bind(fact.value)
    .bind(fact.denominator)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds `fact.value` to the fact's counter in `month`. Sums commute, so events applied in any
/// order leave the same value (each event is applied once: the consumer skips event ids it has
/// processed).
async fn add_to_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
    month: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rp_facts (indicator, subject_key, month, first_at, last_at, account_id, \
         province_code, actor_kind, value, denominator) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, 0) \
         ON CONFLICT (indicator, subject_key) DO UPDATE SET \
         value = rp_facts.value + excluded.value, \
         first_at = CASE WHEN excluded.first_at < rp_facts.first_at \
                 THEN excluded.first_at ELSE rp_facts.first_at END, \
         last_at = CASE WHEN excluded.last_at > rp_facts.last_at \
                 THEN excluded.last_at ELSE rp_facts.last_at END, \
         province_code = COALESCE(rp_facts.province_code, excluded.province_code), \
         actor_kind = COALESCE(rp_facts.actor_kind, excluded.actor_kind)",
    )
    .bind(fact.indicator)
    .bind(&fact.subject_key)
    .bind(month)
    .bind(at)
    .bind(fact.account_id.as_deref())
    .bind(fact.province_code.as_deref())
    .bind(fact.actor_kind.as_deref())
    .bind(fact.value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account's row, created empty when first seen.
async fn ensure_account(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO rp_accounts (account_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The consented profile, unless a later one is already there.
pub(crate) async fn set_profile(
    conn: &mut AnyConnection,
    account_id: &str,
    province: Option<&str>,
    gender: Option<&str>,
    age_band: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    ensure_account(conn, account_id).await?;
    sqlx::query(
        "UPDATE rp_accounts SET province_code = $2, gender = $3, age_band = $4, profile_at = $5 \
         WHERE account_id = $1 AND profile_at <= $5",
    )
    .bind(account_id)
    .bind(province)
    .bind(gender)
    .bind(age_band)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The kind of actor, unless a later one is already there.
pub(crate) async fn set_actor_kind(
    conn: &mut AnyConnection,
    account_id: &str,
    actor_kind: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    ensure_account(conn, account_id).await?;
    if let Some(kind) = actor_kind {
        sqlx::query(
            "UPDATE rp_accounts SET actor_kind = $2, actor_at = $3 \
             WHERE account_id = $1 AND actor_at <= $3",
        )
        .bind(account_id)
        .bind(kind)
        .bind(at)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Sets a flag (`verified` or `deleted`); flags never go back.
pub(crate) async fn set_flag(
    conn: &mut AnyConnection,
    account_id: &str,
    flag: AccountFlag,
) -> Result<(), sqlx::Error> {
    ensure_account(conn, account_id).await?;
    let sql = match flag {
        AccountFlag::Verified => "UPDATE rp_accounts SET verified = 1 WHERE account_id = $1",
        AccountFlag::Deleted => "UPDATE rp_accounts SET deleted = 1 WHERE account_id = $1",
    };
    sqlx::query(sql).bind(account_id).execute(conn).await?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum AccountFlag {
    Verified,
    Deleted,
}

/// Empties the read models built from events (not the statuses staff set, nor the audit log).
pub(crate) async fn clear_read_models(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rp_facts")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM rp_accounts").execute(conn).await?;
    Ok(())
}
