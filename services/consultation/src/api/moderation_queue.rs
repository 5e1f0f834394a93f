//! The moderation queue staff work through: comments and Forum contributions reported since
//! their last review or hidden, together, newest first, each with its kind and its reports'
//! reasons and times (not the reporters). At most five statements a page, whatever its size:
//! the page, the comments and the contributions on it, and the reports of each kind.

use std::collections::HashMap;

use tachawor_errors::{Error, Violations};
use tachawor_proto::consultation::{
    CommentReport, ListModerationQueueRequest, ListModerationQueueResponse, ModerationItem,
    ModerationKind,
};

use super::{comments, forum::contribution_message};
use crate::{
    context::{Call, Context, STAFF_READ},
    domain::timestamp,
    store::{
        forum,
        moderation::{self, COMMENTS, FORUM_CONTRIBUTIONS},
        proposals,
    },
    validate,
};

pub async fn list_moderation_queue(
    ctx: &Context,
    call: &Call,
    req: ListModerationQueueRequest,
) -> Result<ListModerationQueueResponse, Error> {
    call.require_any(STAFF_READ)?;
    let mut v = Violations::new();
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    let mut queued = moderation::queue(&mut conn, page.fetch_limit(), page.offset).await?;
    let next_page_token = page.finish(&mut queued);
    let of = |kind: &str| -> Vec<&str> {
        queued
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| id.as_str())
            .collect()
    };
    let (comment_ids, contribution_ids) = (of(COMMENTS.kind), of(FORUM_CONTRIBUTIONS.kind));
    let mut comments: HashMap<String, _> = proposals::comments_by_ids(&mut conn, &comment_ids)
        .await?
        .into_iter()
        .map(|c| (c.comment_id.clone(), c))
        .collect();
    let mut contributions: HashMap<String, _> =
        forum::contributions_by_ids(&mut conn, &contribution_ids)
            .await?
            .into_iter()
            .map(|c| (c.contribution_id.clone(), c))
            .collect();
    let mut comment_reports = moderation::reports_of(&mut conn, &COMMENTS, &comment_ids).await?;
    let mut contribution_reports =
        moderation::reports_of(&mut conn, &FORUM_CONTRIBUTIONS, &contribution_ids).await?;
    let reports = |found: Option<Vec<(String, i64)>>| -> Vec<CommentReport> {
        found
            .unwrap_or_default()
            .into_iter()
            .map(|(reason, at)| CommentReport {
                reason,
                reported_at: Some(timestamp(at)),
            })
            .collect()
    };
    // A row deleted between the statements (none is: texts are kept) would be left out.
    let mut items = Vec::with_capacity(queued.len());
    for (kind, id) in &queued {
        if kind == COMMENTS.kind {
            let Some(c) = comments.remove(id) else {
                continue;
            };
            items.push(ModerationItem {
                kind: ModerationKind::Comment as i32,
                report_count: c.reports,
                reports: reports(comment_reports.remove(id)),
                comment: Some(comments::message(c, true)),
                forum_contribution: None,
            });
        } else if let Some(c) = contributions.remove(id) {
            items.push(ModerationItem {
                kind: ModerationKind::ForumContribution as i32,
                report_count: c.reports,
                reports: reports(contribution_reports.remove(id)),
                forum_contribution: Some(contribution_message(c, true)),
                comment: None,
            });
        }
    }
    Ok(ListModerationQueueResponse {
        items,
        next_page_token,
    })
}
