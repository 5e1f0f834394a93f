//! Correcting a Forum edition's theme (its title) or workshop (its title, its province and the
//! training session hosting it, set, changed or removed) on a page of its own, linked from
//! the edition's page. The Tamazight and English titles are kept as they are; the service
//! checks every field again with the person's own token and audits the correction.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        ForumEdition, ForumTheme, ForumWorkshop, UpdateForumThemeRequest,
        UpdateForumWorkshopRequest,
    },
};

use super::{
    Staff, StaffNav,
    forum_edition::{done, forum_sessions},
    frame,
    recommendations::edition_of,
};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, Text, province_choices},
};

/// The message prefix the edition page's forms use: the same fields, the same messages.
const FORM: &str = "staff-forum";

/// What the correction forms send.
#[derive(Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    theme_title_ar: String,
    #[serde(default)]
    theme_title_fr: String,
    #[serde(default)]
    workshop_title_ar: String,
    #[serde(default)]
    workshop_title_fr: String,
    #[serde(default)]
    workshop_province: String,
    #[serde(default)]
    workshop_session: String,
}

#[derive(Template)]
#[template(path = "staff_forum_item.html")]
struct ItemPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    edition_id: String,
    edition: Text,
    /// Where the form posts.
    action: String,
    /// A workshop's form, else a theme's.
    workshop: bool,
    form: ItemForm,
    provinces: Vec<Choice>,
    sessions: Vec<Choice>,
    errors: FormErrors,
}

fn theme_of<'a>(e: &'a ForumEdition, id: &str) -> Option<&'a ForumTheme> {
    e.themes.iter().find(|t| t.theme_id == id)
}

fn workshop_of<'a>(e: &'a ForumEdition, id: &str) -> Option<&'a ForumWorkshop> {
    e.themes
        .iter()
        .flat_map(|t| &t.workshops)
        .find(|w| w.workshop_id == id)
}

/// The title as corrected: Arabic and French from the form, the other languages kept.
fn corrected(old: Option<&LocalizedText>, ar: &str, fr: &str) -> Option<LocalizedText> {
    let old = old.cloned().unwrap_or_default();
    Some(LocalizedText {
        ar: ar.trim().to_string(),
        fr: fr.trim().to_string(),
        ..old
    })
}

