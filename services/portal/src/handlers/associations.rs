//! A signed-in person's associations: registering one (the person becomes its first
//! representative, and council staff verify it), and where each of theirs stands.

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use tachawor_proto::{
    common::{Date, LocalizedText},
    identity::{AssociationStatus, CreateAssociationRequest},
};

use super::{
    AppState, lang_of,
    petition_forms::{SUBJECTS, my_associations, subject_choices},
};
use crate::{
    error::PageError,
    form::FormErrors,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
    view::{Choice, Text, enum_code, province_choices, province_name},
};

const FORM: &str = "association-new";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/associations", get(list))
        .route("/{lang}/associations/new", get(new_form).post(create))
}

pub struct AssociationRow {
    pub name: Text,
    pub registration_number: String,
    pub province: String,
    pub founded_on: String,
    pub fields: String,
    pub status: String,
    pub status_label: String,
    pub status_help: String,
    /// Imported from the council's records rather than registered here.
    pub recorded_after_the_fact: bool,
}

#[derive(Template)]
#[template(path = "associations.html")]
struct ListPage {
    frame: Frame,
    associations: Vec<AssociationRow>,
    registered: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    registered: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let associations = my_associations(&state, &person, lang)
        .await?
        .iter()
        .map(|a| {
            let status = enum_code(
                AssociationStatus::try_from(a.status)
                    .unwrap_or_default()
                    .as_str_name(),
                "ASSOCIATION_STATUS_",
            );
            let fields: Vec<String> = a
                .fields_of_activity
                .iter()
                .map(|f| {
                    if SUBJECTS.contains(&f.as_str()) {
                        tr.t(&format!("petition-form-subject-{f}"))
                    } else {
                        f.clone()
                    }
                })
                .collect();
            AssociationRow {
                name: Text::of(a.name.as_ref(), lang),
                registration_number: a.registration_number.clone(),
                province: province_name(&state.region, &a.province_code, lang),
                founded_on: a
                    .founded_on
                    .as_ref()
                    .map(|d| tr.date(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)))
                    .unwrap_or_default(),
                fields: tr.join(&fields),
                status_label: tr.t(&format!("association-status-{status}")),
                status_help: tr.t(&format!("association-status-{status}-help")),
                status,
                recorded_after_the_fact: a.recorded_after_the_fact,
            }
        })
        .collect();
    let page = ListPage {
        frame: Frame::new(
            lang,
            tr.t("association-list-title"),
            Section::Account,
            "associations",
        ),
        associations,
        registered: query.registered.is_some(),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

#[derive(Debug, Default, Deserialize)]
pub struct NewAssociationForm {
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    name_fr: String,
    #[serde(default)]
    registration_number: String,
    #[serde(default)]
    founded_on: String,
    #[serde(default)]
    province_code: String,
    #[serde(default)]
    fields_of_activity: Vec<String>,
}

#[derive(Template)]
#[template(path = "association_new.html")]
struct NewPage {
    frame: Frame,
    csrf: String,
    form: NewAssociationForm,
    errors: FormErrors,
    provinces: Vec<Choice>,
    fields: Vec<Choice>,
}

fn new_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    form: NewAssociationForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let frame = Frame::new(
        lang,
        tr.t("association-new-title"),
        Section::Account,
        "associations/new",
    )
    .with_errors(&errors);
    let status = errors.status();
    let provinces = province_choices(&state.region, lang, &form.province_code);
    let page = NewPage {
        frame,
        csrf: person.visitor.form_token(),
        fields: subject_choices(tr, &form.fields_of_activity),
        provinces,
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn new_form(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    new_page(
        &state,
        &person,
        lang,
        NewAssociationForm::default(),
        FormErrors::new(),
    )
}

/// `YYYY-MM-DD`, as a date input sends it.
fn parse_date(value: &str) -> Option<Date> {
    let mut parts = value.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: i32 = parts.next()?.parse().ok()?;
    let day: i32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
}

async fn create(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<NewAssociationForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors
        .require(tr, FORM, "name_ar", &form.name_ar)
        .require(tr, FORM, "name_fr", &form.name_fr)
        .require(tr, FORM, "registration_number", &form.registration_number)
        .require(tr, FORM, "founded_on", &form.founded_on);
    let founded_on = parse_date(&form.founded_on);
    if !form.founded_on.trim().is_empty() && founded_on.is_none() {
        errors.field("founded_on", tr.t("association-new-founded_on-invalid"));
    }
    if !state.region.has_province(&form.province_code) {
        errors.require(tr, FORM, "province_code", "");
    }
    if form.fields_of_activity.is_empty()
        || form
            .fields_of_activity
            .iter()
            .any(|f| !SUBJECTS.contains(&f.as_str()))
    {
        errors.require(tr, FORM, "fields_of_activity", "");
    }
    if errors.has_errors() {
        return new_page(&state, &person, lang, form, errors);
    }
    let request = CreateAssociationRequest {
        name: Some(LocalizedText {
            ar: form.name_ar.trim().to_string(),
            fr: form.name_fr.trim().to_string(),
            en: String::new(),
        }),
        registration_number: form.registration_number.trim().to_string(),
        founded_on,
        province_code: form.province_code.clone(),
        fields_of_activity: form.fields_of_activity.clone(),
    };
    match state
        .services
        .identity()
        .create_association(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/{}/associations?registered=1", lang.code())).into_response(),
        ),
        Err(status) => {
            let errors = FormErrors::from_status(
                &status,
                tr,
                FORM,
                &[("name.ar", "name_ar"), ("name.fr", "name_fr")],
            )?;
            new_page(&state, &person, lang, form, errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_a_date_input() {
        assert_eq!(
            parse_date("2015-03-09"),
            Some(Date {
                year: 2015,
                month: 3,
                day: 9
            })
        );
        for bad in ["", "2015-13-01", "09/03/2015", "2015-03"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
