//! Changing one's password with the current one. Identity ends every session of the account
//! and gives this one new tokens, which the portal stores in the session cookie: the person
//! stays signed in here and is signed out everywhere else.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;
use tachawor_proto::identity::ChangePasswordRequest;
use tonic::Code;

use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of, password_reset::check_new_password, sign_in::signed_in},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, Session, SignedIn},
    services::as_person,
};

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    frame: Frame,
    csrf: String,
    errors: FormErrors,
    /// Just changed: every other session was signed out.
    changed: bool,
}

fn render(
    lang: Lang,
    csrf: String,
    errors: FormErrors,
    changed: bool,
) -> Result<Response, PageError> {
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("password-title"),
        Section::Account,
        "account/password",
    )
    .with_errors(&errors);
    let status = errors.status();
    let page = PasswordPage {
        frame,
        csrf,
        errors,
        changed,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn form(
    Path(lang): Path<String>,
    Query(query): Query<PasswordQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    render(
        lang,
        person.visitor.form_token(),
        FormErrors::new(),
        query.done.is_some(),
    )
}

pub async fn change(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<PasswordForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "password", "current_password", &form.current_password);
    check_new_password(
        &mut errors,
        tr,
        "password",
        &form.new_password,
        &form.new_password_again,
    );
    if errors.has_errors() {
        return render(lang, visitor.form_token(), errors, false);
    }
    let request = ChangePasswordRequest {
        current_password: form.current_password,
        new_password: form.new_password,
    };
    match state
        .services
        .identity()
        .change_password(as_person(&person.session, request))
        .await
    {
        Ok(answer) => {
            let session = answer
                .into_inner()
                .tokens
                .and_then(Session::from_pair)
                .ok_or_else(|| PageError::internal(lang))?;
            Ok(signed_in(
                &state,
                &session,
                &format!("/{}/account/password?done=1", lang.code()),
            ))
        }
        // A wrong current password is the person's to fix, not a lost session.
        Err(status)
            if matches!(
                status.code(),
                Code::Unauthenticated | Code::PermissionDenied
            ) =>
        {
            let mut errors = FormErrors::new();
            errors.field("current_password", tr.t("password-wrong-current"));
            render(lang, visitor.form_token(), errors, false)
        }
        Err(status) => {
            let errors = FormErrors::from_status_beside(
                &status,
                tr,
                "password",
                &[],
                &[("password-wrong", "current_password")],
            )?;
            render(lang, visitor.form_token(), errors, false)
        }
    }
}
