//! The "Answers and follow-up" desk: the proposals of the consultations awaiting the council's
//! answer (with a proposal's page to answer it: evaluating, then accepted, partially accepted or
//! rejected, with reasons), and the adopted opinions of the consultative instances with their
//! recommendations, each answered (accepted, rejected, under study) and, once accepted,
//! followed up (not started → in progress → implemented). The service checks every action
//! again with the person's own token.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    common::PageRequest,
    consultation::{
        AnswerProposalRequest, AnswerRecommendationRequest, Consultation, FollowUp,
        GetOpinionRequest, GetProposalRequest, ListConsultationsRequest, ListOpinionsRequest,
        ListProposalsRequest, Opinion, OpinionStatus, Proposal, ProposalAnswer, Recommendation,
        RecommendationAnswer, SetRecommendationFollowUpRequest,
    },
};
use tonic::Code;

use super::{Staff, StaffNav, frame};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, Listing, PageQuery, encode_query, lang_of, next_link},
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, Text, enum_code},
};

/// The answers a proposal may be given, in the form's order.
const PROPOSAL_ANSWERS: &[&str] = &["evaluating", "accepted", "partially_accepted", "rejected"];
/// The answers a recommendation may be given, in the form's order.
const RECOMMENDATION_ANSWERS: &[&str] = &["accepted", "under_study", "rejected"];
/// The follow-up steps staff may move an accepted recommendation to (it starts not started).
const FOLLOW_UPS: &[&str] = &["in_progress", "implemented"];

fn proposal_code(p: &Proposal) -> String {
    enum_code(
        ProposalAnswer::try_from(p.answer)
            .unwrap_or_default()
            .as_str_name(),
        "PROPOSAL_ANSWER_",
    )
}

fn recommendation_code(r: &Recommendation) -> String {
    enum_code(
        RecommendationAnswer::try_from(r.answer)
            .unwrap_or_default()
            .as_str_name(),
        "RECOMMENDATION_ANSWER_",
    )
}

fn follow_up_code(r: &Recommendation) -> String {
    enum_code(
        FollowUp::try_from(r.follow_up)
            .unwrap_or_default()
            .as_str_name(),
        "FOLLOW_UP_",
    )
}

/// Not answered yet, or only "under evaluation": the council still owes an answer.
fn awaiting(p: &Proposal) -> bool {
    matches!(
        ProposalAnswer::try_from(p.answer).unwrap_or_default(),
        ProposalAnswer::Unspecified | ProposalAnswer::Evaluating
    )
}

