//! The moderation queue on the moderation desk: reported and hidden comments and Forum
//! contributions together, newest first, with their reports. A contribution is hidden with a
//! reason or restored here, through the Forum's own RPCs; a comment is moderated on its
//! consultation's page, which the queue links to. Plain forms: no script needed.

use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use tachawor_proto::consultation::{
    HideForumContributionRequest, ListModerationQueueRequest, ModerationItem, ModerationKind,
    RestoreForumContributionRequest,
};

use super::{
    NoFields, Staff,
    item_form::{self, ItemField, Sent},
    moderation::{Attempt, HideForm, ListQuery, list_page},
};
use crate::{
    error::PageError,
    handlers::{AppState, PageQuery, encode_query},
    i18n::{Lang, Tr},
    person::Posted,
    services::as_person,
};

/// The reason the service gives a contribution its reports hid, awaiting a moderator.
const PENDING_REVIEW: &str = "pending_review";

/// The queue's actions on Forum contributions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/staff/moderation/contributions/{id}/hide",
            post(hide),
        )
        .route(
            "/{lang}/staff/moderation/contributions/{id}/restore",
            post(restore),
        )
}

/// One report: why, and when.
pub struct ReportRow {
    pub reason: String,
    pub when: String,
}

/// An item of the queue as the desk shows it.
pub struct QueueItem {
    pub id: String,
    /// A Forum contribution (moderated here), or a comment (moderated on `link`).
    pub contribution: bool,
    pub kind_label: String,
    pub body: String,
    pub published: String,
    pub hidden: bool,
    /// Hidden by its reports, awaiting a moderator: it may be hidden for good or restored.
    pub awaiting_review: bool,
    pub hidden_reason: String,
    pub reports: Vec<ReportRow>,
    /// The comment's consultation page on this desk; empty for a contribution.
    pub link: String,
    /// The reason typed in a refused attempt on this item.
    pub reason: String,
}

pub struct Queue {
    pub items: Vec<QueueItem>,
    /// The queue's next page, on this desk.
    pub next: Option<String>,
    /// Back to the queue's first page, when past it.
    pub first: Option<String>,
}

impl QueueItem {
    fn of(item: &ModerationItem, tr: Tr, attempt: &Attempt) -> Option<Self> {
        let contribution = item.kind == ModerationKind::ForumContribution as i32;
        let (id, body, created, hidden, reason, link) = if contribution {
            let c = item.forum_contribution.as_ref()?;
            let id = c.contribution_id.clone();
            (
                id,
                &c.body,
                &c.created_at,
                c.hidden,
                &c.hidden_reason,
                String::new(),
            )
        } else {
            let c = item.comment.as_ref()?;
            let link = format!(
                "/{}/staff/moderation/{}#comment-{}",
                tr.lang.code(),
                c.consultation_id,
                c.comment_id
            );
            let id = c.comment_id.clone();
            (id, &c.body, &c.created_at, c.hidden, &c.hidden_reason, link)
        };
        let awaiting_review = hidden && reason == PENDING_REVIEW;
        Some(Self {
            reason: if id == attempt.comment_id {
                attempt.reason.clone()
            } else {
                String::new()
            },
            id,
            contribution,
            kind_label: tr.t(if contribution {
                "staff-moderation-kind-contribution"
            } else {
                "staff-moderation-kind-comment"
            }),
            body: body.clone(),
            published: tr.timestamp_date(created.as_ref()),
            hidden,
            awaiting_review,
            hidden_reason: if awaiting_review {
                tr.t("staff-moderation-awaiting-review")
            } else {
                reason.clone()
            },
            reports: item
                .reports
                .iter()
                .map(|r| ReportRow {
                    reason: r.reason.clone(),
                    when: tr.timestamp_date(r.reported_at.as_ref()),
                })
                .collect(),
            link,
        })
    }
}

impl Queue {
    /// The queue's page `token` (the first when none).
    pub async fn read(
        state: &AppState,
        staff: &Staff,
        lang: Lang,
        token: Option<String>,
        attempt: &Attempt,
    ) -> Result<Self, PageError> {
        let tr = Tr::new(lang);
        let token = PageQuery { page: token }.token(lang)?;
        let is_first = token.is_none();
        let answer = state
            .services
            .consultation()
            .list_moderation_queue(as_person(
                &staff.session,
                ListModerationQueueRequest {
                    page: state.page(token),
                },
            ))
            .await
            .map_err(|s| PageError::from_status(&s, lang))?
            .into_inner();
        let base = format!("/{}/staff/moderation", lang.code());
        Ok(Self {
            items: answer
                .items
                .iter()
                .filter_map(|i| QueueItem::of(i, tr, attempt))
                .collect(),
            next: (!answer.next_page_token.is_empty())
                .then(|| format!("{base}?queue={}", encode_query(&answer.next_page_token))),
            first: (!is_first).then_some(base),
        })
    }
}

/// What the page says after an action on a contribution.
pub fn notice(tr: Tr, done: Option<&str>) -> Option<String> {
    match done {
        Some(done @ ("hidden" | "restored")) => {
            Some(tr.t(&format!("staff-moderation-contribution-{done}")))
        }
        Some("refused") => Some(tr.t("staff-moderation-contribution-refused")),
        _ => None,
    }
}

fn back(lang: Lang, done: &str) -> Response {
    Redirect::to(&format!("/{}/staff/moderation?done={done}", lang.code())).into_response()
}

/// Hides a contribution with the reason typed beside it; a missing or refused reason shows the
/// desk again with the message beside that contribution's field.
pub async fn hide(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<HideForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let request = HideForumContributionRequest {
        contribution_id: id.clone(),
        reason: form.reason.trim().to_string(),
    };
    let mut client = state.services.consultation();
    let call = client.hide_forum_contribution(as_person(&staff.session, request));
    let field = ItemField {
        id: &format!("reason-{id}"),
        typed: &form.reason,
        service: "reason",
        missing: "staff-moderation-contribution-reason-missing",
        invalid: "staff-moderation-contribution-reason-invalid",
    };
    let errors = match item_form::send(Tr::new(lang), "staff-moderation", field, call).await? {
        Sent::Done => return Ok(back(lang, "hidden")),
        // Hidden by a moderator meanwhile.
        Sent::Refused => return Ok(back(lang, "refused")),
        Sent::Errors(errors) => errors,
    };
    let attempt = Attempt {
        comment_id: id,
        reason: form.reason,
        errors,
    };
    list_page(&state, &staff, lang, ListQuery::default(), attempt).await
}

pub async fn restore(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let restored = state
        .services
        .consultation()
        .restore_forum_contribution(as_person(
            &staff.session,
            RestoreForumContributionRequest {
                contribution_id: id,
            },
        ))
        .await;
    match restored {
        Ok(_) => Ok(back(lang, "restored")),
        // Not hidden (restored meanwhile): nothing to do.
        Err(status) if status.code() == tonic::Code::FailedPrecondition => {
            Ok(back(lang, "refused"))
        }
        Err(status) => Err(PageError::from_lookup(&status, lang)),
    }
}
