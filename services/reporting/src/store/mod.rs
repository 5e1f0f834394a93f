//! SQL of the read models. Every write is order-independent: the same events applied in any
//! order, any number of times, leave the same rows.
//!
//! Every change to a fact or to an account's attributes also updates the aggregates
//! ([`cells`]) in the same transaction, so reads cost what they return, not what was recorded.
//!
//! The reads: [`evidence`] behind milestones, [`figures`] behind indicators (both from the
//! aggregates), [`gains`] behind the learning gain per program; [`recount`], the same figures counted again from the facts, to check the
//! aggregates; and [`milestones`], the statuses staff set.

pub(crate) mod cells;
pub(crate) mod evidence;
pub(crate) mod figures;
pub(crate) mod gains;
pub(crate) mod milestones;
pub(crate) mod recount;

use std::collections::BTreeSet;

use sqlx::{AnyConnection, Row};
use tachawor_storage::params;

use cells::{Attributes, Deltas, FACT_COLUMNS, StoredFact};

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
/// event and takes the value of its latest; attributes fill in where they were unknown. What
/// the change does to the aggregates goes into `deltas`.
pub(crate) async fn upsert_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
    at: i64,
    deltas: &mut Deltas,
) -> Result<(), sqlx::Error> {
    // The account's row is locked first: a change of its attributes waits for this fact to
    // be counted in its groups, or this fact for the change (then it is counted in the new
    // groups).
    let account = match &fact.account_id {
        Some(id) => Some((id.as_str(), lock_account(conn, id).await?)),
        None => None,
    };
    if let Some(new) = insert_new_fact(conn, fact, at).await? {
        let attributes = attributes_of(conn, &new, account.as_ref()).await?;
        deltas.add(&new, &attributes, 1);
        return Ok(());
    }
    let before = lock_fact(conn, fact).await?;
    let after = match &fact.count_in {
        Some(month) => add_to_fact(conn, fact, month, at).await?,
        None => update_fact(conn, fact, at).await?,
    };
    let before = match &before {
        Some(b) => Some((b, attributes_of(conn, b, account.as_ref()).await?)),
        None => None,
    };
    let after_attributes = attributes_of(conn, &after, account.as_ref()).await?;
    deltas.replace(
        before.as_ref().map(|(f, a)| (*f, a)),
        (&after, &after_attributes),
    );
    Ok(())
}

/// The attributes of the account behind a stored fact (none: no account).
async fn attributes_of(
    conn: &mut AnyConnection,
    fact: &StoredFact,
    locked: Option<&(&str, Attributes)>,
) -> Result<Attributes, sqlx::Error> {
    match (&fact.account_id, locked) {
        (None, _) => Ok(Attributes::default()),
        (Some(id), Some((locked_id, attributes))) if id == locked_id => Ok(attributes.clone()),
        (Some(id), _) => attributes(conn, id).await,
    }
}

/// The insert of a fact, its row first seen at `at` in `month`; `ON CONFLICT ...` follows.
const INSERT_FACT: &str = "INSERT INTO rp_facts (indicator, subject_key, month, first_at, \
     last_at, account_id, province_code, actor_kind, milestone_ref, kind, value, denominator) \
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11)";

/// `sql` (which begins with [`INSERT_FACT`]) with the fact's values bound.
fn with_fact<'q>(
    sql: String,
    fact: &'q Fact,
    month: String,
    at: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(fact.indicator)
        .bind(&fact.subject_key)
        .bind(month)
        .bind(at)
        .bind(fact.account_id.as_deref())
        .bind(fact.province_code.as_deref())
        .bind(fact.actor_kind.as_deref())
        .bind(fact.milestone_ref.as_deref())
        .bind(fact.kind.as_deref())
        .bind(fact.value)
        .bind(fact.denominator)
}

/// Inserts a fact not seen before; `None` when it is already there.
async fn insert_new_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
    at: i64,
) -> Result<Option<StoredFact>, sqlx::Error> {
    let month = match &fact.count_in {
        Some(month) => month.clone(),
        None => crate::domain::month_of_millis(at),
    };
    let sql = format!(
        "{INSERT_FACT} ON CONFLICT (indicator, subject_key) DO NOTHING RETURNING {FACT_COLUMNS}"
    );
    let row = with_fact(sql, fact, month, at).fetch_optional(conn).await?;
    row.as_ref().map(StoredFact::from_row).transpose()
}

