//! The petitions desk: the petitions awaiting the council's decision first (deposit date,
//! decision deadline, late flag), the others by state; a petition's desk page with its facts
//! and signatures (online and on paper), admitting it onto a named session, rejecting it with
//! reasons, closing it once answered; and signatures given on paper, recorded by staff for a
//! verified signer they checked in person, under the rules of online signatures.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    consultation::{
        AdmitPetitionRequest, ClosePetitionRequest, GetPetitionRequest, ListPetitionsRequest,
        ListSignaturesRequest, Petition, PetitionStatus, RecordPaperSignatureRequest,
        RejectPetitionRequest,
    },
    identity::SearchAccountsRequest,
};
use tonic::Code;

use super::{NoFields, Staff, StaffNav, frame, whole::read_whole};
use crate::{
    error::PageError,
    form::{self, FormErrors},
    handlers::{AppState, Listing, PageQuery, encode_query, lang_of, next_link},
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, PetitionCard, ProvinceRow, enum_code, province_choices, province_name},
};

/// The states the list filters by, in the order of the filter; `deposited` (awaiting the
/// council's decision) is the list's first view.
const STATES: &[&str] = &[
    "deposited",
    "collecting",
    "admissible",
    "rejected",
    "closed",
    "draft",
    "all",
];

fn status_of(code: &str) -> Option<PetitionStatus> {
    match code {
        "all" => Some(PetitionStatus::Unspecified),
        other => PetitionStatus::from_str_name(&format!(
            "PETITION_STATUS_{}",
            other.to_ascii_uppercase()
        ))
        .filter(|s| *s != PetitionStatus::Unspecified),
    }
}

fn code_of(p: &Petition) -> String {
    enum_code(
        PetitionStatus::try_from(p.status)
            .unwrap_or_default()
            .as_str_name(),
        "PETITION_STATUS_",
    )
}

/// A petition as the desk lists it.
pub struct PetitionRow {
    pub card: PetitionCard,
    /// "Deposited on …, receipt no. …", when deposited.
    pub deposited: Option<String>,
    /// "Decision due by …", when deposited.
    pub due: Option<String>,
    pub late: bool,
}

