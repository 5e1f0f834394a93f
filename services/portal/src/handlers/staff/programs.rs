//! The programs desk: training's programs, newest first, and a new program (its title and
//! objectives in Arabic and French, who it is for, the commitment milestone it serves, chosen
//! among reporting's, and its provinces). Sessions are then scheduled under it on the sessions
//! desk. The training service checks every field with the person's own token.

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
    reporting::ListCommitmentsRequest,
    training::{Audience, CreateProgramRequest, ListProgramsRequest, Program},
};

use super::{Staff, StaffNav, consultations, frame};
use crate::{
    error::PageError,
    form::{FormErrors, idempotency_key, posted_key},
    handlers::{AppState, Listing, PageQuery, lang_of, next_link},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, Text, province_choices, province_name},
};

/// The programs desk's pages, under `/{lang}/staff/programs`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/programs", get(list).post(create))
        .route("/{lang}/staff/programs/new", get(new_form))
}

/// Who a program is for, as the form names it.
const AUDIENCES: &[(&str, Audience)] = &[
    ("instance_members", Audience::InstanceMembers),
    ("associations", Audience::Associations),
    ("youth", Audience::Youth),
    ("women", Audience::Women),
    ("staff", Audience::Staff),
    ("public", Audience::Public),
];

fn audience_code(value: i32) -> &'static str {
    AUDIENCES
        .iter()
        .find(|(_, a)| *a as i32 == value)
        .map_or("unspecified", |(code, _)| code)
}

/// A program as the desk lists it.
pub struct ProgramRow {
    pub title: Text,
    pub objectives: Text,
    pub audiences: String,
    pub milestone: String,
    pub provinces: String,
    pub created: String,
}

