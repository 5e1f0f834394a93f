//! The staff check-in list: a session's confirmed registrations, each checked in for today by
//! staff (someone without a phone, or whose code failed). Training records who did it.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    dates,
    training::{CheckInRequest, ListRegistrationsRequest, Registration, RegistrationStatus},
};

use super::{Staff, StaffNav, frame, sessions::session_of};
use crate::{
    error::PageError,
    form,
    handlers::{AppState, Listing, PageQuery, encode_query, lang_of, next_link},
    i18n::{Tr, number},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::Text,
};

/// A registration as the list shows it: identity keeps names, training only the account.
pub struct RegistrantRow {
    pub id: String,
    /// "No. 3": the arrival order, as on the CSV export, which names each person.
    pub arrival: String,
    pub attended_today: bool,
    pub attended: String,
    /// The key this row's form carries, so a double click checks in once.
    pub key: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    /// `checked-in` or `refused` after an action.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_check_in.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    session_id: String,
    title: Text,
    today: String,
    registrants: Vec<RegistrantRow>,
    listing: Listing,
    notice: Option<String>,
}

/// Today in the session's zone (the region's), as training counts days.
fn today_of(time_zone: &str) -> String {
    let now = crate::handlers::now_millis();
    tachawor_region::Zone::named(time_zone)
        .map(|z| z.date_of(now))
        .unwrap_or_else(|_| dates::date_of_millis(now))
}

pub async fn list(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let session = session_of(&state, &staff, &id, lang).await?;
    let today = today_of(&session.time_zone);
    let answer = state
        .services
        .training()
        .list_registrations(as_person(
            &staff.session,
            ListRegistrationsRequest {
                session_id: session.session_id.clone(),
                status: RegistrationStatus::Confirmed as i32,
                page: state.page(token),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner();
    let row = |r: &Registration| RegistrantRow {
        id: r.registration_id.clone(),
        arrival: tr.with("staff-check-in-arrival", &[("n", number(r.arrival))]),
        attended_today: r
            .attended_days
            .iter()
            .any(|d| dates::date_str(d).as_deref() == Some(today.as_str())),
        attended: tr.count(
            "staff-check-in-days",
            i64::try_from(r.attended_days.len()).unwrap_or(i64::MAX),
        ),
        key: form::idempotency_key(),
    };
    let rest = format!("staff/sessions/{}/check-in", session.session_id);
    let base = format!("/{}/{rest}", lang.code());
    let page = ListPage {
        frame: frame(lang, "staff-check-in-title", &rest),
        nav: StaffNav::new(lang, "sessions"),
        csrf: staff.visitor.form_token(),
        title: Text::of(
            session.details.as_ref().and_then(|d| d.title.as_ref()),
            lang,
        ),
        session_id: session.session_id.clone(),
        today: tr.date(&today),
        registrants: answer.registrations.iter().map(row).collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
        notice: match query.done.as_deref() {
            Some("checked-in") => Some(tr.t("staff-check-in-done")),
            Some("refused") => Some(tr.t("staff-refused")),
            _ => None,
        },
    };
    html(
        &page,
        axum::http::StatusCode::OK,
        CachePolicy::NoStore,
        lang,
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    key: String,
}

/// Checks one registrant in for today, then back to the list.
pub async fn check_in(
    State(state): State<AppState>,
    Path((_, id, registration)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<CheckInForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let session = session_of(&state, &staff, &id, lang).await?;
    let day = dates::date_from_str(&today_of(&session.time_zone));
    let request = CheckInRequest {
        registration_id: registration,
        day,
        idempotency_key: form::posted_key(&posted.form.key),
    };
    let list = format!(
        "/{}/staff/sessions/{}/check-in",
        lang.code(),
        encode_query(&session.session_id)
    );
    let to = match state
        .services
        .training()
        .check_in(as_person(&staff.session, request))
        .await
    {
        Ok(_) => format!("{list}?done=checked-in"),
        Err(status) if status.code() == tonic::Code::FailedPrecondition => {
            format!("{list}?done=refused")
        }
        Err(status) => return Err(PageError::from_lookup(&status, lang)),
    };
    Ok(Redirect::to(&to).into_response())
}
