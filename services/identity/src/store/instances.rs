//! Consultative instances and their memberships.
//!
//! A membership lasts from `started_on` (included) to `ended_on` (excluded, open while unset);
//! dates are `YYYY-MM-DD` text, so they compare as text on both backends.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::{
    common::LocalizedText,
    identity::{ConsultativeInstance, InstanceMembership},
};
use tachawor_region::VoteRule;

use crate::domain::{self, instance};

#[derive(Debug, Clone, FromRow)]
pub struct InstanceRow {
    pub instance_id: String,
    pub name_ar: String,
    pub name_fr: String,
    pub name_en: String,
    pub kind: String,
    pub mandate_start: Option<String>,
    pub mandate_end: Option<String>,
    pub created_at: i64,
    pub level: String,
    pub province_code: String,
    pub remit_ar: String,
    pub remit_fr: String,
    pub remit_en: String,
    /// Unset only in rows older than vote rules, until start-up sets the region's default.
    pub quorum_percent: Option<i64>,
    pub majority: Option<String>,
}

const INSTANCE_COLUMNS: &str = "instance_id, name_ar, name_fr, name_en, kind, mandate_start, \
     mandate_end, created_at, level, province_code, remit_ar, remit_fr, remit_en, \
     quorum_percent, majority";

impl InstanceRow {
    pub fn to_proto(&self, members: Vec<InstanceMembership>) -> ConsultativeInstance {
        ConsultativeInstance {
            instance_id: self.instance_id.clone(),
            name: Some(LocalizedText {
                ar: self.name_ar.clone(),
                fr: self.name_fr.clone(),
                en: self.name_en.clone(),
            }),
            kind: self.kind.clone(),
            mandate_start: self
                .mandate_start
                .as_deref()
                .and_then(domain::date_from_str),
            mandate_end: self.mandate_end.as_deref().and_then(domain::date_from_str),
            members,
            level: instance::level_from_str(&self.level) as i32,
            province_code: self.province_code.clone(),
            remit: Some(LocalizedText {
                ar: self.remit_ar.clone(),
                fr: self.remit_fr.clone(),
                en: self.remit_en.clone(),
            }),
            vote_rule: Some(self.vote_rule().to_message()),
        }
    }

    pub fn vote_rule(&self) -> VoteRule {
        VoteRule::from_parts(
            self.quorum_percent.unwrap_or_default(),
            self.majority.as_deref().unwrap_or_default(),
            VoteRule::default(),
        )
    }

    /// Sets the vote rule's columns.
    pub fn set_vote_rule(&mut self, rule: VoteRule) {
        self.quorum_percent = Some(i64::from(rule.quorum_percent));
        self.majority = Some(rule.majority.as_str().to_string());
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub membership_id: String,
    pub instance_id: String,
    pub account_id: String,
    pub role: String,
    pub association_id: Option<String>,
    pub started_on: String,
    pub ended_on: Option<String>,
    /// 1 when imported from the council's records.
    pub recorded_after_the_fact: i32,
}

const MEMBERSHIP_COLUMNS: &str = "membership_id, instance_id, account_id, role, association_id, \
     started_on, ended_on, recorded_after_the_fact";

impl MembershipRow {
    pub fn to_proto(&self) -> InstanceMembership {
        InstanceMembership {
            membership_id: self.membership_id.clone(),
            instance_id: self.instance_id.clone(),
            account_id: self.account_id.clone(),
            role: domain::member_role_from_str(&self.role) as i32,
            association_id: self.association_id.clone().unwrap_or_default(),
            started_on: domain::date_from_str(&self.started_on),
            ended_on: self.ended_on.as_deref().and_then(domain::date_from_str),
            recorded_after_the_fact: self.recorded_after_the_fact != 0,
        }
    }
}

pub async fn insert(conn: &mut AnyConnection, row: &InstanceRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instances (instance_id, name_ar, name_fr, name_en, kind, mandate_start, \
         mandate_end, created_at, level, province_code, remit_ar, remit_fr, remit_en, \
         quorum_percent, majority) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&row.instance_id)
    .bind(&row.name_ar)
    .bind(&row.name_fr)
    .bind(&row.name_en)
    .bind(&row.kind)
    .bind(&row.mandate_start)
    .bind(&row.mandate_end)
    .bind(row.created_at)
    .bind(&row.level)
    .bind(&row.province_code)
    .bind(&row.remit_ar)
    .bind(&row.remit_fr)
    .bind(&row.remit_en)
    .bind(row.quorum_percent)
    .bind(&row.majority)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the editable columns of `row`: name, remit, level, province and vote rule.
pub async fn update(conn: &mut AnyConnection, row: &InstanceRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE instances SET name_ar = $1, name_fr = $2, name_en = $3, remit_ar = $4, \
         remit_fr = $5, remit_en = $6, level = $7, province_code = $8, quorum_percent = $9, \
         majority = $10 WHERE instance_id = $11",
    )
    .bind(&row.name_ar)
    .bind(&row.name_fr)
    .bind(&row.name_en)
    .bind(&row.remit_ar)
    .bind(&row.remit_fr)
    .bind(&row.remit_en)
    .bind(&row.level)
    .bind(&row.province_code)
    .bind(row.quorum_percent)
    .bind(&row.majority)
    .bind(&row.instance_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives instances older than vote rules the region's default rule; returns how many.
pub async fn set_missing_vote_rules(
    conn: &mut AnyConnection,
    rule: VoteRule,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE instances SET quorum_percent = $1, majority = $2 WHERE quorum_percent IS NULL",
    )
    .bind(i64::from(rule.quorum_percent))
    .bind(rule.majority.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The instance's own row, without its memberships.
pub async fn find_row(
    conn: &mut AnyConnection,
    instance_id: &str,
) -> Result<Option<InstanceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INSTANCE_COLUMNS} FROM instances WHERE instance_id = $1"
    )))
    .bind(instance_id)
    .fetch_optional(conn)
    .await
}