/// The fact as stored, its row locked until the transaction ends (PostgreSQL; SQLite's
/// writers take turns anyway).
async fn lock_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
) -> Result<Option<StoredFact>, sqlx::Error> {
    let lock = if is_postgres(conn) { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT {FACT_COLUMNS} FROM rp_facts WHERE indicator = $1 AND subject_key = $2{lock}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(fact.indicator)
        .bind(&fact.subject_key)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(StoredFact::from_row).transpose()
}

fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// The fact seen again: the value of the latest event, the month of the first.
async fn update_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
    at: i64,
) -> Result<StoredFact, sqlx::Error> {
    let sql = format!(
        "{INSERT_FACT} ON CONFLICT (indicator, subject_key) DO UPDATE SET \
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
         kind = COALESCE(rp_facts.kind, excluded.kind) \
         RETURNING {FACT_COLUMNS}"
    );
    let month = crate::domain::month_of_millis(at);
    let row = with_fact(sql, fact, month, at).fetch_one(conn).await?;
    StoredFact::from_row(&row)
}

/// Adds `fact.value` to the fact's counter in `month`. Sums commute, so events applied in any
/// order leave the same value (each event is applied once: the consumer skips event ids it has
/// processed).
async fn add_to_fact(
    conn: &mut AnyConnection,
    fact: &Fact,
    month: &str,
    at: i64,
) -> Result<StoredFact, sqlx::Error> {
    let sql = format!(
        "{INSERT_FACT} ON CONFLICT (indicator, subject_key) DO UPDATE SET \
         value = rp_facts.value + excluded.value, \
         first_at = CASE WHEN excluded.first_at < rp_facts.first_at \
                 THEN excluded.first_at ELSE rp_facts.first_at END, \
         last_at = CASE WHEN excluded.last_at > rp_facts.last_at \
                 THEN excluded.last_at ELSE rp_facts.last_at END, \
         province_code = COALESCE(rp_facts.province_code, excluded.province_code), \
         actor_kind = COALESCE(rp_facts.actor_kind, excluded.actor_kind) \
         RETURNING {FACT_COLUMNS}"
    );
    let row = with_fact(sql, fact, month.to_string(), at)
        .fetch_one(conn)
        .await?;
    StoredFact::from_row(&row)
}

