//! The writes every service makes the same way: a new attachment's row, audit entry and event
//! in one transaction after its bytes are stored; a removal's row, audit entry and event, then
//! its bytes. Who may do it and what the parent is stay with the service.

use bytes::Bytes;
use serde_json::json;
use tachawor_errors::Error;
use tachawor_proto::catalogue::EventType;
use tachawor_runtime::{Writer, audit};

use crate::{
    Checked, Documents,
    records::{self, AttachmentRow},
};

/// A new attachment's row: a fresh id, its key under the parent's kind.
pub fn new_row(
    documents: &Documents,
    parent_type: &str,
    parent_id: &str,
    checked: Checked,
    added_by: &str,
    now: i64,
) -> AttachmentRow {
    let attachment_id = uuid::Uuid::now_v7().to_string();
    AttachmentRow {
        storage_key: documents.key(parent_type, &attachment_id),
        attachment_id,
        parent_type: parent_type.into(),
        parent_id: parent_id.into(),
        name: checked.name,
        content_type: checked.content_type.into(),
        size_bytes: checked.size_bytes,
        sha256: checked.sha256,
        added_by: added_by.into(),
        added_at: now,
    }
}

/// What the audit log keeps of an attachment (never its name, which a person chose).
fn audited(row: &AttachmentRow) -> serde_json::Value {
    json!({
        "parent_type": row.parent_type,
        "parent_id": row.parent_id,
        "content_type": row.content_type,
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
    })
}

/// Stores the bytes, then the row, its audit entry (`attachment.add`) and `event` in one
/// transaction; the bytes are removed again if that fails.
pub async fn add<M: prost::Name>(
    writer: &Writer,
    documents: &Documents,
    row: &AttachmentRow,
    content: Bytes,
    event: EventType<M>,
    payload: &M,
) -> Result<(), Error> {
    let record = async {
        let mut tx = writer.begin().await?;
        records::insert(&mut tx, row).await?;
        let change = audit::Change {
            actor_id: &row.added_by,
            action: "attachment.add",
            target_type: "attachment",
            target_id: &row.attachment_id,
            before: json!(null),
            after: audited(row),
        };
        audit::record(&mut tx, change, row.added_at).await?;
        writer
            .emit(&mut tx, event, &row.attachment_id, payload)
            .await?;
        writer.commit(tx).await
    };
    documents
        .put_recorded(&row.storage_key, content, record)
        .await
}

/// Deletes the row of `attachment_id` with its audit entry (`attachment.remove`, by
/// `actor_id`) and the event `payload` makes of it, in one transaction; then the bytes, which
/// nothing reaches any more (a failure there is logged, not returned). NOT_FOUND when there is
/// no such attachment.
pub async fn remove<M: prost::Name>(
    writer: &Writer,
    documents: &Documents,
    actor_id: &str,
    attachment_id: &str,
    event: EventType<M>,
    payload: impl FnOnce(&AttachmentRow) -> M,
) -> Result<AttachmentRow, Error> {
    let mut tx = writer.begin().await?;
    let row = records::find(&mut tx, attachment_id)
        .await?
        .ok_or_else(|| Error::not_found("attachment"))?;
    if !records::delete(&mut tx, attachment_id).await? {
        return Err(Error::not_found("attachment"));
    }
    let change = audit::Change {
        actor_id,
        action: "attachment.remove",
        target_type: "attachment",
        target_id: attachment_id,
        before: audited(&row),
        after: json!(null),
    };
    audit::record(&mut tx, change, writer.now()).await?;
    writer
        .emit(&mut tx, event, attachment_id, &payload(&row))
        .await?;
    writer.commit(tx).await?;
    documents.discard(&row.storage_key).await;
    Ok(row)
}

/// The bytes of `row`, in their turn.
pub async fn content(documents: &Documents, row: &AttachmentRow) -> Result<Bytes, Error> {
    let _turn = documents.transfer().await?;
    documents.get(&row.storage_key, &row.sha256).await
}
