//! The JSON twins of the public pages, for journalists, researchers and other regions; described
//! by `/api/openapi.json`. Texts carry both languages; instants are RFC 3339 in UTC; dates are
//! `YYYY-MM-DD`.

use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        Audience, Consultation, ConsultationStatus, Petition, PetitionKind, PetitionStatus,
    },
    dates,
    training::{Session, SessionKind, SessionStatus},
};

use super::{AppState, PageQuery, reads, verify};
use crate::{
    error::{ErrorKind, PageError},
    i18n::Lang,
    page::{CachePolicy, json},
    view::enum_code,
};

/// The OpenAPI 3.1 description of these endpoints.
pub const OPENAPI: &str = include_str!("../../static/openapi.json");

#[derive(Serialize)]
pub(super) struct Localized {
    ar: String,
    fr: String,
    /// Only where the text has a Tamazight version.
    #[serde(skip_serializing_if = "String::is_empty")]
    zgh: String,
}

pub(super) fn localized(t: Option<&LocalizedText>) -> Localized {
    let t = t.cloned().unwrap_or_default();
    Localized {
        ar: t.ar,
        fr: t.fr,
        zgh: t.zgh,
    }
}

/// RFC 3339 in UTC, second precision.
pub(super) fn instant(t: Option<&prost_types::Timestamp>) -> Option<String> {
    Some(dates::instant_of_millis(dates::millis(t?)))
}

#[derive(Serialize)]
struct List<T> {
    items: Vec<T>,
    next_page_token: String,
}

#[derive(Serialize)]
struct ConsultationJson {
    id: String,
    title: Localized,
    body: Localized,
    status: String,
    audience: String,
    province_codes: Vec<String>,
    opens_at: Option<String>,
    closes_at: Option<String>,
    synthesis: Localized,
    answered_at: Option<String>,
    /// The consultative instance that launched it; null when the council did.
    launched_by_instance_id: Option<String>,
}

impl From<&Consultation> for ConsultationJson {
    fn from(c: &Consultation) -> Self {
        Self {
            id: c.consultation_id.clone(),
            title: localized(c.title.as_ref()),
            body: localized(c.body.as_ref()),
            status: enum_code(
                ConsultationStatus::try_from(c.status)
                    .unwrap_or_default()
                    .as_str_name(),
                "CONSULTATION_STATUS_",
            ),
            audience: enum_code(
                Audience::try_from(c.audience)
                    .unwrap_or_default()
                    .as_str_name(),
                "AUDIENCE_",
            ),
            province_codes: c.province_codes.clone(),
            opens_at: instant(c.opens_at.as_ref()),
            closes_at: instant(c.closes_at.as_ref()),
            synthesis: localized(c.synthesis.as_ref()),
            answered_at: instant(c.answered_at.as_ref()),
            launched_by_instance_id: Some(c.launched_by_instance_id.clone())
                .filter(|id| !id.is_empty()),
        }
    }
}

#[derive(Serialize)]
struct ProvinceCountJson {
    province_code: String,
    signatures: i64,
}

#[derive(Serialize)]
struct PetitionJson {
    id: String,
    kind: String,
    title: String,
    object: String,
    status: String,
    signatures: i64,
    minimum_signatures: i64,
    province_minimum: i64,
    provinces: Vec<ProvinceCountJson>,
    can_deposit: bool,
    receipt_number: Option<String>,
    deposited_at: Option<String>,
    answer_due_at: Option<String>,
    late: bool,
    session: String,
    rejection_reasons: String,
}

impl From<&Petition> for PetitionJson {
    fn from(p: &Petition) -> Self {
        let progress = p.progress.clone().unwrap_or_default();
        let rules = p.rules.unwrap_or_default();
        Self {
            id: p.petition_id.clone(),
            kind: enum_code(
                PetitionKind::try_from(p.kind)
                    .unwrap_or_default()
                    .as_str_name(),
                "PETITION_KIND_",
            ),
            title: p.title.clone(),
            object: p.object.clone(),
            status: enum_code(
                PetitionStatus::try_from(p.status)
                    .unwrap_or_default()
                    .as_str_name(),
                "PETITION_STATUS_",
            ),
            signatures: progress.signatures,
            minimum_signatures: rules.minimum_signatures,
            province_minimum: rules.province_minimum,
            provinces: progress
                .provinces
                .iter()
                .map(|c| ProvinceCountJson {
                    province_code: c.province_code.clone(),
                    signatures: c.signatures,
                })
                .collect(),
            can_deposit: progress.can_deposit,
            receipt_number: p.receipt.as_ref().map(|r| r.number.clone()),
            deposited_at: p
                .receipt
                .as_ref()
                .and_then(|r| instant(r.deposited_at.as_ref())),
            answer_due_at: instant(p.answer_due_at.as_ref()),
            late: p.late,
            session: p.session.clone(),
            rejection_reasons: p.rejection_reasons.clone(),
        }
    }
}

#[derive(Serialize)]
struct SessionJson {
    id: String,
    program_id: String,
    kind: String,
    title: Localized,
    status: String,
    days: Vec<String>,
    /// Each day with its local times (`HH:MM`, empty when not set) and their instants.
    schedule: Vec<SessionDayJson>,
    /// The IANA zone the times are in.
    time_zone: String,
    province_code: String,
    online: bool,
    capacity: i32,
    confirmed: i32,
    waitlisted: i32,
    seats_left: i32,
}

