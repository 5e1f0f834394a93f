//! The consultations desk: the consultations by state (drafts first), a new consultation
//! written in Arabic and French, a consultation's desk page (edit and add questions while a
//! draft, open with a closing date, close, answer with the synthesis in both languages), its
//! results, and the free-text answers of its survey, paged and as a CSV download. The
//! consultation service checks each field and each action with the person's own token; its
//! refusals are shown beside the fields they name, or as a sentence.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        AddQuestionRequest, AnswerConsultationRequest, ApproveConsultationRequest, Audience,
        CloseConsultationRequest, Consultation, ConsultationStatus, CreateConsultationRequest,
        ExportSurveyAnswersRequest, GetConsultationRequest, GetResultsRequest,
        ListConsultationsRequest, ListSurveyAnswersRequest, OpenConsultationRequest, Organizer,
        OrganizerKind, Participation, QuestionKind, RejectConsultationRequest,
        UpdateConsultationRequest,
    },
};

use super::{NoFields, Staff, StaffNav, frame};
use crate::{
    error::PageError,
    form::{FormErrors, idempotency_key, posted_key},
    handlers::{
        AppState, Listing, PageQuery,
        consultation_form::{self, localized as with_tamazight},
        encode_query, lang_of, next_link,
    },
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, html, with_policy},
    person::Posted,
    services::as_person,
    view::{Choice, ConsultationCard, Text, enum_code},
};

/// The states the list filters by; drafts are the list's first view.
/// `proposed`: launched by an instance, waiting for staff's approval.
const STATES: &[&str] = &[
    "draft", "proposed", "open", "closed", "answered", "rejected", "all",
];
const KINDS: &[&str] = &["single_choice", "multiple_choice", "scale", "free_text"];

fn status_of(code: &str) -> ConsultationStatus {
    ConsultationStatus::from_str_name(&format!(
        "CONSULTATION_STATUS_{}",
        code.to_ascii_uppercase()
    ))
    .unwrap_or_default()
}

fn status_code(c: &Consultation) -> String {
    enum_code(
        ConsultationStatus::try_from(c.status)
            .unwrap_or_default()
            .as_str_name(),
        "CONSULTATION_STATUS_",
    )
}

/// Arabic and French typed on a form, trimmed, as the services take them.
pub(super) fn text(ar: &str, fr: &str) -> Option<LocalizedText> {
    with_tamazight(ar, fr, "")
}

fn desk_path(lang: Lang, id: &str) -> String {
    format!("/{}/staff/consultations/{}", lang.code(), encode_query(id))
}

fn back(lang: Lang, id: &str, done: &str) -> Response {
    Redirect::to(&format!("{}?done={done}", desk_path(lang, id))).into_response()
}

// ---- The list -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_consultations.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    states: Vec<Choice>,
    consultations: Vec<ConsultationCard>,
    listing: Listing,
}

pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let chosen = query
        .state
        .as_deref()
        .filter(|s| STATES.contains(s))
        .unwrap_or(STATES[0])
        .to_string();
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let answer = state
        .services
        .consultation()
        .list_consultations(as_person(
            &staff.session,
            ListConsultationsRequest {
                status: status_of(&chosen) as i32,
                page: state.page(token),
                ..Default::default()
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let rest = format!("staff/consultations?state={chosen}");
    let base = format!("/{}/{rest}", lang.code());
    let page = ListPage {
        frame: frame(lang, "staff-consultations-title", &rest),
        nav: StaffNav::new(lang, "consultations"),
        states: consultation_form::choices(tr, "staff-consultations-state", STATES, &chosen),
        consultations: answer
            .consultations
            .iter()
            .map(|c| ConsultationCard::of(c, tr))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token)
                .map(|l| l.replacen("?page=", "&page=", 1)),
            first: (!is_first).then_some(base),
        },
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- The consultation's form (new, or a draft edited) ---------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ConsultationForm {
    #[serde(default)]
    title_ar: String,
    #[serde(default)]
    title_fr: String,
    #[serde(default)]
    body_ar: String,
    #[serde(default)]
    body_fr: String,
    /// Optional, in Tifinagh.
    #[serde(default)]
    title_zgh: String,
    #[serde(default)]
    body_zgh: String,
    /// `council` or `instance`.
    #[serde(default)]
    organizer: String,
    #[serde(default)]
    instance_id: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    provinces: Vec<String>,
    /// `default` (the region's), `any_account` or `verified_only`.
    #[serde(default)]
    participation: String,
    /// A new consultation's form: made when it is shown, kept when it is shown again.
    #[serde(default)]
    key: String,
}

impl ConsultationForm {
    fn of(c: &Consultation) -> Self {
        let t = c.title.clone().unwrap_or_default();
        let b = c.body.clone().unwrap_or_default();
        let organizer = c.organizer.clone().unwrap_or_default();
        Self {
            title_ar: t.ar,
            title_fr: t.fr,
            body_ar: b.ar,
            body_fr: b.fr,
            title_zgh: t.zgh,
            body_zgh: b.zgh,
            organizer: if organizer.kind == OrganizerKind::Instance as i32 {
                "instance".into()
            } else {
                "council".into()
            },
            instance_id: organizer.instance_id,
            audience: enum_code(
                Audience::try_from(c.audience)
                    .unwrap_or_default()
                    .as_str_name(),
                "AUDIENCE_",
            ),
            provinces: c.province_codes.clone(),
            participation: enum_code(
                Participation::try_from(c.participation)
                    .unwrap_or_default()
                    .as_str_name(),
                "PARTICIPATION_",
            ),
            key: String::new(),
        }
    }

    fn organizer(&self) -> Option<Organizer> {
        let kind = match self.organizer.as_str() {
            "council" => OrganizerKind::Council,
            "instance" => OrganizerKind::Instance,
            _ => OrganizerKind::Unspecified,
        };
        Some(Organizer {
            kind: kind as i32,
            instance_id: if kind == OrganizerKind::Instance {
                self.instance_id.trim().to_string()
            } else {
                String::new()
            },
        })
    }

    fn audience(&self) -> i32 {
        consultation_form::audience_of(&self.audience)
    }

    fn participation(&self) -> i32 {
        consultation_form::participation_of(&self.participation)
    }
}

/// The page's field for each field the service names, besides the texts and the reach
/// ([`consultation_form::FIELDS`]).
const ORGANIZER_FIELDS: &[(&str, &str)] = &[
    ("organizer.kind", "organizer"),
    ("organizer.instance_id", "instance_id"),
];

fn form_errors(status: &tonic::Status, tr: Tr) -> Result<FormErrors, PageError> {
    let fields = [consultation_form::FIELDS, ORGANIZER_FIELDS].concat();
    FormErrors::from_status(status, tr, "staff-consultation", &fields)
}

#[derive(Template)]
#[template(path = "staff_consultation_form.html")]
struct FormPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    /// Empty for a new consultation.
    id: String,
    form: ConsultationForm,
    audiences: Vec<Choice>,
    participations: Vec<Choice>,
    provinces: Vec<Choice>,
    errors: FormErrors,
}