impl PetitionRow {
    fn of(p: &Petition, tr: Tr) -> Self {
        Self {
            card: PetitionCard::of(p, tr),
            deposited: p.receipt.as_ref().map(|r| {
                tr.with(
                    "staff-petitions-deposited-on",
                    &[
                        ("date", tr.timestamp_date(r.deposited_at.as_ref())),
                        ("number", r.number.clone()),
                    ],
                )
            }),
            due: p.answer_due_at.as_ref().map(|t| {
                tr.with(
                    "staff-petitions-due",
                    &[("date", tr.timestamp_date(Some(t)))],
                )
            }),
            late: p.late,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_petitions.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    state: String,
    states: Vec<Choice>,
    petitions: Vec<PetitionRow>,
    listing: Listing,
}

/// The petitions of one state, those awaiting a decision unless another is chosen.
pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let chosen = query
        .state
        .as_deref()
        .filter(|s| STATES.contains(s))
        .unwrap_or(STATES[0])
        .to_string();
    let status = status_of(&chosen).unwrap_or_default();
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let answer = state
        .services
        .consultation()
        .list_petitions(as_person(
            &staff.session,
            ListPetitionsRequest {
                status: status as i32,
                page: state.page(token),
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let rest = format!("staff/petitions?state={chosen}");
    let base = format!("/{}/{rest}", lang.code());
    let page = ListPage {
        frame: frame(lang, "staff-petitions-title", &rest),
        nav: StaffNav::new(lang, "petitions"),
        states: STATES
            .iter()
            .map(|s| Choice {
                value: (*s).to_string(),
                label: tr.t(&format!("staff-petitions-state-{s}")),
                selected: *s == chosen,
            })
            .collect(),
        state: chosen,
        petitions: answer
            .petitions
            .iter()
            .map(|p| PetitionRow::of(p, tr))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token)
                .map(|l| l.replacen("?page=", "&page=", 1)),
            first: (!is_first).then_some(base),
        },
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- One petition ---------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    /// What was just done: `admitted`, `rejected`, `closed`, `paper` or `refused`.
    done: Option<String>,
}

/// What was typed in the desk's forms, kept when one comes back with errors.
#[derive(Default)]
struct Typed {
    session: String,
    reasons: String,
    who: String,
    declared_activity_province_code: String,
    idempotency_key: String,
}

#[derive(Template)]
#[template(path = "staff_petition.html")]
struct DeskPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    card: PetitionCard,
    row: PetitionRow,
    status: String,
    object: String,
    subject: String,
    /// What the law asks of the council's answer, with the period in force.
    law: String,
    session: Option<String>,
    rejection: Option<String>,
    answered: Option<String>,
    online: String,
    paper: String,
    provinces: Vec<ProvinceRow>,
    notice: Option<String>,
    errors: FormErrors,
    typed: Typed,
    activity_provinces: Vec<Choice>,
    declared_activity_accepted: bool,
}

/// The petition's signatures online and on paper: the list read whole (`whole`), to count
/// them (a staff page, read one petition at a time).
async fn signature_counts(
    state: &AppState,
    staff: &Staff,
    petition_id: &str,
) -> Result<(i64, i64), tonic::Status> {
    let signatures = read_whole("signatures", |page| {
        let mut client = state.services.consultation();
        let request = as_person(
            &staff.session,
            ListSignaturesRequest {
                petition_id: petition_id.to_string(),
                page: Some(page),
            },
        );
        async move {
            let answer = client.list_signatures(request).await?.into_inner();
            Ok((answer.signatures, answer.next_page_token))
        }
    })
    .await?;
    let paper = signatures.iter().filter(|s| s.paper).count();
    let online = signatures.len() - paper;
    Ok((
        i64::try_from(online).unwrap_or(i64::MAX),
        i64::try_from(paper).unwrap_or(i64::MAX),
    ))
}

async fn desk_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
    notice: Option<String>,
    errors: FormErrors,
    typed: Typed,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let mut client = state.services.consultation();
    let petition = client.get_petition(as_person(
        &staff.session,
        GetPetitionRequest {
            petition_id: id.to_string(),
        },
    ));
    let counts = signature_counts(state, staff, id);
    let (petition, counts) = tokio::join!(petition, counts);
    let petition = petition
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .petition
        .ok_or_else(|| PageError::not_found(lang))?;
    let (online, paper) = counts.map_err(|s| PageError::from_lookup(&s, lang))?;
    let rules = petition.rules.unwrap_or_default();
    let progress = petition.progress.clone().unwrap_or_default();
    let provinces = state
        .region
        .provinces
        .iter()
        .map(|province| {
            let signatures = progress
                .provinces
                .iter()
                .find(|c| c.province_code == province.code)
                .map_or(0, |c| c.signatures);
            ProvinceRow {
                name: province_name(&state.region, &province.code, lang),
                signatures: number(signatures),
                needed: number(rules.province_minimum),
                met: signatures >= rules.province_minimum,
            }
        })
        .collect();
    let subject = tr.first_of(&[
        &format!("petition-form-subject-{}", petition.subject_field),
        "staff-petition-subject-other",
    ]);
    let status = errors.status();
    let page = DeskPage {
        frame: frame(
            lang,
            "staff-petition-title",
            &format!("staff/petitions/{}", petition.petition_id),
        )
        .with_errors(&errors),
        nav: StaffNav::new(lang, "petitions"),
        csrf: staff.visitor.form_token(),
        card: PetitionCard::of(&petition, tr),
        row: PetitionRow::of(&petition, tr),
        status: code_of(&petition),
        object: petition.object.clone(),
        subject,
        law: tr.count("staff-petition-law", i64::from(rules.answer_period_months)),
        session: Some(petition.session.clone()).filter(|s| !s.is_empty()),
        rejection: Some(petition.rejection_reasons.clone()).filter(|s| !s.is_empty()),
        answered: petition.answered_at.as_ref().map(|t| {
            tr.with(
                "staff-petition-answered-on",
                &[("date", tr.timestamp_date(Some(t)))],
            )
        }),
        online: tr.count("staff-petition-online", online),
        paper: tr.count("staff-petition-paper", paper),
        provinces,
        notice,
        activity_provinces: province_choices(
            &state.region,
            lang,
            &typed.declared_activity_province_code,
        ),
        declared_activity_accepted: rules.declared_activity_accepted,
        typed: Typed {
            idempotency_key: if typed.idempotency_key.is_empty() {
                form::idempotency_key()
            } else {
                typed.idempotency_key.clone()
            },
            ..typed
        },
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn desk(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<DeskQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let notice = match query.done.as_deref() {
        Some(done @ ("admitted" | "rejected" | "closed" | "paper" | "refused")) => {
            Some(tr.t(&format!("staff-petition-done-{done}")))
        }
        _ => None,
    };
    desk_page(
        &state,
        &staff,
        lang,
        &id,
        notice,
        FormErrors::new(),
        Typed::default(),
    )
    .await
}

fn back(lang: Lang, id: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/staff/petitions/{}?done={done}",
        lang.code(),
        encode_query(id)
    ))
    .into_response()
}

/// A refusal naming the petition's id: the petition does not exist.
fn names_the_petition(status: &tonic::Status) -> bool {
    status.code() == Code::InvalidArgument
        && tachawor_errors::violated_fields(status)
            .iter()
            .any(|f| f == "petition_id")
}

// ---- Admit, reject, close ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct AdmitForm {
    #[serde(default)]
    session: String,
}

