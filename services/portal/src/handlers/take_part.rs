//! Taking part in a consultation: answering its survey (and changing the answer while it is
//! open), proposing, supporting a proposal, commenting and reporting a comment.
//!
//! Each action is its own personal page (signed in, never stored), linked from the public
//! consultation page, which stays the same for everyone. The consultation service decides who
//! may do what: the consultation must be open, and meant for the person (its audience); its
//! refusals become sentences of the page's language (`take-part-rule-…`).

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use tachawor_proto::consultation::{
    Answer, Comment, Consultation, ConsultationStatus, GetCommentRequest, GetConsultationRequest,
    GetMyResponseRequest, GetProposalRequest, PostCommentRequest, Proposal, Question, QuestionKind,
    ReportCommentRequest, SubmitProposalRequest, SubmitResponseRequest, SupportProposalRequest,
};
use tonic::Code;

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    form::{self, FormErrors},
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
    view::{CommentView, Text},
};

/// The form name given to `FormErrors`: every message of these pages starts with it.
const FORM: &str = "take-part";
/// The service's limits, checked here first so the person reads them beside the field.
const ANSWER_TEXT_MAX: usize = 5000;
const PROPOSAL_TITLE_MAX: usize = 200;
const PROPOSAL_BODY_MAX: usize = 10_000;
const COMMENT_MAX: usize = 5000;
const REASON_MAX: usize = 500;
/// Scales with more values than this are a number field rather than a row of radios.
const SCALE_RADIOS_MAX: i32 = 11;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/consultations/{id}/answer",
            get(answer_form).post(answer),
        )
        .route(
            "/{lang}/consultations/{id}/propose",
            get(propose_form).post(propose),
        )
        .route(
            "/{lang}/consultations/{id}/proposals/{pid}/support",
            get(support_form).post(support),
        )
        .route(
            "/{lang}/consultations/{id}/comment",
            get(comment_form).post(comment),
        )
        .route(
            "/{lang}/consultations/{id}/comments/{cid}/report",
            get(report_form).post(report),
        )
}

// ---------------------------------------------------------------------------------------------
// What every page shows of its consultation

/// The consultation a page is about, as the person may read it.
pub struct ConsultationRef {
    pub title: Text,
    /// The public page of the consultation.
    pub href: String,
    pub open: bool,
    /// The closing date as the language writes it; empty when none.
    pub closes: String,
}

impl ConsultationRef {
    fn of(c: &Consultation, tr: Tr) -> Self {
        Self {
            title: Text::of(c.title.as_ref(), tr.lang),
            href: format!("/{}/consultations/{}", tr.lang.code(), c.consultation_id),
            open: c.status == ConsultationStatus::Open as i32,
            closes: tr.timestamp_date(c.closes_at.as_ref()),
        }
    }

    /// The public page at a proposal or a comment.
    pub fn anchor(&self, anchor: &str) -> String {
        format!("{}#{anchor}", self.href)
    }
}

