//! The signed-in person's own account: who they are to the platform, what they share for
//! statistics, a copy of everything held about them, and the way out.

mod delete;
mod export;
mod profile;
mod statistics;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::get,
};
use serde::Deserialize;
use tachawor_proto::identity::{Account, GetMyAccountRequest};

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{SignedIn, roles::StaffRoles},
    services::as_person,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account", get(page))
        .route(
            "/{lang}/account/profile",
            get(profile::form).post(profile::save),
        )
        .route(
            "/{lang}/account/statistics",
            get(statistics::form).post(statistics::save),
        )
        .route(
            "/{lang}/account/export",
            get(export::page).post(export::download),
        )
        .route(
            "/{lang}/account/delete",
            get(delete::form).post(delete::confirm),
        )
        .route("/{lang}/account/deleted", get(delete::done))
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    welcome: Option<String>,
    updated: Option<String>,
}

pub struct AccountView {
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub verified: bool,
    /// "Verified on <date>" or "Not verified yet".
    pub verification: String,
}

impl AccountView {
    fn of(account: &Account, tr: Tr) -> Self {
        Self {
            display_name: account.display_name.clone(),
            email: account.email.clone(),
            phone: account.phone.clone(),
            verified: account.verified,
            verification: if account.verified {
                tr.with(
                    "account-verified-on",
                    &[("date", tr.timestamp_date(account.verified_at.as_ref()))],
                )
            } else {
                tr.t("account-not-verified")
            },
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    frame: Frame,
    csrf: String,
    account: AccountView,
    /// Council staff and administrators get a link to the staff console.
    staff: bool,
    /// The notice at the top: just registered, or just saved.
    notice: Option<String>,
}

/// The person's account, as identity holds it.
pub async fn my_account(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
) -> Result<Account, PageError> {
    state
        .services
        .identity()
        .get_my_account(as_person(&person.session, GetMyAccountRequest {}))
        .await
        .map_err(|status| PageError::from_status(&status, lang))?
        .into_inner()
        .account
        .ok_or_else(|| PageError::internal(lang))
}

async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<AccountQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let (account, inbox) = tokio::join!(
        my_account(&state, &person, lang),
        super::inbox::link(&state, &person.session, lang)
    );
    let account = account?;
    let mut frame = Frame::new(lang, tr.t("account-title"), Section::Account, "account");
    frame.inbox = inbox;
    let roles = StaffRoles::of(&person.session.access_token);
    frame.show_staff = roles.reads();
    let page = AccountPage {
        frame,
        staff: roles.staff,
        csrf: person.visitor.form_token(),
        account: AccountView::of(&account, tr),
        notice: if query.welcome.is_some() {
            Some(tr.t("account-welcome"))
        } else if query.updated.is_some() {
            Some(tr.t("account-updated"))
        } else {
            None
        },
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}
