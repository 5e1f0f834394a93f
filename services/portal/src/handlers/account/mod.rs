//! The signed-in person's own account: who they are to the platform, what they share for
//! statistics, a copy of everything held about them, and the way out.

mod contact;
mod delete;
mod export;
mod instances;
mod password;
mod profile;
mod statistics;
mod verify_link;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::identity::{Account, Consent, ExportMyDataRequest, GetMyAccountRequest};

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{
        SignedIn,
        roles::{self, StaffRoles},
    },
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
        .route("/{lang}/account/contact", get(contact::page))
        .route("/{lang}/account/contact/send", post(contact::send))
        .route("/{lang}/account/contact/confirm", post(contact::confirm))
        .route("/{lang}/account/contact/change", post(contact::change))
        .route("/{lang}/account/contact/messages", post(contact::messages))
        .route(
            "/{lang}/account/contact/verify",
            get(verify_link::form).post(verify_link::confirm),
        )
        .route("/{lang}/account/contact/verified", get(verify_link::done))
        .route(
            "/{lang}/account/password",
            get(password::form).post(password::change),
        )
        .route("/{lang}/account/instances", get(instances::list))
        .route(
            "/{lang}/account/instances/{id}/propose",
            get(instances::propose_form).post(instances::propose),
        )
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
    /// The region runs the notification service: the page links to the inbox.
    inbox: bool,
    /// The person sits on a consultative instance: the page links to their instances.
    instances: bool,
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

/// The consents the person gave or withdrew, as identity holds them.
pub async fn my_consents(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
) -> Result<Vec<Consent>, PageError> {
    Ok(state
        .services
        .identity()
        .export_my_data(as_person(&person.session, ExportMyDataRequest {}))
        .await
        .map_err(|status| PageError::from_status(&status, lang))?
        .into_inner()
        .consents)
}

/// Whether the latest consent for `purpose` is given; none recorded means not given.
pub fn consented(consents: &[Consent], purpose: &str) -> bool {
    consents
        .iter()
        .filter(|c| c.purpose == purpose)
        .max_by_key(|c| c.recorded_at.map(|t| (t.seconds, t.nanos)))
        .is_some_and(|c| c.granted)
}

async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<AccountQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    // The inbox's link and count in the header are added as on every page (`crate::unread`).
    let account = my_account(&state, &person, lang).await?;
    let mut frame = Frame::new(lang, tr.t("account-title"), Section::Account, "account");
    let roles = StaffRoles::of(&person.session.access_token);
    frame.show_staff = roles.reads();
    let page = AccountPage {
        frame,
        staff: roles.staff,
        inbox: state.services.notification().is_some(),
        instances: !roles::instances_of(&person.session.access_token).is_empty(),
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