/// The consultation `id` read with the person's token: one they may not read does not exist.
async fn consultation(
    state: &AppState,
    person: &SignedIn,
    id: &str,
    lang: Lang,
) -> Result<Consultation, PageError> {
    state
        .services
        .consultation()
        .get_consultation(as_person(
            &person.session,
            GetConsultationRequest {
                consultation_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .consultation
        .ok_or_else(|| PageError::not_found(lang))
}

/// The proposal `pid` of consultation `id`; another consultation's proposal is not here.
async fn proposal(
    state: &AppState,
    person: &SignedIn,
    id: &str,
    pid: &str,
    lang: Lang,
) -> Result<Proposal, PageError> {
    state
        .services
        .consultation()
        .get_proposal(as_person(
            &person.session,
            GetProposalRequest {
                proposal_id: pid.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .proposal
        .filter(|p| p.consultation_id == id)
        .ok_or_else(|| PageError::not_found(lang))
}

/// The comment `cid` of consultation `id`, as the person may read it.
async fn find_comment(
    state: &AppState,
    person: &SignedIn,
    id: &str,
    cid: &str,
    lang: Lang,
) -> Result<Comment, PageError> {
    let request = GetCommentRequest {
        comment_id: cid.to_string(),
    };
    state
        .services
        .consultation()
        .get_comment(as_person(&person.session, request))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .comment
        .filter(|c| c.consultation_id == id)
        .ok_or_else(|| PageError::not_found(lang))
}

/// A text is too long for the service when it has more than `max` characters.
fn too_long(value: &str, max: usize) -> bool {
    value.trim().chars().count() > max
}

fn frame(lang: Lang, title: &str, rest: &str, errors: &FormErrors) -> Frame {
    Frame::new(lang, Tr::new(lang).t(title), Section::Consultations, rest).with_errors(errors)
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    saved: Option<String>,
    sent: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Answering the survey

/// One choice of a question: a radio or a checkbox.
pub struct ChoiceView {
    /// The input's `id`: the question's field for the first, so the error summary reaches it.
    pub id: String,
    pub value: String,
    pub label: Text,
    /// The option's Tamazight label, when it has one: shown beside the label and read as the
    /// input's description, so its accessible name stays in the page's language.
    pub tamazight: Option<Text>,
    pub checked: bool,
}

/// A question as the form shows it, with what the person answered or typed.
pub struct QuestionField {
    /// The field's name and id: `q1`, `q2`… by position on the page.
    pub name: String,
    /// `single`, `multiple`, `scale` (radios), `number` (a wide scale) or `text`.
    pub kind: &'static str,
    pub prompt: Text,
    /// The prompt's Tamazight version, when it has one (described by, not part of, the label).
    pub tamazight: Option<Text>,
    pub required: bool,
    pub choices: Vec<ChoiceView>,
    /// Free text, or the value of a wide scale.
    pub value: String,
    /// "From 1 to 5": the scale's bounds.
    pub hint: String,
}

/// What the person chose for one question, as the form posts it.
#[derive(Clone, Debug, Default)]
struct Picked {
    values: Vec<String>,
}

fn kind_of(q: &Question) -> &'static str {
    match QuestionKind::try_from(q.kind).unwrap_or_default() {
        QuestionKind::SingleChoice => "single",
        QuestionKind::MultipleChoice => "multiple",
        QuestionKind::Scale if q.scale_max - q.scale_min < SCALE_RADIOS_MAX => "scale",
        QuestionKind::Scale => "number",
        _ => "text",
    }
}

fn field_name(index: usize) -> String {
    format!("q{}", index + 1)
}

impl QuestionField {
    fn of(index: usize, q: &Question, picked: &Picked, tr: Tr) -> Self {
        let name = field_name(index);
        let kind = kind_of(q);
        let choice = |i: usize, value: String, label: Text, tamazight: Option<Text>| ChoiceView {
            id: if i == 0 {
                name.clone()
            } else {
                format!("{name}-{}", i + 1)
            },
            checked: picked.values.contains(&value),
            value,
            label,
            tamazight,
        };
        let choices = match kind {
            "single" | "multiple" => q
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    choice(
                        i,
                        i.to_string(),
                        Text::of(Some(o), tr.lang),
                        Text::tamazight(Some(o)),
                    )
                })
                .collect(),
            "scale" => (q.scale_min..=q.scale_max)
                .enumerate()
                .map(|(i, v)| {
                    let label = Text {
                        text: v.to_string(),
                        lang: tr.lang.code(),
                        dir: tr.lang.dir(),
                    };
                    choice(i, v.to_string(), label, None)
                })
                .collect(),
            _ => Vec::new(),
        };
        let hint = if matches!(kind, "scale" | "number") {
            tr.with(
                "take-part-answer-scale-hint",
                &[
                    ("min", number(i64::from(q.scale_min))),
                    ("max", number(i64::from(q.scale_max))),
                ],
            )
        } else if kind == "multiple" {
            tr.t("take-part-answer-several-hint")
        } else {
            String::new()
        };
        Self {
            name,
            kind,
            prompt: Text::of(q.prompt.as_ref(), tr.lang),
            tamazight: Text::tamazight(q.prompt.as_ref()),
            required: q.required,
            choices,
            value: if matches!(kind, "text" | "number") {
                picked.values.first().cloned().unwrap_or_default()
            } else {
                String::new()
            },
            hint,
        }
    }
}

impl QuestionField {
    /// The ids of what describes the question's field, in the order the page shows them: its
    /// Tamazight prompt, its hint, its error.
    pub fn described_by(&self, error: bool) -> String {
        let mut ids = Vec::new();
        if self.tamazight.is_some() {
            ids.push(format!("{}-zgh", self.name));
        }
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.name));
        }
        if error {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// The person's saved answer as the form's values, question by question.
fn picked_of_answers(questions: &[Question], answers: &[Answer]) -> Vec<Picked> {
    questions
        .iter()
        .map(|q| {
            let Some(a) = answers.iter().find(|a| a.question_id == q.question_id) else {
                return Picked::default();
            };
            let values = match QuestionKind::try_from(q.kind).unwrap_or_default() {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                    a.option_indexes.iter().map(|i| i.to_string()).collect()
                }
                QuestionKind::Scale => vec![a.scale_value.to_string()],
                _ => vec![a.text.clone()],
            };
            Picked { values }
        })
        .collect()
}

/// The posted fields as the form's values, question by question.
fn picked_of_form(questions: &[Question], form: &[(String, String)]) -> Vec<Picked> {
    let mut by_name: HashMap<&str, Vec<String>> = HashMap::new();
    for (name, value) in form {
        by_name
            .entry(name.as_str())
            .or_default()
            .push(value.clone());
    }
    (0..questions.len())
        .map(|i| Picked {
            values: by_name
                .get(field_name(i).as_str())
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .collect(),
        })
        .collect()
}

/// The answers to send, and the page field of each (by its index in the request), or the
/// problems the person can fix beside each question.
fn answers_of(
    questions: &[Question],
    picked: &[Picked],
    tr: Tr,
    errors: &mut FormErrors,
) -> (Vec<Answer>, Vec<String>) {
    let mut answers = Vec::new();
    let mut fields = Vec::new();
    for (i, (q, p)) in questions.iter().zip(picked).enumerate() {
        let name = field_name(i);
        let message = |id: &str| tr.t(&format!("take-part-answer-{id}"));
        if p.values.is_empty() {
            if q.required {
                let id = match kind_of(q) {
                    "single" | "scale" => "choose-one",
                    "multiple" => "choose-some",
                    _ => "write",
                };
                errors.field(&name, message(id));
            }
            continue;
        }
        let mut answer = Answer {
            question_id: q.question_id.clone(),
            ..Default::default()
        };
        match QuestionKind::try_from(q.kind).unwrap_or_default() {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                let single = q.kind == QuestionKind::SingleChoice as i32;
                let chosen: Option<Vec<i32>> = p
                    .values
                    .iter()
                    .map(|v| {
                        v.parse::<i32>()
                            .ok()
                            .filter(|&o| usize::try_from(o).is_ok_and(|o| o < q.options.len()))
                    })
                    .collect();
                match chosen {
                    Some(chosen) if !single || chosen.len() == 1 => {
                        let mut distinct = chosen.clone();
                        distinct.sort_unstable();
                        distinct.dedup();
                        answer.option_indexes = distinct;
                    }
                    _ => {
                        errors.field(&name, message("choice-invalid"));
                        continue;
                    }
                }
            }
            QuestionKind::Scale => {
                match p.values[0]
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|v| (q.scale_min..=q.scale_max).contains(v))
                {
                    Some(v) if p.values.len() == 1 => answer.scale_value = v,
                    _ => {
                        errors.field(
                            &name,
                            tr.with(
                                "take-part-answer-scale-invalid",
                                &[
                                    ("min", number(i64::from(q.scale_min))),
                                    ("max", number(i64::from(q.scale_max))),
                                ],
                            ),
                        );
                        continue;
                    }
                }
            }
            _ => {
                let text = p.values.join("\n");
                if too_long(&text, ANSWER_TEXT_MAX) {
                    errors.field(&name, message("text-too-long"));
                    continue;
                }
                answer.text = text.trim().to_string();
            }
        }
        answers.push(answer);
        fields.push(name);
    }
    if answers.is_empty() && !errors.has_errors() {
        errors.field("answers", tr.t("take-part-answers-invalid"));
    }
    (answers, fields)
}

#[derive(Template)]
#[template(path = "take_part_answer.html")]
struct AnswerPage {
    frame: Frame,
    csrf: String,
    key: String,
    consultation: ConsultationRef,
    questions: Vec<QuestionField>,
    errors: FormErrors,
    /// The notice after saving.
    saved: Option<String>,
    /// The person already has an answer: the button says they change it.
    answered: bool,
}

fn answer_page(
    person: &SignedIn,
    c: &Consultation,
    picked: &[Picked],
    errors: FormErrors,
    saved: bool,
    answered: bool,
    lang: Lang,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let consultation = ConsultationRef::of(c, tr);
    let saved = saved.then(|| {
        if consultation.closes.is_empty() {
            tr.t("take-part-answer-saved")
        } else {
            tr.with(
                "take-part-answer-saved-until",
                &[("date", consultation.closes.clone())],
            )
        }
    });
    let rest = format!("consultations/{}/answer", c.consultation_id);
    let page = AnswerPage {
        frame: frame(lang, "take-part-answer-title", &rest, &errors),
        csrf: person.visitor.form_token(),
        key: form::idempotency_key(),
        questions: c
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionField::of(i, q, &picked[i], tr))
            .collect(),
        consultation,
        saved,
        answered,
        errors: errors.clone(),
    };
    html(&page, errors.status(), CachePolicy::NoStore, lang)
}

