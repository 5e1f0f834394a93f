//! Training: sessions and events with their days, venue, seats left and waitlist.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::training::{GetSessionRequest, ListSessionsRequest};

use super::{AppState, PageQuery, lang_of, next_link};
use crate::{
    error::PageError,
    i18n::Tr,
    page::{Frame, Section, html},
    view::SessionCard,
};

#[derive(Template)]
#[template(path = "sessions.html")]
struct ListPage {
    frame: Frame,
    sessions: Vec<SessionCard>,
    next: Option<String>,
    first: Option<String>,
}

pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let is_first = query.is_first();
    let token = query.token(lang)?;
    let answer = app
        .services
        .training()
        .list_sessions(ListSessionsRequest {
            page: app.page(token),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let tr = Tr::new(lang);
    let frame = Frame::new(lang, tr.t("training-title"), Section::Training, "training");
    let base = frame.href("training");
    let page = ListPage {
        sessions: answer
            .sessions
            .iter()
            .map(|s| SessionCard::of(s, tr, &app.region))
            .collect(),
        next: next_link(&base, &answer.next_page_token),
        first: (!is_first).then_some(base),
        frame,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

#[derive(Template)]
#[template(path = "session.html")]
struct DetailPage {
    frame: Frame,
    card: SessionCard,
    facilitators: Vec<String>,
}

pub async fn detail(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = app
        .services
        .training()
        .get_session(GetSessionRequest { session_id: id })
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .session
        .ok_or_else(|| PageError::not_found(lang))?;
    let card = SessionCard::of(&session, Tr::new(lang), &app.region);
    let rest = format!("training/sessions/{}", session.session_id);
    let page = DetailPage {
        frame: Frame::new(lang, card.title.text.clone(), Section::Training, &rest),
        facilitators: session.details.map(|d| d.facilitators).unwrap_or_default(),
        card,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
