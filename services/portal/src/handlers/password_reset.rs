//! A forgotten password: the person names their email or phone, identity sends a link (email)
//! or a code (phone) to it if it is a verified contact of an account, and the new password is
//! set with that secret. The answer is the same whether or not an account has the contact, so
//! the pages never tell who has an account.
//!
//! The emailed link lands on `/{lang}/password/reset?token=…` (the notification service writes
//! that path); opening it shows the form and spends nothing. A texted code is typed on the same
//! page with the phone number, which is never put in a URL.

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use tachawor_proto::identity::{RequestPasswordResetRequest, ResetPasswordRequest};

use super::{AppState, lang_of, sign_in::locale};
use crate::{
    error::PageError,
    form::FormErrors,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, Visitor, address::ClientAddress},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/password/forgot", get(forgot_form).post(forgot))
        .route("/{lang}/password/forgot/sent", get(sent))
        .route("/{lang}/password/reset", get(reset_form).post(reset))
        .route("/{lang}/password/reset/done", get(done))
}

/// An identifier with an `@` is an email address; anything else is taken as a phone number.
fn is_email(identifier: &str) -> bool {
    identifier.contains('@')
}

/// Checks a new password typed twice: both filled in and the same.
pub fn check_new_password(
    errors: &mut FormErrors,
    tr: Tr,
    form: &str,
    new_password: &str,
    again: &str,
) {
    errors.require(tr, form, "new_password", new_password);
    if !new_password.is_empty() && new_password != again {
        errors.field(
            "new_password_again",
            tr.t("field-new_password_again-different"),
        );
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    identifier: String,
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    frame: Frame,
    csrf: String,
    identifier: String,
    errors: FormErrors,
}

fn forgot_page(
    lang: Lang,
    visitor: &Visitor,
    identifier: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("forgot-title"),
        Section::Account,
        "password/forgot",
    )
    .with_errors(&errors);
    let status = errors.status();
    let page = ForgotPage {
        frame,
        csrf: visitor.form_token(),
        identifier,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn forgot_form(Path(lang): Path<String>, visitor: Visitor) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    forgot_page(lang, &visitor, String::new(), FormErrors::new())
}

async fn forgot(
    State(state): State<AppState>,
    address: ClientAddress,
    posted: Posted<ForgotForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "forgot", "identifier", &form.identifier);
    if errors.has_errors() {
        return forgot_page(lang, &visitor, form.identifier, errors);
    }
    let identifier = form.identifier.trim().to_string();
    let request = state
        .services
        .as_front(
            address.0,
            RequestPasswordResetRequest {
                identifier: identifier.clone(),
                locale: locale(lang) as i32,
            },
        )
        .await;
    if let Err(status) = state
        .services
        .identity()
        .request_password_reset(request)
        .await
    {
        let errors = FormErrors::from_status(&status, tr, "forgot", &[])?;
        return forgot_page(lang, &visitor, form.identifier, errors);
    }
    let to = if is_email(&identifier) {
        format!("/{}/password/forgot/sent", lang.code())
    } else {
        format!("/{}/password/reset?sent=1", lang.code())
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Template)]
#[template(path = "password_sent.html")]
struct SentPage {
    frame: Frame,
}

