//! The home page: what is open now, in three short lists fetched at once.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::{
    common::PageRequest,
    consultation::{
        ConsultationStatus, ListConsultationsRequest, ListPetitionsRequest, PetitionStatus,
    },
    training::{ListSessionsRequest, SessionStatus},
};

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    page::{Frame, Section, html},
    view::{ConsultationCard, PetitionCard, SessionCard},
};

/// Items of each list on the home page.
const HOME_ITEMS: i32 = 4;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    frame: Frame,
    consultations: Vec<ConsultationCard>,
    petitions: Vec<PetitionCard>,
    sessions: Vec<SessionCard>,
    news: Vec<super::news::ArticleView>,
}

fn first_items() -> Option<PageRequest> {
    Some(PageRequest {
        page_size: HOME_ITEMS,
        page_token: String::new(),
    })
}

pub async fn page(
    State(app): State<AppState>,
    Path(lang): Path<String>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let (mut consultation, mut training) = (app.services.consultation(), app.services.training());
    let mut petition_reader = consultation.clone();
    let (consultations, petitions, sessions, news) = tokio::join!(
        consultation.list_consultations(ListConsultationsRequest {
            status: ConsultationStatus::Open as i32,
            page: first_items(),
            ..Default::default()
        }),
        petition_reader.list_petitions(ListPetitionsRequest {
            status: PetitionStatus::Collecting as i32,
            page: first_items(),
        }),
        training.list_sessions(ListSessionsRequest {
            status: SessionStatus::Scheduled as i32,
            page: first_items(),
            ..Default::default()
        }),
        super::news::latest(&app),
    );
    let fail = |s: tonic::Status| PageError::from_status(&s, lang);
    let frame = Frame::new(
        lang,
        crate::i18n::Tr::new(lang).t("nav-home"),
        Section::Home,
        "",
    );
    let tr = frame.tr;
    let page = HomePage {
        consultations: consultations
            .map_err(fail)?
            .into_inner()
            .consultations
            .iter()
            .map(|c| ConsultationCard::of(c, tr))
            .collect(),
        petitions: petitions
            .map_err(fail)?
            .into_inner()
            .petitions
            .iter()
            .map(|p| PetitionCard::of(p, tr))
            .collect(),
        sessions: sessions
            .map_err(fail)?
            .into_inner()
            .sessions
            .iter()
            .map(|s| SessionCard::of(s, tr, &app.region))
            .collect(),
        news: news
            .map_err(fail)?
            .iter()
            .map(|a| super::news::ArticleView::of(a, tr))
            .collect(),
        frame,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