/// Admits a deposited petition onto the named ordinary session of the council.
pub async fn admit(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<AdmitForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "staff-admit", "session", &form.session);
    if errors.is_empty() {
        let request = AdmitPetitionRequest {
            petition_id: id.clone(),
            session: form.session.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .admit_petition(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back(lang, &id, "admitted")),
            Err(status) if names_the_petition(&status) => return Err(PageError::not_found(lang)),
            Err(status) => errors = FormErrors::from_status(&status, tr, "staff-admit", &[])?,
        }
    }
    let typed = Typed {
        session: form.session,
        ..Typed::default()
    };
    desk_page(&state, &staff, lang, &id, None, errors, typed).await
}

#[derive(Debug, Default, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reasons: String,
}

/// Rejects a deposited petition with the reasons the agent is given.
pub async fn reject(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<RejectForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "staff-reject", "reasons", &form.reasons);
    if errors.is_empty() {
        let request = RejectPetitionRequest {
            petition_id: id.clone(),
            reasons: form.reasons.trim().to_string(),
        };
        match state
            .services
            .consultation()
            .reject_petition(as_person(&staff.session, request))
            .await
        {
            Ok(_) => return Ok(back(lang, &id, "rejected")),
            Err(status) if names_the_petition(&status) => return Err(PageError::not_found(lang)),
            Err(status) => errors = FormErrors::from_status(&status, tr, "staff-reject", &[])?,
        }
    }
    let typed = Typed {
        reasons: form.reasons,
        ..Typed::default()
    };
    desk_page(&state, &staff, lang, &id, None, errors, typed).await
}

/// Closes an answered petition.
pub async fn close(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let closed = state
        .services
        .consultation()
        .close_petition(as_person(
            &staff.session,
            ClosePetitionRequest {
                petition_id: id.clone(),
            },
        ))
        .await;
    match closed {
        Ok(_) => Ok(back(lang, &id, "closed")),
        Err(status) if status.code() == Code::FailedPrecondition => Ok(back(lang, &id, "refused")),
        Err(status) if names_the_petition(&status) => Err(PageError::not_found(lang)),
        Err(status) => Err(PageError::from_lookup(&status, lang)),
    }
}

// ---- Paper signatures -----------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct PaperForm {
    /// The signer's account, by its email or phone.
    #[serde(default)]
    who: String,
    #[serde(default)]
    declared_activity_province_code: String,
    #[serde(default)]
    idempotency_key: String,
}

/// The account whose email or phone is exactly `who`, as staff find it through identity.
async fn signer_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    who: &str,
) -> Result<Option<String>, PageError> {
    let found = state
        .services
        .identity()
        .search_accounts(as_person(
            &staff.session,
            SearchAccountsRequest {
                query: who.to_string(),
                ..Default::default()
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .accounts;
    Ok(found
        .into_iter()
        .find(|a| a.email.eq_ignore_ascii_case(who) || (!a.phone.is_empty() && a.phone == who))
        .map(|a| a.account_id))
}

/// Records a signature given on paper by the account staff name (its email or phone), after
/// checking the signer in person; the service applies the online rules.
pub async fn paper(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<PaperForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let who = form.who.trim().to_string();
    let declared = form.declared_activity_province_code.trim().to_string();
    let mut errors = FormErrors::new();
    errors.require(tr, "staff-paper", "who", &who);
    if who.chars().count() > 100 {
        errors.field("who", tr.t("staff-paper-who-unknown"));
    }
    if !declared.is_empty() && !state.region.has_province(&declared) {
        errors.field(
            "declared_activity_province_code",
            tr.t("staff-paper-declared_activity_province_code-invalid"),
        );
    }
    let mut key = form::posted_key(&form.idempotency_key);
    if errors.is_empty() {
        match signer_of(&state, &staff, lang, &who).await? {
            None => {
                errors.field("who", tr.t("staff-paper-who-unknown"));
            }
            Some(account_id) => {
                let request = RecordPaperSignatureRequest {
                    petition_id: id.clone(),
                    account_id,
                    declared_activity_province_code: declared.clone(),
                    idempotency_key: key.clone(),
                };
                match state
                    .services
                    .consultation()
                    .record_paper_signature(as_person(&staff.session, request))
                    .await
                {
                    Ok(_) => return Ok(back(lang, &id, "paper")),
                    Err(status) if names_the_petition(&status) => {
                        return Err(PageError::not_found(lang));
                    }
                    // The signer's account is closed: not one that signs.
                    Err(status)
                        if status.code() == Code::NotFound
                            && status.message().contains("account") =>
                    {
                        errors.field("who", tr.t("staff-paper-who-unknown"));
                    }
                    Err(status) => {
                        errors = FormErrors::from_status(
                            &status,
                            tr,
                            "staff-paper",
                            &[("account_id", "who")],
                        )?;
                        // A refused key may not be used again: the next try gets a new one.
                        key = String::new();
                    }
                }
            }
        }
    }
    let typed = Typed {
        who: form.who,
        declared_activity_province_code: form.declared_activity_province_code,
        idempotency_key: key,
        ..Typed::default()
    };
    desk_page(&state, &staff, lang, &id, None, errors, typed).await
}
