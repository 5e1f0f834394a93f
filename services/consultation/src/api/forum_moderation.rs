//! Moderation of the Forum's contributions, as of comments (`comments.rs`, the same rules and
//! storage): anyone signed in reports a contribution, which is hidden pending review after
//! `comments.reports_to_hide` reports; staff hide one with a reason, or restore it after
//! review, both audited. Hidden contributions are left out of the public's list.

use serde_json::json;
use sqlx::AnyConnection;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    consultation::{
        HideForumContributionRequest, HideForumContributionResponse,
        ReportForumContributionRequest, ReportForumContributionResponse,
        RestoreForumContributionRequest, RestoreForumContributionResponse,
    },
    events::ForumContributionModerated,
};
use tachawor_runtime::audit;
use tachawor_storage::Transaction;

use super::forum::contribution_message;
use crate::{
    context::{Call, Context, STAFF, reads_as_staff},
    domain::comment::{self as rules, PENDING_REVIEW},
    store::{
        forum::{self as rows, ContributionRow},
        moderation::{self, FORUM_CONTRIBUTIONS},
    },
    validate,
};

const REASON_MAX: usize = 500;
const REASON: &str = "is required (at most 500 characters)";

/// The request's contribution id and, when asked for, its reason, checked.
fn check(id: &str, reason: Option<&str>) -> Result<(), Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "contribution_id", id);
    if let Some(reason) = reason {
        v.check(validate::is_text(reason, REASON_MAX), "reason", REASON);
    }
    v.finish()
}

/// Locks a contribution and returns it.
async fn locked(tx: &mut AnyConnection, id: &str) -> Result<ContributionRow, Error> {
    if !moderation::lock(tx, &FORUM_CONTRIBUTIONS, id).await? {
        return Err(Error::not_found("forum contribution"));
    }
    reread(tx, id).await
}

async fn reread(tx: &mut AnyConnection, id: &str) -> Result<ContributionRow, Error> {
    rows::find_contribution(tx, id)
        .await?
        .ok_or_else(|| Error::not_found("forum contribution"))
}

/// Tells others a contribution was hidden (`cause`: moderator or reports) or shown again
/// (`restored`).
async fn emit(
    ctx: &Context,
    tx: &mut Transaction,
    c: &ContributionRow,
    cause: &str,
) -> Result<(), Error> {
    let edition_id = rows::edition_of_workshop(tx, &c.workshop_id)
        .await?
        .unwrap_or_default();
    let (event, payload) = (
        if cause == "restored" {
            catalogue::FORUM_CONTRIBUTION_RESTORED
        } else {
            catalogue::FORUM_CONTRIBUTION_HIDDEN
        },
        ForumContributionModerated {
            contribution_id: c.contribution_id.clone(),
            workshop_id: c.workshop_id.clone(),
            edition_id,
            cause: cause.into(),
        },
    );
    ctx.emit(tx, event, &c.contribution_id, &payload).await
}

/// Records a moderator's change of a contribution in the audit log.
async fn record(
    tx: &mut AnyConnection,
    actor_id: &str,
    action: &str,
    c: &ContributionRow,
    after: serde_json::Value,
    now: i64,
) -> Result<(), Error> {
    audit::record(
        tx,
        audit::Change {
            actor_id,
            action,
            target_type: "forum_contribution",
            target_id: &c.contribution_id,
            before: json!({ "hidden": c.hidden != 0, "reason": c.hidden_reason }),
            after,
        },
        now,
    )
    .await?;
    Ok(())
}

pub async fn report_forum_contribution(
    ctx: &Context,
    call: &Call,
    req: ReportForumContributionRequest,
) -> Result<ReportForumContributionResponse, Error> {
    let caller = call.account()?;
    check(&req.contribution_id, Some(&req.reason))?;
    let id = &req.contribution_id;
    let mut tx = ctx.begin().await?;
    let c = locked(&mut tx, id).await?;
    let now = ctx.now();
    let reason = req.reason.trim();
    if !moderation::report(
        &mut tx,
        &FORUM_CONTRIBUTIONS,
        id,
        &caller.account_id,
        reason,
        now,
    )
    .await?
    {
        return Err(Error::AlreadyExists(
            "this account has already reported the contribution".into(),
        ));
    }
    let to_hide = ctx.settings.comments.reports_to_hide;
    if rules::hidden_by_reports(c.hidden != 0, c.reports + 1, to_hide) {
        moderation::set_hidden(&mut tx, &FORUM_CONTRIBUTIONS, id, true, PENDING_REVIEW).await?;
        emit(ctx, &mut tx, &c, "reports").await?;
    }
    let after = reread(&mut tx, id).await?;
    ctx.commit(tx).await?;
    Ok(ReportForumContributionResponse {
        contribution: Some(contribution_message(after, reads_as_staff(Some(&caller)))),
    })
}

pub async fn hide_forum_contribution(
    ctx: &Context,
    call: &Call,
    req: HideForumContributionRequest,
) -> Result<HideForumContributionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    check(&req.contribution_id, Some(&req.reason))?;
    let id = &req.contribution_id;
    let mut tx = ctx.begin().await?;
    let c = locked(&mut tx, id).await?;
    rules::check_hide(c.hidden != 0, &c.hidden_reason)?;
    let reason = req.reason.trim();
    moderation::set_hidden(&mut tx, &FORUM_CONTRIBUTIONS, id, true, reason).await?;
    let after = json!({ "hidden": true, "reason": reason });
    let action = "forum_contribution.hide";
    record(&mut tx, &staff.account_id, action, &c, after, ctx.now()).await?;
    // Already hidden by reports: the moderator confirms it; it was announced then.
    if c.hidden == 0 {
        emit(ctx, &mut tx, &c, "moderator").await?;
    }
    let after = reread(&mut tx, id).await?;
    ctx.commit(tx).await?;
    Ok(HideForumContributionResponse {
        contribution: Some(contribution_message(after, true)),
    })
}

pub async fn restore_forum_contribution(
    ctx: &Context,
    call: &Call,
    req: RestoreForumContributionRequest,
) -> Result<RestoreForumContributionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    check(&req.contribution_id, None)?;
    let id = &req.contribution_id;
    let mut tx = ctx.begin().await?;
    let c = locked(&mut tx, id).await?;
    rules::check_restore(c.hidden != 0)?;
    moderation::set_hidden(&mut tx, &FORUM_CONTRIBUTIONS, id, false, "").await?;
    let after = json!({ "hidden": false });
    let action = "forum_contribution.restore";
    record(&mut tx, &staff.account_id, action, &c, after, ctx.now()).await?;
    emit(ctx, &mut tx, &c, "restored").await?;
    let after = reread(&mut tx, id).await?;
    ctx.commit(tx).await?;
    Ok(RestoreForumContributionResponse {
        contribution: Some(contribution_message(after, true)),
    })
}