async fn answer_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let c = consultation(&state, &person, &id, lang).await?;
    let mine = state
        .services
        .consultation()
        .get_my_response(as_person(
            &person.session,
            GetMyResponseRequest {
                consultation_id: c.consultation_id.clone(),
            },
        ))
        .await;
    let answers = match mine {
        Ok(r) => Some(r.into_inner().answers),
        Err(s) if s.code() == Code::NotFound => None,
        Err(s) => return Err(PageError::from_status(&s, lang)),
    };
    let picked = picked_of_answers(&c.questions, answers.as_deref().unwrap_or_default());
    answer_page(
        &person,
        &c,
        &picked,
        FormErrors::new(),
        query.saved.is_some() && answers.is_some(),
        answers.is_some(),
        lang,
    )
}

async fn answer(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let c = consultation(&state, &person, &id, lang).await?;
    let answered = form.iter().any(|(k, v)| k == "answered" && v == "1");
    let picked = picked_of_form(&c.questions, &form);
    let mut errors = FormErrors::new();
    let (answers, fields) = answers_of(&c.questions, &picked, tr, &mut errors);
    if errors.has_errors() {
        return answer_page(&person, &c, &picked, errors, false, answered, lang);
    }
    let key = form
        .iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| form::posted_key(v))
        .unwrap_or_default();
    let request = SubmitResponseRequest {
        consultation_id: c.consultation_id.clone(),
        answers,
        idempotency_key: key,
    };
    match state
        .services
        .consultation()
        .submit_response(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/consultations/{}/answer?saved=1",
            lang.code(),
            c.consultation_id
        ))
        .into_response()),
        Err(status) => {
            // `answers[2].text` is reported beside the question answer 2 was for.
            let prefixes: Vec<(String, &str)> = fields
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("answers[{i}]."), f.as_str()))
                .collect();
            let map: Vec<(&str, &str)> = prefixes.iter().map(|(p, f)| (p.as_str(), *f)).collect();
            let errors = FormErrors::from_status(&status, tr, FORM, &map)?;
            answer_page(&person, &c, &picked, errors, false, answered, lang)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Proposing

