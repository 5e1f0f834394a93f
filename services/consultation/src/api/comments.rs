//! Comments in threads on consultations and proposals, reports by users and moderation.
//!
//! A comment reported by `comments.reports_to_hide` different accounts is hidden pending
//! review; staff hide a comment with a reason, or restore it after review. Both are audited.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        Comment, GetCommentRequest, GetCommentResponse, HideCommentRequest, HideCommentResponse,
        ListCommentsRequest, ListCommentsResponse, PostCommentRequest, PostCommentResponse,
        ReportCommentRequest, ReportCommentResponse, RestoreCommentRequest, RestoreCommentResponse,
    },
    events::{ConsultationCommentHidden, ConsultationCommentPosted},
};
use tachawor_storage::Transaction;

use super::{
    access::{self, check_participation, consultation_id},
    participants::Participant,
    proposals,
};
use tachawor_runtime::audit;

use crate::{
    context::{Call, Context, STAFF, person, reads_as_staff},
    domain::{
        comment::{self as rules, PENDING_REVIEW},
        timestamp,
    },
    store::{
        moderation::{self, COMMENTS},
        proposals::{self as rows, CommentRow},
    },
    validate,
};

const BODY_MAX: usize = 5000;
const REASON_MAX: usize = 500;

pub(crate) fn message(c: CommentRow, staff: bool) -> Comment {
    let hidden = c.hidden != 0;
    Comment {
        comment_id: c.comment_id,
        consultation_id: c.consultation_id,
        proposal_id: c.proposal_id.unwrap_or_default(),
        parent_comment_id: c.parent_comment_id.unwrap_or_default(),
        author_deleted: c.author_id == crate::erasure::DELETED_AUTHOR,
        author_id: c.author_id,
        body: if hidden && !staff {
            String::new()
        } else {
            c.body
        },
        hidden,
        hidden_reason: c.hidden_reason,
        created_at: Some(timestamp(c.created_at)),
    }
}

pub async fn post_comment(
    ctx: &Context,
    call: &Call,
    req: PostCommentRequest,
) -> Result<PostCommentResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    validate::optional_uuid(&mut v, "proposal_id", &req.proposal_id);
    validate::optional_uuid(&mut v, "parent_comment_id", &req.parent_comment_id);
    v.check(
        validate::is_text(&req.body, BODY_MAX),
        "body",
        "is required (at most 5000 characters)",
    );
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    ctx.writer
        .idempotent(who.id(), "PostComment", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let consultation =
                    access::readable(&mut tx, &req.consultation_id, Some(&who.caller)).await?;
                if !req.proposal_id.is_empty() {
                    let (proposal, _) =
                        proposals::readable(&mut tx, &req.proposal_id, Some(&who.caller)).await?;
                    if proposal.consultation_id != req.consultation_id {
                        return Err(Error::not_found("proposal"));
                    }
                }
                if !req.parent_comment_id.is_empty() {
                    let parent = rows::find_comment(&mut tx, &req.parent_comment_id)
                        .await?
                        .ok_or_else(|| Error::not_found("parent comment"))?;
                    if parent.consultation_id != req.consultation_id
                        || parent.proposal_id.as_deref().unwrap_or("") != req.proposal_id
                    {
                        return Err(Error::not_found("parent comment"));
                    }
                }
                check_participation(ctx, &consultation, &who)?;
                let row = CommentRow {
                    comment_id: uuid::Uuid::now_v7().to_string(),
                    consultation_id: req.consultation_id.clone(),
                    proposal_id: (!req.proposal_id.is_empty()).then_some(req.proposal_id.clone()),
                    parent_comment_id: (!req.parent_comment_id.is_empty())
                        .then_some(req.parent_comment_id.clone()),
                    author_id: who.id().into(),
                    body: req.body.trim().into(),
                    hidden: 0,
                    hidden_reason: String::new(),
                    reports: 0,
                    created_at: ctx.now(),
                };
                rows::insert_comment(&mut tx, &row).await?;
                ctx.emit(
                    &mut tx,
                    catalogue::COMMENT_POSTED,
                    &row.comment_id,
                    &ConsultationCommentPosted {
                        comment_id: row.comment_id.clone(),
                        consultation_id: row.consultation_id.clone(),
                        proposal_id: req.proposal_id.clone(),
                        account_id: who.id().into(),
                        province_code: who.province().into(),
                        actor_kind: who.actor_kind(),
                    },
                )
                .await?;
                let response = PostCommentResponse {
                    comment: Some(message(row, false)),
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn list_comments(
    ctx: &Context,
    call: &Call,
    req: ListCommentsRequest,
) -> Result<ListCommentsResponse, Error> {
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    validate::optional_uuid(&mut v, "proposal_id", &req.proposal_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let viewer = person(call);
    let staff = reads_as_staff(viewer.as_ref());
    let mut conn = ctx.read().await?;
    access::readable(&mut conn, &req.consultation_id, viewer.as_ref()).await?;
    let mut found = rows::list_comments(
        &mut conn,
        &req.consultation_id,
        &req.proposal_id,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListCommentsResponse {
        comments: found.into_iter().map(|c| message(c, staff)).collect(),
        next_page_token,
    })
}

pub async fn get_comment(
    ctx: &Context,
    call: &Call,
    req: GetCommentRequest,
) -> Result<GetCommentResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "comment_id", &req.comment_id);
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    let comment = rows::find_comment(&mut conn, &req.comment_id)
        .await?
        .ok_or_else(|| Error::not_found("comment"))?;
    // A comment of a consultation the caller may not read does not exist for them.
    access::readable(&mut conn, &comment.consultation_id, viewer.as_ref())
        .await
        .map_err(|_| Error::not_found("comment"))?;
    Ok(GetCommentResponse {
        comment: Some(message(comment, reads_as_staff(viewer.as_ref()))),
    })
}

/// Locks a comment the caller may read and returns it.
async fn locked(
    tx: &mut Transaction,
    comment_id: &str,
    viewer: &tachawor_auth::AccountCaller,
) -> Result<CommentRow, Error> {
    if !moderation::lock(tx, &COMMENTS, comment_id).await? {
        return Err(Error::not_found("comment"));
    }
    let comment = rows::find_comment(tx, comment_id)
        .await?
        .ok_or_else(|| Error::not_found("comment"))?;
    access::readable(tx, &comment.consultation_id, Some(viewer))
        .await
        .map_err(|_| Error::not_found("comment"))?;
    Ok(comment)
}

async fn emit_hidden(
    ctx: &Context,
    tx: &mut Transaction,
    comment: &CommentRow,
    cause: &str,
) -> Result<(), Error> {
    ctx.emit(
        tx,
        catalogue::COMMENT_HIDDEN,
        &comment.comment_id,
        &ConsultationCommentHidden {
            comment_id: comment.comment_id.clone(),
            consultation_id: comment.consultation_id.clone(),
            cause: cause.into(),
        },
    )
    .await
}

pub async fn report_comment(
    ctx: &Context,
    call: &Call,
    req: ReportCommentRequest,
) -> Result<ReportCommentResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "comment_id", &req.comment_id);
    v.check(
        validate::is_text(&req.reason, REASON_MAX),
        "reason",
        "is required (at most 500 characters)",
    );
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let comment = locked(&mut tx, &req.comment_id, &caller).await?;
    let now = ctx.now();
    if !moderation::report(
        &mut tx,
        &COMMENTS,
        &req.comment_id,
        &caller.account_id,
        req.reason.trim(),
        now,
    )
    .await?
    {
        return Err(Error::AlreadyExists(
            "this account has already reported the comment".into(),
        ));
    }
    if rules::hidden_by_reports(
        comment.hidden != 0,
        comment.reports + 1,
        ctx.settings.comments.reports_to_hide,
    ) {
        moderation::set_hidden(&mut tx, &COMMENTS, &req.comment_id, true, PENDING_REVIEW).await?;
        emit_hidden(ctx, &mut tx, &comment, "reports").await?;
    }
    let after = rows::find_comment(&mut tx, &req.comment_id)
        .await?
        .ok_or_else(|| Error::not_found("comment"))?;
    ctx.commit(tx).await?;
    Ok(ReportCommentResponse {
        comment: Some(message(after, reads_as_staff(Some(&caller)))),
    })
}

