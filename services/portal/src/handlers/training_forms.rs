//! Training for a signed-in person: registering for a session, their registrations, cancelling,
//! checking in with the day's code, evaluating a session, and their certificate as a PDF.
//!
//! Each action is its own personal page (no-store): a GET shows what it means and a form, the
//! POST calls training with the person's token and answers with a redirect (303) to a page that
//! says what happened. A refusal re-renders the form with status 422 and the reason in the
//! page's language. Each form carries an idempotency key made when it was shown, so a form sent
//! twice does the thing once.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use tachawor_proto::{
    dates,
    training::{
        CancelRegistrationRequest, Certificate, CertificateNameStatus, CheckInWithCodeRequest,
        ExportMyDataRequest, GetProgramRequest, IssueCertificateRequest,
        ListMyRegistrationsRequest, RegisterRequest, Registration, RegistrationStatus, Session,
        SessionStatus, SubmitEvaluationRequest,
    },
};
use tonic::Code;

use super::{AppState, PageQuery, lang_of, next_link, reads};
use crate::{
    certificate_pdf::{self, CertificateDocument},
    error::PageError,
    form::{self, FormErrors},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
    view::{SessionCard, Text},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/training/registrations", get(registrations))
        .route(
            "/{lang}/training/sessions/{id}/register",
            get(register_form).post(register),
        )
        .route("/{lang}/training/sessions/{id}/registered", get(registered))
        .route(
            "/{lang}/training/sessions/{id}/cancel",
            get(cancel_form).post(cancel),
        )
        .route(
            "/{lang}/training/sessions/{id}/check-in",
            get(check_in_form).post(check_in),
        )
        .route(
            "/{lang}/training/sessions/{id}/evaluate",
            get(evaluate_form).post(evaluate),
        )
        .route(
            "/{lang}/training/sessions/{id}/certificate",
            get(certificate_form).post(certificate_name),
        )
        .route(
            "/{lang}/training/sessions/{id}/certificate.pdf",
            get(certificate_pdf),
        )
}

/// Registration is open for a session at `now` (unix milliseconds).
pub fn registration_open(session: &Session, now: i64) -> bool {
    let Some(d) = session.details.as_ref() else {
        return false;
    };
    let at = |t: Option<&prost_types::Timestamp>| t.map(dates::millis);
    // The service also closes registration once the last day is over.
    let over = d.schedule.last().and_then(|day| at(day.ends_at.as_ref()));
    session.status == SessionStatus::Scheduled as i32
        && at(d.registration_opens_at.as_ref()).is_some_and(|opens| opens <= now)
        && at(d.registration_closes_at.as_ref()).is_some_and(|closes| now < closes)
        && over.is_none_or(|over| now < over)
}

/// The session a URL names, or the page does not exist.
async fn session_of(state: &AppState, id: &str, lang: Lang) -> Result<Session, PageError> {
    reads::session(state, id.to_string())
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .ok_or_else(|| PageError::not_found(lang))
}

/// The person's registration for `session_id`, if any (the newest one when they registered
/// again after cancelling).
async fn my_registration(
    state: &AppState,
    person: &SignedIn,
    session_id: &str,
    lang: Lang,
) -> Result<Option<Registration>, PageError> {
    let mut found: Option<Registration> = None;
    reads::each_page(
        lang,
        (OWN_PAGES, 200),
        |page| {
            let request = ListMyRegistrationsRequest { page: Some(page) };
            let mut client = state.services.training();
            let request = as_person(&person.session, request);
            async move { client.list_my_registrations(request).await }
        },
        |m| &m.next_page_token,
        |answer| {
            for r in answer.registrations {
                if r.session_id != session_id {
                    continue;
                }
                let rank = |x: &Registration| {
                    (x.status != RegistrationStatus::Cancelled as i32, x.arrival)
                };
                if found.as_ref().is_none_or(|f| rank(&r) > rank(f)) {
                    found = Some(r);
                }
            }
            Ok(())
        },
    )
    .await?;
    Ok(found)
}