/// The account's row, created empty when first seen.
async fn ensure_account(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO rp_accounts (account_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

const ATTRIBUTE_COLUMNS: &str = "province_code, gender, age_band, actor_kind";

fn attributes_from(row: &sqlx::any::AnyRow) -> Result<Attributes, sqlx::Error> {
    Ok(Attributes {
        province_code: row.try_get("province_code")?,
        gender: row.try_get("gender")?,
        age_band: row.try_get("age_band")?,
        actor_kind: row.try_get("actor_kind")?,
    })
}

/// Locks the rows of the accounts a transaction's events are about (created empty when first
/// seen), all at once and in order, before any event is applied: transactions of several
/// events, of different consumers and replicas, then wait for one another's accounts instead of
/// deadlocking. On PostgreSQL; SQLite's writers take turns anyway.
pub(crate) async fn lock_accounts(
    conn: &mut AnyConnection,
    accounts: BTreeSet<String>,
) -> Result<(), sqlx::Error> {
    if !is_postgres(conn) {
        return Ok(());
    }
    let accounts: Vec<String> = accounts.into_iter().collect();
    for chunk in accounts.chunks(500) {
        // Rows are inserted, or locked where they exist, in the order of VALUES.
        let sql = format!(
            "INSERT INTO rp_accounts (account_id) VALUES {} ON CONFLICT (account_id) \
             DO UPDATE SET account_id = excluded.account_id",
            params::rows(1, chunk.len(), 1)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for account in chunk {
            query = query.bind(account);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The account's attributes, its row created when first seen and locked until the
/// transaction ends (on PostgreSQL; SQLite's writers take turns anyway).
async fn lock_account(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Attributes, sqlx::Error> {
    let sql = format!(
        "INSERT INTO rp_accounts (account_id) VALUES ($1) ON CONFLICT (account_id) \
         DO UPDATE SET account_id = excluded.account_id RETURNING {ATTRIBUTE_COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(account_id)
        .fetch_one(conn)
        .await?;
    attributes_from(&row)
}

/// The account's attributes (none known: no row).
async fn attributes(conn: &mut AnyConnection, account_id: &str) -> Result<Attributes, sqlx::Error> {
    let sql = format!("SELECT {ATTRIBUTE_COLUMNS} FROM rp_accounts WHERE account_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(account_id)
        .fetch_optional(conn)
        .await?;
    Ok(row
        .as_ref()
        .map(attributes_from)
        .transpose()?
        .unwrap_or_default())
}

/// Moves every fact of the account from the groups of its attributes `before` to those of
/// `after`: its cost is that of the person's own facts, not of all facts.
async fn move_facts(
    conn: &mut AnyConnection,
    account_id: &str,
    before: &Attributes,
    after: &Attributes,
    deltas: &mut Deltas,
) -> Result<(), sqlx::Error> {
    if before == after {
        return Ok(());
    }
    let sql = format!("SELECT {FACT_COLUMNS} FROM rp_facts WHERE account_id = $1");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(account_id)
        .fetch_all(conn)
        .await?;
    for row in &rows {
        let fact = StoredFact::from_row(row)?;
        deltas.replace(Some((&fact, before)), (&fact, after));
    }
    Ok(())
}

/// The consented profile, unless a later one is already there.
pub(crate) async fn set_profile(
    conn: &mut AnyConnection,
    account_id: &str,
    profile: Profile<'_>,
    at: i64,
    deltas: &mut Deltas,
) -> Result<(), sqlx::Error> {
    let before = lock_account(conn, account_id).await?;
    sqlx::query(
        "UPDATE rp_accounts SET province_code = $2, gender = $3, age_band = $4, profile_at = $5 \
         WHERE account_id = $1 AND profile_at <= $5",
    )
    .bind(account_id)
    .bind(profile.province_code)
    .bind(profile.gender)
    .bind(profile.age_band)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let after = attributes(conn, account_id).await?;
    move_facts(conn, account_id, &before, &after, deltas).await
}

/// A residence corrected at identity: the account's facts counted under `from` (the province
/// their events carried) move to `to` (`None`: outside the region, then the account's consented
/// province groups them). Only this account's facts are read: the cost is the person's.
pub(crate) async fn correct_province(
    conn: &mut AnyConnection,
    account_id: &str,
    from: &str,
    to: Option<&str>,
    deltas: &mut Deltas,
) -> Result<(), sqlx::Error> {
    let attributes = lock_account(conn, account_id).await?;
    if from.is_empty() || Some(from) == to {
        return Ok(());
    }
    let sql =
        format!("SELECT {FACT_COLUMNS} FROM rp_facts WHERE account_id = $1 AND province_code = $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(account_id)
        .bind(from)
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let before = StoredFact::from_row(row)?;
        let after = StoredFact {
            province_code: to.map(str::to_string),
            ..before.clone()
        };
        deltas.replace(Some((&before, &attributes)), (&after, &attributes));
    }
    sqlx::query(
        "UPDATE rp_facts SET province_code = $3 WHERE account_id = $1 AND province_code = $2",
    )
    .bind(account_id)
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(())
}

/// The consented attributes of a profile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile<'a> {
    pub province_code: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub age_band: Option<&'a str>,
}

/// The kind of actor, unless a later one is already there.
pub(crate) async fn set_actor_kind(
    conn: &mut AnyConnection,
    account_id: &str,
    actor_kind: Option<&str>,
    at: i64,
    deltas: &mut Deltas,
) -> Result<(), sqlx::Error> {
    let before = lock_account(conn, account_id).await?;
    if let Some(kind) = actor_kind {
        sqlx::query(
            "UPDATE rp_accounts SET actor_kind = $2, actor_at = $3 \
             WHERE account_id = $1 AND actor_at <= $3",
        )
        .bind(account_id)
        .bind(kind)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let after = attributes(conn, account_id).await?;
        move_facts(conn, account_id, &before, &after, deltas).await?;
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
    for table in [
        "rp_facts",
        "rp_accounts",
        "rp_cells",
        "rp_cell_people",
        "rp_milestone_totals",
        "rp_learning_gains",
        "rp_program_gains",
        "rp_programs",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
