//! A Forum edition's page on the Forum desk: its themes and their workshops (with the training
//! session hosting each, its contributions and its recommendations), and three forms: a theme,
//! a workshop (its session chosen among training's forum sessions) and a workshop's
//! recommendation. Each form's fields have their own ids, so a refusal is shown beside the
//! field of the form that was sent.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    consultation::{AddForumRecommendationRequest, AddForumThemeRequest, AddForumWorkshopRequest},
    dates,
    training::{ListSessionsRequest, Session, SessionKind},
};

use super::{
    Staff, StaffNav, consultations, forum::edition_dates, frame, recommendations, whole::read_whole,
};
use crate::{
    error::PageError,
    form::{FormErrors, idempotency_key, posted_key},
    handlers::{AppState, encode_query, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, Text, province_choices, province_name},
};

/// The message prefix of the edition page's forms.
const FORM: &str = "staff-forum";

/// A workshop as the edition's page shows it.
pub struct WorkshopRow {
    pub id: String,
    pub title: Text,
    pub province: String,
    /// The hosting session's title, or empty.
    pub session: String,
    pub contributions: String,
    pub recommendations: Vec<recommendations::RecommendationRow>,
}

pub struct ThemeRow {
    pub id: String,
    pub title: Text,
    pub workshops: Vec<WorkshopRow>,
}

/// Everything typed on the page's three forms; only the form sent has anything.
#[derive(Debug, Default, Deserialize)]
pub struct EditionForms {
    #[serde(default)]
    theme_title_ar: String,
    #[serde(default)]
    theme_title_fr: String,
    #[serde(default)]
    workshop_theme: String,
    #[serde(default)]
    workshop_title_ar: String,
    #[serde(default)]
    workshop_title_fr: String,
    #[serde(default)]
    workshop_province: String,
    #[serde(default)]
    workshop_session: String,
    #[serde(default)]
    recommendation_workshop: String,
    #[serde(default)]
    recommendation_text: String,
    /// Made when the page is shown, carried by each of its forms (the three add different
    /// things, so one key serves them); kept when the page is shown again with errors.
    #[serde(default)]
    key: String,
}

impl EditionForms {
    /// The value typed in the page's field `field`.
    fn value(&self, field: &str) -> &str {
        match field {
            "theme_title_ar" => &self.theme_title_ar,
            "theme_title_fr" => &self.theme_title_fr,
            "workshop_theme" => &self.workshop_theme,
            "workshop_title_ar" => &self.workshop_title_ar,
            "workshop_title_fr" => &self.workshop_title_fr,
            "workshop_province" => &self.workshop_province,
            "workshop_session" => &self.workshop_session,
            "recommendation_workshop" => &self.recommendation_workshop,
            "recommendation_text" => &self.recommendation_text,
            _ => "",
        }
    }
}

#[derive(Template)]
#[template(path = "staff_forum_edition.html")]
struct EditionPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    id: String,
    title: Text,
    year: i32,
    dates: String,
    themes: Vec<ThemeRow>,
    theme_choices: Vec<Choice>,
    workshop_choices: Vec<Choice>,
    provinces: Vec<Choice>,
    sessions: Vec<Choice>,
    form: EditionForms,
    notice: Option<String>,
    errors: FormErrors,
}

/// A forum session's label in a list: its title and first day.
fn session_label(s: &Session, tr: Tr) -> String {
    let details = s.details.clone().unwrap_or_default();
    let title = Text::of(details.title.as_ref(), tr.lang).text;
    match details.days.first().and_then(dates::date_str) {
        Some(day) => format!("{title} · {}", tr.date(&day)),
        None => title,
    }
}

/// Training's sessions of kind forum: those a workshop may be hosted by. Read whole
/// (`whole`): the workshop form offers them all, and a workshop's hosting session is named
/// from them, however many sessions training holds (it cannot filter them by kind).
pub(super) async fn forum_sessions(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
) -> Result<Vec<(String, String)>, PageError> {
    let tr = Tr::new(lang);
    let sessions = read_whole("sessions", |page| {
        let mut client = state.services.training();
        let request = as_person(
            &staff.session,
            ListSessionsRequest {
                page: Some(page),
                ..Default::default()
            },
        );
        async move {
            let answer = client.list_sessions(request).await?.into_inner();
            Ok((answer.sessions, answer.next_page_token))
        }
    })
    .await
    .map_err(|s| PageError::from_status(&s, lang))?;
    Ok(sessions
        .iter()
        .filter(|s| {
            s.details
                .as_ref()
                .is_some_and(|d| d.kind == SessionKind::Forum as i32)
        })
        .map(|s| (s.session_id.clone(), session_label(s, tr)))
        .collect())
}