#[derive(Debug, Default, Deserialize)]
pub struct ProposeForm {
    #[serde(default)]
    proposal_title: String,
    #[serde(default)]
    proposal_body: String,
    #[serde(default)]
    key: String,
}

/// A proposal as the personal pages show it.
pub struct ProposalSummary {
    pub id: String,
    pub title: String,
    pub body: String,
    pub supports: String,
}

impl ProposalSummary {
    fn of(p: &Proposal, tr: Tr) -> Self {
        Self {
            id: p.proposal_id.clone(),
            title: p.title.clone(),
            body: p.body.clone(),
            supports: tr.count("supports-count", p.supports),
        }
    }
}

#[derive(Template)]
#[template(path = "take_part_propose.html")]
struct ProposePage {
    frame: Frame,
    csrf: String,
    key: String,
    consultation: ConsultationRef,
    form: ProposeForm,
    errors: FormErrors,
    /// The proposal just published.
    sent: Option<ProposalSummary>,
}

fn propose_page(
    person: &SignedIn,
    c: &Consultation,
    form: ProposeForm,
    errors: FormErrors,
    sent: Option<ProposalSummary>,
    lang: Lang,
) -> Result<Response, PageError> {
    let rest = format!("consultations/{}/propose", c.consultation_id);
    let status = errors.status();
    let page = ProposePage {
        frame: frame(lang, "take-part-propose-title", &rest, &errors),
        csrf: person.visitor.form_token(),
        key: form::idempotency_key(),
        consultation: ConsultationRef::of(c, Tr::new(lang)),
        form,
        errors,
        sent,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn propose_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let c = consultation(&state, &person, &id, lang).await?;
    let sent = match query.sent.as_deref().filter(|s| !s.is_empty()) {
        Some(pid) => Some(ProposalSummary::of(
            &proposal(&state, &person, &id, pid, lang).await?,
            Tr::new(lang),
        )),
        None => None,
    };
    propose_page(
        &person,
        &c,
        ProposeForm::default(),
        FormErrors::new(),
        sent,
        lang,
    )
}

async fn propose(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<ProposeForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let c = consultation(&state, &person, &id, lang).await?;
    let mut errors = FormErrors::new();
    errors
        .require(tr, FORM, "proposal_title", &form.proposal_title)
        .require(tr, FORM, "proposal_body", &form.proposal_body);
    if too_long(&form.proposal_title, PROPOSAL_TITLE_MAX) {
        errors.field("proposal_title", tr.t("take-part-proposal_title-invalid"));
    }
    if too_long(&form.proposal_body, PROPOSAL_BODY_MAX) {
        errors.field("proposal_body", tr.t("take-part-proposal_body-invalid"));
    }
    if errors.has_errors() {
        return propose_page(&person, &c, form, errors, None, lang);
    }
    let request = SubmitProposalRequest {
        consultation_id: c.consultation_id.clone(),
        title: form.proposal_title.trim().to_string(),
        body: form.proposal_body.trim().to_string(),
        association_id: String::new(),
        idempotency_key: form::posted_key(&form.key),
    };
    match state
        .services
        .consultation()
        .submit_proposal(as_person(&person.session, request))
        .await
    {
        Ok(done) => {
            let pid = done
                .into_inner()
                .proposal
                .map(|p| p.proposal_id)
                .ok_or_else(|| PageError::internal(lang))?;
            Ok(Redirect::to(&format!(
                "/{}/consultations/{}/propose?sent={pid}",
                lang.code(),
                c.consultation_id
            ))
            .into_response())
        }
        Err(status) => {
            let errors = FormErrors::from_status(
                &status,
                tr,
                FORM,
                &[("title", "proposal_title"), ("body", "proposal_body")],
            )?;
            propose_page(&person, &c, form, errors, None, lang)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Supporting a proposal

#[derive(Template)]
#[template(path = "take_part_support.html")]
struct SupportPage {
    frame: Frame,
    csrf: String,
    key: String,
    consultation: ConsultationRef,
    proposal: ProposalSummary,
    errors: FormErrors,
    /// The person already supports it.
    already: bool,
}

fn support_page(
    person: &SignedIn,
    c: &Consultation,
    p: &Proposal,
    errors: FormErrors,
    already: bool,
    lang: Lang,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let rest = format!(
        "consultations/{}/proposals/{}/support",
        c.consultation_id, p.proposal_id
    );
    let status = errors.status();
    let page = SupportPage {
        frame: frame(lang, "take-part-support-title", &rest, &errors),
        csrf: person.visitor.form_token(),
        key: form::idempotency_key(),
        consultation: ConsultationRef::of(c, tr),
        proposal: ProposalSummary::of(p, tr),
        errors,
        already,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn support_form(
    State(state): State<AppState>,
    Path((lang, id, pid)): Path<(String, String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let (c, p) = tokio::try_join!(
        consultation(&state, &person, &id, lang),
        proposal(&state, &person, &id, &pid, lang),
    )?;
    support_page(&person, &c, &p, FormErrors::new(), false, lang)
}

#[derive(Debug, Default, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    key: String,
}

async fn support(
    State(state): State<AppState>,
    Path((_, id, pid)): Path<(String, String, String)>,
    person: SignedIn,
    posted: Posted<KeyForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let (c, p) = tokio::try_join!(
        consultation(&state, &person, &id, lang),
        proposal(&state, &person, &id, &pid, lang),
    )?;
    let request = SupportProposalRequest {
        proposal_id: p.proposal_id.clone(),
        idempotency_key: form::posted_key(&form.key),
    };
    match state
        .services
        .consultation()
        .support_proposal(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(Redirect::to(
            &ConsultationRef::of(&c, tr).anchor(&format!("proposal-{}", p.proposal_id)),
        )
        .into_response()),
        Err(status) if status.code() == Code::AlreadyExists => {
            support_page(&person, &c, &p, FormErrors::new(), true, lang)
        }
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, FORM, &[])?;
            support_page(&person, &c, &p, errors, false, lang)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Commenting

#[derive(Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment_body: String,
    #[serde(default)]
    key: String,
}

#[derive(Template)]
#[template(path = "take_part_comment.html")]
struct CommentPage {
    frame: Frame,
    csrf: String,
    key: String,
    consultation: ConsultationRef,
    form: CommentForm,
    errors: FormErrors,
    sent: bool,
}

fn comment_page(
    person: &SignedIn,
    c: &Consultation,
    form: CommentForm,
    errors: FormErrors,
    sent: bool,
    lang: Lang,
) -> Result<Response, PageError> {
    let rest = format!("consultations/{}/comment", c.consultation_id);
    let status = errors.status();
    let page = CommentPage {
        frame: frame(lang, "take-part-comment-title", &rest, &errors),
        csrf: person.visitor.form_token(),
        key: form::idempotency_key(),
        consultation: ConsultationRef::of(c, Tr::new(lang)),
        form,
        errors,
        sent,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn comment_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let c = consultation(&state, &person, &id, lang).await?;
    comment_page(
        &person,
        &c,
        CommentForm::default(),
        FormErrors::new(),
        query.sent.is_some(),
        lang,
    )
}

async fn comment(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<CommentForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let c = consultation(&state, &person, &id, lang).await?;
    let mut errors = FormErrors::new();
    errors.require(tr, FORM, "comment_body", &form.comment_body);
    if too_long(&form.comment_body, COMMENT_MAX) {
        errors.field("comment_body", tr.t("take-part-comment_body-invalid"));
    }
    if errors.has_errors() {
        return comment_page(&person, &c, form, errors, false, lang);
    }
    let request = PostCommentRequest {
        consultation_id: c.consultation_id.clone(),
        proposal_id: String::new(),
        parent_comment_id: String::new(),
        body: form.comment_body.trim().to_string(),
        idempotency_key: form::posted_key(&form.key),
    };
    match state
        .services
        .consultation()
        .post_comment(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/consultations/{}/comment?sent=1",
            lang.code(),
            c.consultation_id
        ))
        .into_response()),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, FORM, &[("body", "comment_body")])?;
            comment_page(&person, &c, form, errors, false, lang)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting a comment

#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    report_reason: String,
}

#[derive(Template)]
#[template(path = "take_part_report.html")]
struct ReportPage {
    frame: Frame,
    csrf: String,
    consultation: ConsultationRef,
    comment: CommentView,
    form: ReportForm,
    errors: FormErrors,
    sent: bool,
    already: bool,
}

#[allow(clippy::too_many_arguments)]
fn report_page(
    person: &SignedIn,
    c: &Consultation,
    comment: &Comment,
    form: ReportForm,
    errors: FormErrors,
    sent: bool,
    already: bool,
    lang: Lang,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let rest = format!(
        "consultations/{}/comments/{}/report",
        c.consultation_id, comment.comment_id
    );
    let status = errors.status();
    let page = ReportPage {
        frame: frame(lang, "take-part-report-title", &rest, &errors),
        csrf: person.visitor.form_token(),
        consultation: ConsultationRef::of(c, tr),
        comment: CommentView::of(comment, tr),
        form,
        errors,
        sent,
        already,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn report_form(
    State(state): State<AppState>,
    Path((lang, id, cid)): Path<(String, String, String)>,
    Query(query): Query<DoneQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let (c, comment) = tokio::try_join!(
        consultation(&state, &person, &id, lang),
        find_comment(&state, &person, &id, &cid, lang),
    )?;
    report_page(
        &person,
        &c,
        &comment,
        ReportForm::default(),
        FormErrors::new(),
        query.sent.is_some(),
        false,
        lang,
    )
}

async fn report(
    State(state): State<AppState>,
    Path((_, id, cid)): Path<(String, String, String)>,
    person: SignedIn,
    posted: Posted<ReportForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let (c, comment) = tokio::try_join!(
        consultation(&state, &person, &id, lang),
        find_comment(&state, &person, &id, &cid, lang),
    )?;
    let mut errors = FormErrors::new();
    errors.require(tr, FORM, "report_reason", &form.report_reason);
    if too_long(&form.report_reason, REASON_MAX) {
        errors.field("report_reason", tr.t("take-part-report_reason-invalid"));
    }
    if errors.has_errors() {
        return report_page(&person, &c, &comment, form, errors, false, false, lang);
    }
    let request = ReportCommentRequest {
        comment_id: comment.comment_id.clone(),
        reason: form.report_reason.trim().to_string(),
    };
    match state
        .services
        .consultation()
        .report_comment(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/consultations/{}/comments/{}/report?sent=1",
            lang.code(),
            c.consultation_id,
            comment.comment_id
        ))
        .into_response()),
        Err(status) if status.code() == Code::AlreadyExists => report_page(
            &person,
            &c,
            &comment,
            ReportForm::default(),
            FormErrors::new(),
            false,
            true,
            lang,
        ),
        Err(status) => {
            let errors =
                FormErrors::from_status(&status, tr, FORM, &[("reason", "report_reason")])?;
            report_page(&person, &c, &comment, form, errors, false, false, lang)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tachawor_proto::common::LocalizedText;

    fn text(s: &str) -> LocalizedText {
        LocalizedText {
            ar: s.into(),
            fr: s.into(),
            en: String::new(),
            zgh: String::new(),
        }
    }

    fn question(id: &str, kind: QuestionKind, options: usize, required: bool) -> Question {
        Question {
            question_id: id.into(),
            kind: kind as i32,
            prompt: Some(text("?")),
            options: (0..options).map(|i| text(&i.to_string())).collect(),
            scale_min: if kind == QuestionKind::Scale { 1 } else { 0 },
            scale_max: if kind == QuestionKind::Scale { 5 } else { 0 },
            required,
            ..Default::default()
        }
    }

    #[test]
    fn tamazight_prompts_and_options_describe_the_field() {
        let mut q = question("a", QuestionKind::SingleChoice, 2, true);
        q.prompt.as_mut().unwrap().zgh = "ⵎⴰⵏⵉ?".into();
        q.options[1].zgh = "ⴰⵎⴰⵏ".into();
        let field = QuestionField::of(0, &q, &Picked::default(), Tr::new(Lang::Ar));
        assert_eq!(
            field.tamazight.as_ref().map(|t| t.text.as_str()),
            Some("ⵎⴰⵏⵉ?")
        );
        assert_eq!(
            field.prompt.lang, "ar",
            "the label stays in the page's language"
        );
        assert!(field.choices[0].tamazight.is_none());
        let option = field.choices[1]
            .tamazight
            .as_ref()
            .expect("a Tamazight label");
        assert_eq!((option.lang, option.dir), ("zgh", "ltr"));
        assert_eq!(field.described_by(true), "q1-zgh q1-error");
        let scale = question("b", QuestionKind::Scale, 0, false);
        let field = QuestionField::of(1, &scale, &Picked::default(), Tr::new(Lang::Fr));
        assert_eq!(field.described_by(false), "q2-hint");
    }

    #[test]
    fn repeated_fields_are_every_choice_of_a_question() {
        let form: Vec<(String, String)> =
            serde_html_form::from_bytes(b"csrf=x&q1=0&q2=1&q2=2&q3=hello+there").unwrap();
        let questions = [
            question("a", QuestionKind::SingleChoice, 2, true),
            question("b", QuestionKind::MultipleChoice, 3, false),
            question("c", QuestionKind::FreeText, 0, false),
            question("d", QuestionKind::Scale, 0, false),
        ];
        let picked = picked_of_form(&questions, &form);
        let mut errors = FormErrors::new();
        let (answers, fields) = answers_of(&questions, &picked, Tr::new(Lang::Fr), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fields, ["q1", "q2", "q3"]);
        assert_eq!(answers[0].option_indexes, [0]);
        assert_eq!(answers[1].option_indexes, [1, 2]);
        assert_eq!(answers[2].text, "hello there");
    }

    #[test]
    fn what_a_question_cannot_take_is_said_beside_it() {
        let questions = [
            question("a", QuestionKind::SingleChoice, 2, true),
            question("b", QuestionKind::SingleChoice, 2, false),
            question("c", QuestionKind::Scale, 0, false),
        ];
        let form: Vec<(String, String)> = serde_html_form::from_bytes(b"q2=0&q2=1&q3=9").unwrap();
        let mut errors = FormErrors::new();
        answers_of(
            &questions,
            &picked_of_form(&questions, &form),
            Tr::new(Lang::Ar),
            &mut errors,
        );
        for field in ["q1", "q2", "q3"] {
            let message = errors.get(field).unwrap_or_else(|| panic!("{field}"));
            assert!(!message.starts_with("take-part-"), "{message}");
        }
    }
}
