//! What a person shares for the platform's statistics (gender, age band, province), under a
//! consent they give and withdraw here. Withdrawing erases what was shared (identity does).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    common::{AgeBand, Gender},
    identity::{Profile, RecordConsentRequest, UpdateMyProfileRequest},
};

use super::{consented, my_account, my_consents};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
    view::{Choice, province_name},
};

/// The consent's purpose at identity.
const PURPOSE: &str = "statistics";
/// The version of the notice this page shows (`statistics-notice` in the message files):
/// change it whenever that text changes, so each consent records what the person read.
const NOTICE_VERSION: &str = "2026-11";

const GENDERS: [(Gender, &str); 2] = [(Gender::Female, "female"), (Gender::Male, "male")];
const AGE_BANDS: [(AgeBand, &str); 7] = [
    (AgeBand::Under18, "under-18"),
    (AgeBand::AgeBand1824, "18-24"),
    (AgeBand::AgeBand2534, "25-34"),
    (AgeBand::AgeBand3544, "35-44"),
    (AgeBand::AgeBand4554, "45-54"),
    (AgeBand::AgeBand5564, "55-64"),
    (AgeBand::AgeBand65Plus, "65-plus"),
];

#[derive(Debug, Default, Deserialize)]
pub struct StatisticsForm {
    /// `yes` or `no`.
    #[serde(default)]
    share: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    province: String,
}

#[derive(Template)]
#[template(path = "account_statistics.html")]
struct StatisticsPage {
    frame: Frame,
    csrf: String,
    form: StatisticsForm,
    errors: FormErrors,
    genders: Vec<Choice>,
    age_bands: Vec<Choice>,
    provinces: Vec<Choice>,
}

fn render(
    state: &AppState,
    lang: Lang,
    csrf: String,
    form: StatisticsForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let frame = Frame::new(
        lang,
        tr.t("statistics-title"),
        Section::Account,
        "account/statistics",
    )
    .with_errors(&errors);
    let status = errors.status();
    let choice = |value: &str, label: String, chosen: &str| Choice {
        value: value.to_string(),
        label,
        selected: value == chosen,
    };
    let page = StatisticsPage {
        genders: GENDERS
            .iter()
            .map(|(_, v)| choice(v, tr.t(&format!("statistics-gender-{v}")), &form.gender))
            .collect(),
        age_bands: AGE_BANDS
            .iter()
            .map(|(_, v)| choice(v, tr.t(&format!("statistics-age-{v}")), &form.age_band))
            .collect(),
        provinces: state
            .region
            .provinces
            .iter()
            .map(|p| {
                let name = province_name(&state.region, &p.code, lang);
                choice(&p.code, name, &form.province)
            })
            .collect(),
        frame,
        csrf,
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn form(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let (account, consents) = tokio::try_join!(
        my_account(&state, &person, lang),
        my_consents(&state, &person, lang)
    )?;
    let granted = consented(&consents, PURPOSE);
    let profile = account.profile.unwrap_or_default();
    let name_of = |code: i32, table: &[(i32, &str)]| {
        table
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let genders: Vec<(i32, &str)> = GENDERS.iter().map(|(g, v)| (*g as i32, *v)).collect();
    let ages: Vec<(i32, &str)> = AGE_BANDS.iter().map(|(a, v)| (*a as i32, *v)).collect();
    let form = StatisticsForm {
        share: if granted { "yes" } else { "no" }.into(),
        gender: name_of(profile.gender, &genders),
        age_band: name_of(profile.age_band, &ages),
        province: profile.province_code,
    };
    render(
        &state,
        lang,
        person.visitor.form_token(),
        form,
        FormErrors::new(),
    )
}

pub async fn save(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<StatisticsForm>,
) -> Result<Response, PageError> {
    let Posted {
        form,
        visitor,
        lang,
    } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    let share = match form.share.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            errors.field("share", tr.t("statistics-share-missing"));
            false
        }
    };
    let gender = GENDERS
        .iter()
        .find(|(_, v)| *v == form.gender)
        .map(|(g, _)| *g);
    let age_band = AGE_BANDS
        .iter()
        .find(|(_, v)| *v == form.age_band)
        .map(|(a, _)| *a);
    if !form.gender.is_empty() && gender.is_none() {
        errors.field("gender", tr.t("field-invalid"));
    }
    if !form.age_band.is_empty() && age_band.is_none() {
        errors.field("age_band", tr.t("field-invalid"));
    }
    if !form.province.is_empty() && !state.region.has_province(&form.province) {
        errors.field("province", tr.t("field-invalid"));
    }
    if errors.has_errors() {
        return render(&state, lang, visitor.form_token(), form, errors);
    }
    let identity = state.services.identity();
    let consent = RecordConsentRequest {
        purpose: PURPOSE.into(),
        version: NOTICE_VERSION.into(),
        granted: share,
    };
    let mut result = identity
        .clone()
        .record_consent(as_person(&person.session, consent))
        .await
        .map(|_| ());
    if share && result.is_ok() {
        let profile = Profile {
            gender: gender.map_or(0, |g| g as i32),
            age_band: age_band.map_or(0, |a| a as i32),
            province_code: form.province.clone(),
        };
        // Fields left empty stay as they were; "share nothing more" is withdrawing.
        let request = UpdateMyProfileRequest {
            profile: Some(profile),
            ..Default::default()
        };
        result = identity
            .clone()
            .update_my_profile(as_person(&person.session, request))
            .await
            .map(|_| ());
    }
    if let Err(status) = result {
        let errors = FormErrors::from_status(&status, tr, "statistics", &[("profile.", "share")])?;
        return render(&state, lang, visitor.form_token(), form, errors);
    }
    Ok(Redirect::to(&format!("/{}/account?updated=1", lang.code())).into_response())
}