fn choice(value: &str, label: String, selected: &str) -> Choice {
    Choice {
        value: value.to_string(),
        label,
        selected: value == selected,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    /// `created`, `theme`, `workshop` or `recommendation` after an action.
    done: Option<String>,
}

async fn edition_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    query: DoneQuery,
    mut form: EditionForms,
    errors: FormErrors,
) -> Result<Response, PageError> {
    if form.key.is_empty() {
        form.key = idempotency_key();
    }
    let tr = Tr::new(lang);
    let (edition, sessions) = tokio::join!(
        recommendations::edition_of(state, staff, lang, id),
        forum_sessions(state, staff, lang)
    );
    let (edition, sessions) = (edition?, sessions?);
    let session_title = |id: &str| {
        sessions
            .iter()
            .find(|(s, _)| s == id)
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    };
    let themes: Vec<ThemeRow> = edition
        .themes
        .iter()
        .map(|t| ThemeRow {
            id: t.theme_id.clone(),
            title: Text::of(t.title.as_ref(), lang),
            workshops: t
                .workshops
                .iter()
                .map(|w| WorkshopRow {
                    id: w.workshop_id.clone(),
                    title: Text::of(w.title.as_ref(), lang),
                    province: province_name(&state.region, &w.province_code, lang),
                    session: session_title(&w.session_id),
                    contributions: tr.count("staff-forum-contributions", w.contribution_count),
                    recommendations: w
                        .recommendations
                        .iter()
                        .map(|r| recommendations::RecommendationRow::of_forum(r, tr))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let theme_choices = edition
        .themes
        .iter()
        .map(|t| {
            let label = Text::of(t.title.as_ref(), lang).text;
            choice(&t.theme_id, label, &form.workshop_theme)
        })
        .collect();
    let workshop_choices = edition
        .themes
        .iter()
        .flat_map(|t| &t.workshops)
        .map(|w| {
            let label = Text::of(w.title.as_ref(), lang).text;
            choice(&w.workshop_id, label, &form.recommendation_workshop)
        })
        .collect();
    let sessions = sessions
        .iter()
        .map(|(s, label)| choice(s, label.clone(), &form.workshop_session))
        .collect();
    let notice = match query.done.as_deref() {
        Some(
            done @ ("created" | "theme" | "workshop" | "recommendation" | "theme-saved"
            | "workshop-saved"),
        ) => Some(tr.t(&format!("staff-forum-done-{done}"))),
        _ => None,
    };
    let status = errors.status();
    let page = EditionPage {
        frame: frame(
            lang,
            "staff-forum-edition-title",
            &format!("staff/forum/{}", edition.edition_id),
        )
        .with_errors(&errors),
        nav: StaffNav::new(lang, "forum"),
        csrf: staff.visitor.form_token(),
        id: edition.edition_id.clone(),
        title: Text::of(edition.title.as_ref(), lang),
        year: edition.year,
        dates: edition_dates(&edition, tr),
        themes,
        theme_choices,
        workshop_choices,
        provinces: province_choices(&state.region, lang, &form.workshop_province),
        sessions,
        form,
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// The edition's page: its themes, workshops and recommendations, and the forms adding them.
pub async fn page(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    edition_page(
        &state,
        &staff,
        lang,
        &id,
        query,
        EditionForms::default(),
        FormErrors::new(),
    )
    .await
}

/// Back to the edition's page, saying what was done.
pub(super) fn done(lang: Lang, id: &str, what: &str) -> Response {
    Redirect::to(&format!(
        "/{}/staff/forum/{}?done={what}",
        lang.code(),
        encode_query(id)
    ))
    .into_response()
}

/// One of the page's forms: what it adds, and the page's field for each field or rule the
/// service names in a refusal (the first field: the list of what it adds to).
struct Adds {
    what: &'static str,
    /// The page's fields that must be filled in before anything is sent.
    required: &'static [&'static str],
    fields: &'static [(&'static str, &'static str)],
    rules: &'static [(&'static str, &'static str)],
}

const THEME: Adds = Adds {
    what: "theme",
    required: &["theme_title_ar", "theme_title_fr"],
    fields: &[
        ("title.ar", "theme_title_ar"),
        ("title.fr", "theme_title_fr"),
        ("title.en", "theme_title_fr"),
    ],
    rules: &[],
};

const WORKSHOP: Adds = Adds {
    what: "workshop",
    required: &[
        "workshop_theme",
        "workshop_title_ar",
        "workshop_title_fr",
        "workshop_province",
    ],
    fields: &[
        ("theme_id", "workshop_theme"),
        ("title.ar", "workshop_title_ar"),
        ("title.fr", "workshop_title_fr"),
        ("title.en", "workshop_title_fr"),
        ("province_code", "workshop_province"),
        ("session_id", "workshop_session"),
    ],
    // A session training has not told of, or not a forum: beside the session's list.
    rules: &[
        ("forum-session-unknown", "workshop_session"),
        ("forum-session-not-forum", "workshop_session"),
    ],
};

const RECOMMENDATION: Adds = Adds {
    what: "recommendation",
    required: &["recommendation_workshop", "recommendation_text"],
    fields: &[
        ("workshop_id", "recommendation_workshop"),
        ("text", "recommendation_text"),
    ],
    rules: &[],
};

/// What became of a form sent: the edition's page again (done), or the same page with the
/// form's errors beside its fields.
async fn outcome<T>(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    sent: Result<T, tonic::Status>,
    adds: &Adds,
    form: EditionForms,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let errors = match sent {
        Ok(_) => return Ok(done(lang, id, adds.what)),
        // The theme or the workshop chosen is gone (or never was): beside its list.
        Err(status) if status.code() == tonic::Code::NotFound && adds.what != "theme" => {
            let mut errors = FormErrors::new();
            let field = adds.fields.first().map_or("", |(_, page)| page);
            errors.field(field, tr.t(&format!("{FORM}-{field}-invalid")));
            errors
        }
        Err(status) if status.code() == tonic::Code::NotFound => {
            return Err(PageError::from_lookup(&status, lang));
        }
        Err(status) => FormErrors::from_status_beside(&status, tr, FORM, adds.fields, adds.rules)?,
    };
    edition_page(state, staff, lang, id, DoneQuery::default(), form, errors).await
}

/// Sends what one of the page's forms adds (`call`, made from the form but not yet sent) once
/// its required fields are filled in; the page again with the outcome.
async fn add<T>(
    state: &AppState,
    staff: &Staff,
    posted: Posted<EditionForms>,
    id: &str,
    adds: &Adds,
    call: impl Future<Output = Result<T, tonic::Status>>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    for field in adds.required {
        errors.require(tr, FORM, field, form.value(field));
    }
    if errors.has_errors() {
        let query = DoneQuery::default();
        return edition_page(state, staff, lang, id, query, form, errors).await;
    }
    outcome(state, staff, lang, id, call.await, adds, form).await
}

pub async fn add_theme(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<EditionForms>,
) -> Result<Response, PageError> {
    let form = &posted.form;
    let request = AddForumThemeRequest {
        edition_id: id.clone(),
        title: consultations::text(&form.theme_title_ar, &form.theme_title_fr),
        idempotency_key: posted_key(&form.key),
    };
    let mut client = state.services.consultation();
    let call = client.add_forum_theme(as_person(&staff.session, request));
    add(&state, &staff, posted, &id, &THEME, call).await
}

pub async fn add_workshop(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<EditionForms>,
) -> Result<Response, PageError> {
    let form = &posted.form;
    let request = AddForumWorkshopRequest {
        theme_id: form.workshop_theme.trim().to_string(),
        title: consultations::text(&form.workshop_title_ar, &form.workshop_title_fr),
        province_code: form.workshop_province.trim().to_string(),
        session_id: form.workshop_session.trim().to_string(),
        idempotency_key: posted_key(&form.key),
    };
    let mut client = state.services.consultation();
    let call = client.add_forum_workshop(as_person(&staff.session, request));
    add(&state, &staff, posted, &id, &WORKSHOP, call).await
}

pub async fn add_recommendation(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<EditionForms>,
) -> Result<Response, PageError> {
    let form = &posted.form;
    let request = AddForumRecommendationRequest {
        workshop_id: form.recommendation_workshop.trim().to_string(),
        text: form.recommendation_text.trim().to_string(),
        idempotency_key: posted_key(&form.key),
    };
    let mut client = state.services.consultation();
    let call = client.add_forum_recommendation(as_person(&staff.session, request));
    add(&state, &staff, posted, &id, &RECOMMENDATION, call).await
}
