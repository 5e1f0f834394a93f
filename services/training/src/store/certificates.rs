//! Certificates and their public verification codes.

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::training::{Certificate, CertificateNameStatus};

use crate::domain::{self, certificate::NameStatus};

#[derive(Debug, Clone, FromRow)]
pub struct CertificateRow {
    pub certificate_id: String,
    pub registration_id: String,
    pub session_id: String,
    pub account_id: String,
    /// Personal data: kept here only.
    pub holder_name: String,
    pub verification_code: String,
    pub issued_by: String,
    pub issued_at: i64,
    /// `verified`, `pending`, `approved` or `erased`.
    pub name_status: String,
}

const COLUMNS: &str = "certificate_id, registration_id, session_id, account_id, holder_name, \
     verification_code, issued_by, issued_at, name_status";

/// The contract's spelling of a stored name status (unspecified when unknown).
pub fn name_status(s: &str) -> CertificateNameStatus {
    NameStatus::from_sql(s).map_or(CertificateNameStatus::Unspecified, NameStatus::to_proto)
}

impl CertificateRow {
    pub fn to_proto(&self) -> Certificate {
        Certificate {
            certificate_id: self.certificate_id.clone(),
            session_id: self.session_id.clone(),
            account_id: self.account_id.clone(),
            holder_name: self.holder_name.clone(),
            verification_code: self.verification_code.clone(),
            issued_at: Some(domain::timestamp(self.issued_at)),
            name_status: name_status(&self.name_status) as i32,
        }
    }

    /// The name anyone checking the code may see: a verified or approved one only.
    pub fn public_name(&self) -> &str {
        match NameStatus::from_sql(&self.name_status) {
            Some(status) if status.is_public() => &self.holder_name,
            _ => "",
        }
    }
}

pub async fn insert(conn: &mut AnyConnection, row: &CertificateRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO certificates (certificate_id, registration_id, session_id, account_id, \
         holder_name, verification_code, issued_by, issued_at, name_status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&row.certificate_id)
    .bind(&row.registration_id)
    .bind(&row.session_id)
    .bind(&row.account_id)
    .bind(&row.holder_name)
    .bind(&row.verification_code)
    .bind(&row.issued_by)
    .bind(row.issued_at)
    .bind(&row.name_status)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_by_registration(
    conn: &mut AnyConnection,
    registration_id: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE registration_id = $1"
    )))
    .bind(registration_id)
    .fetch_optional(conn)
    .await
}

pub async fn find_by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE verification_code = $1"
    )))
    .bind(code)
    .fetch_optional(conn)
    .await
}

pub async fn find(
    conn: &mut AnyConnection,
    certificate_id: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE certificate_id = $1"
    )))
    .bind(certificate_id)
    .fetch_optional(conn)
    .await
}

pub async fn set_name(
    conn: &mut AnyConnection,
    certificate_id: &str,
    holder_name: &str,
    status: NameStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE certificates SET holder_name = $1, name_status = $2 WHERE certificate_id = $3",
    )
    .bind(holder_name)
    .bind(status.as_sql())
    .bind(certificate_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The certificates of `account_id`, oldest first, a page at a time.
pub async fn of_account(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE account_id = $1 \
         ORDER BY issued_at, certificate_id LIMIT $2 OFFSET $3"
    )))
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Erases the holder's name from every certificate of `account_id`; the certificates stay.
pub async fn erase_names(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE certificates SET holder_name = '', name_status = $1 WHERE account_id = $2")
        .bind(NameStatus::Erased.as_sql())
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The certificates whose name awaits staff approval, oldest issued first, a page at a time.
pub async fn pending_names(
    conn: &mut AnyConnection,
    limit: i64,
    offset: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM certificates WHERE name_status = $1 \
         ORDER BY issued_at, certificate_id LIMIT $2 OFFSET $3"
    )))
    .bind(NameStatus::Pending.as_sql())
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
