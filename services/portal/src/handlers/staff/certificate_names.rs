//! The certificate names desk: the names unverified participants asked to have printed,
//! awaiting approval, oldest first, each with its session; staff approve one as asked or
//! corrected. The training service checks each approval with the person's own token. Names are
//! personal data: shown here to staff only, never logged.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::training::{
    ApproveCertificateNameRequest, Certificate, ListPendingCertificateNamesRequest,
};

use super::{
    Staff, StaffNav, frame,
    item_form::{self, ItemField, Sent},
};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, Listing, PageQuery, lang_of, next_link, reads},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::Text,
};

/// The certificate names desk's pages, under `/{lang}/staff/certificate-names`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/certificate-names", get(list))
        .route(
            "/{lang}/staff/certificate-names/{id}/approve",
            post(approve),
        )
}

/// A name awaiting approval as the desk shows it.
pub struct NameRow {
    pub id: String,
    /// The name as asked for, or as typed in a refused attempt.
    pub name: String,
    pub session: Text,
    pub issued: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    /// `approved` or `refused` after an action.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_certificate_names.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    names: Vec<NameRow>,
    listing: Listing,
    notice: Option<String>,
    errors: FormErrors,
}

/// The name typed for one certificate, and the errors of that attempt.
#[derive(Default)]
struct Attempt {
    certificate_id: String,
    name: String,
    errors: FormErrors,
}

/// The titles of the sessions `certificates` were issued for, read once each.
async fn session_titles(
    state: &AppState,
    lang: Lang,
    certificates: &[Certificate],
) -> Result<HashMap<String, Text>, PageError> {
    let mut ids: Vec<String> = certificates.iter().map(|c| c.session_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let read = futures::future::join_all(ids.iter().cloned().map(|id| reads::session(state, id)));
    let mut titles = HashMap::new();
    for (id, session) in ids.into_iter().zip(read.await) {
        let session = session.map_err(|s| PageError::from_status(&s, lang))?;
        let title = session
            .and_then(|s| s.details)
            .and_then(|d| d.title)
            .map(|t| Text::of(Some(&t), lang))
            .unwrap_or_default();
        titles.insert(id, title);
    }
    Ok(titles)
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    query: ListQuery,
    attempt: Attempt,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let answer = state
        .services
        .training()
        .list_pending_certificate_names(as_person(
            &staff.session,
            ListPendingCertificateNamesRequest {
                page: state.page(token),
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let titles = session_titles(state, lang, &answer.certificates).await?;
    let names = answer
        .certificates
        .iter()
        .map(|c| NameRow {
            id: c.certificate_id.clone(),
            name: if c.certificate_id == attempt.certificate_id {
                attempt.name.clone()
            } else {
                c.holder_name.clone()
            },
            session: titles.get(&c.session_id).cloned().unwrap_or_default(),
            issued: tr.timestamp_date(c.issued_at.as_ref()),
        })
        .collect();
    let notice = match query.done.as_deref() {
        Some("approved") => Some(tr.t("staff-names-done-approved")),
        Some("refused") => Some(tr.t("staff-names-refused")),
        _ => None,
    };
    let base = format!("/{}/staff/certificate-names", lang.code());
    let status = attempt.errors.status();
    let page = ListPage {
        frame: frame(lang, "staff-names-title", "staff/certificate-names")
            .with_errors(&attempt.errors),
        nav: StaffNav::new(lang, "certificate-names"),
        csrf: staff.visitor.form_token(),
        names,
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
        notice,
        errors: attempt.errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    list_page(&state, &staff, lang, query, Attempt::default()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    holder_name: String,
}

/// Approves the name as typed beside it (the name asked for, or a correction); an empty name
/// is refused here, as the printed name must say something.
pub async fn approve(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<ApproveForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let request = ApproveCertificateNameRequest {
        certificate_id: id.clone(),
        holder_name: form.holder_name.trim().to_string(),
    };
    let mut client = state.services.training();
    let call = client.approve_certificate_name(as_person(&staff.session, request));
    let field = ItemField {
        id: &format!("name-{id}"),
        typed: &form.holder_name,
        service: "holder_name",
        missing: "staff-names-name-missing",
        invalid: "staff-names-name-invalid",
    };
    let errors = match item_form::send(Tr::new(lang), "staff-names", field, call).await? {
        Sent::Done => return Ok(back(lang, "approved")),
        // Approved meanwhile, or the holder's account deleted: nothing left to approve.
        Sent::Refused => return Ok(back(lang, "refused")),
        Sent::Errors(errors) => errors,
    };
    let attempt = Attempt {
        certificate_id: id,
        name: form.holder_name,
        errors,
    };
    list_page(&state, &staff, lang, ListQuery::default(), attempt).await
}

fn back(lang: Lang, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/staff/certificate-names?done={done}",
        lang.code()
    ))
    .into_response()
}
