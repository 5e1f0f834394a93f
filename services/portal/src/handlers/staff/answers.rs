//! The "Answers and follow-up" desk: the proposals of the consultations awaiting the council's
//! answer (with a proposal's page to answer it: evaluating, then accepted, partially accepted or
//! rejected, with reasons), and, leading to their recommendations (`recommendations`), the
//! adopted opinions of the consultative instances and the Regional Forum's editions. The
//! service checks every action again with the person's own token.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::consultation::{
    AnswerProposalRequest, Consultation, ForumEdition, GetProposalRequest,
    ListConsultationsRequest, ListForumEditionsRequest, ListOpinionsRequest, ListProposalsRequest,
    Opinion, OpinionStatus, Proposal, ProposalAnswer,
};
use tonic::Code;

use super::{
    Staff, StaffNav, frame,
    recommendations::{opinion_rows, summary},
    whole::read_whole,
};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, Listing, PageQuery, encode_query, lang_of, next_link},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, Text, enum_code},
};

/// The answers a proposal may be given, in the form's order.
const PROPOSAL_ANSWERS: &[&str] = &["evaluating", "accepted", "partially_accepted", "rejected"];

fn proposal_code(p: &Proposal) -> String {
    enum_code(
        ProposalAnswer::try_from(p.answer)
            .unwrap_or_default()
            .as_str_name(),
        "PROPOSAL_ANSWER_",
    )
}

/// Not answered yet, or only "under evaluation": the council still owes an answer.
fn awaiting(p: &Proposal) -> bool {
    matches!(
        ProposalAnswer::try_from(p.answer).unwrap_or_default(),
        ProposalAnswer::Unspecified | ProposalAnswer::Evaluating
    )
}

pub(super) fn choices(tr: Tr, prefix: &str, codes: &[&str], chosen: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: (*c).to_string(),
            label: tr.t(&format!("{prefix}-{c}")),
            selected: *c == chosen,
        })
        .collect()
}

// ---- The desk's home ------------------------------------------------------------------------

/// A proposal as the desk lists it.
pub struct ProposalRow {
    pub id: String,
    pub title: String,
    pub answer: String,
    pub answer_label: String,
    pub supports: String,
    pub study_required: bool,
}

impl ProposalRow {
    fn of(p: &Proposal, tr: Tr) -> Self {
        let answer = proposal_code(p);
        Self {
            id: p.proposal_id.clone(),
            title: p.title.clone(),
            answer_label: tr.t(&format!("staff-answers-proposal-{answer}")),
            answer,
            supports: tr.count("staff-answers-supports", p.supports),
            study_required: p.study_required,
        }
    }
}

/// A consultation shown on the desk with its proposals awaiting an answer.
pub struct ConsultationRow {
    pub title: Text,
    pub proposals: Vec<ProposalRow>,
}

/// An adopted opinion as the desk lists it.
pub struct OpinionRow {
    pub id: String,
    pub matter: String,
    /// "N recommendations, M awaiting an answer".
    pub summary: String,
}

impl OpinionRow {
    fn of(o: &Opinion, tr: Tr) -> Self {
        Self {
            id: o.opinion_id.clone(),
            matter: o.matter.clone(),
            summary: summary(tr, &opinion_rows(o, tr)),
        }
    }
}

/// A Forum edition as the desk lists it.
pub struct EditionRow {
    pub id: String,
    pub title: Text,
    pub year: i32,
}

#[derive(Template)]
#[template(path = "staff_answers.html")]
struct HomePage {
    frame: Frame,
    nav: StaffNav,
    consultations: Vec<ConsultationRow>,
    listing: Listing,
    opinions: Vec<OpinionRow>,
    editions: Vec<EditionRow>,
}