impl ProgramRow {
    fn of(p: &Program, tr: Tr, state: &AppState) -> Self {
        let audiences: Vec<String> = p
            .audiences
            .iter()
            .map(|a| tr.t(&format!("staff-program-audience-{}", audience_code(*a))))
            .collect();
        let provinces: Vec<String> = p
            .province_codes
            .iter()
            .map(|c| province_name(&state.region, c, tr.lang))
            .collect();
        Self {
            title: Text::of(p.title.as_ref(), tr.lang),
            objectives: Text::of(p.objectives.as_ref(), tr.lang),
            audiences: tr.join(&audiences),
            milestone: p.milestone_ref.clone(),
            provinces: if provinces.is_empty() {
                tr.t("staff-program-whole-region")
            } else {
                tr.join(&provinces)
            },
            created: tr.timestamp_date(p.created_at.as_ref()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    /// `created` after a program was created.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_programs.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    programs: Vec<ProgramRow>,
    listing: Listing,
    notice: Option<String>,
}

/// The programs, the most recent first.
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
        .training()
        .list_programs(as_person(
            &staff.session,
            ListProgramsRequest {
                page: state.page(token),
                ..Default::default()
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/staff/programs", lang.code());
    let page = ListPage {
        frame: frame(lang, "staff-programs-title", "staff/programs"),
        nav: StaffNav::new(lang, "programs"),
        programs: answer
            .programs
            .iter()
            .map(|p| ProgramRow::of(p, tr, &state))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
        notice: (query.done.as_deref() == Some("created"))
            .then(|| tr.t("staff-program-done-created")),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// The program form as posted: the ticked audiences and provinces repeat their names.
#[derive(Debug, Default, Deserialize)]
pub struct ProgramForm {
    #[serde(default)]
    title_ar: String,
    #[serde(default)]
    title_fr: String,
    #[serde(default)]
    objectives_ar: String,
    #[serde(default)]
    objectives_fr: String,
    #[serde(default)]
    audience: Vec<String>,
    #[serde(default)]
    milestone: String,
    #[serde(default)]
    province: Vec<String>,
    /// Made when the form is shown; kept when it is shown again with errors.
    #[serde(default)]
    key: String,
}

#[derive(Template)]
#[template(path = "staff_program_form.html")]
struct FormPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    form: ProgramForm,
    audiences: Vec<Choice>,
    milestones: Vec<Choice>,
    provinces: Vec<Choice>,
    errors: FormErrors,
}

/// Reporting's commitment milestones, each labelled with its code and title.
async fn milestone_choices(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    selected: &str,
) -> Result<Vec<Choice>, PageError> {
    let answer = state
        .services
        .reporting()
        .list_commitments(as_person(&staff.session, ListCommitmentsRequest {}))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    Ok(answer
        .commitments
        .iter()
        .flat_map(|c| &c.milestones)
        .map(|m| Choice {
            value: m.milestone_id.clone(),
            label: format!(
                "{} · {}",
                m.milestone_id,
                Text::of(m.title.as_ref(), lang).text
            ),
            selected: m.milestone_id == selected,
        })
        .collect())
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    mut form: ProgramForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    if form.key.is_empty() {
        form.key = idempotency_key();
    }
    let tr = Tr::new(lang);
    let milestones = milestone_choices(state, staff, lang, &form.milestone).await?;
    let audiences = AUDIENCES
        .iter()
        .map(|(code, _)| Choice {
            value: code.to_string(),
            label: tr.t(&format!("staff-program-audience-{code}")),
            selected: form.audience.iter().any(|a| a == code),
        })
        .collect();
    let provinces = province_choices(&state.region, lang, "")
        .into_iter()
        .map(|c| Choice {
            selected: form.province.contains(&c.value),
            ..c
        })
        .collect();
    let status = errors.status();
    let page = FormPage {
        frame: frame(lang, "staff-program-new-title", "staff/programs/new").with_errors(&errors),
        nav: StaffNav::new(lang, "programs"),
        csrf: staff.visitor.form_token(),
        form,
        audiences,
        milestones,
        provinces,
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
    form_page(
        &state,
        &staff,
        lang,
        ProgramForm::default(),
        FormErrors::new(),
    )
    .await
}

/// The service's field names on the program form.
const PROGRAM_FIELDS: &[(&str, &str)] = &[
    ("title.ar", "title_ar"),
    ("title.fr", "title_fr"),
    ("title.en", "title_fr"),
    ("objectives.ar", "objectives_ar"),
    ("objectives.fr", "objectives_fr"),
    ("objectives.en", "objectives_fr"),
    ("audiences", "audience"),
    ("milestone_ref", "milestone"),
    ("province_codes", "province"),
];

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    posted: Posted<ProgramForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    for (field, value) in [
        ("title_ar", &form.title_ar),
        ("title_fr", &form.title_fr),
        ("objectives_ar", &form.objectives_ar),
        ("objectives_fr", &form.objectives_fr),
        ("milestone", &form.milestone),
    ] {
        errors.require(tr, "staff-program", field, value);
    }
    if form.audience.is_empty() {
        errors.field("audience", tr.t("staff-program-audience-missing"));
    }
    if errors.has_errors() {
        return form_page(&state, &staff, lang, form, errors).await;
    }
    // An audience the form does not offer is sent as unspecified, for the service to refuse.
    let audiences = form
        .audience
        .iter()
        .map(|a| {
            AUDIENCES
                .iter()
                .find(|(code, _)| code == a)
                .map_or(Audience::Unspecified as i32, |(_, v)| *v as i32)
        })
        .collect();
    let request = CreateProgramRequest {
        title: consultations::text(&form.title_ar, &form.title_fr),
        objectives: consultations::text(&form.objectives_ar, &form.objectives_fr),
        audiences,
        milestone_ref: form.milestone.trim().to_string(),
        province_codes: form.province.clone(),
        idempotency_key: posted_key(&form.key),
    };
    match state
        .services
        .training()
        .create_program(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/{}/staff/programs?done=created", lang.code())).into_response(),
        ),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "staff-program", PROGRAM_FIELDS)?;
            form_page(&state, &staff, lang, form, errors).await
        }
    }
}
