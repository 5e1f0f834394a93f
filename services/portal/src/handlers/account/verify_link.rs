//! Where the emailed verification link lands: `/{lang}/account/contact/verify?token=…` (the
//! notification service writes that path). Opening it only shows a button: mail scanners
//! follow links, so a GET must not spend the token; the person's POST confirms. It needs no
//! sign-in: the link is opened wherever the mail is read.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::identity::{ConfirmContactRequest, ContactChannel};
use tonic::Code;

use crate::{
    error::PageError,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, Visitor, address::ClientAddress},
};

/// Longer than any token identity makes; anything longer is not worth a call.
const MAX_TOKEN: usize = 512;

#[derive(Debug, Default, Deserialize)]
pub struct VerifyQuery {
    token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
}

/// Why the link did not work, if it did not.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// Unknown, used or expired: identity does not say which.
    Invalid,
    TooMany,
}

#[derive(Template)]
#[template(path = "contact_verify.html")]
struct VerifyPage {
    frame: Frame,
    csrf: String,
    token: String,
    /// The message shown instead of the button when the link cannot be used.
    failure: Option<String>,
    signed_in: bool,
}

fn render(
    lang: Lang,
    visitor: &Visitor,
    token: String,
    failure: Option<Failure>,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let title = if failure.is_some() {
        "verify-link-failed-title"
    } else {
        "verify-link-title"
    };
    let mut frame = Frame::new(
        lang,
        tr.t(title),
        Section::Account,
        "account/contact/verify",
    );
    // A refused link is shown as a form's refusal is: "Error:" first in the title.
    frame.has_errors = failure.is_some();
    let status = if failure.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = VerifyPage {
        frame,
        csrf: visitor.form_token(),
        failure: failure.map(|f| match f {
            Failure::Invalid => tr.t("verify-link-invalid"),
            Failure::TooMany => tr.t("form-too-many"),
        }),
        // The token goes back only into the form that spends it.
        token: if failure.is_some() {
            String::new()
        } else {
            token
        },
        signed_in: visitor.is_signed_in(),
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

fn token_of(raw: &str) -> Option<String> {
    let token = raw.trim();
    (!token.is_empty() && token.len() <= MAX_TOKEN).then(|| token.to_string())
}

pub async fn form(
    Path(lang): Path<String>,
    Query(query): Query<VerifyQuery>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    match token_of(query.token.as_deref().unwrap_or_default()) {
        Some(token) => render(lang, &visitor, token, None),
        None => render(lang, &visitor, String::new(), Some(Failure::Invalid)),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    address: ClientAddress,
    posted: Posted<VerifyForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let Some(token) = token_of(&form.token) else {
        return render(lang, &visitor, String::new(), Some(Failure::Invalid));
    };
    let request = state
        .services
        .as_front(
            address.0,
            ConfirmContactRequest {
                channel: ContactChannel::Email as i32,
                secret: token,
            },
        )
        .await;
    match state.services.identity().confirm_contact(request).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/{}/account/contact/verified", lang.code())).into_response())
        }
        Err(status) => match status.code() {
            Code::FailedPrecondition | Code::InvalidArgument | Code::NotFound => {
                render(lang, &visitor, String::new(), Some(Failure::Invalid))
            }
            Code::ResourceExhausted => {
                render(lang, &visitor, String::new(), Some(Failure::TooMany))
            }
            _ => Err(PageError::from_status(&status, lang)),
        },
    }
}

#[derive(Template)]
#[template(path = "contact_verified.html")]
struct VerifiedPage {
    frame: Frame,
    signed_in: bool,
}

pub async fn done(Path(lang): Path<String>, visitor: Visitor) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("verify-link-done-title"),
        Section::Account,
        "account/contact/verified",
    );
    let page = VerifiedPage {
        frame,
        signed_in: visitor.is_signed_in(),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}