/// The proposals awaiting an answer of one consultation. The service cannot filter them by
/// answer, so the consultation's proposals are read whole (`whole`) and filtered here: an
/// awaiting proposal past the first page is shown too.
async fn awaiting_of(
    state: &AppState,
    staff: &Staff,
    consultation: &Consultation,
) -> Result<Vec<Proposal>, tonic::Status> {
    let proposals = read_whole("proposals", |page| {
        let mut client = state.services.consultation();
        let request = as_person(
            &staff.session,
            ListProposalsRequest {
                consultation_id: consultation.consultation_id.clone(),
                page: Some(page),
            },
        );
        async move {
            let answer = client.list_proposals(request).await?.into_inner();
            Ok((answer.proposals, answer.next_page_token))
        }
    })
    .await?;
    Ok(proposals.into_iter().filter(awaiting).collect())
}

/// The adopted opinions, read whole (the service lists every status; the desk keeps the
/// adopted ones, wherever they fall in its pages).
async fn adopted_opinions(state: &AppState, staff: &Staff) -> Result<Vec<Opinion>, tonic::Status> {
    let opinions = read_whole("opinions", |page| {
        let mut client = state.services.consultation();
        let request = as_person(
            &staff.session,
            ListOpinionsRequest {
                instance_id: String::new(),
                page: Some(page),
            },
        );
        async move {
            let answer = client.list_opinions(request).await?.into_inner();
            Ok((answer.opinions, answer.next_page_token))
        }
    })
    .await?;
    Ok(opinions
        .into_iter()
        .filter(|o| o.status == OpinionStatus::Adopted as i32)
        .collect())
}

/// Every Forum edition (one a year: a short list, read whole).
async fn editions(state: &AppState, staff: &Staff) -> Result<Vec<ForumEdition>, tonic::Status> {
    read_whole("forum editions", |page| {
        let mut client = state.services.consultation();
        let request = as_person(
            &staff.session,
            ListForumEditionsRequest { page: Some(page) },
        );
        async move {
            let answer = client.list_forum_editions(request).await?.into_inner();
            Ok((answer.editions, answer.next_page_token))
        }
    })
    .await
}

