//! The sessions desk: the sessions with their registrations (CSV), the venue's screen showing
//! the day's check-in code in large digits and as a QR code, and marking a session held.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::training::{
    ExportRegistrationsRequest, GetSessionRequest, IssueCheckInCodeRequest, ListSessionsRequest,
    MarkSessionHeldRequest, Session, SessionStatus,
};

use super::{NoFields, Staff, StaffNav, frame};
use crate::{
    error::PageError,
    handlers::{
        AppState, Listing, PageQuery, lang_of, next_link, training_forms::is_check_in_code,
    },
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html, with_policy},
    person::Posted,
    services::as_person,
    view::SessionCard,
};

/// A session as the desk lists it.
pub struct SessionRow {
    pub card: SessionCard,
    /// Scheduled sessions are checked in and marked held.
    pub scheduled: bool,
    /// Held sessions have their certificates issued.
    pub held: bool,
    /// "12 confirmed, 3 on the waiting list".
    pub registrations: String,
}

impl SessionRow {
    fn of(s: &Session, tr: Tr, state: &AppState) -> Self {
        Self {
            card: SessionCard::of(s, tr, &state.region),
            scheduled: s.status == SessionStatus::Scheduled as i32,
            held: s.status == SessionStatus::Held as i32,
            registrations: tr.with(
                "staff-sessions-registrations",
                &[
                    (
                        "confirmed",
                        tr.count("staff-sessions-confirmed", i64::from(s.confirmed_count)),
                    ),
                    (
                        "waitlisted",
                        tr.count("staff-sessions-waitlisted", i64::from(s.waitlisted_count)),
                    ),
                ],
            ),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    /// `held` after a session was marked held.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_sessions.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    sessions: Vec<SessionRow>,
    listing: Listing,
    notice: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let request = ListSessionsRequest {
        page: state.page(token),
        ..Default::default()
    };
    let answer = state
        .services
        .training()
        .list_sessions(as_person(&staff.session, request))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/staff/sessions", lang.code());
    let page = ListPage {
        frame: frame(lang, "staff-sessions-title", "staff/sessions"),
        nav: StaffNav::new(lang, "sessions"),
        csrf: staff.visitor.form_token(),
        sessions: answer
            .sessions
            .iter()
            .map(|s| SessionRow::of(s, tr, &state))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
        notice: match query.done.as_deref() {
            Some("held") => Some(tr.t("staff-sessions-held")),
            Some(done @ ("scheduled" | "saved" | "cancelled")) => {
                Some(tr.t(&format!("staff-session-done-{done}")))
            }
            Some("refused") => Some(tr.t("staff-refused")),
            _ => None,
        },
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

pub async fn session_of(
    state: &AppState,
    staff: &Staff,
    id: &str,
    lang: Lang,
) -> Result<Session, PageError> {
    state
        .services
        .training()
        .get_session(as_person(
            &staff.session,
            GetSessionRequest {
                session_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .session
        .ok_or_else(|| PageError::not_found(lang))
}

// ---- The venue's screen -------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ScreenQuery {
    /// The code just issued, shown until the screen is left.
    #[serde(default)]
    code: String,
    /// `refused` when training refused to issue a code.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_screen.html")]
struct ScreenPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    session_id: String,
    card: SessionCard,
    /// The day's code, when one was just issued.
    code: String,
    /// The check-in page's address with the code filled in, and its QR code.
    check_in_url: String,
    qr: String,
    notice: Option<String>,
}

/// Where a refused action leads: back to `page` saying it is not possible now (a rule of
/// training's, such as no day of the session today), or an error page.
fn refused(status: tonic::Status, lang: Lang, page: &str) -> Result<String, PageError> {
    if status.code() == tonic::Code::FailedPrecondition {
        Ok(format!("{page}?done=refused"))
    } else {
        Err(PageError::from_lookup(&status, lang))
    }
}

pub async fn screen(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<ScreenQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let session = session_of(&state, &staff, &id, lang).await?;
    let card = SessionCard::of(&session, tr, &state.region);
    let code = if is_check_in_code(&query.code) {
        query.code
    } else {
        String::new()
    };
    let check_in_url = if code.is_empty() {
        String::new()
    } else {
        format!(
            "{}/{}/training/sessions/{}/check-in?code={code}",
            state.settings.server.public_url.trim_end_matches('/'),
            lang.code(),
            session.session_id
        )
    };
    let qr = if code.is_empty() {
        String::new()
    } else {
        crate::qr::svg(&check_in_url, &tr.t("staff-screen-qr-label")).map_err(|e| {
            tracing::error!(error = %e, "the check-in QR code could not be drawn");
            PageError::internal(lang)
        })?
    };
    let rest = format!("staff/sessions/{}/screen", session.session_id);
    let page = ScreenPage {
        frame: frame(lang, "staff-screen-title", &rest),
        nav: StaffNav::new(lang, "sessions"),
        csrf: staff.visitor.form_token(),
        session_id: session.session_id,
        card,
        code,
        check_in_url,
        qr,
        notice: (query.done.as_deref() == Some("refused")).then(|| tr.t("staff-refused")),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// Issues the day's code, then shows it on the screen (POST, then redirect, then GET).
pub async fn issue_code(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let issued = state
        .services
        .training()
        .issue_check_in_code(as_person(
            &staff.session,
            IssueCheckInCodeRequest {
                session_id: id.clone(),
            },
        ))
        .await;
    let screen = format!(
        "/{}/staff/sessions/{}/screen",
        lang.code(),
        crate::handlers::encode_query(&id)
    );
    let to = match issued {
        Ok(issued) => format!(
            "{screen}?code={}",
            crate::handlers::encode_query(&issued.into_inner().code)
        ),
        Err(status) => refused(status, lang, &screen)?,
    };
    Ok(Redirect::to(&to).into_response())
}

/// The session's registrations as the CSV training writes.
pub async fn registrations_csv(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let csv = state
        .services
        .training()
        .export_registrations(as_person(
            &staff.session,
            ExportRegistrationsRequest {
                session_id: id.clone(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .csv;
    // Session ids are UUIDs (training refuses any other); the name stays a plain token.
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
                    format!("attachment; filename=\"registrations-{name}.csv\""),
                ),
            ],
            csv,
        )
            .into_response(),
        CachePolicy::NoStore,
    ))
}

/// Marks a session held, which lets its attendees have their certificates.
pub async fn mark_held(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let held = state
        .services
        .training()
        .mark_session_held(as_person(
            &staff.session,
            MarkSessionHeldRequest { session_id: id },
        ))
        .await;
    let list = format!("/{}/staff/sessions", lang.code());
    let to = match held {
        Ok(_) => format!("{list}?done=held"),
        Err(status) => refused(status, lang, &list)?,
    };
    Ok(Redirect::to(&to).into_response())
}