/// What training holds of the person's evaluations and certificates.
struct MyData {
    evaluated: HashSet<String>,
    certificates: HashMap<String, Certificate>,
    /// Days attended per session, from the person's registrations.
    attended: HashMap<String, Vec<String>>,
}

async fn my_data(state: &AppState, person: &SignedIn, lang: Lang) -> Result<MyData, PageError> {
    let mut data = MyData {
        evaluated: HashSet::new(),
        certificates: HashMap::new(),
        attended: HashMap::new(),
    };
    reads::each_page(
        lang,
        (OWN_PAGES, 200),
        |page| {
            let request = ExportMyDataRequest { page: Some(page) };
            let mut client = state.services.training();
            let request = as_person(&person.session, request);
            async move { client.export_my_data(request).await }
        },
        |m| &m.next_page_token,
        |answer| {
            data.evaluated
                .extend(answer.evaluations.into_iter().map(|e| e.session_id));
            for r in answer.registrations {
                if r.status == RegistrationStatus::Confirmed as i32 {
                    data.attended.insert(
                        r.session_id.clone(),
                        r.attended_days.iter().filter_map(dates::date_str).collect(),
                    );
                }
            }
            for c in answer.certificates {
                data.certificates.insert(c.session_id.clone(), c);
            }
            Ok(())
        },
    )
    .await?;
    Ok(data)
}

/// Pages of 200 of the person's own registrations or data read at most.
const OWN_PAGES: usize = 100;

fn session_path(id: &str, action: &str) -> String {
    format!("training/sessions/{id}/{action}")
}

fn redirect(lang: Lang, rest: &str) -> Response {
    Redirect::to(&format!("/{}/{rest}", lang.code())).into_response()
}