/// The desk's home: the proposals awaiting an answer, consultation by consultation, and the
/// adopted opinions.
pub async fn home(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let token = query.token(lang)?;
    let is_first = token.is_none();
    // The service has no call that lists proposals across consultations: the desk reads a page
    // of consultations, then one ListProposals per consultation shown (concurrently), never
    // more than one call per consultation on the page.
    let listed = state
        .services
        .consultation()
        .list_consultations(as_person(
            &staff.session,
            ListConsultationsRequest {
                status: 0,
                page: state.page(token),
                ..Default::default()
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let proposals = futures::future::join_all(
        listed
            .consultations
            .iter()
            .map(|c| awaiting_of(&state, &staff, c)),
    );
    let opinions = adopted_opinions(&state, &staff);
    let editions = editions(&state, &staff);
    let (proposals, opinions, editions) = tokio::join!(proposals, opinions, editions);
    let mut consultations = Vec::new();
    for (c, found) in listed.consultations.iter().zip(proposals) {
        let found = found.map_err(|s| PageError::from_status(&s, lang))?;
        if !found.is_empty() {
            consultations.push(ConsultationRow {
                title: Text::of(c.title.as_ref(), lang),
                proposals: found.iter().map(|p| ProposalRow::of(p, tr)).collect(),
            });
        }
    }
    let opinions = opinions
        .map_err(|s| PageError::from_status(&s, lang))?
        .iter()
        .map(|o| OpinionRow::of(o, tr))
        .collect();
    let editions = editions
        .map_err(|s| PageError::from_status(&s, lang))?
        .iter()
        .map(|e| EditionRow {
            id: e.edition_id.clone(),
            title: Text::of(e.title.as_ref(), lang),
            year: e.year,
        })
        .collect();
    let rest = "staff/answers";
    let base = format!("/{}/{rest}", lang.code());
    let page = HomePage {
        frame: frame(lang, "staff-answers-title", rest),
        nav: StaffNav::new(lang, "answers"),
        consultations,
        listing: Listing {
            next: next_link(&base, &listed.next_page_token),
            first: (!is_first).then_some(base),
        },
        opinions,
        editions,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- A proposal -----------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub(super) done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub(super) answer: String,
    #[serde(default)]
    pub(super) reasons: String,
}

#[derive(Template)]
#[template(path = "staff_answers_proposal.html")]
struct ProposalPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    row: ProposalRow,
    body: String,
    reasons: Option<String>,
    answered: Option<String>,
    /// Not answered, or under evaluation: the form is shown.
    open: bool,
    answers: Vec<Choice>,
    typed_reasons: String,
    notice: Option<String>,
    errors: FormErrors,
}

async fn proposal_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    notice: Option<String>,
    errors: FormErrors,
    typed: AnswerForm,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let proposal = state
        .services
        .consultation()
        .get_proposal(as_person(
            &staff.session,
            GetProposalRequest {
                proposal_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .proposal
        .ok_or_else(|| PageError::not_found(lang))?;
    let status = errors.status();
    let page = ProposalPage {
        frame: frame(
            lang,
            "staff-answers-proposal-title",
            &format!("staff/answers/proposals/{}", proposal.proposal_id),
        )
        .with_errors(&errors),
        nav: StaffNav::new(lang, "answers"),
        csrf: staff.visitor.form_token(),
        row: ProposalRow::of(&proposal, tr),
        body: proposal.body.clone(),
        reasons: Some(proposal.answer_reasons.clone()).filter(|s| !s.is_empty()),
        answered: proposal.answered_at.as_ref().map(|t| {
            tr.with(
                "staff-answers-answered-on",
                &[("date", tr.timestamp_date(Some(t)))],
            )
        }),
        open: awaiting(&proposal),
        answers: choices(
            tr,
            "staff-answers-proposal",
            PROPOSAL_ANSWERS,
            &typed.answer,
        ),
        typed_reasons: typed.reasons,
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn proposal(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let notice = match query.done.as_deref() {
        Some("answered") => Some(Tr::new(lang).t("staff-answers-done-proposal")),
        _ => None,
    };
    proposal_page(
        &state,
        &staff,
        lang,
        &id,
        notice,
        FormErrors::new(),
        AnswerForm::default(),
    )
    .await
}

/// A refusal naming `field` (an id): what it names does not exist.
pub(super) fn names(status: &tonic::Status, field: &str) -> bool {
    status.code() == Code::InvalidArgument
        && tachawor_errors::violated_fields(status)
            .iter()
            .any(|f| f == field)
}

/// Answers a proposal: evaluating, or a final answer, with reasons.
pub async fn answer_proposal(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<AnswerForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    let answer = ProposalAnswer::from_str_name(&format!(
        "PROPOSAL_ANSWER_{}",
        form.answer.trim().to_ascii_uppercase()
    ))
    .filter(|_| PROPOSAL_ANSWERS.contains(&form.answer.trim()));
    errors.require(tr, "staff-answers-proposal", "answer", &form.answer);
    if !form.answer.trim().is_empty() && answer.is_none() {
        errors.field("answer", tr.t("staff-answers-proposal-answer-invalid"));
    }
    errors.require(tr, "staff-answers-proposal", "reasons", &form.reasons);
    if let (true, Some(answer)) = (errors.is_empty(), answer) {
        let request = AnswerProposalRequest {
            proposal_id: id.clone(),
            answer: answer as i32,
            reasons: form.reasons.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .answer_proposal(as_person(&staff.session, request))
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/staff/answers/proposals/{}?done=answered",
                    lang.code(),
                    encode_query(&id)
                ))
                .into_response());
            }
            Err(status) if names(&status, "proposal_id") => {
                return Err(PageError::not_found(lang));
            }
            Err(status) => {
                errors = FormErrors::from_status(&status, tr, "staff-answers-proposal", &[])?;
            }
        }
    }
    proposal_page(&state, &staff, lang, &id, None, errors, form).await
}