/// Takes the instance's row lock (PostgreSQL) so membership changes to one instance queue up
/// and its rules (one membership per account, one president) hold; SQLite transactions are
/// already serialised. Returns whether the instance exists.
pub async fn lock(conn: &mut AnyConnection, instance_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE instances SET created_at = created_at WHERE instance_id = $1")
        .bind(instance_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The instance with every membership it has had.
pub async fn find(
    conn: &mut AnyConnection,
    instance_id: &str,
) -> Result<Option<ConsultativeInstance>, sqlx::Error> {
    let Some(row) = find_row(conn, instance_id).await? else {
        return Ok(None);
    };
    Ok(with_members(conn, vec![row]).await?.pop())
}

/// Instances of `level` and `province_code` (each empty: any), oldest first, each with every
/// membership it has had.
pub async fn list(
    conn: &mut AnyConnection,
    level: &str,
    province_code: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ConsultativeInstance>, sqlx::Error> {
    let rows: Vec<InstanceRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INSTANCE_COLUMNS} FROM instances \
         WHERE ($1 = '' OR level = $1) AND ($2 = '' OR province_code = $2) \
         ORDER BY created_at, instance_id LIMIT $3 OFFSET $4"
    )))
    .bind(level)
    .bind(province_code)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    with_members(conn, rows).await
}

/// Attaches each instance's memberships, in one query for all of them.
async fn with_members(
    conn: &mut AnyConnection,
    rows: Vec<InstanceRow>,
) -> Result<Vec<ConsultativeInstance>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (1..=rows.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM instance_memberships \
         WHERE instance_id IN ({placeholders}) ORDER BY started_on, membership_id"
    );
    let mut query = sqlx::query_as::<_, MembershipRow>(sqlx::AssertSqlSafe(sql));
    for row in &rows {
        query = query.bind(&row.instance_id);
    }
    let mut members: HashMap<String, Vec<InstanceMembership>> = HashMap::new();
    for m in query.fetch_all(conn).await? {
        members
            .entry(m.instance_id.clone())
            .or_default()
            .push(m.to_proto());
    }
    Ok(rows
        .iter()
        .map(|row| row.to_proto(members.remove(&row.instance_id).unwrap_or_default()))
        .collect())
}

