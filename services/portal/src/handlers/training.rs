//! Training: sessions and events with their days, venue, seats left and waitlist.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::training::SessionStatus;

use super::{AppState, Listing, PageQuery, documents::AttachmentView, lang_of, reads};
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
    listing: Listing,
    sessions: Vec<SessionCard>,
}

pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let is_first = query.is_first();
    let answer = reads::sessions(&app, query.token(lang)?, SessionStatus::Unspecified)
        .await
        .map_err(|s| PageError::from_status(&s, lang))?;
    let tr = Tr::new(lang);
    let (frame, listing) = Listing::new(
        lang,
        "training-title",
        Section::Training,
        "training",
        is_first,
        &answer.next_page_token,
    );
    let page = ListPage {
        frame,
        listing,
        sessions: answer
            .sessions
            .iter()
            .map(|s| SessionCard::of(s, tr, &app.region))
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

#[derive(Template)]
#[template(path = "session.html")]
struct DetailPage {
    frame: Frame,
    card: SessionCard,
    facilitators: Vec<String>,
    /// Registration is open now: the page links to the person's own page for registering.
    /// The same for every visitor, as the page is shared by caches.
    registration_open: bool,
    /// The session's material, as download links.
    attachments: Vec<AttachmentView>,
    attachments_title: &'static str,
}

pub async fn detail(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let (session, attachments) = tokio::join!(
        reads::session(&app, id.clone()),
        super::documents::of_session(&app, &id, tr),
    );
    let session = session
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let card = SessionCard::of(&session, tr, &app.region);
    let registration_open = super::training_forms::registration_open(&session, super::now_millis());
    let rest = format!("training/sessions/{}", session.session_id);
    let page = DetailPage {
        frame: Frame::new(lang, card.title.text.clone(), Section::Training, &rest),
        facilitators: session.details.map(|d| d.facilitators).unwrap_or_default(),
        card,
        registration_open,
        attachments,
        attachments_title: "documents-session-title",
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
