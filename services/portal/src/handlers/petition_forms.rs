//! Petitions for a signed-in person: starting one, opening it for signatures, signing it and
//! withdrawing a signature, and the person's own petitions.
//!
//! Each action is its own personal page (never stored by a cache) that says what will happen
//! and holds one form; the public petition page only links to them, so it stays the same for
//! everyone. Every form works without script: a plain POST answered by a redirect, or by the
//! same form again with status 422 and the reason in the page's language.

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use tachawor_proto::{
    consultation::{
        CreatePetitionRequest, GetPetitionRequest, GetPetitionRulesRequest, Petition, PetitionKind,
        PetitionRules, PetitionStatus, SignPetitionRequest, StartCollectingRequest,
        WithdrawSignatureRequest,
    },
    identity::{Account, Association, ExportMyDataRequest},
};
use tonic::Code;

use super::{AppState, account::my_account, lang_of, petitions::rule_sentences, reads};
use crate::{
    error::{ErrorKind, PageError},
    form::{self, FormErrors},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
    view::{Choice, PetitionCard, Text, province_choices, province_name},
};

/// The fields of the regional council's competences a petition (or an association's activity)
/// falls under, as the services name them.
pub const SUBJECTS: &[&str] = &[
    "economy",
    "employment",
    "training",
    "rural",
    "transport",
    "environment",
    "water",
    "culture",
    "tourism",
    "sport",
    "social",
];

/// Pages of the person's own data read for their list (pages of 100 petitions).
const MINE_PAGES: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/petitions/new", get(new_form).post(create))
        .route("/{lang}/petitions/mine", get(mine))
        .route(
            "/{lang}/petitions/{id}/collect",
            get(collect_form).post(collect),
        )
        .route("/{lang}/petitions/{id}/sign", get(sign_form).post(sign))
        .route(
            "/{lang}/petitions/{id}/withdraw",
            get(withdraw_form).post(withdraw),
        )
}

/// The subjects as choices, `selected` those in `chosen`.
pub fn subject_choices(tr: Tr, chosen: &[String]) -> Vec<Choice> {
    SUBJECTS
        .iter()
        .map(|s| Choice {
            value: (*s).to_string(),
            label: tr.t(&format!("petition-form-subject-{s}")),
            selected: chosen.iter().any(|c| c == s),
        })
        .collect()
}

fn status_of(p: &Petition) -> PetitionStatus {
    PetitionStatus::try_from(p.status).unwrap_or_default()
}

fn frame(lang: Lang, title: String, rest: &str, errors: &FormErrors) -> Frame {
    Frame::new(lang, title, Section::Petitions, rest).with_errors(errors)
}