// ---- Register ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "training_register.html")]
struct RegisterPage {
    frame: Frame,
    csrf: String,
    key: String,
    card: SessionCard,
    open: bool,
    full: bool,
    /// The person's current registration: "registered" or "waitlisted", or empty.
    current: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct KeyedForm {
    #[serde(default)]
    key: String,
}

async fn register_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    session: &Session,
    key: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let current = my_registration(state, person, &session.session_id, lang)
        .await?
        .map(|r| current_label(&r))
        .unwrap_or_default();
    let card = SessionCard::of(session, tr, &state.region);
    let capacity = session.details.as_ref().map_or(0, |d| d.capacity);
    let frame = Frame::new(
        lang,
        tr.t("training-form-register-title"),
        Section::Training,
        &session_path(&session.session_id, "register"),
    )
    .with_errors(&errors);
    let page = RegisterPage {
        frame,
        csrf: person.visitor.form_token(),
        key,
        open: registration_open(session, super::now_millis()),
        full: session.confirmed_count >= capacity,
        card,
        current,
        errors,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

fn current_label(r: &Registration) -> String {
    match RegistrationStatus::try_from(r.status).unwrap_or_default() {
        RegistrationStatus::Confirmed => "registered".into(),
        RegistrationStatus::Waitlisted => "waitlisted".into(),
        _ => String::new(),
    }
}

async fn register_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = session_of(&state, &id, lang).await?;
    register_page(
        &state,
        &person,
        lang,
        &session,
        form::idempotency_key(),
        FormErrors::new(),
    )
    .await
}

async fn register(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<KeyedForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    let session = session_of(&state, &id, lang).await?;
    let key = form::posted_key(&posted.form.key);
    let request = RegisterRequest {
        session_id: session.session_id.clone(),
        idempotency_key: key.clone(),
    };
    match state
        .services
        .training()
        .register(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(redirect(
            lang,
            &session_path(&session.session_id, "registered"),
        )),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "training-register", &[])?;
            register_page(&state, &person, lang, &session, key, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "training_registered.html")]
struct RegisteredPage {
    frame: Frame,
    title: Text,
    session_id: String,
    /// "registered", "waitlisted", or "none".
    outcome: String,
    message: String,
}

async fn registered(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let session = session_of(&state, &id, lang).await?;
    let mine = my_registration(&state, &person, &session.session_id, lang).await?;
    let (outcome, message, title_id) = match mine
        .as_ref()
        .map(|r| RegistrationStatus::try_from(r.status))
    {
        Some(Ok(RegistrationStatus::Confirmed)) => (
            "registered",
            tr.t("training-form-registered-body"),
            "training-form-registered-title",
        ),
        Some(Ok(RegistrationStatus::Waitlisted)) => (
            "waitlisted",
            tr.count(
                "training-form-waitlisted-body",
                i64::from(mine.as_ref().map_or(0, |r| r.waitlist_position)),
            ),
            "training-form-waitlisted-title",
        ),
        _ => (
            "none",
            tr.t("training-form-not-registered-body"),
            "training-form-not-registered-title",
        ),
    };
    let page = RegisteredPage {
        frame: Frame::new(
            lang,
            tr.t(title_id),
            Section::Training,
            &session_path(&session.session_id, "registered"),
        ),
        title: Text::of(
            session.details.as_ref().and_then(|d| d.title.as_ref()),
            lang,
        ),
        session_id: session.session_id.clone(),
        outcome: outcome.into(),
        message,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- My registrations --------------------------------------------------------------------

pub struct MyRegistrationRow {
    pub session_id: String,
    pub title: Text,
    pub days: String,
    /// registered, waitlisted, cancelled, attended: the tag's class.
    pub status: &'static str,
    pub status_label: String,
    /// The session's own state when it is not simply scheduled (held, cancelled).
    pub session_note: String,
    pub attendance: String,
    pub cancel: bool,
    pub check_in: bool,
    pub evaluate: bool,
    pub evaluated: bool,
    pub certificate: bool,
}

#[derive(Template)]
#[template(path = "training_registrations.html")]
struct RegistrationsPage {
    frame: Frame,
    rows: Vec<MyRegistrationRow>,
    next: Option<String>,
    first: Option<String>,
    notice: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegistrationsQuery {
    page: Option<String>,
    done: Option<String>,
}

fn row_of(
    r: &Registration,
    session: Option<&Session>,
    data: &MyData,
    tr: Tr,
    now: i64,
) -> MyRegistrationRow {
    let details = session.and_then(|s| s.details.clone()).unwrap_or_default();
    let session_status = session.map_or(0, |s| s.status);
    let scheduled = session_status == SessionStatus::Scheduled as i32;
    let held = session_status == SessionStatus::Held as i32;
    let days: Vec<String> = details.days.iter().filter_map(dates::date_str).collect();
    let attended = r.attended_days.len();
    let state = RegistrationStatus::try_from(r.status).unwrap_or_default();
    let confirmed = state == RegistrationStatus::Confirmed;
    let (status, status_label) = match state {
        RegistrationStatus::Confirmed if attended > 0 => {
            ("attended", tr.t("training-form-status-attended"))
        }
        RegistrationStatus::Confirmed => ("registered", tr.t("training-form-status-registered")),
        RegistrationStatus::Waitlisted => (
            "waitlisted",
            tr.count(
                "training-form-status-waitlisted",
                i64::from(r.waitlist_position),
            ),
        ),
        _ => ("cancelled", tr.t("training-form-status-cancelled")),
    };
    let session_note = if held {
        tr.t("training-form-session-held")
    } else if session_status == SessionStatus::Cancelled as i32 {
        tr.t("training-form-session-cancelled")
    } else {
        String::new()
    };
    let threshold = match details.attendance_threshold_percent {
        0 => 100,
        t => t,
    };
    // Evaluations open when the last day starts (its time in the region's zone, as the
    // service decides it).
    let last_start = details
        .schedule
        .last()
        .and_then(|d| d.starts_at.as_ref())
        .map(dates::millis);
    let evaluated = data.evaluated.contains(&r.session_id);
    MyRegistrationRow {
        session_id: r.session_id.clone(),
        title: Text::of(details.title.as_ref(), tr.lang),
        days: crate::view::day_lines(&details, tr).join(match tr.lang {
            Lang::Ar => "؛ ",
            Lang::Fr => " ; ",
        }),
        status,
        status_label,
        session_note,
        attendance: if confirmed && attended > 0 {
            tr.count("training-form-days-attended", attended as i64)
        } else {
            String::new()
        },
        cancel: scheduled
            && matches!(
                state,
                RegistrationStatus::Confirmed | RegistrationStatus::Waitlisted
            ),
        check_in: confirmed && scheduled && attended < days.len(),
        evaluate: confirmed
            && attended > 0
            && !evaluated
            && (held || (scheduled && last_start.is_some_and(|start| now >= start))),
        evaluated,
        certificate: confirmed
            && held
            && (data.certificates.contains_key(&r.session_id)
                || r.attendance_rate_percent >= threshold),
    }
}

async fn registrations(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<RegistrationsQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let paging = PageQuery {
        page: query.page.clone(),
    };
    let is_first = paging.is_first();
    let token = paging.token(lang)?;
    let (answer, data) = futures::try_join!(
        async {
            state
                .services
                .training()
                .list_my_registrations(as_person(
                    &person.session,
                    ListMyRegistrationsRequest {
                        page: state.page(token),
                    },
                ))
                .await
                .map(tonic::Response::into_inner)
                .map_err(|s| PageError::from_status(&s, lang))
        },
        my_data(&state, &person, lang),
    )?;
    let ids: Vec<String> = answer
        .registrations
        .iter()
        .map(|r| r.session_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let sessions: HashMap<String, Session> =
        futures::future::join_all(ids.into_iter().map(|id| reads::session(&state, id)))
            .await
            .into_iter()
            .filter_map(|answer| answer.ok().flatten())
            .map(|s| (s.session_id.clone(), s))
            .collect();
    let now = super::now_millis();
    let rows = answer
        .registrations
        .iter()
        .map(|r| row_of(r, sessions.get(&r.session_id), &data, tr, now))
        .collect();
    let frame = Frame::new(
        lang,
        tr.t("training-form-registrations-title"),
        Section::Training,
        "training/registrations",
    );
    let base = frame.href("training/registrations");
    let notice = match query.done.as_deref() {
        Some("cancelled") => tr.t("training-form-done-cancelled"),
        Some("checked-in") => tr.t("training-form-done-checked-in"),
        Some("evaluated") => tr.t("training-form-done-evaluated"),
        Some("certificate-name") => tr.t("training-form-done-certificate-name"),
        _ => String::new(),
    };
    let page = RegistrationsPage {
        next: next_link(&base, &answer.next_page_token),
        first: (!is_first).then_some(base),
        frame,
        rows,
        notice,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- Cancel ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "training_cancel.html")]
struct CancelPage {
    frame: Frame,
    csrf: String,
    key: String,
    card: SessionCard,
    /// Whether the person holds a registration this page can cancel.
    active: bool,
    waitlisted: bool,
    errors: FormErrors,
}

async fn cancel_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    session: &Session,
    key: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let mine = my_registration(state, person, &session.session_id, lang).await?;
    let status = mine
        .as_ref()
        .map(|r| RegistrationStatus::try_from(r.status).unwrap_or_default());
    let active = matches!(
        status,
        Some(RegistrationStatus::Confirmed | RegistrationStatus::Waitlisted)
    );
    let frame = Frame::new(
        lang,
        tr.t("training-form-cancel-title"),
        Section::Training,
        &session_path(&session.session_id, "cancel"),
    )
    .with_errors(&errors);
    let page = CancelPage {
        frame,
        csrf: person.visitor.form_token(),
        key,
        card: SessionCard::of(session, tr, &state.region),
        active,
        waitlisted: status == Some(RegistrationStatus::Waitlisted),
        errors,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

async fn cancel_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = session_of(&state, &id, lang).await?;
    cancel_page(
        &state,
        &person,
        lang,
        &session,
        form::idempotency_key(),
        FormErrors::new(),
    )
    .await
}

async fn cancel(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<KeyedForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    let session = session_of(&state, &id, lang).await?;
    let key = form::posted_key(&posted.form.key);
    let mine = my_registration(&state, &person, &session.session_id, lang)
        .await?
        .filter(|r| r.status != RegistrationStatus::Cancelled as i32);
    let Some(mine) = mine else {
        let mut errors = FormErrors::new();
        errors.general(tr.t("training-form-cancel-nothing"));
        return cancel_page(&state, &person, lang, &session, key, errors).await;
    };
    let request = CancelRegistrationRequest {
        registration_id: mine.registration_id,
        idempotency_key: key.clone(),
    };
    match state
        .services
        .training()
        .cancel_registration(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(redirect(lang, "training/registrations?done=cancelled")),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "training-cancel", &[])?;
            cancel_page(&state, &person, lang, &session, key, errors).await
        }
    }
}

// ---- Check in ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "training_check_in.html")]
struct CheckInPage {
    frame: Frame,
    csrf: String,
    key: String,
    session_id: String,
    title: Text,
    code: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    code: String,
}

fn check_in_page(
    person: &SignedIn,
    lang: Lang,
    session: &Session,
    form: CheckInForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let frame = Frame::new(
        lang,
        tr.t("training-form-check-in-title"),
        Section::Training,
        &session_path(&session.session_id, "check-in"),
    )
    .with_errors(&errors);
    let page = CheckInPage {
        frame,
        csrf: person.visitor.form_token(),
        key: form::posted_key(&form.key),
        session_id: session.session_id.clone(),
        title: Text::of(
            session.details.as_ref().and_then(|d| d.title.as_ref()),
            lang,
        ),
        code: form.code,
        errors,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

/// `?code=` on the check-in page: the code the venue's QR code carries, filled in.
#[derive(Debug, Default, Deserialize)]
pub struct CheckInQuery {
    #[serde(default)]
    code: String,
}

async fn check_in_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<CheckInQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = session_of(&state, &id, lang).await?;
    let code = digits_of(&query.code);
    let form = CheckInForm {
        // Only something that can be a code is filled in; the person still submits it.
        code: if is_check_in_code(&code) {
            code
        } else {
            String::new()
        },
        ..Default::default()
    };
    check_in_page(&person, lang, &session, form, FormErrors::new())
}

/// A day's check-in code: six digits.
pub fn is_check_in_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Digits as typed, Arabic-Indic or Eastern digits read as their Western value.
fn digits_of(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            other => other,
        })
        .collect()
}

async fn check_in(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<CheckInForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    let session = session_of(&state, &id, lang).await?;
    let form = posted.form;
    let code = digits_of(&form.code);
    let mut errors = FormErrors::new();
    errors.require(tr, "check-in", "code", &code);
    if errors.is_empty() && !is_check_in_code(&code) {
        errors.field("code", tr.t("check-in-code-invalid"));
    }
    if errors.has_errors() {
        return check_in_page(&person, lang, &session, form, errors);
    }
    let request = CheckInWithCodeRequest {
        session_id: session.session_id.clone(),
        code,
        idempotency_key: form::posted_key(&form.key),
    };
    let status = match state
        .services
        .training()
        .check_in_with_code(as_person(&person.session, request))
        .await
    {
        Ok(_) => return Ok(redirect(lang, "training/registrations?done=checked-in")),
        Err(status) => status,
    };
    match (status.code(), form::broken_rule(&status).as_deref()) {
        // A wrong or expired code is about what was typed: its message goes beside the field.
        (_, Some(rule @ ("check-in-code-invalid" | "check-in-code-expired"))) => {
            errors.field("code", tr.t(&format!("check-in-rule-{rule}")));
        }
        (Code::ResourceExhausted, _) => {
            errors.field("code", tr.t("check-in-too-many"));
        }
        (Code::NotFound, _) => {
            errors.general(tr.t("check-in-not-registered"));
        }
        _ => errors = FormErrors::from_status(&status, tr, "check-in", &[])?,
    }
    check_in_page(&person, lang, &session, form, errors)
}

// ---- Evaluate ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "training_evaluate.html")]
struct EvaluatePage {
    frame: Frame,
    csrf: String,
    key: String,
    session_id: String,
    title: Text,
    form: EvaluateForm,
    errors: FormErrors,
}

impl EvaluatePage {
    /// The ratings offered, 5 (best) first.
    fn ratings(&self) -> Vec<(String, String)> {
        (1..=5)
            .rev()
            .map(|n| {
                (
                    n.to_string(),
                    self.frame.tr.t(&format!("evaluate-satisfaction-{n}")),
                )
            })
            .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EvaluateForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    pre_test_score: String,
    #[serde(default)]
    post_test_score: String,
}

fn evaluate_page(
    person: &SignedIn,
    lang: Lang,
    session: &Session,
    mut form: EvaluateForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let frame = Frame::new(
        lang,
        tr.t("training-form-evaluate-title"),
        Section::Training,
        &session_path(&session.session_id, "evaluate"),
    )
    .with_errors(&errors);
    let key = form::posted_key(&form.key);
    form.key.clone_from(&key);
    let page = EvaluatePage {
        frame,
        csrf: person.visitor.form_token(),
        key,
        session_id: session.session_id.clone(),
        title: Text::of(
            session.details.as_ref().and_then(|d| d.title.as_ref()),
            lang,
        ),
        form,
        errors,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

async fn evaluate_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = session_of(&state, &id, lang).await?;
    evaluate_page(
        &person,
        lang,
        &session,
        EvaluateForm::default(),
        FormErrors::new(),
    )
}

/// An optional score from 0 to 100: `Ok(None)` when left empty, `Err` when not such a number.
fn score(value: &str) -> Result<Option<i32>, ()> {
    let value = digits_of(value);
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i32>() {
        Ok(n) if (0..=100).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

async fn evaluate(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<EvaluateForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    let session = session_of(&state, &id, lang).await?;
    let form = posted.form;
    let mut errors = FormErrors::new();
    let satisfaction = form
        .satisfaction
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=5).contains(n));
    if form.satisfaction.trim().is_empty() {
        errors.require(tr, "evaluate", "satisfaction", "");
    } else if satisfaction.is_none() {
        errors.field("satisfaction", tr.t("evaluate-satisfaction-invalid"));
    }
    if form.comment.trim().chars().count() > 2000 {
        errors.field("comment", tr.t("evaluate-comment-invalid"));
    }
    let pre = score(&form.pre_test_score);
    let post = score(&form.post_test_score);
    if pre.is_err() {
        errors.field("pre_test_score", tr.t("evaluate-pre_test_score-invalid"));
    }
    if post.is_err() {
        errors.field("post_test_score", tr.t("evaluate-post_test_score-invalid"));
    }
    if errors.has_errors() {
        return evaluate_page(&person, lang, &session, form, errors);
    }
    let request = SubmitEvaluationRequest {
        session_id: session.session_id.clone(),
        satisfaction: satisfaction.unwrap_or_default(),
        comment: form.comment.trim().to_string(),
        pre_test_score: pre.unwrap_or_default(),
        post_test_score: post.unwrap_or_default(),
        idempotency_key: form::posted_key(&form.key),
    };
    match state
        .services
        .training()
        .submit_evaluation(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(redirect(lang, "training/registrations?done=evaluated")),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "evaluate", &[])?;
            evaluate_page(&person, lang, &session, form, errors)
        }
    }
}

// ---- Certificate -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "training_certificate.html")]
struct CertificatePage {
    frame: Frame,
    csrf: String,
    key: String,
    title: Text,
    session_id: String,
    /// Why there is no PDF, in the page's language.
    reason: String,
    /// The person may give the name to print (identity holds no verified name for them).
    ask_name: bool,
    certificate_name: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct CertificateNameForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    certificate_name: String,
}

struct CertificateState {
    reason: String,
    ask_name: bool,
}

#[allow(clippy::too_many_arguments)]
fn certificate_page(
    person: &SignedIn,
    lang: Lang,
    session: &Session,
    found: CertificateState,
    form: CertificateNameForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let frame = Frame::new(
        lang,
        tr.t("training-form-certificate-title"),
        Section::Training,
        &session_path(&session.session_id, "certificate"),
    )
    .with_errors(&errors);
    let page = CertificatePage {
        frame,
        csrf: person.visitor.form_token(),
        key: form::posted_key(&form.key),
        title: Text::of(
            session.details.as_ref().and_then(|d| d.title.as_ref()),
            lang,
        ),
        session_id: session.session_id.clone(),
        reason: found.reason,
        ask_name: found.ask_name,
        certificate_name: form.certificate_name,
        errors,
    };
    let status = if page.errors.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// Where the person's certificate for a session stands.
enum Standing {
    Ready(Certificate),
    NotYet(CertificateState),
}

/// Why a certificate's name keeps it from being printed, if it does.
fn name_problem(certificate: &Certificate, tr: Tr) -> Option<String> {
    match CertificateNameStatus::try_from(certificate.name_status).unwrap_or_default() {
        CertificateNameStatus::Verified | CertificateNameStatus::Approved => None,
        CertificateNameStatus::Pending => Some(tr.t("training-form-certificate-name-pending")),
        _ => Some(tr.t("training-form-certificate-name-erased")),
    }
}

/// The person's certificate for `session`: the one issued, else one issued now when they may
/// have it. Reading it first keeps a second download from asking for a second certificate.
async fn standing(
    state: &AppState,
    person: &SignedIn,
    session: &Session,
    lang: Lang,
    issue: bool,
) -> Result<(Standing, MyData), PageError> {
    let tr = Tr::new(lang);
    let data = my_data(state, person, lang).await?;
    if let Some(found) = data.certificates.get(&session.session_id) {
        let standing = match name_problem(found, tr) {
            None => Standing::Ready(found.clone()),
            Some(reason) => Standing::NotYet(CertificateState {
                reason,
                ask_name: false,
            }),
        };
        return Ok((standing, data));
    }
    if !issue {
        // Only asked from this page's form: the name to print, for someone identity holds no
        // verified name for.
        return Ok((
            Standing::NotYet(CertificateState {
                reason: tr.t("certificate-request-rule-certificate-name-required"),
                ask_name: true,
            }),
            data,
        ));
    }
    let request = IssueCertificateRequest {
        session_id: session.session_id.clone(),
        account_id: String::new(),
        certificate_name: String::new(),
        idempotency_key: form::idempotency_key(),
    };
    let answer = state
        .services
        .training()
        .issue_certificate(as_person(&person.session, request))
        .await;
    let standing = match answer {
        Ok(answer) => match answer.into_inner().certificate {
            Some(c) => match name_problem(&c, tr) {
                None => Standing::Ready(c),
                Some(reason) => Standing::NotYet(CertificateState {
                    reason,
                    ask_name: false,
                }),
            },
            None => return Err(PageError::internal(lang)),
        },
        Err(status) => match form::broken_rule(&status).as_deref() {
            Some("certificate-name-required") => Standing::NotYet(CertificateState {
                reason: tr.t("certificate-request-rule-certificate-name-required"),
                ask_name: true,
            }),
            Some(_) => {
                let errors = FormErrors::from_status(&status, tr, "certificate-request", &[])?;
                Standing::NotYet(CertificateState {
                    reason: errors
                        .items()
                        .first()
                        .map(|e| e.message.clone())
                        .unwrap_or_default(),
                    ask_name: false,
                })
            }
            None => return Err(PageError::from_status(&status, lang)),
        },
    };
    Ok((standing, data))
}

async fn certificate_pdf(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = session_of(&state, &id, lang).await?;
    let (standing, data) = standing(&state, &person, &session, lang, true).await?;
    let certificate = match standing {
        Standing::Ready(c) => c,
        Standing::NotYet(found) => {
            // What to do instead, in words, where the PDF would have been.
            return certificate_page(
                &person,
                lang,
                &session,
                found,
                CertificateNameForm::default(),
                FormErrors::new(),
                StatusCode::CONFLICT,
            );
        }
    };
    let program = state
        .services
        .training()
        .get_program(GetProgramRequest {
            program_id: session.program_id.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .program
        .unwrap_or_default();
    let details = session.details.clone().unwrap_or_default();
    let mut days = data
        .attended
        .get(&session.session_id)
        .cloned()
        .unwrap_or_default();
    if days.is_empty() {
        days = details.days.iter().filter_map(dates::date_str).collect();
    }
    days.sort();
    let region_name = match lang {
        Lang::Ar => state.region.name.ar.clone(),
        Lang::Fr => state.region.name.fr.clone(),
    };
    let code = certificate.verification_code.clone();
    let document = CertificateDocument {
        lang,
        holder_name: certificate.holder_name.clone(),
        program_title: Text::of(program.title.as_ref(), lang).text,
        session_title: Text::of(details.title.as_ref(), lang).text,
        days,
        verify_url: format!(
            "{}/verify/{code}",
            state.settings.server.public_url.trim_end_matches('/')
        ),
        issued_on: certificate
            .issued_at
            .as_ref()
            .map(|t| dates::date_of_millis(dates::millis(t)))
            .unwrap_or_default(),
        region_name,
        code: code.clone(),
    };
    let bytes = tokio::task::spawn_blocking(move || certificate_pdf::render(&document))
        .await
        .map_err(|_| PageError::internal(lang))?
        .map_err(|e| {
            tracing::error!(error = %e, "the certificate PDF failed to render");
            PageError::internal(lang)
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"certificate-{code}.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

async fn certificate_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = session_of(&state, &id, lang).await?;
    let (standing, _) = standing(&state, &person, &session, lang, false).await?;
    let found = match standing {
        Standing::Ready(_) => {
            return Ok(redirect(
                lang,
                &session_path(&session.session_id, "certificate.pdf"),
            ));
        }
        Standing::NotYet(found) => found,
    };
    certificate_page(
        &person,
        lang,
        &session,
        found,
        CertificateNameForm::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
}

async fn certificate_name(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<CertificateNameForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    let session = session_of(&state, &id, lang).await?;
    let form = posted.form;
    let ask = || CertificateState {
        reason: tr.t("certificate-request-rule-certificate-name-required"),
        ask_name: true,
    };
    let mut errors = FormErrors::new();
    errors.require(
        tr,
        "certificate-request",
        "certificate_name",
        &form.certificate_name,
    );
    if form.certificate_name.trim().chars().count() > 200 {
        errors.field(
            "certificate_name",
            tr.t("certificate-request-certificate_name-invalid"),
        );
    }
    if errors.has_errors() {
        return certificate_page(&person, lang, &session, ask(), form, errors, StatusCode::OK);
    }
    let request = IssueCertificateRequest {
        session_id: session.session_id.clone(),
        account_id: String::new(),
        certificate_name: form.certificate_name.trim().to_string(),
        idempotency_key: form::posted_key(&form.key),
    };
    match state
        .services
        .training()
        .issue_certificate(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(redirect(
            lang,
            "training/registrations?done=certificate-name",
        )),
        Err(status) => {
            let errors = FormErrors::from_status(
                &status,
                tr,
                "certificate-request",
                &[("certificate_name", "certificate_name")],
            )?;
            certificate_page(&person, lang, &session, ask(), form, errors, StatusCode::OK)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_typed_in_eastern_digits_are_read() {
        assert_eq!(digits_of("١٢٣ ٤٥٦"), "123456");
        assert_eq!(digits_of("۱۲۳-۴۵۶"), "123456");
        assert_eq!(digits_of("12a"), "12a");
    }

    #[test]
    fn a_form_keeps_its_key_and_a_strange_one_is_replaced() {
        let made = form::idempotency_key();
        assert_eq!(form::posted_key(&made), made);
        assert_ne!(
            form::posted_key("abc-DEF_1"),
            "abc-DEF_1",
            "not one the portal made"
        );
        assert_ne!(form::posted_key("not a key"), "not a key");
        assert_eq!(form::posted_key("").len(), 43);
    }

    #[test]
    fn scores_are_optional_but_between_0_and_100() {
        assert_eq!(score(""), Ok(None));
        assert_eq!(score("100"), Ok(Some(100)));
        assert!(score("101").is_err() && score("x").is_err());
    }
}
