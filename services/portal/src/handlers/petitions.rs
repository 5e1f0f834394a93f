//! Petitions: the list with each one's progress, and one petition with the law's rules in plain
//! words, its signatures per province, its receipt and the council's answer.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::{
    consultation::{AttachmentParent, PetitionRules},
    dates,
};

use super::{AppState, Listing, PageQuery, lang_of, reads};
use crate::{
    error::PageError,
    i18n::{Tr, number},
    page::{Frame, Section, html},
    view::{PetitionCard, ProvinceRow, province_name},
};

#[derive(Template)]
#[template(path = "petitions.html")]
struct ListPage {
    frame: Frame,
    listing: Listing,
    petitions: Vec<PetitionCard>,
}

pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let is_first = query.is_first();
    let answer = reads::petitions(&app, query.token(lang)?)
        .await
        .map_err(|s| PageError::from_status(&s, lang))?;
    let tr = Tr::new(lang);
    let (frame, listing) = Listing::new(
        lang,
        "petitions-title",
        Section::Petitions,
        "petitions",
        is_first,
        &answer.next_page_token,
    );
    let page = ListPage {
        frame,
        listing,
        petitions: answer
            .petitions
            .iter()
            .map(|p| PetitionCard::of(p, tr))
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

#[derive(Template)]
#[template(path = "petition.html")]
struct DetailPage {
    frame: Frame,
    card: PetitionCard,
    object: String,
    rules: Vec<String>,
    provinces: Vec<ProvinceRow>,
    as_of: String,
    receipt: Option<String>,
    answer_due: Option<String>,
    late: bool,
    session: Option<String>,
    rejection: Option<String>,
    /// The documents attached (the council's answer, for example).
    attachments: Vec<super::documents::AttachmentView>,
    attachments_title: &'static str,
}

/// The rules in force as sentences a person reads.
pub fn rule_sentences(rules: &PetitionRules, tr: Tr) -> Vec<String> {
    let mut sentences = vec![
        tr.with(
            "petition-rule-minimum",
            &[
                ("minimum", number(rules.minimum_signatures)),
                ("population", number(rules.region_population)),
            ],
        ),
        tr.with(
            "petition-rule-share",
            &[
                ("percent", rules.province_share_percent.to_string()),
                ("province_minimum", number(rules.province_minimum)),
            ],
        ),
    ];
    if rules.signer_must_be_verified {
        sentences.push(tr.t("petition-rule-verified"));
    }
    if rules.signer_must_reside_or_work_in_region {
        sentences.push(tr.t("petition-rule-residence"));
    }
    sentences.push(tr.with(
        "petition-rule-answer",
        &[("months", rules.answer_period_months.to_string())],
    ));
    sentences
}

pub async fn detail(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let (petition, attachments) = tokio::join!(
        reads::petition(&app, id.clone()),
        super::documents::of_parent(&app, AttachmentParent::Petition, &id, tr),
    );
    let petition = petition
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let card = PetitionCard::of(&petition, tr);
    let rules = petition.rules.unwrap_or_default();
    let progress = petition.progress.clone().unwrap_or_default();
    // Every province of the region, those without a signature too.
    let provinces = app
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
                name: province_name(&app.region, &province.code, lang),
                signatures: number(signatures),
                needed: number(rules.province_minimum),
                met: signatures >= rules.province_minimum,
            }
        })
        .collect();
    let receipt = petition.receipt.as_ref().map(|r| {
        tr.with(
            "petition-receipt",
            &[
                ("number", r.number.clone()),
                ("date", tr.timestamp_date(r.deposited_at.as_ref())),
            ],
        )
    });
    let rest = format!("petitions/{}", petition.petition_id);
    let page = DetailPage {
        frame: Frame::new(lang, card.title.clone(), Section::Petitions, &rest),
        object: petition.object.clone(),
        rules: rule_sentences(&rules, tr),
        provinces,
        as_of: tr.with(
            "petition-as-of",
            &[("date", tr.date(&dates::date_of_millis(super::now_millis())))],
        ),
        receipt,
        answer_due: petition.answer_due_at.as_ref().map(|t| {
            tr.with(
                "petition-answer-due",
                &[("date", tr.timestamp_date(Some(t)))],
            )
        }),
        late: petition.late,
        session: Some(petition.session.clone())
            .filter(|s| !s.is_empty())
            .map(|s| tr.with("petition-session", &[("session", s)])),
        rejection: Some(petition.rejection_reasons.clone()).filter(|s| !s.is_empty()),
        card,
        attachments,
        attachments_title: "documents-title",
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
