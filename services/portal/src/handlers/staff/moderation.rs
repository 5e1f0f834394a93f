//! The moderation desk: the queue of reported and hidden comments and Forum contributions
//! (`moderation_queue`), and a consultation's comments as staff see them (hidden ones with
//! their text and reason), hidden with a reason or restored.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::consultation::{
    Comment, GetConsultationRequest, HideCommentRequest, ListCommentsRequest,
    ListConsultationsRequest, RestoreCommentRequest,
};

use super::{NoFields, Staff, StaffNav, frame, moderation_queue};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, Listing, PageQuery, lang_of, next_link},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{ConsultationCard, Text},
};

#[derive(Template)]
#[template(path = "staff_moderation.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    queue: moderation_queue::Queue,
    notice: Option<String>,
    errors: FormErrors,
    consultations: Vec<ConsultationCard>,
    listing: Listing,
}

/// The desk's page: `page` pages the consultations, `queue` the moderation queue.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    pub(super) queue: Option<String>,
    /// `hidden`, `restored` or `refused` after an action on a Forum contribution.
    pub(super) done: Option<String>,
}

/// The queue, then the consultations, each leading to its comments.
pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    list_page(&state, &staff, lang, query, Attempt::default()).await
}

/// The desk's page, with the reason typed for a queue item and the errors of that attempt.
pub(super) async fn list_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    query: ListQuery,
    attempt: Attempt,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let queue = moderation_queue::Queue::read(state, staff, lang, query.queue, &attempt);
    let mut client = state.services.consultation();
    let answer = client.list_consultations(as_person(
        &staff.session,
        ListConsultationsRequest {
            page: state.page(token),
            ..Default::default()
        },
    ));
    let (answer, queue) = tokio::join!(answer, queue);
    let answer = answer
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/staff/moderation", lang.code());
    let status = attempt.errors.status();
    let page = ListPage {
        frame: frame(lang, "staff-moderation-title", "staff/moderation")
            .with_errors(&attempt.errors),
        nav: StaffNav::new(lang, "moderation"),
        csrf: staff.visitor.form_token(),
        queue: queue?,
        notice: moderation_queue::notice(tr, query.done.as_deref()),
        errors: attempt.errors,
        consultations: answer
            .consultations
            .iter()
            .map(|c| ConsultationCard::of(c, tr))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// A comment as the desk shows it.
pub struct CommentRow {
    pub id: String,
    pub body: String,
    pub hidden: bool,
    pub hidden_reason: String,
    pub published: String,
    /// The reason typed when hiding was refused, kept.
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CommentsQuery {
    page: Option<String>,
    /// `hidden`, `restored` or `refused` after an action.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_comments.html")]
struct CommentsPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    consultation_id: String,
    title: Text,
    comments: Vec<CommentRow>,
    listing: Listing,
    notice: Option<String>,
    errors: FormErrors,
}

/// What a moderation page shows besides its items: the reason typed for one item (a comment,
/// or a Forum contribution in the queue) and the errors of that attempt.
#[derive(Default)]
pub(super) struct Attempt {
    pub(super) comment_id: String,
    pub(super) reason: String,
    pub(super) errors: FormErrors,
}

async fn comments_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    consultation_id: &str,
    query: CommentsQuery,
    attempt: Attempt,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let (mut consultations, mut commenting) =
        (state.services.consultation(), state.services.consultation());
    let consultation = consultations.get_consultation(as_person(
        &staff.session,
        GetConsultationRequest {
            consultation_id: consultation_id.to_string(),
        },
    ));
    let comments = commenting.list_comments(as_person(
        &staff.session,
        ListCommentsRequest {
            consultation_id: consultation_id.to_string(),
            page: state.page(token),
            ..Default::default()
        },
    ));
    let (consultation, comments) = tokio::join!(consultation, comments);
    let consultation = consultation
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .consultation
        .ok_or_else(|| PageError::not_found(lang))?;
    let comments = comments
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner();
    let base = format!(
        "/{}/staff/moderation/{}",
        lang.code(),
        consultation.consultation_id
    );
    let row = |c: &Comment| CommentRow {
        id: c.comment_id.clone(),
        body: c.body.clone(),
        hidden: c.hidden,
        hidden_reason: c.hidden_reason.clone(),
        published: crate::view::CommentView::of(c, tr).published,
        reason: if c.comment_id == attempt.comment_id {
            attempt.reason.clone()
        } else {
            String::new()
        },
    };
    let notice = match query.done.as_deref() {
        Some("hidden") => Some(tr.t("staff-moderation-hidden")),
        Some("restored") => Some(tr.t("staff-moderation-restored")),
        Some("refused") => Some(tr.t("staff-refused")),
        _ => None,
    };
    let status = attempt.errors.status();
    let page = CommentsPage {
        frame: frame(
            lang,
            "staff-moderation-comments-title",
            &format!("staff/moderation/{}", consultation.consultation_id),
        )
        .with_errors(&attempt.errors),
        nav: StaffNav::new(lang, "moderation"),
        csrf: staff.visitor.form_token(),
        title: Text::of(consultation.title.as_ref(), lang),
        consultation_id: consultation.consultation_id,
        comments: comments.comments.iter().map(row).collect(),
        listing: Listing {
            next: next_link(&base, &comments.next_page_token),
            first: (!is_first).then_some(base),
        },
        notice,
        errors: attempt.errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn comments(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<CommentsQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    comments_page(&state, &staff, lang, &id, query, Attempt::default()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct HideForm {
    #[serde(default)]
    pub(super) reason: String,
}

fn back(lang: Lang, consultation: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/staff/moderation/{}?done={done}",
        lang.code(),
        crate::handlers::encode_query(consultation)
    ))
    .into_response()
}

/// Hides a comment with the reason typed beside it; a missing or refused reason shows the
/// page again with the message beside that comment's field.
pub async fn hide(
    State(state): State<AppState>,
    Path((_, consultation, comment)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<HideForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let field = format!("reason-{comment}");
    let mut errors = FormErrors::new();
    if form.reason.trim().is_empty() {
        errors.field(&field, tr.t("staff-moderation-reason-missing"));
    } else {
        let request = HideCommentRequest {
            comment_id: comment.clone(),
            reason: form.reason.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .hide_comment(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back(lang, &consultation, "hidden")),
            Err(status) => {
                errors = FormErrors::from_status(
                    &status,
                    tr,
                    "staff-moderation",
                    &[("reason", field.as_str())],
                )?;
            }
        }
    }
    let attempt = Attempt {
        comment_id: comment,
        reason: form.reason,
        errors,
    };
    comments_page(
        &state,
        &staff,
        lang,
        &consultation,
        CommentsQuery::default(),
        attempt,
    )
    .await
}

pub async fn restore(
    State(state): State<AppState>,
    Path((_, consultation, comment)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let restored = state
        .services
        .consultation()
        .restore_comment(as_person(
            &staff.session,
            RestoreCommentRequest {
                comment_id: comment,
            },
        ))
        .await;
    match restored {
        Ok(_) => Ok(back(lang, &consultation, "restored")),
        Err(status) if status.code() == tonic::Code::FailedPrecondition => {
            Ok(back(lang, &consultation, "refused"))
        }
        Err(status) => Err(PageError::from_lookup(&status, lang)),
    }
}
