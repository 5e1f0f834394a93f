//! Associations and their representatives.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::{
    common::LocalizedText,
    identity::{Association, AssociationEligibility},
};

use crate::domain;

#[derive(Debug, Clone, FromRow)]
pub struct AssociationRow {
    pub association_id: String,
    pub name_ar: String,
    pub name_fr: String,
    pub name_en: String,
    pub registration_number: String,
    /// `YYYY-MM-DD`.
    pub founded_on: String,
    pub province_code: String,
    /// A JSON array of slugs.
    pub fields_of_activity: String,
    pub status: String,
    pub created_at: i64,
    /// 1 when imported from the council's records.
    pub recorded_after_the_fact: i32,
}

const COLUMNS: &str = "association_id, name_ar, name_fr, name_en, registration_number, \
     founded_on, province_code, fields_of_activity, status, created_at, recorded_after_the_fact";

impl AssociationRow {
    pub fn fields(&self) -> Vec<String> {
        serde_json::from_str(&self.fields_of_activity).unwrap_or_default()
    }

    pub fn to_proto(&self, representative_ids: Vec<String>) -> Association {
        Association {
            association_id: self.association_id.clone(),
            name: Some(LocalizedText {
                ar: self.name_ar.clone(),
                fr: self.name_fr.clone(),
                en: self.name_en.clone(),
            }),
            registration_number: self.registration_number.clone(),
            founded_on: domain::date_from_str(&self.founded_on),
            province_code: self.province_code.clone(),
            fields_of_activity: self.fields(),
            status: domain::association_status_from_str(&self.status) as i32,
            representative_ids,
            created_at: Some(domain::timestamp(self.created_at)),
            recorded_after_the_fact: self.recorded_after_the_fact != 0,
        }
    }
}

pub fn fields_json(fields: &[String]) -> String {
    serde_json::to_string(fields).unwrap_or_else(|_| "[]".into())
}

pub async fn insert(conn: &mut AnyConnection, row: &AssociationRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO associations (association_id, name_ar, name_fr, name_en, \
         registration_number, founded_on, province_code, fields_of_activity, status, \
         created_at, updated_at, recorded_after_the_fact) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
    )
    .bind(&row.association_id)
    .bind(&row.name_ar)
    .bind(&row.name_fr)
    .bind(&row.name_en)
    .bind(&row.registration_number)
    .bind(&row.founded_on)
    .bind(&row.province_code)
    .bind(&row.fields_of_activity)
    .bind(&row.status)
    .bind(row.created_at)
    .bind(row.recorded_after_the_fact)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn registration_number_taken(
    conn: &mut AnyConnection,
    registration_number: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT association_id FROM associations WHERE registration_number = $1")
            .bind(registration_number)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// The association registered under `registration_number`, if any.
pub async fn find_by_registration_number(
    conn: &mut AnyConnection,
    registration_number: &str,
) -> Result<Option<AssociationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM associations WHERE registration_number = $1"
    )))
    .bind(registration_number)
    .fetch_optional(conn)
    .await
}

/// Takes the association's row lock (PostgreSQL) so concurrent changes to it queue up; SQLite
/// transactions are already serialised. Returns whether it exists.
pub async fn lock(conn: &mut AnyConnection, association_id: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE associations SET updated_at = updated_at WHERE association_id = $1")
            .bind(association_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn find_row(
    conn: &mut AnyConnection,
    association_id: &str,
) -> Result<Option<AssociationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM associations WHERE association_id = $1"
    )))
    .bind(association_id)
    .fetch_optional(conn)
    .await
}

/// The association with its representatives.
pub async fn find(
    conn: &mut AnyConnection,
    association_id: &str,
) -> Result<Option<Association>, sqlx::Error> {
    let Some(row) = find_row(conn, association_id).await? else {
        return Ok(None);
    };
    Ok(with_representatives(conn, vec![row]).await?.pop())
}

pub async fn set_status(
    conn: &mut AnyConnection,
    association_id: &str,
    status: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE associations SET status = $1, updated_at = $2 WHERE association_id = $3")
        .bind(status)
        .bind(now)
        .bind(association_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a representative; false when the account already represents the association.
pub async fn add_representative(
    conn: &mut AnyConnection,
    association_id: &str,
    account_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO association_representatives (association_id, account_id, added_at) \
         VALUES ($1, $2, $3) ON CONFLICT (association_id, account_id) DO NOTHING",
    )
    .bind(association_id)
    .bind(account_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a representative; false when the account did not represent the association.
pub async fn remove_representative(
    conn: &mut AnyConnection,
    association_id: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM association_representatives WHERE association_id = $1 AND account_id = $2",
    )
    .bind(association_id)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Associations filtered by status and province (empty: any), oldest first.
pub async fn list(
    conn: &mut AnyConnection,
    status: &str,
    province_code: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Association>, sqlx::Error> {
    let rows: Vec<AssociationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM associations \
         WHERE ($1 = '' OR status = $1) AND ($2 = '' OR province_code = $2) \
         ORDER BY created_at, association_id LIMIT $3 OFFSET $4"
    )))
    .bind(status)
    .bind(province_code)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    with_representatives(conn, rows).await
}

/// The associations an account represents (for its data export).
pub async fn represented_by(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<Association>, sqlx::Error> {
    let rows = represented_rows(conn, account_id).await?;
    with_representatives(conn, rows).await
}

/// What petition and registration rules need to know of the associations an account represents.
pub async fn eligibility_of(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<AssociationEligibility>, sqlx::Error> {
    Ok(represented_rows(conn, account_id)
        .await?
        .into_iter()
        .map(|row| AssociationEligibility {
            status: domain::association_status_from_str(&row.status) as i32,
            founded_on: domain::date_from_str(&row.founded_on),
            fields_of_activity: row.fields(),
            association_id: row.association_id,
            province_code: row.province_code,
        })
        .collect())
}

async fn represented_rows(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<AssociationRow>, sqlx::Error> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("a.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {columns} FROM associations a \
         JOIN association_representatives r ON r.association_id = a.association_id \
         WHERE r.account_id = $1 ORDER BY a.created_at, a.association_id"
    )))
    .bind(account_id)
    .fetch_all(conn)
    .await
}

/// Attaches each association's representatives, in one query for all of them.
async fn with_representatives(
    conn: &mut AnyConnection,
    rows: Vec<AssociationRow>,
) -> Result<Vec<Association>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (1..=rows.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT association_id, account_id FROM association_representatives \
         WHERE association_id IN ({placeholders}) ORDER BY added_at, account_id"
    );
    let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
    for row in &rows {
        query = query.bind(&row.association_id);
    }
    let mut representatives: HashMap<String, Vec<String>> = HashMap::new();
    for (association_id, account_id) in query.fetch_all(conn).await? {
        representatives
            .entry(association_id)
            .or_default()
            .push(account_id);
    }
    Ok(rows
        .iter()
        .map(|row| {
            row.to_proto(
                representatives
                    .remove(&row.association_id)
                    .unwrap_or_default(),
            )
        })
        .collect())
}

/// Removes an account from every association it represents (its deletion).
pub async fn remove_representations_of(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM association_representatives WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}
