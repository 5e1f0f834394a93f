//! Scheduling, changing and cancelling sessions from the sessions desk, and issuing the
//! certificates of a held session. Times are wall-clock times at the venue, in the region's
//! time zone; the training service checks every field and rule with the person's own token,
//! and its refusals are shown beside the fields they name (each day's times by day).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    common::LocalizedText,
    dates,
    training::{
        CancelSessionRequest, Eligibility, IssueCertificateRequest, ListProgramsRequest,
        ListRegistrationsRequest, RegistrationStatus, ScheduleSessionRequest, Session, SessionDay,
        SessionDetails, SessionKind, SessionStatus, UpdateSessionRequest, Venue,
    },
};
use tachawor_region::Zone;

use super::{Staff, StaffNav, frame, sessions::session_of, whole::read_whole};
use crate::{
    error::PageError,
    form::{FormErrors, broken_rule, idempotency_key, posted_key},
    handlers::{AppState, encode_query, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, SessionCard, province_choices},
};

/// The kinds of session, as the form names them.
const KINDS: &[(&str, SessionKind)] = &[
    ("training_session", SessionKind::TrainingSession),
    ("regional_meeting", SessionKind::RegionalMeeting),
    ("forum", SessionKind::Forum),
];

/// Who may register, as the form names it.
const ELIGIBILITIES: &[(&str, Eligibility)] = &[
    ("open", Eligibility::Open),
    ("instance_members", Eligibility::InstanceMembers),
    (
        "association_representatives",
        Eligibility::AssociationRepresentatives,
    ),
    ("civil_society", Eligibility::CivilSociety),
];

/// Blank day rows the form offers after the days it has, so days are added without script.
const BLANK_DAYS: usize = 2;
/// The most days a session has.
const DAYS_MAX: usize = 31;

/// The session form as posted: each day is a row of three inputs with the same names, in
/// order.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    program: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title_ar: String,
    #[serde(default)]
    title_fr: String,
    #[serde(default)]
    day_date: Vec<String>,
    #[serde(default)]
    day_start: Vec<String>,
    #[serde(default)]
    day_end: Vec<String>,
    #[serde(default)]
    province: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    capacity: String,
    /// Local date and time at the venue, `YYYY-MM-DDTHH:MM` (a `datetime-local` input).
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    eligibility: String,
    /// A new session's form: made when it is shown, kept when it is shown again.
    #[serde(default)]
    key: String,
}

/// One day row of the form.
pub struct DayRow {
    /// The inputs' ids: `day0_date`, `day0_start`, `day0_end`.
    pub date_id: String,
    pub start_id: String,
    pub end_id: String,
    pub date: String,
    pub start: String,
    pub end: String,
    /// "Day 2".
    pub legend: String,
}

fn cell(list: &[String], i: usize) -> &str {
    list.get(i).map_or("", |s| s.trim())
}

/// `millis` as the venue's local `YYYY-MM-DDTHH:MM`.
fn local_input(zone: &Zone, millis: i64) -> String {
    let local = millis + i64::from(zone.offset_minutes(millis)) * 60_000;
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    format!(
        "{}T{:02}:{:02}",
        zone.date_of(millis),
        minutes / 60,
        minutes % 60
    )
}

/// A `YYYY-MM-DDTHH:MM` local time at the venue as an instant; `None` when it does not parse
/// or the clocks skip it.
fn instant_of(zone: &Zone, local: &str) -> Option<i64> {
    let (date, time) = local.trim().split_once('T')?;
    let minutes = hh_mm(time)?;
    zone.instant(date, minutes)?.ok()
}