/// The same answer for every email address: a message is on its way if an account has it.
async fn sent(Path(lang): Path<String>) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("forgot-sent-title"),
        Section::Account,
        "password/forgot/sent",
    );
    html(
        &SentPage { frame },
        StatusCode::OK,
        CachePolicy::NoStore,
        lang,
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetQuery {
    /// The emailed link's token.
    token: Option<String>,
    /// Set when the person just asked for a code by phone.
    sent: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    /// The emailed link's token; empty for a texted code.
    #[serde(default)]
    token: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    frame: Frame,
    csrf: String,
    /// The link's token (email), or empty: then the form asks for the phone and its code.
    token: String,
    phone: String,
    /// "If an account has this number, a code is on its way."
    sent: bool,
    errors: FormErrors,
}

fn reset_page(
    lang: Lang,
    visitor: &Visitor,
    form: ResetForm,
    sent: bool,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("reset-title"),
        Section::Account,
        "password/reset",
    )
    .with_errors(&errors);
    let status = errors.status();
    // Passwords and codes are never sent back into a page.
    let page = ResetPage {
        frame,
        csrf: visitor.form_token(),
        token: form.token,
        phone: form.phone,
        sent,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// The form to set a new password; opening it spends nothing (mail scanners follow links).
async fn reset_form(
    Path(lang): Path<String>,
    Query(query): Query<ResetQuery>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let form = ResetForm {
        token: query.token.unwrap_or_default().trim().to_string(),
        ..Default::default()
    };
    if form.token.len() > 512 {
        return Err(PageError::new(crate::error::ErrorKind::BadRequest, lang));
    }
    reset_page(
        lang,
        &visitor,
        form,
        query.sent.is_some(),
        FormErrors::new(),
    )
}

async fn reset(
    State(state): State<AppState>,
    address: ClientAddress,
    posted: Posted<ResetForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let by_link = !form.token.trim().is_empty();
    let mut errors = FormErrors::new();
    if !by_link {
        errors
            .require(tr, "reset", "phone", &form.phone)
            .require(tr, "reset", "code", &form.code);
    }
    check_new_password(
        &mut errors,
        tr,
        "reset",
        &form.new_password,
        &form.new_password_again,
    );
    if errors.has_errors() {
        return reset_page(lang, &visitor, form, false, errors);
    }
    let message = if by_link {
        ResetPasswordRequest {
            secret: form.token.trim().to_string(),
            identifier: String::new(),
            new_password: form.new_password.clone(),
        }
    } else {
        ResetPasswordRequest {
            secret: form.code.trim().to_string(),
            identifier: form.phone.trim().to_string(),
            new_password: form.new_password.clone(),
        }
    };
    let request = state.services.as_front(address.0, message).await;
    match state.services.identity().reset_password(request).await {
        Ok(_) => {
            // Every session of the account was ended; this browser's too, if it had one.
            let cookie = state.cookies.clear(state.cookies.session_name());
            Ok((
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&format!("/{}/password/reset/done", lang.code())),
            )
                .into_response())
        }
        Err(status) => {
            // A spent link is the whole page's problem; a wrong code is the code field's.
            let secret_field = if by_link { "token" } else { "code" };
            let mut errors = FormErrors::from_status_beside(
                &status,
                tr,
                "reset",
                &[
                    ("identifier", "phone"),
                    ("secret", secret_field),
                    ("new_password", "new_password"),
                ],
                &[("password-reset-invalid", secret_field)],
            )?;
            if by_link && let Some(message) = errors.get("token").map(str::to_string) {
                // The link's token is no field on the page: say it at the top.
                errors = FormErrors::new();
                errors.general(message);
            }
            reset_page(lang, &visitor, form, false, errors)
        }
    }
}

#[derive(Template)]
#[template(path = "password_reset_done.html")]
struct DonePage {
    frame: Frame,
}

async fn done(Path(lang): Path<String>) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("reset-done-title"),
        Section::Account,
        "password/reset/done",
    );
    html(
        &DonePage { frame },
        StatusCode::OK,
        CachePolicy::NoStore,
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_must_be_typed_twice_the_same() {
        let tr = Tr::new(Lang::Fr);
        let mut errors = FormErrors::new();
        check_new_password(&mut errors, tr, "reset", "", "");
        assert!(errors.get("new_password").is_some());
        let mut errors = FormErrors::new();
        check_new_password(&mut errors, tr, "reset", "a long phrase", "a long phrase!");
        assert!(errors.get("new_password_again").is_some());
        let mut errors = FormErrors::new();
        check_new_password(&mut errors, tr, "reset", "a long phrase", "a long phrase");
        assert!(errors.is_empty());
    }

    #[test]
    fn an_address_with_an_at_is_an_email() {
        assert!(is_email("salma@example.ma"));
        assert!(!is_email("0612345678"));
    }
}
