//! Consultations: the list, and one consultation with its questions, synthesis and proposals.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::consultation::{ConsultationStatus, ListCommentsRequest, ListProposalsRequest};

use super::{
    AppState, Listing, PageQuery, documents::AttachmentView, follow, lang_of, next_link, reads,
};
use crate::{
    error::PageError,
    i18n::Tr,
    page::{CachePolicy, Frame, Section, html},
    person::Visitor,
    view::{CommentView, ConsultationCard, ProposalView, QuestionView, Text, province_name},
};

#[derive(Template)]
#[template(path = "consultations.html")]
struct ListPage {
    frame: Frame,
    listing: Listing,
    consultations: Vec<ConsultationCard>,
}

pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let is_first = query.is_first();
    let answer = reads::consultations(&app, query.token(lang)?)
        .await
        .map_err(|s| PageError::from_status(&s, lang))?;
    let tr = Tr::new(lang);
    let (frame, listing) = Listing::new(
        lang,
        "consultations-title",
        Section::Consultations,
        "consultations",
        is_first,
        &answer.next_page_token,
    );
    let page = ListPage {
        frame,
        listing,
        consultations: answer
            .consultations
            .iter()
            .map(|c| ConsultationCard::of(c, tr))
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct DetailPage {
    frame: Frame,
    card: ConsultationCard,
    body: Text,
    provinces: Vec<String>,
    questions: Vec<QuestionView>,
    synthesis: Option<Text>,
    /// Each proposal with its id, for its anchor and its support link.
    proposals: Vec<(String, ProposalView)>,
    next: Option<String>,
    /// The first comments; each links to its report page.
    comments: Vec<CommentView>,
    /// Open for taking part: the links to answer, propose, support and comment show.
    open: bool,
    /// Whether the signed-in reader follows it: the follow or unfollow button; `None`, none.
    following: Option<bool>,
    /// The buttons' form token (empty when there is no button).
    csrf: String,
    /// The consultative instance that launched it, by name.
    launched_by: Option<Text>,
    /// Its documents (the program under consultation...), as download links.
    attachments: Vec<AttachmentView>,
    attachments_title: &'static str,
    /// The Tamazight versions of the title, and of the text and the synthesis, where given.
    tamazight_title: Option<Text>,
    tamazight: Vec<Text>,
}

pub async fn detail(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let token = query.token(lang)?;
    let mut proposal_reader = app.services.consultation();
    let mut comment_reader = app.services.consultation();
    let tr = Tr::new(lang);
    let (consultation, proposals, comments, following, attachments) = tokio::join!(
        reads::consultation(&app, id.clone()),
        proposal_reader.list_proposals(ListProposalsRequest {
            consultation_id: id.clone(),
            page: app.page(token),
        }),
        comment_reader.list_comments(ListCommentsRequest {
            consultation_id: id.clone(),
            proposal_id: String::new(),
            page: app.page(None),
        }),
        follow::following(&app, &visitor, &id),
        super::documents::of_consultation(&app, &id, tr),
    );
    let consultation = consultation
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let proposals = proposals
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner();
    let comments = comments
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner();
    let launched_by = reads::launching_instance(&app, &consultation)
        .await
        .map(|name| Text::of(Some(&name), lang));
    let tr = Tr::new(lang);
    let card = ConsultationCard::of(&consultation, tr);
    let rest = format!("consultations/{}", consultation.consultation_id);
    let frame = Frame::new(lang, card.title.text.clone(), Section::Consultations, &rest);
    let base = frame.href(&rest);
    let provinces = if consultation.province_codes.is_empty() {
        vec![tr.t("consultation-whole-region")]
    } else {
        consultation
            .province_codes
            .iter()
            .map(|code| province_name(&app.region, code, lang))
            .collect()
    };
    let synthesis = Some(Text::of(consultation.synthesis.as_ref(), lang)).filter(|t| !t.is_empty());
    let tamazight_title = Text::tamazight(consultation.title.as_ref());
    let tamazight = [&consultation.body, &consultation.synthesis]
        .into_iter()
        .filter_map(|t| Text::tamazight(t.as_ref()))
        .collect();
    let page = DetailPage {
        tamazight_title,
        tamazight,
        body: Text::of(consultation.body.as_ref(), lang),
        provinces,
        questions: consultation
            .questions
            .iter()
            .map(|q| QuestionView::of(q, lang))
            .collect(),
        synthesis,
        proposals: proposals
            .proposals
            .iter()
            .map(|p| (p.proposal_id.clone(), ProposalView::of(p, tr)))
            .collect(),
        next: next_link(&base, &proposals.next_page_token),
        comments: comments
            .comments
            .iter()
            .map(|c| CommentView::of(c, tr))
            .collect(),
        open: consultation.status == ConsultationStatus::Open as i32,
        csrf: following.map(|_| visitor.form_token()).unwrap_or_default(),
        following,
        launched_by,
        attachments,
        attachments_title: "documents-title",
        card,
        frame,
    };
    // The button is the reader's: that copy is never stored.
    let policy = match following {
        Some(_) => CachePolicy::NoStore,
        None => app.public(),
    };
    html(&page, StatusCode::OK, policy, lang)
}