fn hh_mm(time: &str) -> Option<u32> {
    let (h, m) = time.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

impl SessionForm {
    fn of(session: &Session, zone: &Zone) -> Self {
        let d = session.details.clone().unwrap_or_default();
        let title = d.title.clone().unwrap_or_default();
        let venue = d.venue.clone().unwrap_or_default();
        let code = |name: &str, prefix: &str| crate::view::enum_code(name, prefix);
        Self {
            program: session.program_id.clone(),
            kind: code(
                SessionKind::try_from(d.kind)
                    .unwrap_or_default()
                    .as_str_name(),
                "SESSION_KIND_",
            ),
            title_ar: title.ar,
            title_fr: title.fr,
            day_date: d
                .schedule
                .iter()
                .map(|day| {
                    day.date
                        .as_ref()
                        .and_then(dates::date_str)
                        .unwrap_or_default()
                })
                .collect(),
            day_start: d.schedule.iter().map(|day| day.start.clone()).collect(),
            day_end: d.schedule.iter().map(|day| day.end.clone()).collect(),
            province: venue.province_code,
            address: venue.address,
            capacity: d.capacity.to_string(),
            opens: d
                .registration_opens_at
                .as_ref()
                .map(|t| local_input(zone, dates::millis(t)))
                .unwrap_or_default(),
            closes: d
                .registration_closes_at
                .as_ref()
                .map(|t| local_input(zone, dates::millis(t)))
                .unwrap_or_default(),
            eligibility: code(
                Eligibility::try_from(d.eligibility)
                    .unwrap_or_default()
                    .as_str_name(),
                "ELIGIBILITY_",
            ),
            key: String::new(),
        }
    }

    fn rows(&self) -> usize {
        self.day_date
            .len()
            .max(self.day_start.len())
            .max(self.day_end.len())
    }

    /// The rows with anything typed in them, by their place on the page.
    fn filled(&self) -> Vec<usize> {
        (0..self.rows())
            .filter(|&i| {
                [&self.day_date, &self.day_start, &self.day_end]
                    .iter()
                    .any(|l| !cell(l, i).is_empty())
            })
            .collect()
    }

    /// The day rows the page shows: those posted (or the session's), then blank ones.
    fn day_rows(&self, tr: Tr) -> Vec<DayRow> {
        // The rows up to the last one filled, then a few blank ones (never fewer than three).
        let used = self.filled().last().map_or(0, |last| last + 1);
        let shown = (used + BLANK_DAYS)
            .max(1 + BLANK_DAYS)
            .min(DAYS_MAX.max(used));
        (0..shown)
            .map(|i| DayRow {
                date_id: format!("day{i}_date"),
                start_id: format!("day{i}_start"),
                end_id: format!("day{i}_end"),
                date: cell(&self.day_date, i).to_string(),
                start: cell(&self.day_start, i).to_string(),
                end: cell(&self.day_end, i).to_string(),
                legend: tr.with("staff-session-day", &[("day", (i + 1).to_string())]),
            })
            .collect()
    }

    /// The details to send, over `base` (what the form does not show is kept), and the page
    /// row of each day sent.
    fn details(&self, zone: &Zone, base: SessionDetails) -> (SessionDetails, Vec<usize>) {
        let rows = self.filled();
        let schedule = rows
            .iter()
            .map(|&i| SessionDay {
                date: dates::date_from_str(cell(&self.day_date, i)),
                start: cell(&self.day_start, i).to_string(),
                end: cell(&self.day_end, i).to_string(),
                ..Default::default()
            })
            .collect();
        let kind = KINDS
            .iter()
            .find(|(c, _)| *c == self.kind)
            .map_or(SessionKind::Unspecified, |(_, k)| *k);
        let eligibility = ELIGIBILITIES
            .iter()
            .find(|(c, _)| *c == self.eligibility)
            .map_or(Eligibility::Unspecified, |(_, e)| *e);
        let en = base.title.clone().unwrap_or_default().en;
        let details = SessionDetails {
            kind: kind as i32,
            title: Some(LocalizedText {
                ar: self.title_ar.trim().to_string(),
                fr: self.title_fr.trim().to_string(),
                en,
                zgh: String::new(),
            }),
            // The days are the schedule's.
            days: Vec::new(),
            schedule,
            venue: Some(Venue {
                province_code: self.province.trim().to_string(),
                address: self.address.trim().to_string(),
            }),
            capacity: self.capacity.trim().parse().unwrap_or(0),
            registration_opens_at: instant_of(zone, &self.opens).map(dates::timestamp),
            registration_closes_at: instant_of(zone, &self.closes).map(dates::timestamp),
            eligibility: eligibility as i32,
            ..base
        };
        (details, rows)
    }
}

/// The page's field and message for a field training names; `rows` is the page row of each
/// day sent.
fn field_error(service: &str, tr: Tr, rows: &[usize]) -> Option<(String, String)> {
    let plain = |field: &str| {
        Some((
            field.to_string(),
            tr.t(&format!("staff-session-{field}-invalid")),
        ))
    };
    if let Some(rest) = service.strip_prefix("details.schedule[") {
        let (index, part) = rest.split_once("].")?;
        let row = *rows.get(index.parse::<usize>().ok()?)?;
        let part = match part {
            "start" | "end" => part,
            _ => "date",
        };
        return Some((
            format!("day{row}_{part}"),
            tr.with(
                &format!("staff-session-day-{part}-invalid"),
                &[("day", (row + 1).to_string())],
            ),
        ));
    }
    match service {
        "program_id" => plain("program"),
        "details.kind" => plain("kind"),
        "details.title.ar" => plain("title_ar"),
        "details.title.fr" | "details.title.en" => plain("title_fr"),
        s if s.starts_with("details.schedule") || s == "details.days" => Some((
            format!("day{}_date", rows.first().copied().unwrap_or(0)),
            tr.t("staff-session-days-invalid"),
        )),
        "details.venue.province_code" => plain("province"),
        "details.venue.address" | "details.venue" => plain("address"),
        "details.capacity" => plain("capacity"),
        "details.registration_opens_at" => plain("opens"),
        "details.registration_closes_at" => plain("closes"),
        "details.eligibility" => plain("eligibility"),
        _ => None,
    }
}

/// Training's refusal as messages beside the fields it names, or its rule as a sentence.
fn refusal(status: &tonic::Status, tr: Tr, rows: &[usize]) -> Result<FormErrors, PageError> {
    let mut errors = FormErrors::new();
    match status.code() {
        tonic::Code::InvalidArgument => {
            let named = tachawor_errors::violated_fields(status);
            for service in &named {
                match field_error(service, tr, rows) {
                    Some((field, message)) => {
                        if errors.get(&field).is_none() {
                            errors.field(&field, message);
                        }
                    }
                    None => {
                        errors.general(tr.t("form-invalid"));
                    }
                }
            }
            if named.is_empty() {
                errors.general(tr.t("form-invalid"));
            }
        }
        tonic::Code::FailedPrecondition => {
            let rule = broken_rule(status).unwrap_or_default();
            errors.general(tr.first_of(&[
                &format!("staff-session-rule-{rule}"),
                &format!("rule-{rule}"),
                "rule-broken",
            ]));
        }
        tonic::Code::NotFound => {
            errors.field("program", tr.t("staff-session-program-invalid"));
        }
        _ => return Err(PageError::from_status(status, tr.lang)),
    }
    Ok(errors)
}

fn choices(list: &[(&str, impl Copy)], tr: Tr, prefix: &str, selected: &str) -> Vec<Choice> {
    list.iter()
        .map(|(code, _)| Choice {
            value: code.to_string(),
            label: tr.t(&format!("{prefix}{code}")),
            selected: *code == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff_session_form.html")]
struct FormPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    /// Empty for a new session.
    id: String,
    /// The session's title, on the edit form.
    card: Option<SessionCard>,
    programs: Vec<Choice>,
    kinds: Vec<Choice>,
    eligibilities: Vec<Choice>,
    provinces: Vec<Choice>,
    title_ar: String,
    title_fr: String,
    days: Vec<DayRow>,
    address: String,
    capacity: String,
    opens: String,
    closes: String,
    /// "Local times at the venue (Africa/Casablanca)".
    zone_note: String,
    /// The new session form's key; empty when a session is edited.
    key: String,
    errors: FormErrors,
}

/// The programs staff choose from, most recent first: read whole (`whole`), as the form's
/// list offers every program a session may be scheduled in.
async fn program_choices(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    selected: &str,
) -> Result<Vec<Choice>, PageError> {
    let programs = read_whole("programs", |page| {
        let mut client = state.services.training();
        let request = as_person(
            &staff.session,
            ListProgramsRequest {
                page: Some(page),
                ..Default::default()
            },
        );
        async move {
            let answer = client.list_programs(request).await?.into_inner();
            Ok((answer.programs, answer.next_page_token))
        }
    })
    .await
    .map_err(|s| PageError::from_status(&s, lang))?;
    Ok(programs
        .iter()
        .map(|p| {
            let title = p.title.clone().unwrap_or_default();
            let label = match lang {
                Lang::Ar if !title.ar.is_empty() => title.ar,
                _ if !title.fr.is_empty() => title.fr,
                _ => title.ar,
            };
            Choice {
                value: p.program_id.clone(),
                label,
                selected: p.program_id == selected,
            }
        })
        .collect())
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    session: Option<&Session>,
    form: &SessionForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (title, rest, id) = match session {
        Some(s) => (
            "staff-session-edit-title",
            format!("staff/sessions/{}/edit", s.session_id),
            s.session_id.clone(),
        ),
        None => (
            "staff-session-new-title",
            "staff/sessions/new".to_string(),
            String::new(),
        ),
    };
    let programs = if session.is_some() {
        Vec::new()
    } else {
        program_choices(state, staff, lang, &form.program).await?
    };
    let status = errors.status();
    let page = FormPage {
        frame: frame(lang, title, &rest).with_errors(&errors),
        nav: StaffNav::new(lang, "sessions"),
        csrf: staff.visitor.form_token(),
        id,
        card: session.map(|s| SessionCard::of(s, tr, &state.region)),
        programs,
        kinds: choices(KINDS, tr, "session-kind-", &form.kind),
        eligibilities: choices(
            ELIGIBILITIES,
            tr,
            "staff-session-eligibility-",
            &form.eligibility,
        ),
        provinces: province_choices(&state.region, lang, &form.province),
        title_ar: form.title_ar.clone(),
        title_fr: form.title_fr.clone(),
        days: form.day_rows(tr),
        address: form.address.clone(),
        capacity: form.capacity.clone(),
        opens: form.opens.clone(),
        closes: form.closes.clone(),
        zone_note: tr.with(
            "staff-session-zone-note",
            &[("zone", state.region.time_zone.name().to_string())],
        ),
        key: match (session, form.key.is_empty()) {
            (Some(_), _) => String::new(),
            (None, true) => idempotency_key(),
            (None, false) => form.key.clone(),
        },
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

fn back(lang: Lang, done: &str) -> Response {
    Redirect::to(&format!("/{}/staff/sessions?done={done}", lang.code())).into_response()
}

pub async fn new_form(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let form = SessionForm {
        kind: "training_session".into(),
        eligibility: "open".into(),
        ..Default::default()
    };
    form_page(&state, &staff, lang, None, &form, FormErrors::new()).await
}

pub async fn schedule(
    State(state): State<AppState>,
    staff: Staff,
    posted: Posted<SessionForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let (details, rows) = form.details(&state.region.time_zone, SessionDetails::default());
    let request = ScheduleSessionRequest {
        program_id: form.program.trim().to_string(),
        details: Some(details),
        idempotency_key: posted_key(&form.key),
    };
    match state
        .services
        .training()
        .schedule_session(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back(lang, "scheduled")),
        Err(status) => {
            let errors = refusal(&status, tr, &rows)?;
            form_page(&state, &staff, lang, None, &form, errors).await
        }
    }
}

/// The session `id`, refused unless it is still scheduled (only those change).
async fn scheduled(
    state: &AppState,
    staff: &Staff,
    id: &str,
    lang: Lang,
) -> Result<Session, PageError> {
    let session = session_of(state, staff, id, lang).await?;
    if session.status != SessionStatus::Scheduled as i32 {
        return Err(PageError::not_found(lang));
    }
    Ok(session)
}

pub async fn edit_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = scheduled(&state, &staff, &id, lang).await?;
    let form = SessionForm::of(&session, &state.region.time_zone);
    form_page(
        &state,
        &staff,
        lang,
        Some(&session),
        &form,
        FormErrors::new(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<SessionForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let session = session_of(&state, &staff, &id, lang).await?;
    let base = session.details.clone().unwrap_or_default();
    let (details, rows) = form.details(&state.region.time_zone, base);
    let request = UpdateSessionRequest {
        session_id: session.session_id.clone(),
        details: Some(details),
    };
    match state
        .services
        .training()
        .update_session(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back(lang, "saved")),
        Err(status) => {
            let errors = refusal(&status, tr, &rows)?;
            form_page(&state, &staff, lang, Some(&session), &form, errors).await
        }
    }
}

// ---- Cancelling -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "staff_session_cancel.html")]
struct CancelPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    id: String,
    card: SessionCard,
    confirmed: String,
    reason: String,
    errors: FormErrors,
}

fn cancel_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    session: &Session,
    reason: &str,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let status = errors.status();
    let page = CancelPage {
        frame: frame(
            lang,
            "staff-session-cancel-title",
            &format!("staff/sessions/{}/cancel", session.session_id),
        )
        .with_errors(&errors),
        nav: StaffNav::new(lang, "sessions"),
        csrf: staff.visitor.form_token(),
        id: session.session_id.clone(),
        card: SessionCard::of(session, tr, &state.region),
        confirmed: tr.count(
            "staff-session-cancel-confirmed",
            i64::from(session.confirmed_count + session.waitlisted_count),
        ),
        reason: reason.to_string(),
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn cancel_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = scheduled(&state, &staff, &id, lang).await?;
    cancel_page(&state, &staff, lang, &session, "", FormErrors::new())
}

pub async fn cancel(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<CancelForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let session = session_of(&state, &staff, &id, lang).await?;
    let done = state
        .services
        .training()
        .cancel_session(as_person(
            &staff.session,
            CancelSessionRequest {
                session_id: session.session_id.clone(),
                reason: form.reason.trim().to_string(),
            },
        ))
        .await;
    match done {
        Ok(_) => Ok(back(lang, "cancelled")),
        Err(status) => {
            let errors = FormErrors::from_status(
                &status,
                tr,
                "staff-session-cancel",
                &[("reason", "reason")],
            )?;
            cancel_page(&state, &staff, lang, &session, &form.reason, errors)
        }
    }
}

// ---- Certificates -------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct CertificatesQuery {
    /// After issuing: how many were issued, already had one, or could not have one.
    issued: Option<u32>,
    already: Option<u32>,
    refused: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CertificatesForm {
    #[serde(default)]
    key: String,
}

#[derive(Template)]
#[template(path = "staff_session_certificates.html")]
struct CertificatesPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    id: String,
    card: SessionCard,
    held: bool,
    participants: String,
    key: String,
    /// What the last issuing did, one sentence each.
    outcome: Vec<String>,
}

/// Every confirmed participant's account: read whole (`whole`), as certificates are issued
/// to all of them at once.
async fn participants(
    state: &AppState,
    staff: &Staff,
    id: &str,
    lang: Lang,
) -> Result<Vec<String>, PageError> {
    let registrations = read_whole("registrations", |page| {
        let mut client = state.services.training();
        let request = as_person(
            &staff.session,
            ListRegistrationsRequest {
                session_id: id.to_string(),
                status: RegistrationStatus::Confirmed as i32,
                page: Some(page),
            },
        );
        async move {
            let answer = client.list_registrations(request).await?.into_inner();
            Ok((answer.registrations, answer.next_page_token))
        }
    })
    .await
    .map_err(|s| PageError::from_lookup(&s, lang))?;
    Ok(registrations
        .into_iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed as i32)
        .map(|r| r.account_id)
        .collect())
}

pub async fn certificates_page(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<CertificatesQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let session = session_of(&state, &staff, &id, lang).await?;
    let held = session.status == SessionStatus::Held as i32;
    let count = |id: &str, n: Option<u32>| n.map(|n| tr.count(id, i64::from(n)));
    let outcome = [
        count("staff-certificates-issued", query.issued),
        count(
            "staff-certificates-already",
            query.already.filter(|n| *n > 0),
        ),
        count(
            "staff-certificates-refused",
            query.refused.filter(|n| *n > 0),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let page = CertificatesPage {
        frame: frame(
            lang,
            "staff-certificates-title",
            &format!("staff/sessions/{}/certificates", session.session_id),
        ),
        nav: StaffNav::new(lang, "sessions"),
        csrf: staff.visitor.form_token(),
        id: session.session_id.clone(),
        card: SessionCard::of(&session, tr, &state.region),
        held,
        participants: tr.count(
            "staff-certificates-participants",
            i64::from(session.confirmed_count),
        ),
        key: idempotency_key(),
        outcome,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// Issues a certificate to each confirmed participant who attended enough: training checks
/// each one (held session, attendance, one certificate per participation).
pub async fn issue_certificates(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<CertificatesForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let key = posted_key(&form.key);
    let accounts = participants(&state, &staff, &id, lang).await?;
    let (mut issued, mut already, mut refused) = (0u32, 0u32, 0u32);
    for account in accounts {
        // One key per participant within this posting (at most 64 characters).
        let prefix: String = key.chars().take(24).collect();
        let answer = state
            .services
            .training()
            .issue_certificate(as_person(
                &staff.session,
                IssueCertificateRequest {
                    session_id: id.clone(),
                    account_id: account.clone(),
                    idempotency_key: format!("{prefix}-{account}"),
                    ..Default::default()
                },
            ))
            .await;
        match answer {
            Ok(_) => issued += 1,
            Err(s) if s.code() == tonic::Code::AlreadyExists => already += 1,
            Err(s) if s.code() == tonic::Code::FailedPrecondition => refused += 1,
            Err(s) => return Err(PageError::from_lookup(&s, lang)),
        }
    }
    Ok(Redirect::to(&format!(
        "/{}/staff/sessions/{}/certificates?issued={issued}&already={already}&refused={refused}",
        lang.code(),
        encode_query(&id)
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_round_trip_and_days_are_named_by_their_row() {
        let zone = Zone::named("Africa/Casablanca").unwrap();
        let at = instant_of(&zone, "2026-12-03T09:30").unwrap();
        assert_eq!(local_input(&zone, at), "2026-12-03T09:30");
        assert_eq!(instant_of(&zone, "2026-12-03"), None);
        let form = SessionForm {
            day_date: vec!["".into(), "2026-12-03".into(), "2026-12-04".into()],
            day_start: vec!["".into(), "09:00".into(), "10:00".into()],
            day_end: vec!["".into(), "17:00".into(), "".into()],
            ..Default::default()
        };
        let (details, rows) = form.details(&zone, SessionDetails::default());
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(details.schedule.len(), 2);
        let tr = Tr::new(Lang::Fr);
        let (field, message) = field_error("details.schedule[1].end", tr, &rows).unwrap();
        assert_eq!(field, "day2_end");
        assert!(message.contains('3'), "{message}");
    }
}