async fn item_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    edition: &ForumEdition,
    item: (&str, &str),
    form: ItemForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let (kind, item_id) = item;
    let workshop = kind == "workshops";
    let sessions = if workshop {
        forum_sessions(state, staff, lang)
            .await?
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == form.workshop_session,
                value,
                label,
            })
            .collect()
    } else {
        Vec::new()
    };
    let rest = format!("staff/forum/{}/{kind}/{item_id}", edition.edition_id);
    let title = if workshop {
        "staff-forum-edit-workshop-title"
    } else {
        "staff-forum-edit-theme-title"
    };
    let status = errors.status();
    let page = ItemPage {
        frame: frame(lang, title, &rest).with_errors(&errors),
        nav: StaffNav::new(lang, "forum"),
        csrf: staff.visitor.form_token(),
        edition_id: edition.edition_id.clone(),
        edition: Text::of(edition.title.as_ref(), lang),
        action: format!("/{}/{rest}", lang.code()),
        workshop,
        provinces: province_choices(&state.region, lang, &form.workshop_province),
        sessions,
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// A theme's correction form, filled with its title.
pub async fn theme_form(
    State(state): State<AppState>,
    Path((lang, id, theme)): Path<(String, String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let edition = edition_of(&state, &staff, lang, &id).await?;
    let t = theme_of(&edition, &theme).ok_or_else(|| PageError::not_found(lang))?;
    let title = t.title.clone().unwrap_or_default();
    let form = ItemForm {
        theme_title_ar: title.ar,
        theme_title_fr: title.fr,
        ..Default::default()
    };
    let item = ("themes", theme.as_str());
    item_page(
        &state,
        &staff,
        lang,
        &edition,
        item,
        form,
        FormErrors::new(),
    )
    .await
}

/// A workshop's correction form, filled with its title, province and session.
pub async fn workshop_form(
    State(state): State<AppState>,
    Path((lang, id, workshop)): Path<(String, String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let edition = edition_of(&state, &staff, lang, &id).await?;
    let w = workshop_of(&edition, &workshop).ok_or_else(|| PageError::not_found(lang))?;
    let title = w.title.clone().unwrap_or_default();
    let form = ItemForm {
        workshop_title_ar: title.ar,
        workshop_title_fr: title.fr,
        workshop_province: w.province_code.clone(),
        workshop_session: w.session_id.clone(),
        ..Default::default()
    };
    let item = ("workshops", workshop.as_str());
    item_page(
        &state,
        &staff,
        lang,
        &edition,
        item,
        form,
        FormErrors::new(),
    )
    .await
}

/// The required fields' messages, or the service's refusal beside its fields.
fn refusal(
    status: &tonic::Status,
    tr: Tr,
    fields: &[(&str, &str)],
    rules: &[(&str, &str)],
) -> Result<FormErrors, PageError> {
    if status.code() == tonic::Code::NotFound {
        return Err(PageError::from_lookup(status, tr.lang));
    }
    FormErrors::from_status_beside(status, tr, FORM, fields, rules)
}

pub async fn save_theme(
    State(state): State<AppState>,
    Path((_, id, theme)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<ItemForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let edition = edition_of(&state, &staff, lang, &id).await?;
    let t = theme_of(&edition, &theme).ok_or_else(|| PageError::not_found(lang))?;
    let mut errors = FormErrors::new();
    errors
        .require(tr, FORM, "theme_title_ar", &form.theme_title_ar)
        .require(tr, FORM, "theme_title_fr", &form.theme_title_fr);
    if !errors.has_errors() {
        let request = UpdateForumThemeRequest {
            theme_id: theme.clone(),
            title: corrected(t.title.as_ref(), &form.theme_title_ar, &form.theme_title_fr),
        };
        let sent = state
            .services
            .consultation()
            .update_forum_theme(as_person(&staff.session, request))
            .await;
        match sent {
            Ok(_) => return Ok(done(lang, &id, "theme-saved")),
            Err(status) => {
                let fields = [
                    ("title.ar", "theme_title_ar"),
                    ("title.fr", "theme_title_fr"),
                    ("title.en", "theme_title_fr"),
                ];
                errors = refusal(&status, tr, &fields, &[])?;
            }
        }
    }
    let item = ("themes", theme.as_str());
    item_page(&state, &staff, lang, &edition, item, form, errors).await
}

pub async fn save_workshop(
    State(state): State<AppState>,
    Path((_, id, workshop)): Path<(String, String, String)>,
    staff: Staff,
    posted: Posted<ItemForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let edition = edition_of(&state, &staff, lang, &id).await?;
    let w = workshop_of(&edition, &workshop).ok_or_else(|| PageError::not_found(lang))?;
    let mut errors = FormErrors::new();
    errors
        .require(tr, FORM, "workshop_title_ar", &form.workshop_title_ar)
        .require(tr, FORM, "workshop_title_fr", &form.workshop_title_fr)
        .require(tr, FORM, "workshop_province", &form.workshop_province);
    if !errors.has_errors() {
        let request = UpdateForumWorkshopRequest {
            workshop_id: workshop.clone(),
            title: corrected(
                w.title.as_ref(),
                &form.workshop_title_ar,
                &form.workshop_title_fr,
            ),
            province_code: form.workshop_province.trim().to_string(),
            session_id: form.workshop_session.trim().to_string(),
        };
        let sent = state
            .services
            .consultation()
            .update_forum_workshop(as_person(&staff.session, request))
            .await;
        match sent {
            Ok(_) => return Ok(done(lang, &id, "workshop-saved")),
            Err(status) => {
                let fields = [
                    ("title.ar", "workshop_title_ar"),
                    ("title.fr", "workshop_title_fr"),
                    ("title.en", "workshop_title_fr"),
                    ("province_code", "workshop_province"),
                    ("session_id", "workshop_session"),
                ];
                let rules = [
                    ("forum-session-unknown", "workshop_session"),
                    ("forum-session-not-forum", "workshop_session"),
                ];
                errors = refusal(&status, tr, &fields, &rules)?;
            }
        }
    }
    let item = ("workshops", workshop.as_str());
    item_page(&state, &staff, lang, &edition, item, form, errors).await
}