fn form_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    mut form: ConsultationForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    if id.is_empty() && form.key.is_empty() {
        form.key = idempotency_key();
    }
    let tr = Tr::new(lang);
    let (title, rest) = if id.is_empty() {
        (
            "staff-consultation-new-title",
            "staff/consultations/new".to_string(),
        )
    } else {
        (
            "staff-consultation-edit-title",
            format!("staff/consultations/{id}/edit"),
        )
    };
    let provinces = consultation_form::provinces(&state.region, lang, &form.provinces);
    let status = errors.status();
    let page = FormPage {
        frame: frame(lang, title, &rest).with_errors(&errors),
        nav: StaffNav::new(lang, "consultations"),
        csrf: staff.visitor.form_token(),
        id: id.to_string(),
        audiences: consultation_form::audiences(tr, &form.audience),
        // A draft has its rule already: the region's default is offered only to a new one.
        participations: consultation_form::participations(tr, &form.participation)
            .into_iter()
            .filter(|p| id.is_empty() || p.value != "default")
            .collect(),
        provinces,
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn new_form(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let form = ConsultationForm {
        organizer: "council".into(),
        audience: "public".into(),
        participation: "default".into(),
        ..Default::default()
    };
    form_page(&state, &staff, lang, "", form, FormErrors::new())
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    posted: Posted<ConsultationForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let request = CreateConsultationRequest {
        title: with_tamazight(&form.title_ar, &form.title_fr, &form.title_zgh),
        body: with_tamazight(&form.body_ar, &form.body_fr, &form.body_zgh),
        organizer: form.organizer(),
        audience: form.audience(),
        province_codes: form.provinces.clone(),
        participation: form.participation(),
        idempotency_key: posted_key(&form.key),
    };
    match state
        .services
        .consultation()
        .create_consultation(as_person(&staff.session, request))
        .await
    {
        Ok(answer) => {
            let id = answer
                .into_inner()
                .consultation
                .map(|c| c.consultation_id)
                .unwrap_or_default();
            Ok(back(lang, &id, "created"))
        }
        Err(status) => {
            let errors = form_errors(&status, tr)?;
            form_page(&state, &staff, lang, "", form, errors)
        }
    }
}

async fn consultation_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
) -> Result<Consultation, PageError> {
    state
        .services
        .consultation()
        .get_consultation(as_person(
            &staff.session,
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

pub async fn edit_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let c = consultation_of(&state, &staff, lang, &id).await?;
    form_page(
        &state,
        &staff,
        lang,
        &id,
        ConsultationForm::of(&c),
        FormErrors::new(),
    )
}

pub async fn update(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<ConsultationForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let request = UpdateConsultationRequest {
        consultation_id: id.clone(),
        title: with_tamazight(&form.title_ar, &form.title_fr, &form.title_zgh),
        body: with_tamazight(&form.body_ar, &form.body_fr, &form.body_zgh),
        organizer: form.organizer(),
        audience: form.audience(),
        province_codes: form.provinces.clone(),
        participation: form.participation(),
    };
    match state
        .services
        .consultation()
        .update_consultation(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back(lang, &id, "saved")),
        Err(status) if status.code() == tonic::Code::FailedPrecondition => {
            Ok(back(lang, &id, "refused"))
        }
        Err(status) => {
            let errors = form_errors(&status, tr)?;
            form_page(&state, &staff, lang, &id, form, errors)
        }
    }
}

// ---- The desk page --------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    done: Option<String>,
}

/// What was typed in the desk's forms, kept when one comes back with errors.
#[derive(Debug, Default, Deserialize)]
pub struct Typed {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    prompt_ar: String,
    #[serde(default)]
    prompt_fr: String,
    /// One option a line, in the same order in both languages.
    #[serde(default)]
    options_ar: String,
    #[serde(default)]
    options_fr: String,
    #[serde(default)]
    scale_min: String,
    #[serde(default)]
    scale_max: String,
    #[serde(default)]
    required: Option<String>,
    /// `YYYY-MM-DD`, the last day the consultation is open.
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    synthesis_ar: String,
    #[serde(default)]
    synthesis_fr: String,
    /// Why an instance's proposal is rejected, told to the instance.
    #[serde(default)]
    reason: String,
    /// The question form's: made when the desk is shown, kept when it is shown again.
    #[serde(default)]
    key: String,
}

/// A question as the desk shows it.
pub struct QuestionRow {
    pub kind_label: String,
    pub prompt: Text,
    pub required: bool,
    pub options: Vec<Text>,
    /// "Answered by …", and one line per option or value, from the results.
    pub answered: String,
    pub counts: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff_consultation.html")]
struct DeskPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    id: String,
    card: ConsultationCard,
    body: Text,
    synthesis: Option<Text>,
    organizer: String,
    /// The instance that launched it, when one did.
    launched_by: Option<Text>,
    /// Staff's reason, once an instance's proposal is rejected.
    rejection: Option<String>,
    provinces: String,
    status: String,
    questions: Vec<QuestionRow>,
    responses: String,
    kinds: Vec<Choice>,
    typed: Typed,
    notice: Option<String>,
    errors: FormErrors,
}

