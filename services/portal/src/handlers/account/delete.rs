//! Deleting one's account: asked for the password again (a stolen session cannot erase an
//! account), then signed out. Identity erases the personal fields and tells the other services,
//! which erase what they hold of the person.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::identity::DeleteMyAccountRequest;
use tonic::Code;

use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
};

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "account_delete.html")]
struct DeletePage {
    frame: Frame,
    csrf: String,
    errors: FormErrors,
}

fn render(lang: Lang, csrf: String, errors: FormErrors) -> Result<Response, PageError> {
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("delete-title"),
        Section::Account,
        "account/delete",
    )
    .with_errors(&errors);
    let status = errors.status();
    html(
        &DeletePage {
            frame,
            csrf,
            errors,
        },
        status,
        CachePolicy::NoStore,
        lang,
    )
}

pub async fn form(Path(lang): Path<String>, person: SignedIn) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    render(lang, person.visitor.form_token(), FormErrors::new())
}

pub async fn confirm(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<DeleteForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "delete", "password", &form.password);
    if errors.has_errors() {
        return render(lang, visitor.form_token(), errors);
    }
    let request = DeleteMyAccountRequest {
        password: form.password,
    };
    match state
        .services
        .identity()
        .delete_my_account(as_person(&person.session, request))
        .await
    {
        Ok(_) => {
            let cookie = state.cookies.clear(state.cookies.session_name());
            Ok((
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&format!("/{}/account/deleted", lang.code())),
            )
                .into_response())
        }
        // A wrong password is the person's to fix, not a lost session.
        Err(status)
            if matches!(
                status.code(),
                Code::Unauthenticated | Code::PermissionDenied
            ) =>
        {
            let mut errors = FormErrors::new();
            errors.field("password", tr.t("delete-wrong-password"));
            render(lang, visitor.form_token(), errors)
        }
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "delete", &[])?;
            render(lang, visitor.form_token(), errors)
        }
    }
}

#[derive(Template)]
#[template(path = "account_deleted.html")]
struct DeletedPage {
    frame: Frame,
}

pub async fn done(Path(lang): Path<String>) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("deleted-title"),
        Section::Account,
        "account/deleted",
    );
    html(
        &DeletedPage { frame },
        StatusCode::OK,
        CachePolicy::NoStore,
        lang,
    )
}