fn choices(tr: Tr, prefix: &str, codes: &[&str], chosen: &str) -> Vec<Choice> {
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
        let open = o
            .recommendations
            .iter()
            .filter(|r| {
                matches!(
                    RecommendationAnswer::try_from(r.answer).unwrap_or_default(),
                    RecommendationAnswer::Unspecified | RecommendationAnswer::UnderStudy
                )
            })
            .count();
        Self {
            id: o.opinion_id.clone(),
            matter: o.matter.clone(),
            summary: tr.with(
                "staff-answers-opinion-summary",
                &[
                    ("count", number(o.recommendations.len() as i64)),
                    ("open", number(open as i64)),
                ],
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "staff_answers.html")]
struct HomePage {
    frame: Frame,
    nav: StaffNav,
    consultations: Vec<ConsultationRow>,
    listing: Listing,
    opinions: Vec<OpinionRow>,
}

/// The proposals awaiting an answer of one consultation: its first 200 proposals.
async fn awaiting_of(
    state: &AppState,
    staff: &Staff,
    consultation: &Consultation,
) -> Result<Vec<Proposal>, tonic::Status> {
    let answer = state
        .services
        .consultation()
        .list_proposals(as_person(
            &staff.session,
            ListProposalsRequest {
                consultation_id: consultation.consultation_id.clone(),
                page: Some(PageRequest {
                    page_size: 200,
                    page_token: String::new(),
                }),
            },
        ))
        .await?
        .into_inner();
    Ok(answer.proposals.into_iter().filter(awaiting).collect())
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
    let mut client = state.services.consultation();
    let opinions = client.list_opinions(as_person(
        &staff.session,
        ListOpinionsRequest {
            instance_id: String::new(),
            page: Some(PageRequest {
                page_size: 200,
                page_token: String::new(),
            }),
        },
    ));
    let (proposals, opinions) = tokio::join!(proposals, opinions);
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
        .into_inner()
        .opinions
        .iter()
        .filter(|o| o.status == OpinionStatus::Adopted as i32)
        .map(|o| OpinionRow::of(o, tr))
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
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- A proposal -----------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reasons: String,
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
fn names(status: &tonic::Status, field: &str) -> bool {
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

// ---- An opinion and its recommendations -----------------------------------------------------

/// A recommendation as the opinion's page shows it.
pub struct RecommendationRow {
    pub id: String,
    pub text: String,
    pub answer: String,
    pub answer_label: String,
    pub reasons: Option<String>,
    pub follow_up: String,
    pub follow_up_label: String,
    pub note: Option<String>,
    /// Not answered, or under study: the answer form is shown.
    pub answerable: bool,
    /// Accepted and not yet implemented: the follow-up form is shown.
    pub followable: bool,
}

impl RecommendationRow {
    fn of(r: &Recommendation, tr: Tr) -> Self {
        let answer = recommendation_code(r);
        let follow_up = follow_up_code(r);
        Self {
            id: r.recommendation_id.clone(),
            text: r.text.clone(),
            answer_label: tr.t(&format!("staff-answers-rec-{answer}")),
            answerable: answer == "unspecified" || answer == "under_study",
            followable: answer == "accepted" && follow_up != "implemented",
            answer,
            reasons: Some(r.answer_reasons.clone()).filter(|s| !s.is_empty()),
            follow_up_label: tr.t(&format!("staff-answers-follow-up-{follow_up}")),
            follow_up,
            note: Some(r.follow_up_note.clone()).filter(|s| !s.is_empty()),
        }
    }
}

#[derive(Template)]
#[template(path = "staff_answers_opinion.html")]
struct OpinionPage {
    frame: Frame,
    nav: StaffNav,
    id: String,
    matter: String,
    body: String,
    adopted: Option<String>,
    recommendations: Vec<RecommendationRow>,
}

async fn opinion_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
) -> Result<Opinion, PageError> {
    let opinion = state
        .services
        .consultation()
        .get_opinion(as_person(
            &staff.session,
            GetOpinionRequest {
                opinion_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .opinion
        .ok_or_else(|| PageError::not_found(lang))?;
    if opinion.status != OpinionStatus::Adopted as i32 {
        return Err(PageError::not_found(lang));
    }
    Ok(opinion)
}

/// An adopted opinion with its recommendations, each with its answer and follow-up.
pub async fn opinion(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let opinion = opinion_of(&state, &staff, lang, &id).await?;
    let page = OpinionPage {
        frame: frame(
            lang,
            "staff-answers-opinion-title",
            &format!("staff/answers/opinions/{}", opinion.opinion_id),
        ),
        nav: StaffNav::new(lang, "answers"),
        id: opinion.opinion_id.clone(),
        matter: opinion.matter.clone(),
        body: opinion.body.clone(),
        adopted: opinion.adopted_at.as_ref().map(|t| {
            tr.with(
                "staff-answers-adopted-on",
                &[("date", tr.timestamp_date(Some(t)))],
            )
        }),
        recommendations: opinion
            .recommendations
            .iter()
            .map(|r| RecommendationRow::of(r, tr))
            .collect(),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- One recommendation: answer, then follow-up ---------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    follow_up: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "staff_answers_recommendation.html")]
struct RecommendationPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    opinion_id: String,
    matter: String,
    rec: RecommendationRow,
    answers: Vec<Choice>,
    follow_ups: Vec<Choice>,
    typed_reasons: String,
    typed_note: String,
    notice: Option<String>,
    errors: FormErrors,
}

#[allow(clippy::too_many_arguments)]
async fn recommendation_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    opinion_id: &str,
    rec_id: &str,
    notice: Option<String>,
    errors: FormErrors,
    answer: AnswerForm,
    follow_up: FollowUpForm,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let opinion = opinion_of(state, staff, lang, opinion_id).await?;
    let rec = opinion
        .recommendations
        .iter()
        .find(|r| r.recommendation_id == rec_id)
        .ok_or_else(|| PageError::not_found(lang))?;
    let status = errors.status();
    let page = RecommendationPage {
        frame: frame(
            lang,
            "staff-answers-rec-title",
            &format!("staff/answers/opinions/{opinion_id}/recommendations/{rec_id}"),
        )
        .with_errors(&errors),
        nav: StaffNav::new(lang, "answers"),
        csrf: staff.visitor.form_token(),
        opinion_id: opinion.opinion_id.clone(),
        matter: opinion.matter.clone(),
        rec: RecommendationRow::of(rec, tr),
        answers: choices(
            tr,
            "staff-answers-rec",
            RECOMMENDATION_ANSWERS,
            &answer.answer,
        ),
        follow_ups: choices(
            tr,
            "staff-answers-follow-up",
            FOLLOW_UPS,
            &follow_up.follow_up,
        ),
        typed_reasons: answer.reasons,
        typed_note: follow_up.note,
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn recommendation(
    State(state): State<AppState>,
    Path((lang, id, rec)): Path<(String, String, String)>,
    Query(query): Query<DoneQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let notice = match query.done.as_deref() {
        Some(done @ ("answered" | "followed")) => {
            Some(Tr::new(lang).t(&format!("staff-answers-done-{done}")))
        }
        _ => None,
    };
    recommendation_page(
        &state,
        &staff,
        lang,
        &id,
        &rec,
        notice,
        FormErrors::new(),
        AnswerForm::default(),
        FollowUpForm::default(),
    )
    .await
}

fn back_to_recommendation(lang: Lang, id: &str, rec: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/staff/answers/opinions/{}/recommendations/{}?done={done}",
        lang.code(),
        encode_query(id),
        encode_query(rec)
    ))
    .into_response()
}

/// Answers a recommendation: accepted, rejected or under study, with reasons.
pub async fn answer_recommendation(
    State(state): State<AppState>,
    Path((_, id, rec)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<AnswerForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    // The recommendation must be one of this adopted opinion's.
    let opinion = opinion_of(&state, &staff, lang, &id).await?;
    if !opinion
        .recommendations
        .iter()
        .any(|r| r.recommendation_id == rec)
    {
        return Err(PageError::not_found(lang));
    }
    let mut errors = FormErrors::new();
    let chosen = form.answer.trim();
    let answer = RecommendationAnswer::from_str_name(&format!(
        "RECOMMENDATION_ANSWER_{}",
        chosen.to_ascii_uppercase()
    ))
    .filter(|_| RECOMMENDATION_ANSWERS.contains(&chosen));
    errors.require(tr, "staff-answers-rec", "answer", chosen);
    if !chosen.is_empty() && answer.is_none() {
        errors.field("answer", tr.t("staff-answers-rec-answer-invalid"));
    }
    errors.require(tr, "staff-answers-rec", "reasons", &form.reasons);
    if let (true, Some(answer)) = (errors.is_empty(), answer) {
        let request = AnswerRecommendationRequest {
            recommendation_id: rec.clone(),
            answer: answer as i32,
            reasons: form.reasons.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .answer_recommendation(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back_to_recommendation(lang, &id, &rec, "answered")),
            Err(status) if names(&status, "recommendation_id") => {
                return Err(PageError::not_found(lang));
            }
            Err(status) => {
                errors = FormErrors::from_status(&status, tr, "staff-answers-rec", &[])?;
            }
        }
    }
    recommendation_page(
        &state,
        &staff,
        lang,
        &id,
        &rec,
        None,
        errors,
        form,
        FollowUpForm::default(),
    )
    .await
}

/// Moves an accepted recommendation's follow-up forward, with an optional note.
pub async fn follow_up(
    State(state): State<AppState>,
    Path((_, id, rec)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<FollowUpForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let opinion = opinion_of(&state, &staff, lang, &id).await?;
    if !opinion
        .recommendations
        .iter()
        .any(|r| r.recommendation_id == rec)
    {
        return Err(PageError::not_found(lang));
    }
    let mut errors = FormErrors::new();
    let chosen = form.follow_up.trim();
    let step = FollowUp::from_str_name(&format!("FOLLOW_UP_{}", chosen.to_ascii_uppercase()))
        .filter(|_| FOLLOW_UPS.contains(&chosen));
    errors.require(tr, "staff-answers-follow", "follow_up", chosen);
    if !chosen.is_empty() && step.is_none() {
        errors.field("follow_up", tr.t("staff-answers-follow-follow_up-invalid"));
    }
    if let (true, Some(step)) = (errors.is_empty(), step) {
        let request = SetRecommendationFollowUpRequest {
            recommendation_id: rec.clone(),
            follow_up: step as i32,
            note: form.note.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .set_recommendation_follow_up(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back_to_recommendation(lang, &id, &rec, "followed")),
            Err(status) if names(&status, "recommendation_id") => {
                return Err(PageError::not_found(lang));
            }
            Err(status) => {
                errors = FormErrors::from_status(&status, tr, "staff-answers-follow", &[])?;
            }
        }
    }
    recommendation_page(
        &state,
        &staff,
        lang,
        &id,
        &rec,
        None,
        errors,
        AnswerForm::default(),
        form,
    )
    .await
}