async fn desk_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    notice: Option<String>,
    errors: FormErrors,
    mut typed: Typed,
) -> Result<Response, PageError> {
    if typed.key.is_empty() {
        typed.key = idempotency_key();
    }
    let tr = Tr::new(lang);
    let c = consultation_of(state, staff, lang, id).await?;
    let results = state
        .services
        .consultation()
        .get_results(as_person(
            &staff.session,
            GetResultsRequest {
                consultation_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner();
    let questions = c
        .questions
        .iter()
        .map(|q| {
            let kind = QuestionKind::try_from(q.kind).unwrap_or_default();
            let code = enum_code(kind.as_str_name(), "QUESTION_KIND_");
            let result = results
                .questions
                .iter()
                .find(|r| r.question_id == q.question_id);
            let counts = result
                .map(|r| {
                    r.counts
                        .iter()
                        .map(|o| {
                            let label = if kind == QuestionKind::Scale {
                                o.option_index.to_string()
                            } else {
                                q.options
                                    .get(o.option_index as usize)
                                    .map(|t| Text::of(Some(t), lang).text)
                                    .unwrap_or_default()
                            };
                            tr.with(
                                "staff-consultation-count",
                                &[("option", label), ("count", number(o.count))],
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            QuestionRow {
                kind_label: tr.t(&format!("staff-consultation-kind-{code}")),
                prompt: Text::of(q.prompt.as_ref(), lang),
                required: q.required,
                options: q.options.iter().map(|o| Text::of(Some(o), lang)).collect(),
                answered: tr.count(
                    "staff-consultation-answered",
                    result.map_or(0, |r| r.answered),
                ),
                counts,
            }
        })
        .collect();
    let organizer = c.organizer.clone().unwrap_or_default();
    let launched_by = crate::handlers::reads::launching_instance(state, &c)
        .await
        .map(|name| Text::of(Some(&name), lang));
    let status = errors.status();
    let page = DeskPage {
        frame: frame(
            lang,
            "staff-consultation-title",
            &format!("staff/consultations/{id}"),
        )
        .with_errors(&errors),
        nav: StaffNav::new(lang, "consultations"),
        csrf: staff.visitor.form_token(),
        id: c.consultation_id.clone(),
        card: ConsultationCard::of(&c, tr),
        body: Text::of(c.body.as_ref(), lang),
        synthesis: c
            .synthesis
            .as_ref()
            .filter(|s| !s.ar.is_empty() || !s.fr.is_empty())
            .map(|s| Text::of(Some(s), lang)),
        organizer: if organizer.kind == OrganizerKind::Instance as i32 {
            tr.with(
                "staff-consultation-organizer-instance-is",
                &[("id", organizer.instance_id)],
            )
        } else {
            tr.t("staff-consultation-organizer-council")
        },
        launched_by,
        rejection: Some(c.rejection_reason.clone()).filter(|r| !r.is_empty()),
        provinces: if c.province_codes.is_empty() {
            tr.t("staff-consultation-whole-region")
        } else {
            let names: Vec<String> = c
                .province_codes
                .iter()
                .map(|p| crate::view::province_name(&state.region, p, lang))
                .collect();
            tr.join(&names)
        },
        status: status_code(&c),
        questions,
        responses: tr.count("staff-consultation-responses", results.responses),
        kinds: consultation_form::choices(tr, "staff-consultation-kind", KINDS, &typed.kind),
        typed,
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn desk(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DeskQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let notice = match query.done.as_deref() {
        Some(
            done @ ("created" | "saved" | "question" | "opened" | "closed" | "answered" | "refused"
            | "approved" | "rejected"),
        ) => Some(tr.t(&format!("staff-consultation-done-{done}"))),
        _ => None,
    };
    let typed = Typed {
        kind: "single_choice".into(),
        ..Typed::default()
    };
    desk_page(&state, &staff, lang, &id, notice, FormErrors::new(), typed).await
}

/// A refusal of an action on the desk: a state that does not allow it is said as a sentence.
fn refusal(
    status: &tonic::Status,
    tr: Tr,
    fields: &[(&str, &str)],
) -> Result<FormErrors, PageError> {
    FormErrors::from_status(status, tr, "staff-consultation", fields)
}

fn lines(value: &str) -> Vec<String> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn add_question(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<Typed>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    let kind =
        QuestionKind::from_str_name(&format!("QUESTION_KIND_{}", form.kind.to_ascii_uppercase()))
            .unwrap_or_default();
    let (ar, fr) = (lines(&form.options_ar), lines(&form.options_fr));
    let choice = matches!(
        kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice
    );
    if choice && ar.len() != fr.len() {
        errors.field("options_fr", tr.t("staff-consultation-options-mismatch"));
    }
    let scale = |v: &str| v.trim().parse::<i32>().ok();
    let (scale_min, scale_max) = if kind == QuestionKind::Scale {
        match (scale(&form.scale_min), scale(&form.scale_max)) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                errors.field("scale_max", tr.t("staff-consultation-scale_max-invalid"));
                (0, 0)
            }
        }
    } else {
        (0, 0)
    };
    if errors.is_empty() {
        let options = if choice {
            ar.iter()
                .zip(&fr)
                .map(|(a, f)| LocalizedText {
                    ar: a.clone(),
                    fr: f.clone(),
                    en: String::new(),
                    zgh: String::new(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let request = AddQuestionRequest {
            consultation_id: id.clone(),
            kind: kind as i32,
            prompt: text(&form.prompt_ar, &form.prompt_fr),
            options,
            scale_min,
            scale_max,
            required: form.required.is_some(),
            idempotency_key: posted_key(&form.key),
        };
        match state
            .services
            .consultation()
            .add_question(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back(lang, &id, "question")),
            Err(status) => {
                errors = refusal(
                    &status,
                    tr,
                    &[
                        ("prompt.ar", "prompt_ar"),
                        ("prompt.fr", "prompt_fr"),
                        ("prompt.en", "prompt_fr"),
                        ("options", "options_ar"),
                    ],
                )?;
            }
        }
    }
    desk_page(&state, &staff, lang, &id, None, errors, form).await
}

/// Seconds since the epoch of the end (23:59:59 UTC) of the day `YYYY-MM-DD`.
fn end_of_day(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), after Howard Hinnant.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + 86_399)
}

pub async fn open(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<Typed>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    match end_of_day(&form.closes_on) {
        None => {
            errors.field("closes_on", tr.t("staff-consultation-closes_on-invalid"));
        }
        Some(seconds) => {
            let request = OpenConsultationRequest {
                consultation_id: id.clone(),
                closes_at: Some(prost_types::Timestamp { seconds, nanos: 0 }),
            };
            match state
                .services
                .consultation()
                .open_consultation(as_person(&staff.session, request))
                .await
            {
                Ok(_) => return Ok(back(lang, &id, "opened")),
                Err(status) => errors = refusal(&status, tr, &[("closes_at", "closes_on")])?,
            }
        }
    }
    desk_page(&state, &staff, lang, &id, None, errors, form).await
}

/// Where an action without fields leads: back to the desk saying `done`, or the desk again with
/// the service's refusal.
async fn after_action<T>(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    done: &str,
    result: Result<T, tonic::Status>,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(back(lang, id, done)),
        Err(status) => {
            let errors = refusal(&status, Tr::new(lang), &[])?;
            desk_page(state, staff, lang, id, None, errors, Typed::default()).await
        }
    }
}

pub async fn close(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let request = CloseConsultationRequest {
        consultation_id: id.clone(),
    };
    let result = state
        .services
        .consultation()
        .close_consultation(as_person(&staff.session, request))
        .await;
    after_action(&state, &staff, posted.lang, &id, "closed", result).await
}

/// An instance's proposal approved: it becomes a draft staff complete and open.
pub async fn approve(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let request = ApproveConsultationRequest {
        consultation_id: id.clone(),
    };
    let result = state
        .services
        .consultation()
        .approve_consultation(as_person(&staff.session, request))
        .await;
    after_action(&state, &staff, posted.lang, &id, "approved", result).await
}

/// An instance's proposal rejected, with the reason the instance reads.
pub async fn reject(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<Typed>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "staff-consultation", "reason", &form.reason);
    if errors.is_empty() {
        let request = RejectConsultationRequest {
            consultation_id: id.clone(),
            reason: form.reason.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .reject_consultation(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back(lang, &id, "rejected")),
            Err(status) => errors = refusal(&status, tr, &[("reason", "reason")])?,
        }
    }
    desk_page(&state, &staff, lang, &id, None, errors, form).await
}

pub async fn answer(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<Typed>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let request = AnswerConsultationRequest {
        consultation_id: id.clone(),
        synthesis: text(&form.synthesis_ar, &form.synthesis_fr),
    };
    match state
        .services
        .consultation()
        .answer_consultation(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back(lang, &id, "answered")),
        Err(status) => {
            let errors = refusal(
                &status,
                tr,
                &[
                    ("synthesis.ar", "synthesis_ar"),
                    ("synthesis.fr", "synthesis_fr"),
                    ("synthesis.en", "synthesis_fr"),
                ],
            )?;
            desk_page(&state, &staff, lang, &id, None, errors, form).await
        }
    }
}

// ---- Free-text answers ----------------------------------------------------------------------

pub struct AnswerRow {
    pub respondent: String,
    pub question: String,
    pub text: String,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "staff_consultation_answers.html")]
struct AnswersPage {
    frame: Frame,
    nav: StaffNav,
    id: String,
    title: Text,
    answers: Vec<AnswerRow>,
    listing: Listing,
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswersQuery {
    page: Option<String>,
}

pub async fn answers(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<AnswersQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let c = consultation_of(&state, &staff, lang, &id).await?;
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let answer = state
        .services
        .consultation()
        .list_survey_answers(as_person(
            &staff.session,
            ListSurveyAnswersRequest {
                consultation_id: id.clone(),
                question_id: String::new(),
                page: state.page(token),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner();
    let base = format!("{}/answers", desk_path(lang, &id));
    let answers = answer
        .answers
        .iter()
        .map(|a| AnswerRow {
            respondent: a.respondent_id.clone(),
            question: c
                .questions
                .iter()
                .find(|q| q.question_id == a.question_id)
                .map(|q| Text::of(q.prompt.as_ref(), lang).text)
                .unwrap_or_default(),
            text: a.text.clone(),
            submitted: tr.timestamp_date(a.submitted_at.as_ref()),
        })
        .collect();
    let page = AnswersPage {
        frame: frame(
            lang,
            "staff-consultation-answers-title",
            &format!("staff/consultations/{id}/answers"),
        ),
        nav: StaffNav::new(lang, "consultations"),
        id: c.consultation_id.clone(),
        title: Text::of(c.title.as_ref(), lang),
        answers,
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// The free-text answers as CSV, keyed by the pseudonymous respondent id.
pub async fn answers_csv(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let csv = state
        .services
        .consultation()
        .export_survey_answers(as_person(
            &staff.session,
            ExportSurveyAnswersRequest {
                consultation_id: id.clone(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .csv;
    let name: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok(with_policy(
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"answers-{name}.csv\""),
                ),
            ],
            csv,
        )
            .into_response(),
        CachePolicy::NoStore,
    ))
}

#[cfg(test)]
mod tests {
    use super::end_of_day;

    #[test]
    fn a_closing_day_ends_at_midnight_utc() {
        assert_eq!(end_of_day("1970-01-01"), Some(86_399));
        assert_eq!(end_of_day("2026-12-31"), Some(1_798_761_599));
        assert_eq!(end_of_day("2026-13-01"), None);
        assert_eq!(end_of_day("demain"), None);
    }
}