pub async fn insert_membership(
    conn: &mut AnyConnection,
    row: &MembershipRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_memberships (membership_id, instance_id, account_id, role, \
         association_id, started_on, ended_on, recorded_after_the_fact) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.membership_id)
    .bind(&row.instance_id)
    .bind(&row.account_id)
    .bind(&row.role)
    .bind(&row.association_id)
    .bind(&row.started_on)
    .bind(&row.ended_on)
    .bind(row.recorded_after_the_fact)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_membership(
    conn: &mut AnyConnection,
    membership_id: &str,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM instance_memberships WHERE membership_id = $1"
    )))
    .bind(membership_id)
    .fetch_optional(conn)
    .await
}

pub async fn end_membership(
    conn: &mut AnyConnection,
    membership_id: &str,
    ended_on: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE instance_memberships SET ended_on = $1 WHERE membership_id = $2")
        .bind(ended_on)
        .bind(membership_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the account has a membership of the instance still open on or after `from`: a new
/// open-ended membership starting on `from` would overlap it.
pub async fn has_open_membership(
    conn: &mut AnyConnection,
    instance_id: &str,
    account_id: &str,
    from: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT membership_id FROM instance_memberships \
         WHERE instance_id = $1 AND account_id = $2 AND (ended_on IS NULL OR ended_on > $3) \
         LIMIT 1",
    )
    .bind(instance_id)
    .bind(account_id)
    .bind(from)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The account's membership of the instance that started on `started_on`, if any (an
/// import's natural key).
pub async fn find_membership_by_key(
    conn: &mut AnyConnection,
    instance_id: &str,
    account_id: &str,
    started_on: &str,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM instance_memberships \
         WHERE instance_id = $1 AND account_id = $2 AND started_on = $3"
    )))
    .bind(instance_id)
    .bind(account_id)
    .bind(started_on)
    .fetch_optional(conn)
    .await
}

/// Whether a membership of the instance by `account_id` (or, when `account_id` is empty, with
/// `role`) overlaps `[from, until)`; `until` `None` is open-ended.
pub async fn overlaps(
    conn: &mut AnyConnection,
    instance_id: &str,
    account_id: &str,
    role: &str,
    from: &str,
    until: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT membership_id FROM instance_memberships \
         WHERE instance_id = $1 AND ($2 = '' OR account_id = $2) AND ($3 = '' OR role = $3) \
         AND (ended_on IS NULL OR ended_on > $4) AND ($5 = '' OR started_on < $5) LIMIT 1",
    )
    .bind(instance_id)
    .bind(account_id)
    .bind(role)
    .bind(from)
    .bind(until.unwrap_or_default())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Whether another membership with `role` is still open on or after `from`.
pub async fn has_open_role(
    conn: &mut AnyConnection,
    instance_id: &str,
    role: &str,
    from: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT membership_id FROM instance_memberships \
         WHERE instance_id = $1 AND role = $2 AND (ended_on IS NULL OR ended_on > $3) LIMIT 1",
    )
    .bind(instance_id)
    .bind(role)
    .bind(from)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Every membership of an account, past and present (for its data export).
pub async fn memberships_of(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<InstanceMembership>, sqlx::Error> {
    let rows: Vec<MembershipRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM instance_memberships WHERE account_id = $1 \
         ORDER BY started_on, membership_id"
    )))
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(MembershipRow::to_proto).collect())
}

/// Memberships that have started and not ended on `today`.
pub async fn active_memberships_of(
    conn: &mut AnyConnection,
    account_id: &str,
    today: &str,
) -> Result<Vec<InstanceMembership>, sqlx::Error> {
    let rows: Vec<MembershipRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM instance_memberships WHERE account_id = $1 \
         AND started_on <= $2 AND (ended_on IS NULL OR ended_on > $2) \
         ORDER BY started_on, membership_id"
    )))
    .bind(account_id)
    .bind(today)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(MembershipRow::to_proto).collect())
}

/// Ends on `today` every open membership of an account (its deletion).
pub async fn end_memberships_of(
    conn: &mut AnyConnection,
    account_id: &str,
    today: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE instance_memberships SET ended_on = $1 WHERE account_id = $2 AND ended_on IS NULL",
    )
    .bind(today)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The id of an instance of `kind`, if there is one (reference instances are one per kind).
pub async fn find_by_kind(
    conn: &mut AnyConnection,
    kind: &str,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT instance_id FROM instances WHERE kind = $1 LIMIT 1")
            .bind(kind)
            .fetch_optional(conn)
            .await?;
    Ok(found.map(|(id,)| id))
}
