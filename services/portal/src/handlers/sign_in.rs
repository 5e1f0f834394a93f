//! Registering, signing in and signing out.
//!
//! Both forms go to identity as the portal (its service token) with the person's address, so
//! identity's attempt limits count this person, not everyone behind the portal. Registration
//! answers the same whether or not the address had an account; the portal then tries to sign
//! in with what was typed, which tells the person only what they already know.

use askama::Template;
use axum::{
    Router,
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::{
    common::Locale,
    identity::{LoginRequest, LogoutRequest, RegisterRequest},
};
use tonic::Code;

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    form::FormErrors,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, Session, Visitor, address::ClientAddress},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/sign-in", get(sign_in_form).post(sign_in))
        .route("/{lang}/register", get(register_form).post(register))
        .route("/{lang}/sign-out", post(sign_out))
}

/// Where to go after signing in: a page of this portal, never another site.
pub fn safe_next(next: Option<&str>, lang: Lang) -> String {
    match next {
        Some(n)
            if n.len() <= 512
                && (n.starts_with("/ar/") || n.starts_with("/fr/"))
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_string()
        }
        _ => format!("/{}/account", lang.code()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    /// Set after registration when signing in with what was typed did not work.
    registered: Option<String>,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    frame: Frame,
    csrf: String,
    next: String,
    identifier: String,
    errors: FormErrors,
    registered: bool,
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

fn sign_in_page(
    lang: Lang,
    visitor: &Visitor,
    next: String,
    identifier: String,
    errors: FormErrors,
    registered: bool,
) -> Result<Response, PageError> {
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("sign-in-title"),
        Section::Account,
        "sign-in",
    )
    .with_errors(&errors);
    let status = errors.status();
    let page = SignInPage {
        frame,
        csrf: visitor.form_token(),
        next,
        identifier,
        errors,
        registered,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn sign_in_form(
    axum::extract::Path(lang): axum::extract::Path<String>,
    Query(query): Query<SignInQuery>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let next = safe_next(query.next.as_deref(), lang);
    if visitor.is_signed_in() {
        return Ok(Redirect::to(&next).into_response());
    }
    sign_in_page(
        lang,
        &visitor,
        next,
        String::new(),
        FormErrors::new(),
        query.registered.is_some(),
    )
}

/// A signed-in person's cookie, and the way on.
pub(crate) fn signed_in(state: &AppState, session: &Session, to: &str) -> Response {
    let now = super::now_millis() / 1000;
    let cookie = state.cookies.set(
        state.cookies.session_name(),
        &session.encode(),
        session.max_age(now),
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// Signs in with `identifier` and `password`: the session, or why not as form errors.
async fn log_in(
    state: &AppState,
    address: ClientAddress,
    identifier: &str,
    password: &str,
    tr: Tr,
) -> Result<Result<Session, FormErrors>, PageError> {
    let request = state
        .services
        .as_front(
            address.0,
            LoginRequest {
                identifier: identifier.trim().to_string(),
                password: password.to_string(),
            },
        )
        .await;
    match state.services.identity().login(request).await {
        Ok(response) => response
            .into_inner()
            .tokens
            .and_then(Session::from_pair)
            .map(Ok)
            .ok_or_else(|| PageError::internal(tr.lang)),
        Err(status) if status.code() == Code::Unauthenticated => {
            let mut errors = FormErrors::new();
            errors.field("identifier", tr.t("sign-in-wrong"));
            Ok(Err(errors))
        }
        Err(status) if status.code() == Code::ResourceExhausted => {
            let mut errors = FormErrors::new();
            errors.general(tr.t("sign-in-too-many"));
            Ok(Err(errors))
        }
        Err(status) => FormErrors::from_status(&status, tr, "sign-in", &[]).map(Err),
    }
}

async fn sign_in(
    State(state): State<AppState>,
    address: ClientAddress,
    posted: Posted<SignInForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let next = safe_next(Some(&form.next), lang);
    let mut errors = FormErrors::new();
    errors
        .require(tr, "sign-in", "identifier", &form.identifier)
        .require(tr, "sign-in", "password", &form.password);
    if errors.is_empty() {
        match log_in(&state, address, &form.identifier, &form.password, tr).await? {
            Ok(session) => return Ok(signed_in(&state, &session, &next)),
            Err(refused) => errors = refused,
        }
    }
    sign_in_page(lang, &visitor, next, form.identifier, errors, false)
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    frame: Frame,
    csrf: String,
    form: RegisterForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

fn register_page(
    lang: Lang,
    visitor: &Visitor,
    mut form: RegisterForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("register-title"),
        Section::Account,
        "register",
    )
    .with_errors(&errors);
    let status = errors.status();
    // A password is never sent back into a page.
    form.password.clear();
    let page = RegisterPage {
        frame,
        csrf: visitor.form_token(),
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn register_form(
    axum::extract::Path(lang): axum::extract::Path<String>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    if visitor.is_signed_in() {
        return Ok(Redirect::to(&format!("/{}/account", lang.code())).into_response());
    }
    register_page(lang, &visitor, RegisterForm::default(), FormErrors::new())
}

pub fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Ar => Locale::Ar,
        Lang::Fr => Locale::Fr,
    }
}

async fn register(
    State(state): State<AppState>,
    address: ClientAddress,
    posted: Posted<RegisterForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors
        .require(tr, "register", "display_name", &form.display_name)
        .require(tr, "register", "password", &form.password);
    if form.email.trim().is_empty() && form.phone.trim().is_empty() {
        errors.field("email", tr.t("register-email-or-phone"));
    }
    if errors.has_errors() {
        return register_page(lang, &visitor, form, errors);
    }
    let request = state
        .services
        .as_front(
            address.0,
            RegisterRequest {
                email: form.email.trim().to_string(),
                phone: form.phone.trim().to_string(),
                password: form.password.clone(),
                display_name: form.display_name.trim().to_string(),
                locale: locale(lang) as i32,
            },
        )
        .await;
    if let Err(status) = state.services.identity().register(request).await {
        let errors = FormErrors::from_status(&status, tr, "register", &[])?;
        return register_page(lang, &visitor, form, errors);
    }
    let identifier = if form.email.trim().is_empty() {
        &form.phone
    } else {
        &form.email
    };
    match log_in(&state, address, identifier, &form.password, tr).await? {
        Ok(session) => Ok(signed_in(
            &state,
            &session,
            &format!("/{}/account?welcome=1", lang.code()),
        )),
        // The address already had an account, with another password: say only how to go on.
        Err(_) => {
            Ok(Redirect::to(&format!("/{}/sign-in?registered=1", lang.code())).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SignOutForm {}

async fn sign_out(
    State(state): State<AppState>,
    posted: Posted<SignOutForm>,
) -> Result<Response, PageError> {
    let Posted { visitor, lang, .. } = posted;
    if let Some(session) = &visitor.session {
        let request = LogoutRequest {
            refresh_token: session.refresh_token().to_string(),
        };
        // Signed out here whatever identity answers; the refresh token expires in any case.
        if let Err(status) = state.services.identity().logout(request).await {
            tracing::warn!(code = ?status.code(), "logout failed");
        }
    }
    let cookie = state.cookies.clear(state.cookies.session_name());
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&format!("/{}", lang.code())),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_portals_pages_are_a_way_back() {
        assert_eq!(
            safe_next(Some("/fr/petitions/x"), Lang::Fr),
            "/fr/petitions/x"
        );
        for other in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "/ar//x",
            "/en/x",
        ] {
            assert_eq!(safe_next(Some(other), Lang::Ar), "/ar/account", "{other}");
        }
        assert_eq!(safe_next(None, Lang::Fr), "/fr/account");
    }
}
