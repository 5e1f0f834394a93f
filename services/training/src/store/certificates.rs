//! Certificates and their public verification codes.

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::training::Certificate;

use crate::domain;

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
}

const COLUMNS: &str = "certificate_id, registration_id, session_id, account_id, holder_name, \
     verification_code, issued_by, issued_at";

impl CertificateRow {
    pub fn to_proto(&self) -> Certificate {
        Certificate {
            certificate_id: self.certificate_id.clone(),
            session_id: self.session_id.clone(),
            account_id: self.account_id.clone(),
            holder_name: self.holder_name.clone(),
            verification_code: self.verification_code.clone(),
            issued_at: Some(domain::timestamp(self.issued_at)),
        }
    }
}

pub async fn insert(conn: &mut AnyConnection, row: &CertificateRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO certificates (certificate_id, registration_id, session_id, account_id, \
         holder_name, verification_code, issued_by, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.certificate_id)
    .bind(&row.registration_id)
    .bind(&row.session_id)
    .bind(&row.account_id)
    .bind(&row.holder_name)
    .bind(&row.verification_code)
    .bind(&row.issued_by)
    .bind(row.issued_at)
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
