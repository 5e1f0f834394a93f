//! Documents attached to consultations (a program under consultation), petitions (the
//! council's answer) and opinions. Staff add to any and remove (audited); members of an
//! instance add to its opinions. Whoever reads the parent reads its attachments and their
//! bytes. The writes themselves are `tachawor_documents::attach`'s.

use bytes::Bytes;
use tachawor_auth::AccountCaller;
use tachawor_documents::{
    attach,
    records::{self as rows, message},
};
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    consultation::{
        AddAttachmentRequest, AddAttachmentResponse, AttachmentParent, GetAttachmentContentRequest,
        GetAttachmentContentResponse, ListAttachmentsRequest, ListAttachmentsResponse,
        RemoveAttachmentRequest, RemoveAttachmentResponse,
    },
    events::{ConsultationAttachmentAdded, ConsultationAttachmentRemoved},
};

use super::{access, opinions::reads_drafts_of, participants::Participant};
use crate::{
    context::{Call, Context, STAFF, person, reads_as_staff},
    domain::{opinion, petition},
    store::{opinions, petitions},
    validate,
};

/// What an attachment hangs off, spelled as in the table and events.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Parent {
    Consultation,
    Petition,
    Opinion,
}

impl Parent {
    fn from_proto(value: i32) -> Option<Self> {
        match AttachmentParent::try_from(value) {
            Ok(AttachmentParent::Consultation) => Some(Self::Consultation),
            Ok(AttachmentParent::Petition) => Some(Self::Petition),
            Ok(AttachmentParent::Opinion) => Some(Self::Opinion),
            _ => None,
        }
    }

    fn from_sql(s: &str) -> Result<Self, Error> {
        match s {
            "consultation" => Ok(Self::Consultation),
            "petition" => Ok(Self::Petition),
            "opinion" => Ok(Self::Opinion),
            other => Err(Error::Internal(anyhow::anyhow!(
                "unknown attachment parent {other}"
            ))),
        }
    }

    fn as_sql(self) -> &'static str {
        match self {
            Self::Consultation => "consultation",
            Self::Petition => "petition",
            Self::Opinion => "opinion",
        }
    }
}

const PARENT_INVALID: &str = "must be consultation, petition or opinion";

/// The parent as `viewer` sees it: `Ok(Some(instance))` (the opinion's instance, for the
/// members who add to it), or NOT_FOUND when it does not exist or is not theirs to read.
async fn readable(
    conn: &mut sqlx::AnyConnection,
    parent: Parent,
    parent_id: &str,
    viewer: Option<&AccountCaller>,
) -> Result<Option<String>, Error> {
    match parent {
        Parent::Consultation => {
            access::readable(conn, parent_id, viewer).await?;
            Ok(None)
        }
        Parent::Petition => {
            let row = petitions::find(conn, parent_id)
                .await?
                .ok_or_else(|| Error::not_found("petition"))?;
            let own = viewer.is_some_and(|c| c.account_id == row.agent_id);
            if !petition::Status::from_sql(&row.status)?.visible_to(own, reads_as_staff(viewer)) {
                return Err(Error::not_found("petition"));
            }
            Ok(None)
        }
        Parent::Opinion => {
            let row = opinions::find(conn, parent_id)
                .await?
                .ok_or_else(|| Error::not_found("opinion"))?;
            if !opinion::Status::from_sql(&row.status)?
                .visible_to(reads_drafts_of(viewer, &row.instance_id))
            {
                return Err(Error::not_found("opinion"));
            }
            Ok(Some(row.instance_id))
        }
    }
}

pub async fn add_attachment(
    ctx: &Context,
    call: &Call,
    req: AddAttachmentRequest,
) -> Result<AddAttachmentResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    let parent = Parent::from_proto(req.parent);
    v.check(parent.is_some(), "parent", PARENT_INVALID);
    validate::uuid(&mut v, "parent_id", &req.parent_id);
    let checked = ctx
        .documents
        .check(&mut v, "name", &req.name, "content", &req.content);
    let parent = validate::finish_with(v, parent, "parent", PARENT_INVALID)?;
    let checked = checked.ok_or_else(|| Error::field("content", "is not accepted"))?;
    let instance = {
        let mut conn = ctx.read().await?;
        readable(&mut conn, parent, &req.parent_id, Some(&caller)).await?
    };
    if !caller.is_staff() {
        let member = match &instance {
            Some(instance) => Participant::of(ctx, call).await?.sits_on(instance),
            None => false,
        };
        if !member {
            return Err(Error::PermissionDenied(
                match parent {
                    Parent::Opinion => "only staff and the instance's members attach to an opinion",
                    _ => "only staff attach documents here",
                }
                .into(),
            ));
        }
    }
    let row = attach::new_row(
        &ctx.documents,
        parent.as_sql(),
        &req.parent_id,
        checked,
        &caller.account_id,
        ctx.now(),
    );
    let added = ConsultationAttachmentAdded {
        attachment_id: row.attachment_id.clone(),
        parent_type: row.parent_type.clone(),
        parent_id: row.parent_id.clone(),
        content_type: row.content_type.clone(),
        size_bytes: row.size_bytes,
    };
    let content = Bytes::from(req.content);
    let event = catalogue::CONSULTATION_ATTACHMENT_ADDED;
    attach::add(&ctx.writer, &ctx.documents, &row, content, event, &added).await?;
    Ok(AddAttachmentResponse {
        attachment: Some(message(&row)),
    })
}

pub async fn list_attachments(
    ctx: &Context,
    call: &Call,
    req: ListAttachmentsRequest,
) -> Result<ListAttachmentsResponse, Error> {
    let mut v = Violations::new();
    let parent = Parent::from_proto(req.parent);
    v.check(parent.is_some(), "parent", PARENT_INVALID);
    validate::uuid(&mut v, "parent_id", &req.parent_id);
    let page = validate::page(&mut v, req.page.as_ref());
    let parent = validate::finish_with(v, parent, "parent", PARENT_INVALID)?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    readable(&mut conn, parent, &req.parent_id, viewer.as_ref()).await?;
    let mut found = rows::list(
        &mut conn,
        parent.as_sql(),
        &req.parent_id,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListAttachmentsResponse {
        attachments: found.iter().map(message).collect(),
        next_page_token,
    })
}

pub async fn get_attachment_content(
    ctx: &Context,
    call: &Call,
    req: GetAttachmentContentRequest,
) -> Result<GetAttachmentContentResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "attachment_id", &req.attachment_id);
    v.finish()?;
    let viewer = person(call);
    let row = {
        let mut conn = ctx.read().await?;
        let row = rows::find(&mut conn, &req.attachment_id)
            .await?
            .ok_or_else(|| Error::not_found("attachment"))?;
        let parent = Parent::from_sql(&row.parent_type)?;
        readable(&mut conn, parent, &row.parent_id, viewer.as_ref())
            .await
            .map_err(|e| match e {
                Error::NotFound(_) => Error::not_found("attachment"),
                other => other,
            })?;
        row
    };
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
    validate::uuid(&mut v, "attachment_id", &req.attachment_id);
    v.finish()?;
    attach::remove(
        &ctx.writer,
        &ctx.documents,
        &staff.account_id,
        &req.attachment_id,
        catalogue::CONSULTATION_ATTACHMENT_REMOVED,
        |row| ConsultationAttachmentRemoved {
            attachment_id: row.attachment_id.clone(),
            parent_type: row.parent_type.clone(),
            parent_id: row.parent_id.clone(),
        },
    )
    .await?;
    Ok(RemoveAttachmentResponse {})
}
