//! What a service knows of its documents, in its own `attachments` table (the same columns
//! in every service's database; see a service's migration): the bytes are in the store.

use sqlx::{AnyConnection, FromRow};

#[derive(FromRow, Clone)]
pub struct AttachmentRow {
    pub attachment_id: String,
    /// What it is attached to: `consultation`, `session`...
    pub parent_type: String,
    pub parent_id: String,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub added_by: String,
    pub added_at: i64,
}

const COLUMNS: &str = "attachment_id, parent_type, parent_id, name, content_type, size_bytes, \
                       sha256, storage_key, added_by, added_at";

pub async fn insert(conn: &mut AnyConnection, a: &AttachmentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO attachments (attachment_id, parent_type, parent_id, name, content_type, \
         size_bytes, sha256, storage_key, added_by, added_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&a.attachment_id)
    .bind(&a.parent_type)
    .bind(&a.parent_id)
    .bind(&a.name)
    .bind(&a.content_type)
    .bind(a.size_bytes)
    .bind(&a.sha256)
    .bind(&a.storage_key)
    .bind(&a.added_by)
    .bind(a.added_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<AttachmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE attachment_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A page of a parent's attachments, oldest first (ids are time-ordered UUIDv7).
pub async fn list(
    conn: &mut AnyConnection,
    parent_type: &str,
    parent_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<AttachmentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE parent_type = $1 AND parent_id = $2 \
         ORDER BY attachment_id LIMIT $3 OFFSET $4"
    )))
    .bind(parent_type)
    .bind(parent_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Deletes the row; false when it was already gone (a concurrent removal).
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM attachments WHERE attachment_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The attachment as the contract shows it.
pub fn message(row: &AttachmentRow) -> tachawor_proto::common::Attachment {
    tachawor_proto::common::Attachment {
        attachment_id: row.attachment_id.clone(),
        name: row.name.clone(),
        content_type: row.content_type.clone(),
        size_bytes: row.size_bytes,
        sha256: row.sha256.clone(),
        added_at: Some(tachawor_proto::dates::timestamp(row.added_at)),
    }
}