pub async fn hide_comment(
    ctx: &Context,
    call: &Call,
    req: HideCommentRequest,
) -> Result<HideCommentResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "comment_id", &req.comment_id);
    v.check(
        validate::is_text(&req.reason, REASON_MAX),
        "reason",
        "is required (at most 500 characters)",
    );
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let comment = locked(&mut tx, &req.comment_id, &staff).await?;
    rules::check_hide(comment.hidden != 0, &comment.hidden_reason)?;
    let reason = req.reason.trim();
    moderation::set_hidden(&mut tx, &COMMENTS, &req.comment_id, true, reason).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "comment.hide",
            target_type: "comment",
            target_id: &req.comment_id,
            before: json!({ "hidden": comment.hidden != 0, "reason": comment.hidden_reason }),
            after: json!({ "hidden": true, "reason": reason }),
        },
        ctx.now(),
    )
    .await?;
    // Already hidden by reports: the moderator confirms it; it was announced then.
    if comment.hidden == 0 {
        emit_hidden(ctx, &mut tx, &comment, "moderator").await?;
    }
    let after = rows::find_comment(&mut tx, &req.comment_id)
        .await?
        .ok_or_else(|| Error::not_found("comment"))?;
    ctx.commit(tx).await?;
    Ok(HideCommentResponse {
        comment: Some(message(after, true)),
    })
}

pub async fn restore_comment(
    ctx: &Context,
    call: &Call,
    req: RestoreCommentRequest,
) -> Result<RestoreCommentResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "comment_id", &req.comment_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let comment = locked(&mut tx, &req.comment_id, &staff).await?;
    rules::check_restore(comment.hidden != 0)?;
    moderation::set_hidden(&mut tx, &COMMENTS, &req.comment_id, false, "").await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "comment.restore",
            target_type: "comment",
            target_id: &req.comment_id,
            before: json!({ "hidden": true, "reason": comment.hidden_reason }),
            after: json!({ "hidden": false }),
        },
        ctx.now(),
    )
    .await?;
    let after = rows::find_comment(&mut tx, &req.comment_id)
        .await?
        .ok_or_else(|| Error::not_found("comment"))?;
    ctx.commit(tx).await?;
    Ok(RestoreCommentResponse {
        comment: Some(message(after, true)),
    })
}
