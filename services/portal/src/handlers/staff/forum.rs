//! The Regional Forum's desk: its editions, newest first, and a new edition (its title in
//! Arabic and French, its year and its dates). An edition's themes, workshops and
//! recommendations are added on its page (`forum_edition`); the council's answers to the
//! recommendations are on the answers desk. The consultation service checks every field with
//! the person's own token.

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::{
    common::Date,
    consultation::{CreateForumEditionRequest, ForumEdition, ListForumEditionsRequest},
    dates,
};

use super::{Staff, StaffNav, consultations, forum_edition, forum_items, frame};
use crate::{
    error::PageError,
    form::{FormErrors, idempotency_key, posted_key},
    handlers::{AppState, Listing, PageQuery, lang_of, next_link},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::Text,
};

/// The Forum desk's pages, under `/{lang}/staff/forum`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/forum", get(list).post(create))
        .route("/{lang}/staff/forum/new", get(new_form))
        .route("/{lang}/staff/forum/{id}", get(forum_edition::page))
        .route(
            "/{lang}/staff/forum/{id}/themes",
            post(forum_edition::add_theme),
        )
        .route(
            "/{lang}/staff/forum/{id}/workshops",
            post(forum_edition::add_workshop),
        )
        .route(
            "/{lang}/staff/forum/{id}/recommendations",
            post(forum_edition::add_recommendation),
        )
        .route(
            "/{lang}/staff/forum/{id}/themes/{theme}",
            get(forum_items::theme_form).post(forum_items::save_theme),
        )
        .route(
            "/{lang}/staff/forum/{id}/workshops/{workshop}",
            get(forum_items::workshop_form).post(forum_items::save_workshop),
        )
}

/// An edition as the desk lists it.
pub struct EditionRow {
    pub id: String,
    pub title: Text,
    pub year: i32,
    /// "10 décembre 2026 – 12 décembre 2026".
    pub dates: String,
}

impl EditionRow {
    pub fn of(e: &ForumEdition, tr: Tr) -> Self {
        Self {
            id: e.edition_id.clone(),
            title: Text::of(e.title.as_ref(), tr.lang),
            year: e.year,
            dates: edition_dates(e, tr),
        }
    }
}

/// The edition's first and last day, as the language writes dates.
pub fn edition_dates(e: &ForumEdition, tr: Tr) -> String {
    let day = |d: Option<&Date>| d.and_then(dates::date_str).map(|d| tr.date(&d));
    match (day(e.starts_on.as_ref()), day(e.ends_on.as_ref())) {
        (Some(from), Some(to)) if from == to => from,
        (Some(from), Some(to)) => tr.with("staff-forum-dates", &[("from", from), ("to", to)]),
        _ => String::new(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_forum.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    editions: Vec<EditionRow>,
    listing: Listing,
}

/// The editions, the latest year first.
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
    let answer = state
        .services
        .consultation()
        .list_forum_editions(as_person(
            &staff.session,
            ListForumEditionsRequest {
                page: state.page(token),
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/staff/forum", lang.code());
    let page = ListPage {
        frame: frame(lang, "staff-forum-title", "staff/forum"),
        nav: StaffNav::new(lang, "forum"),
        editions: answer
            .editions
            .iter()
            .map(|e| EditionRow::of(e, tr))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// The new edition's form as posted; dates as `date` inputs send them (`YYYY-MM-DD`).
#[derive(Debug, Default, Deserialize)]
pub struct EditionForm {
    #[serde(default)]
    title_ar: String,
    #[serde(default)]
    title_fr: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    /// Made when the form is shown; kept when it is shown again with errors.
    #[serde(default)]
    key: String,
}

#[derive(Template)]
#[template(path = "staff_forum_new.html")]
struct FormPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    form: EditionForm,
    errors: FormErrors,
}

fn form_page(
    staff: &Staff,
    lang: Lang,
    mut form: EditionForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    if form.key.is_empty() {
        form.key = idempotency_key();
    }
    let status = errors.status();
    let page = FormPage {
        frame: frame(lang, "staff-forum-new-title", "staff/forum/new").with_errors(&errors),
        nav: StaffNav::new(lang, "forum"),
        csrf: staff.visitor.form_token(),
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn new_form(Path(lang): Path<String>, staff: Staff) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    form_page(&staff, lang, EditionForm::default(), FormErrors::new())
}

/// The service's field names on the edition form.
const EDITION_FIELDS: &[(&str, &str)] = &[
    ("title.ar", "title_ar"),
    ("title.fr", "title_fr"),
    ("title.en", "title_fr"),
];

/// A date typed in a `date` input, or the message beside its field.
pub fn typed_date(
    errors: &mut FormErrors,
    tr: Tr,
    form: &str,
    field: &str,
    value: &str,
) -> Option<Date> {
    errors.require(tr, form, field, value);
    let parsed = dates::date_from_str(value.trim()).filter(|d| dates::date_str(d).is_some());
    if parsed.is_none() && !value.trim().is_empty() {
        errors.field(field, tr.t(&format!("{form}-{field}-invalid")));
    }
    parsed
}

/// Creates the edition and opens its page, where its themes and workshops are added.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    posted: Posted<EditionForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors
        .require(tr, "staff-forum", "title_ar", &form.title_ar)
        .require(tr, "staff-forum", "title_fr", &form.title_fr)
        .require(tr, "staff-forum", "year", &form.year);
    let year = form.year.trim().parse::<i32>().ok();
    if year.is_none() && !form.year.trim().is_empty() {
        errors.field("year", tr.t("staff-forum-year-invalid"));
    }
    let starts_on = typed_date(&mut errors, tr, "staff-forum", "starts_on", &form.starts_on);
    let ends_on = typed_date(&mut errors, tr, "staff-forum", "ends_on", &form.ends_on);
    if errors.has_errors() {
        return form_page(&staff, lang, form, errors);
    }
    let request = CreateForumEditionRequest {
        year: year.unwrap_or_default(),
        title: consultations::text(&form.title_ar, &form.title_fr),
        starts_on,
        ends_on,
        idempotency_key: posted_key(&form.key),
    };
    match state
        .services
        .consultation()
        .create_forum_edition(as_person(&staff.session, request))
        .await
    {
        Ok(created) => {
            let id = created
                .into_inner()
                .edition
                .map(|e| e.edition_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!(
                "/{}/staff/forum/{}?done=created",
                lang.code(),
                crate::handlers::encode_query(&id)
            ))
            .into_response())
        }
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "staff-forum", EDITION_FIELDS)?;
            form_page(&staff, lang, form, errors)
        }
    }
}
