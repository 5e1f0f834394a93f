//! The verification desk: find an account, verify it with the identity card number (CIN) and
//! the province of residence, and, for administrators, set its roles.
//!
//! The CIN goes to identity once and is never shown back: not in a page, not in a form shown
//! again after an error.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::identity::{
    Account, Role, SearchAccountsRequest, SetRolesRequest, VerifyAccountRequest,
};

use super::{Staff, StaffNav, frame};
use crate::{
    error::{ErrorKind, PageError},
    form::FormErrors,
    handlers::{AppState, Listing, encode_query, lang_of, next_link},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, enum_code, province_choices},
};

/// The roles an administrator grants; the others follow from memberships and representations.
const GRANTED: &[Role] = &[
    Role::Citizen,
    Role::CouncilStaff,
    Role::Administrator,
    Role::Observer,
];

fn role_code(role: Role) -> String {
    enum_code(role.as_str_name(), "ROLE_")
}

/// An account as the desk lists it.
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub verified: bool,
    /// "Verified on …" or "Not verified".
    pub verification: String,
    pub roles: String,
    /// What finds this account again: its email, else its phone.
    pub who: String,
}

impl AccountRow {
    fn of(a: &Account, tr: Tr) -> Self {
        let roles: Vec<String> = a
            .roles
            .iter()
            .filter_map(|r| Role::try_from(*r).ok())
            .map(|r| tr.t(&format!("staff-role-{}", role_code(r))))
            .collect();
        Self {
            id: a.account_id.clone(),
            name: a.display_name.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            verified: a.verified,
            verification: if a.verified {
                tr.with(
                    "account-verified-on",
                    &[("date", tr.timestamp_date(a.verified_at.as_ref()))],
                )
            } else {
                tr.t("account-not-verified")
            },
            roles: tr.join(&roles),
            who: if a.email.is_empty() {
                a.phone.clone()
            } else {
                a.email.clone()
            },
        }
    }

    /// The desk's page `action` (`verify`, `roles`) of this account, after the language.
    fn page(&self, action: &str) -> String {
        format!(
            "staff/accounts/{}/{action}?who={}",
            self.id,
            self.who_query()
        )
    }

    /// The query string that finds this account again.
    pub fn who_query(&self) -> String {
        encode_query(&self.who)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
    /// What was just done: `verified` or `roles`.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_accounts.html")]
struct SearchPage {
    frame: Frame,
    nav: StaffNav,
    admin: bool,
    q: String,
    accounts: Vec<AccountRow>,
    listing: Listing,
    notice: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<SearchQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let q = query.q.trim().chars().take(100).collect::<String>();
    let token = super::super::PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let request = SearchAccountsRequest {
        query: q.clone(),
        page: state.page(token),
        ..Default::default()
    };
    let found = state
        .services
        .identity()
        .search_accounts(as_person(&staff.session, request))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/staff/accounts?q={}", lang.code(), encode_query(&q));
    let listing = Listing {
        next: next_link(&base, &found.next_page_token).map(|l| l.replacen("?page=", "&page=", 1)),
        first: (!is_first).then(|| base.clone()),
    };
    let notice = match query.done.as_deref() {
        Some("verified") => Some(tr.t("staff-accounts-verified")),
        Some("roles") => Some(tr.t("staff-accounts-roles-saved")),
        _ => None,
    };
    let page = SearchPage {
        frame: frame(
            lang,
            "staff-accounts-title",
            &format!("staff/accounts?q={}", encode_query(&q)),
        ),
        nav: StaffNav::new(lang, "accounts"),
        admin: staff.roles.admin,
        accounts: found
            .accounts
            .iter()
            .map(|a| AccountRow::of(a, tr))
            .collect(),
        q,
        listing,
        notice,
    };
    html(
        &page,
        axum::http::StatusCode::OK,
        CachePolicy::NoStore,
        lang,
    )
}

/// The account `id`, found again by its email or phone (`who`): identity has no lookup by id
/// for staff, and the desk's links always carry what finds the account.
async fn account_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    who: &str,
) -> Result<Account, PageError> {
    if who.trim().is_empty() || who.chars().count() > 100 {
        return Err(PageError::not_found(lang));
    }
    let request = SearchAccountsRequest {
        query: who.trim().to_string(),
        ..Default::default()
    };
    state
        .services
        .identity()
        .search_accounts(as_person(&staff.session, request))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .accounts
        .into_iter()
        .find(|a| a.account_id == id)
        .ok_or_else(|| PageError::not_found(lang))
}

#[derive(Debug, Default, Deserialize)]
pub struct WhoQuery {
    #[serde(default)]
    who: String,
}

fn back_to_search(lang: Lang, who: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/staff/accounts?q={}&done={done}",
        lang.code(),
        encode_query(who)
    ))
    .into_response()
}