impl From<&Session> for SessionJson {
    fn from(s: &Session) -> Self {
        let d = s.details.clone().unwrap_or_default();
        Self {
            id: s.session_id.clone(),
            program_id: s.program_id.clone(),
            kind: enum_code(
                SessionKind::try_from(d.kind)
                    .unwrap_or_default()
                    .as_str_name(),
                "SESSION_KIND_",
            ),
            title: localized(d.title.as_ref()),
            status: enum_code(
                SessionStatus::try_from(s.status)
                    .unwrap_or_default()
                    .as_str_name(),
                "SESSION_STATUS_",
            ),
            days: d.days.iter().filter_map(dates::date_str).collect(),
            schedule: d
                .schedule
                .iter()
                .filter_map(|day| {
                    Some(SessionDayJson {
                        date: day.date.as_ref().and_then(dates::date_str)?,
                        start: day.start.clone(),
                        end: day.end.clone(),
                        starts_at: instant(day.starts_at.as_ref()),
                        ends_at: instant(day.ends_at.as_ref()),
                    })
                })
                .collect(),
            time_zone: s.time_zone.clone(),
            province_code: d.venue.map(|v| v.province_code).unwrap_or_default(),
            online: !d.online_url.is_empty(),
            capacity: d.capacity,
            confirmed: s.confirmed_count,
            waitlisted: s.waitlisted_count,
            seats_left: (d.capacity - s.confirmed_count).max(0),
        }
    }
}

#[derive(Serialize)]
struct SessionDayJson {
    date: String,
    start: String,
    end: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
}

#[derive(Serialize)]
struct CertificateJson {
    holder_name: String,
    session_title: Localized,
    program_title: Localized,
    days: Vec<String>,
    issued_at: Option<String>,
}

/// API errors are in English-free codes with an Arabic message; clients pick the code.
pub(super) fn fail(status: tonic::Status) -> PageError {
    PageError::from_status(&status, Lang::Ar).json()
}

/// A failed lookup of the thing a URL names (a malformed id names nothing).
pub(super) fn lookup_failed(status: tonic::Status) -> PageError {
    PageError::from_lookup(&status, Lang::Ar).json()
}

pub(super) fn token(query: PageQuery) -> Result<Option<String>, PageError> {
    query.token(Lang::Ar).map_err(PageError::json)
}

/// A page of a list, as JSON.
pub(super) fn list<T: Serialize>(
    app: &AppState,
    items: Vec<T>,
    next_page_token: String,
) -> Response {
    json(
        &List {
            items,
            next_page_token,
        },
        app.public(),
    )
}

/// One thing a URL names, as JSON; 404 when the service has no such thing.
pub(super) fn one<T: Serialize>(app: &AppState, found: Option<T>) -> Result<Response, PageError> {
    let found = found.ok_or_else(|| PageError::not_found(Lang::Ar).json())?;
    Ok(json(&found, app.public()))
}

pub async fn consultations(
    State(app): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let answer = reads::consultations(&app, token(query)?)
        .await
        .map_err(fail)?;
    let items = answer
        .consultations
        .iter()
        .map(ConsultationJson::from)
        .collect();
    Ok(list(&app, items, answer.next_page_token))
}

pub async fn consultation(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let found = reads::consultation(&app, id).await.map_err(lookup_failed)?;
    one(&app, found.as_ref().map(ConsultationJson::from))
}

pub async fn petitions(
    State(app): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let answer = reads::petitions(&app, token(query)?).await.map_err(fail)?;
    let items = answer.petitions.iter().map(PetitionJson::from).collect();
    Ok(list(&app, items, answer.next_page_token))
}

pub async fn petition(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let found = reads::petition(&app, id).await.map_err(lookup_failed)?;
    one(&app, found.as_ref().map(PetitionJson::from))
}

pub async fn sessions(
    State(app): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let answer = reads::sessions(&app, token(query)?, SessionStatus::Unspecified)
        .await
        .map_err(fail)?;
    let items = answer.sessions.iter().map(SessionJson::from).collect();
    Ok(list(&app, items, answer.next_page_token))
}

pub async fn session(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let found = reads::session(&app, id).await.map_err(lookup_failed)?;
    one(&app, found.as_ref().map(SessionJson::from))
}

pub async fn certificate(
    State(app): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let not_found = || PageError::new(ErrorKind::NotFound, Lang::Ar).json();
    let code = verify::normalise_code(&code).ok_or_else(not_found)?;
    let found = verify::lookup(&app, &code, Lang::Ar)
        .await
        .map_err(PageError::json)?
        .ok_or_else(not_found)?;
    Ok(json(
        &CertificateJson {
            holder_name: found.holder_name,
            session_title: localized(found.session_title.as_ref()),
            program_title: localized(found.program_title.as_ref()),
            days: found.days.iter().filter_map(dates::date_str).collect(),
            issued_at: instant(found.issued_at.as_ref()),
        },
        CachePolicy::NoStore,
    ))
}

pub async fn openapi(State(app): State<AppState>) -> Response {
    crate::page::with_policy(
        ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response(),
        app.public(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_rfc3339_utc() {
        let t = dates::timestamp(1_764_460_800_000 + 3_723_000);
        assert_eq!(instant(Some(&t)).as_deref(), Some("2025-11-30T01:02:03Z"));
        assert_eq!(instant(None), None);
    }
}
