//! Programs.

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::{common::LocalizedText, training::Program};

use crate::domain;

#[derive(Debug, Clone, FromRow)]
pub struct ProgramRow {
    pub program_id: String,
    pub title_ar: String,
    pub title_fr: String,
    pub title_en: String,
    pub objectives_ar: String,
    pub objectives_fr: String,
    pub objectives_en: String,
    /// JSON array of audience spellings.
    pub audiences: String,
    pub milestone_ref: String,
    /// JSON array of province codes.
    pub province_codes: String,
    pub created_by: String,
    pub created_at: i64,
}

const COLUMNS: &str = "program_id, title_ar, title_fr, title_en, objectives_ar, objectives_fr, \
     objectives_en, audiences, milestone_ref, province_codes, created_by, created_at";

impl ProgramRow {
    pub fn title(&self) -> LocalizedText {
        LocalizedText {
            ar: self.title_ar.clone(),
            fr: self.title_fr.clone(),
            en: self.title_en.clone(),
            zgh: String::new(),
        }
    }

    pub fn to_proto(&self) -> Program {
        let audiences: Vec<String> = domain::from_json(&self.audiences);
        Program {
            program_id: self.program_id.clone(),
            title: Some(self.title()),
            objectives: Some(LocalizedText {
                ar: self.objectives_ar.clone(),
                fr: self.objectives_fr.clone(),
                en: self.objectives_en.clone(),
                zgh: String::new(),
            }),
            audiences: audiences
                .iter()
                .map(|a| domain::audience_from_str(a) as i32)
                .collect(),
            milestone_ref: self.milestone_ref.clone(),
            province_codes: domain::from_json(&self.province_codes),
            created_at: Some(domain::timestamp(self.created_at)),
        }
    }
}

pub async fn insert(conn: &mut AnyConnection, row: &ProgramRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO programs (program_id, title_ar, title_fr, title_en, objectives_ar, \
         objectives_fr, objectives_en, audiences, milestone_ref, province_codes, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&row.program_id)
    .bind(&row.title_ar)
    .bind(&row.title_fr)
    .bind(&row.title_en)
    .bind(&row.objectives_ar)
    .bind(&row.objectives_fr)
    .bind(&row.objectives_en)
    .bind(&row.audiences)
    .bind(&row.milestone_ref)
    .bind(&row.province_codes)
    .bind(&row.created_by)
    .bind(row.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(
    conn: &mut AnyConnection,
    program_id: &str,
) -> Result<Option<ProgramRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programs WHERE program_id = $1"
    )))
    .bind(program_id)
    .fetch_optional(conn)
    .await
}

pub async fn list(
    conn: &mut AnyConnection,
    milestone_ref: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProgramRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programs WHERE ($1 = '' OR milestone_ref = $1) \
         ORDER BY created_at DESC, program_id LIMIT $2 OFFSET $3"
    )))
    .bind(milestone_ref)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