// ---- Verify -------------------------------------------------------------------------------

/// The verification form. No `Debug`: it holds a CIN.
#[derive(Default, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    who: String,
    #[serde(default)]
    cin: String,
    #[serde(default)]
    residence_province_code: String,
    #[serde(default)]
    legal_name: String,
}

#[derive(Template)]
#[template(path = "staff_verify.html")]
struct VerifyPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    account: AccountRow,
    provinces: Vec<Choice>,
    legal_name: String,
    errors: FormErrors,
}

fn verify_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    account: &Account,
    form: &VerifyForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let account = AccountRow::of(account, tr);
    let rest = account.page("verify");
    let provinces = province_choices(&state.region, lang, &form.residence_province_code);
    let status = errors.status();
    let page = VerifyPage {
        frame: frame(lang, "staff-verify-title", &rest).with_errors(&errors),
        nav: StaffNav::new(lang, "accounts"),
        csrf: staff.visitor.form_token(),
        account,
        provinces,
        // The CIN is never written back into the form.
        legal_name: form.legal_name.clone(),
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn verify_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<WhoQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let account = account_of(&state, &staff, lang, &id, &query.who).await?;
    verify_page(
        &state,
        &staff,
        lang,
        &account,
        &VerifyForm::default(),
        FormErrors::new(),
    )
}

pub async fn verify(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<VerifyForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let account = account_of(&state, &staff, lang, &id, &form.who).await?;
    let mut errors = FormErrors::new();
    errors.require(tr, "staff-verify", "cin", &form.cin);
    errors.require(
        tr,
        "staff-verify",
        "residence_province_code",
        &form.residence_province_code,
    );
    if errors.has_errors() {
        return verify_page(&state, &staff, lang, &account, &form, errors);
    }
    let request = VerifyAccountRequest {
        account_id: id,
        cin: form.cin.trim().to_string(),
        residence_province_code: form.residence_province_code.clone(),
        legal_name: form.legal_name.trim().to_string(),
        ..Default::default()
    };
    match state
        .services
        .identity()
        .verify_account(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back_to_search(lang, &form.who, "verified")),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "staff-verify", &[])?;
            verify_page(&state, &staff, lang, &account, &form, errors)
        }
    }
}

// ---- Roles --------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct RolesForm {
    #[serde(default)]
    who: String,
    /// Role codes: `citizen`, `council_staff`, `administrator`, `observer`.
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff_roles.html")]
struct RolesPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    account: AccountRow,
    roles: Vec<Choice>,
    errors: FormErrors,
}

fn roles_page(
    staff: &Staff,
    lang: Lang,
    account: &Account,
    chosen: &[String],
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let account = AccountRow::of(account, tr);
    let rest = account.page("roles");
    let roles = GRANTED
        .iter()
        .map(|r| {
            let code = role_code(*r);
            Choice {
                label: tr.t(&format!("staff-role-{code}")),
                selected: chosen.contains(&code),
                value: code,
            }
        })
        .collect();
    let status = errors.status();
    let page = RolesPage {
        frame: frame(lang, "staff-roles-title", &rest).with_errors(&errors),
        nav: StaffNav::new(lang, "accounts"),
        csrf: staff.visitor.form_token(),
        account,
        roles,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// Roles are an administrator's to set; identity refuses anyone else too.
fn require_admin(staff: &Staff, lang: Lang) -> Result<(), PageError> {
    if staff.roles.admin {
        Ok(())
    } else {
        Err(PageError::new(ErrorKind::Forbidden, lang))
    }
}

pub async fn roles_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<WhoQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    require_admin(&staff, lang)?;
    let account = account_of(&state, &staff, lang, &id, &query.who).await?;
    let held: Vec<String> = account
        .roles
        .iter()
        .filter_map(|r| Role::try_from(*r).ok())
        .map(role_code)
        .collect();
    roles_page(&staff, lang, &account, &held, FormErrors::new())
}

pub async fn set_roles(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<RolesForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    require_admin(&staff, lang)?;
    let account = account_of(&state, &staff, lang, &id, &form.who).await?;
    let roles: Vec<i32> = GRANTED
        .iter()
        .filter(|r| form.roles.contains(&role_code(**r)))
        .map(|r| *r as i32)
        .collect();
    let mut errors = FormErrors::new();
    if roles.is_empty() {
        errors.field("roles", tr.t("staff-roles-roles-missing"));
        return roles_page(&staff, lang, &account, &form.roles, errors);
    }
    let request = SetRolesRequest {
        account_id: id,
        roles,
    };
    match state
        .services
        .identity()
        .set_roles(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back_to_search(lang, &form.who, "roles")),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "staff-roles", &[])?;
            roles_page(&staff, lang, &account, &form.roles, errors)
        }
    }
}
