//! The name shown with a person's contributions and the language the platform writes to them in.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{common::Locale, identity::UpdateMyProfileRequest};

use super::my_account;
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of, sign_in::locale},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
};

#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    /// `ar` or `fr`.
    #[serde(default)]
    language: String,
}

#[derive(Template)]
#[template(path = "account_profile.html")]
struct ProfilePage {
    frame: Frame,
    csrf: String,
    form: ProfileForm,
    errors: FormErrors,
}

fn render(
    lang: Lang,
    csrf: String,
    form: ProfileForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let frame = Frame::new(
        lang,
        tr.t("profile-title"),
        Section::Account,
        "account/profile",
    )
    .with_errors(&errors);
    let status = errors.status();
    html(
        &ProfilePage {
            frame,
            csrf,
            form,
            errors,
        },
        status,
        CachePolicy::NoStore,
        lang,
    )
}

pub async fn form(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let account = my_account(&state, &person, lang).await?;
    let language = match Locale::try_from(account.locale) {
        Ok(Locale::Fr) => "fr",
        _ => "ar",
    };
    let form = ProfileForm {
        display_name: account.display_name,
        language: language.into(),
    };
    render(lang, person.visitor.form_token(), form, FormErrors::new())
}

pub async fn save(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<ProfileForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "profile", "display_name", &form.display_name);
    let chosen = Lang::parse(&form.language);
    if chosen.is_none() {
        errors.field("language", tr.t("profile-language-missing"));
    }
    let Some(chosen) = chosen.filter(|_| errors.is_empty()) else {
        return render(lang, visitor.form_token(), form, errors);
    };
    let request = UpdateMyProfileRequest {
        display_name: form.display_name.trim().to_string(),
        locale: locale(chosen) as i32,
        ..Default::default()
    };
    if let Err(status) = state
        .services
        .identity()
        .update_my_profile(as_person(&person.session, request))
        .await
    {
        let errors = FormErrors::from_status(&status, tr, "profile", &[])?;
        return render(lang, visitor.form_token(), form, errors);
    }
    // The account page in the language just chosen, so the choice shows at once.
    Ok(Redirect::to(&format!("/{}/account?updated=1", chosen.code())).into_response())
}