/// The petition as the person may see it (their own drafts too).
async fn petition_for(
    state: &AppState,
    person: &SignedIn,
    id: &str,
    lang: Lang,
) -> Result<Petition, PageError> {
    state
        .services
        .consultation()
        .get_petition(as_person(
            &person.session,
            GetPetitionRequest {
                petition_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .petition
        .ok_or_else(|| PageError::not_found(lang))
}

/// The associations the person represents, whatever their status.
pub async fn my_associations(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
) -> Result<Vec<Association>, PageError> {
    Ok(state
        .services
        .identity()
        .export_my_data(as_person(&person.session, ExportMyDataRequest {}))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .associations)
}

// ---------------------------------------------------------------------------------------------
// Starting a petition

#[derive(Debug, Default, Deserialize)]
pub struct NewPetitionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    association_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    subject_field: String,
}

#[derive(Template)]
#[template(path = "petition_new.html")]
struct NewPage {
    frame: Frame,
    csrf: String,
    form: NewPetitionForm,
    errors: FormErrors,
    rules: Vec<String>,
    association_rules: Vec<String>,
    subjects: Vec<Choice>,
    associations: Vec<Choice>,
}

fn association_rules(rules: &PetitionRules, tr: Tr) -> Vec<String> {
    let mut sentences = vec![tr.with(
        "petition-form-association-rule-age",
        &[("years", rules.association_min_years.to_string())],
    )];
    if rules.association_must_be_in_good_standing {
        sentences.push(tr.t("petition-form-association-rule-standing"));
    }
    sentences.push(tr.t("petition-form-association-rule-region"));
    if rules.association_activity_must_match {
        sentences.push(tr.t("petition-form-association-rule-activity"));
    }
    sentences
}

async fn new_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    form: NewPetitionForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let mut consultation = state.services.consultation();
    let rules_call =
        consultation.get_petition_rules(as_person(&person.session, GetPetitionRulesRequest {}));
    let (rules, associations) = tokio::join!(rules_call, my_associations(state, person, lang));
    let rules = rules
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .rules
        .unwrap_or_default();
    let associations = associations?
        .iter()
        .map(|a| Choice {
            value: a.association_id.clone(),
            label: Text::of(a.name.as_ref(), lang).text,
            selected: a.association_id == form.association_id,
        })
        .collect();
    let page = NewPage {
        frame: frame(
            lang,
            tr.t("petition-form-new-title"),
            "petitions/new",
            &errors,
        ),
        csrf: person.visitor.form_token(),
        subjects: subject_choices(tr, std::slice::from_ref(&form.subject_field)),
        rules: rule_sentences(&rules, tr),
        association_rules: association_rules(&rules, tr),
        associations,
        form,
        errors,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

async fn new_form(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let form = NewPetitionForm {
        kind: "citizen".into(),
        ..Default::default()
    };
    new_page(&state, &person, lang, form, FormErrors::new()).await
}

async fn create(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<NewPetitionForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let form_name = "petition-new";
    let mut errors = FormErrors::new();
    let kind = match form.kind.as_str() {
        "citizen" => PetitionKind::Citizen,
        "association" => PetitionKind::Association,
        _ => {
            errors.require(tr, form_name, "kind", "");
            PetitionKind::Unspecified
        }
    };
    if kind == PetitionKind::Association {
        errors.require(tr, form_name, "association_id", &form.association_id);
    }
    errors.require(tr, form_name, "title", &form.title).require(
        tr,
        form_name,
        "object",
        &form.object,
    );
    if !SUBJECTS.contains(&form.subject_field.as_str()) {
        errors.require(tr, form_name, "subject_field", "");
    }
    if errors.has_errors() {
        return new_page(&state, &person, lang, form, errors).await;
    }
    let request = CreatePetitionRequest {
        kind: kind as i32,
        title: form.title.trim().to_string(),
        object: form.object.trim().to_string(),
        subject_field: form.subject_field.clone(),
        association_id: if kind == PetitionKind::Association {
            form.association_id.clone()
        } else {
            String::new()
        },
    };
    match state
        .services
        .consultation()
        .create_petition(as_person(&person.session, request))
        .await
    {
        Ok(answer) => {
            let petition = answer
                .into_inner()
                .petition
                .ok_or_else(|| PageError::internal(lang))?;
            Ok(Redirect::to(&format!(
                "/{}/petitions/{}/collect?created=1",
                lang.code(),
                petition.petition_id
            ))
            .into_response())
        }
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, form_name, &[])?;
            new_page(&state, &person, lang, form, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Opening a draft for signatures

#[derive(Debug, Default, Deserialize)]
pub struct FlagsQuery {
    created: Option<String>,
    signed: Option<String>,
    withdrawn: Option<String>,
}

/// A form that is only a button: the token, and nothing else the portal reads.
#[derive(Debug, Deserialize)]
pub struct ButtonForm {}

#[derive(Template)]
#[template(path = "petition_collect.html")]
struct CollectPage {
    frame: Frame,
    csrf: String,
    card: PetitionCard,
    object: String,
    errors: FormErrors,
    created: bool,
    draft: bool,
}

async fn collect_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    id: &str,
    errors: FormErrors,
    created: bool,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (petition, account) = tokio::join!(
        petition_for(state, person, id, lang),
        my_account(state, person, lang)
    );
    let (petition, account) = (petition?, account?);
    if petition.agent_id != account.account_id {
        return Err(PageError::new(ErrorKind::Forbidden, lang));
    }
    let page = CollectPage {
        frame: frame(
            lang,
            tr.t("petition-form-collect-title"),
            &format!("petitions/{}/collect", petition.petition_id),
            &errors,
        ),
        csrf: person.visitor.form_token(),
        draft: status_of(&petition) == PetitionStatus::Draft,
        object: petition.object.clone(),
        card: PetitionCard::of(&petition, tr),
        errors,
        created,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

async fn collect_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(flags): Query<FlagsQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    collect_page(
        &state,
        &person,
        lang,
        &id,
        FormErrors::new(),
        flags.created.is_some(),
    )
    .await
}

async fn collect(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<ButtonForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    let request = StartCollectingRequest {
        petition_id: id.clone(),
    };
    match state
        .services
        .consultation()
        .start_collecting(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/{}/petitions/{id}", lang.code())).into_response()),
        Err(status) if status.code() == Code::InvalidArgument => Err(PageError::not_found(lang)),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "petition-collect", &[])?;
            collect_page(&state, &person, lang, &id, errors, false).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Signing

#[derive(Debug, Default, Deserialize)]
pub struct SignForm {
    #[serde(default)]
    declared_activity_province_code: String,
    #[serde(default)]
    idempotency_key: String,
}

#[derive(Template)]
#[template(path = "petition_sign.html")]
struct SignPage {
    frame: Frame,
    csrf: String,
    card: PetitionCard,
    object: String,
    errors: FormErrors,
    signed: bool,
    collecting: bool,
    /// The person's identity is not verified while the rules ask it.
    unverified: bool,
    /// "Your signature counts for <province>", when the person lives in the region.
    residence: Option<String>,
    /// Offer to declare an activity in a province of the region.
    provinces: Option<Vec<Choice>>,
    who_may_sign: Vec<String>,
    idempotency_key: String,
}

fn who_may_sign(rules: &PetitionRules, tr: Tr) -> Vec<String> {
    let mut sentences = Vec::new();
    if rules.signer_must_be_verified {
        sentences.push(tr.t("petition-rule-verified"));
    }
    if rules.signer_must_reside_or_work_in_region {
        sentences.push(tr.t("petition-rule-residence"));
    }
    if sentences.is_empty() {
        sentences.push(tr.t("petition-form-sign-anyone"));
    }
    sentences
}

async fn sign_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    id: &str,
    form: SignForm,
    errors: FormErrors,
    signed: bool,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (petition, account) = tokio::join!(
        petition_for(state, person, id, lang),
        my_account(state, person, lang)
    );
    let (petition, account): (Petition, Account) = (petition?, account?);
    let rules = petition.rules.unwrap_or_default();
    let lives_in_region = state.region.has_province(&account.residence_province_code);
    let provinces = (rules.declared_activity_accepted && !lives_in_region)
        .then(|| province_choices(&state.region, lang, &form.declared_activity_province_code));
    let key = if form.idempotency_key.is_empty() {
        form::idempotency_key()
    } else {
        form.idempotency_key
    };
    let page = SignPage {
        frame: frame(
            lang,
            tr.t(if signed {
                "petition-form-signed-title"
            } else {
                "petition-form-sign-title"
            }),
            &format!("petitions/{}/sign", petition.petition_id),
            &errors,
        ),
        csrf: person.visitor.form_token(),
        collecting: status_of(&petition) == PetitionStatus::Collecting,
        unverified: rules.signer_must_be_verified && !account.verified,
        residence: lives_in_region.then(|| {
            tr.with(
                "petition-form-your-province",
                &[(
                    "province",
                    province_name(&state.region, &account.residence_province_code, lang),
                )],
            )
        }),
        provinces,
        who_may_sign: who_may_sign(&rules, tr),
        object: petition.object.clone(),
        card: PetitionCard::of(&petition, tr),
        idempotency_key: key,
        errors,
        signed,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

async fn sign_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(flags): Query<FlagsQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    sign_page(
        &state,
        &person,
        lang,
        &id,
        SignForm::default(),
        FormErrors::new(),
        flags.signed.is_some(),
    )
    .await
}

async fn sign(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<SignForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let declared = form.declared_activity_province_code.trim();
    let mut errors = FormErrors::new();
    if !declared.is_empty() && !state.region.has_province(declared) {
        errors.field(
            "declared_activity_province_code",
            tr.t("petition-sign-declared_activity_province_code-invalid"),
        );
        return sign_page(&state, &person, lang, &id, form, errors, false).await;
    }
    let request = SignPetitionRequest {
        petition_id: id.clone(),
        declared_activity_province_code: declared.to_string(),
        idempotency_key: form.idempotency_key.trim().to_string(),
    };
    match state
        .services
        .consultation()
        .sign_petition(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/{}/petitions/{id}/sign?signed=1", lang.code())).into_response(),
        ),
        Err(status)
            if status.code() == Code::InvalidArgument
                && tachawor_errors::violated_fields(&status)
                    .iter()
                    .any(|f| f == "petition_id") =>
        {
            Err(PageError::not_found(lang))
        }
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "petition-sign", &[])?;
            // A new key for the next try: the refused one may not be used again.
            let form = SignForm {
                idempotency_key: String::new(),
                ..form
            };
            sign_page(&state, &person, lang, &id, form, errors, false).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Withdrawing a signature

#[derive(Template)]
#[template(path = "petition_withdraw.html")]
struct WithdrawPage {
    frame: Frame,
    csrf: String,
    card: PetitionCard,
    errors: FormErrors,
    withdrawn: bool,
    collecting: bool,
}

async fn withdraw_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    id: &str,
    errors: FormErrors,
    withdrawn: bool,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let petition = petition_for(state, person, id, lang).await?;
    let page = WithdrawPage {
        frame: frame(
            lang,
            tr.t(if withdrawn {
                "petition-form-withdrawn-title"
            } else {
                "petition-form-withdraw-title"
            }),
            &format!("petitions/{}/withdraw", petition.petition_id),
            &errors,
        ),
        csrf: person.visitor.form_token(),
        collecting: status_of(&petition) == PetitionStatus::Collecting,
        card: PetitionCard::of(&petition, tr),
        errors,
        withdrawn,
    };
    html(&page, page.errors.status(), CachePolicy::NoStore, lang)
}

async fn withdraw_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(flags): Query<FlagsQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    withdraw_page(
        &state,
        &person,
        lang,
        &id,
        FormErrors::new(),
        flags.withdrawn.is_some(),
    )
    .await
}

async fn withdraw(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<ButtonForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let tr = Tr::new(lang);
    // The petition first: a missing one is a missing page, a missing signature a sentence.
    petition_for(&state, &person, &id, lang).await?;
    let request = WithdrawSignatureRequest {
        petition_id: id.clone(),
    };
    match state
        .services
        .consultation()
        .withdraw_signature(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/petitions/{id}/withdraw?withdrawn=1",
            lang.code()
        ))
        .into_response()),
        Err(status) => {
            let errors = if status.code() == Code::NotFound {
                let mut errors = FormErrors::new();
                errors.general(tr.t("petition-withdraw-not-signed"));
                errors
            } else {
                FormErrors::from_status(&status, tr, "petition-withdraw", &[])?
            };
            withdraw_page(&state, &person, lang, &id, errors, false).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The person's own petitions

pub struct MineRow {
    pub card: PetitionCard,
    pub draft: bool,
}

#[derive(Template)]
#[template(path = "petitions_mine.html")]
struct MinePage {
    frame: Frame,
    petitions: Vec<MineRow>,
}

async fn mine(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    // The petitions the person is the agent of, from their own data at consultation: a page
    // at a time, as many as they made, never the whole list of everyone's.
    let mut petitions = Vec::new();
    reads::each_page(
        lang,
        (MINE_PAGES, 100),
        |page| {
            let request = tachawor_proto::consultation::ExportMyDataRequest { page: Some(page) };
            let mut client = state.services.consultation();
            let request = as_person(&person.session, request);
            async move { client.export_my_data(request).await }
        },
        |m| &m.next_page_token,
        |answer| {
            petitions.extend(answer.petitions_created.into_iter().map(|p| MineRow {
                draft: status_of(&p) == PetitionStatus::Draft,
                card: PetitionCard::of(&p, tr),
            }));
            Ok(())
        },
    )
    .await?;
    let page = MinePage {
        frame: Frame::new(
            lang,
            tr.t("petition-form-mine-title"),
            Section::Petitions,
            "petitions/mine",
        ),
        petitions,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}
