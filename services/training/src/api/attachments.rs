//! A session's material: staff attach documents to a session and remove them (audited,
//! announced); anyone lists and downloads them, as anyone reads the session. The checks and
//! writes are `tachawor_documents`'.

use bytes::Bytes;
use tachawor_documents::{
    attach,
    records::{self as rows, message},
};
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    events::{TrainingAttachmentAdded, TrainingAttachmentRemoved},
    training::{
        AddAttachmentRequest, AddAttachmentResponse, GetAttachmentContentRequest,
        GetAttachmentContentResponse, ListAttachmentsRequest, ListAttachmentsResponse,
        RemoveAttachmentRequest, RemoveAttachmentResponse,
    },
};

use super::{STAFF, check_uuid, page};
use crate::{
    context::{Call, Context},
    store::sessions,
};

/// What the attachments of this service hang off.
const PARENT: &str = "session";

/// NOT_FOUND unless the session exists (every session is public).
async fn session_exists(conn: &mut sqlx::AnyConnection, session_id: &str) -> Result<(), Error> {
    match sessions::find(conn, session_id).await? {
        Some(_) => Ok(()),
        None => Err(Error::not_found("session")),
    }
}

pub async fn add_attachment(
    ctx: &Context,
    call: &Call,
    req: AddAttachmentRequest,
) -> Result<AddAttachmentResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    let checked = ctx
        .documents
        .check(&mut v, "name", &req.name, "content", &req.content);
    v.finish()?;
    let checked = checked.ok_or_else(|| Error::field("content", "is not accepted"))?;
    session_exists(&mut *ctx.db.pool().acquire().await?, &req.session_id).await?;
    let row = attach::new_row(
        &ctx.documents,
        PARENT,
        &req.session_id,
        checked,
        &staff.account_id,
        ctx.now(),
    );
    let added = TrainingAttachmentAdded {
        attachment_id: row.attachment_id.clone(),
        session_id: row.parent_id.clone(),
        content_type: row.content_type.clone(),
        size_bytes: row.size_bytes,
    };
    let content = Bytes::from(req.content);
    let event = catalogue::TRAINING_ATTACHMENT_ADDED;
    attach::add(&ctx.writer, &ctx.documents, &row, content, event, &added).await?;
    Ok(AddAttachmentResponse {
        attachment: Some(message(&row)),
    })
}

pub async fn list_attachments(
    ctx: &Context,
    _call: &Call,
    req: ListAttachmentsRequest,
) -> Result<ListAttachmentsResponse, Error> {
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    let page = page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await?;
    session_exists(&mut conn, &req.session_id).await?;
    let (limit, offset) = (page.fetch_limit(), page.offset);
    let mut found = rows::list(&mut conn, PARENT, &req.session_id, limit, offset).await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListAttachmentsResponse {
        attachments: found.iter().map(message).collect(),
        next_page_token,
    })
}

pub async fn get_attachment_content(
    ctx: &Context,
    _call: &Call,
    req: GetAttachmentContentRequest,
) -> Result<GetAttachmentContentResponse, Error> {
    let mut v = Violations::new();
    check_uuid(&mut v, "attachment_id", &req.attachment_id);
    v.finish()?;
    let row = rows::find(&mut *ctx.db.pool().acquire().await?, &req.attachment_id)
        .await?
        .filter(|r| r.parent_type == PARENT)
        .ok_or_else(|| Error::not_found("attachment"))?;
    let content = attach::content(&ctx.documents, &row).await?;
    Ok(GetAttachmentContentResponse {
        attachment: Some(message(&row)),
        content: content.to_vec(),
    })
}

pub async fn remove_attachment(
    ctx: &Context,
    call: &Call,
    req: RemoveAttachmentRequest,
) -> Result<RemoveAttachmentResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "attachment_id", &req.attachment_id);
    v.finish()?;
    attach::remove(
        &ctx.writer,
        &ctx.documents,
        &staff.account_id,
        &req.attachment_id,
        catalogue::TRAINING_ATTACHMENT_REMOVED,
        |row| TrainingAttachmentRemoved {
            attachment_id: row.attachment_id.clone(),
            session_id: row.parent_id.clone(),
        },
    )
    .await?;
    Ok(RemoveAttachmentResponse {})
}
