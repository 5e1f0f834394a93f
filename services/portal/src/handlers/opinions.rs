//! The consultative instances' adopted opinions, each recommendation with the council's answer
//! and its follow-up: the loop the commitment is about, in public.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::{
    consultation::{
        AttachmentParent, FollowUp, Opinion, OpinionTally, RecommendationAnswer, Referral,
    },
    identity::InstanceLevel,
};

use super::{AppState, Listing, PageQuery, documents::AttachmentView, lang_of, reads};
use crate::{
    error::PageError,
    i18n::Tr,
    page::{Frame, Section, html},
    view::{Text, enum_code, province_name},
};

pub struct RecommendationView {
    pub text: String,
    pub answer_label: String,
    pub answer_reasons: String,
    pub follow_up_label: String,
    pub follow_up_note: String,
}

pub struct OpinionView {
    pub instance: Text,
    /// The instance's level, and its province for a provincial or communal one.
    pub place: String,
    /// How the members voted; empty for opinions adopted before votes.
    pub tally: String,
    pub matter: String,
    pub referral_label: String,
    pub adopted: String,
    pub body: String,
    pub recommendations: Vec<RecommendationView>,
    /// The documents attached to the opinion.
    pub documents: Vec<AttachmentView>,
}

/// The tally's line: "3 for, 1 against, 1 abstention, of 7 members".
fn tally_line(t: Option<&OpinionTally>, tr: Tr) -> String {
    match t {
        Some(t) if t.votes_for + t.votes_against + t.abstentions > 0 => tr.with(
            "opinion-tally",
            &[
                ("for", t.votes_for.to_string()),
                ("against", t.votes_against.to_string()),
                (
                    "abstain",
                    tr.count("opinion-abstentions", t.abstentions.into()),
                ),
                ("members", tr.count("opinion-members", t.members.into())),
            ],
        ),
        _ => String::new(),
    }
}

impl OpinionView {
    fn of(o: &Opinion, instances: &HashMap<String, (Text, String)>, tr: Tr) -> Self {
        let label = |prefix: &str, name: &str, strip: &str| {
            tr.t(&format!("{prefix}-{}", enum_code(name, strip)))
        };
        Self {
            instance: instances
                .get(&o.instance_id)
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
            place: instances
                .get(&o.instance_id)
                .map(|(_, place)| place.clone())
                .unwrap_or_default(),
            tally: tally_line(o.tally.as_ref(), tr),
            matter: o.matter.clone(),
            referral_label: label(
                "referral",
                Referral::try_from(o.referral)
                    .unwrap_or_default()
                    .as_str_name(),
                "REFERRAL_",
            ),
            adopted: o
                .adopted_at
                .as_ref()
                .map(|t| tr.with("opinion-adopted", &[("date", tr.timestamp_date(Some(t)))]))
                .unwrap_or_default(),
            body: o.body.clone(),
            recommendations: o
                .recommendations
                .iter()
                .map(|r| RecommendationView {
                    text: r.text.clone(),
                    answer_label: label(
                        "recommendation-answer",
                        RecommendationAnswer::try_from(r.answer)
                            .unwrap_or_default()
                            .as_str_name(),
                        "RECOMMENDATION_ANSWER_",
                    ),
                    answer_reasons: r.answer_reasons.clone(),
                    follow_up_label: label(
                        "follow-up",
                        FollowUp::try_from(r.follow_up)
                            .unwrap_or_default()
                            .as_str_name(),
                        "FOLLOW_UP_",
                    ),
                    follow_up_note: r.follow_up_note.clone(),
                })
                .collect(),
            documents: Vec::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "opinions.html")]
struct OpinionsPage {
    frame: Frame,
    listing: Listing,
    opinions: Vec<OpinionView>,
}

pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let is_first = query.is_first();
    let (opinions, names) = reads::opinions(&app, query.token(lang)?)
        .await
        .map_err(|s| PageError::from_status(&s, lang))?;
    let tr = Tr::new(lang);
    let instances: HashMap<String, (Text, String)> = names
        .iter()
        .map(|(id, i)| {
            let level = tr.t(&format!(
                "instance-level-{}",
                enum_code(i.level.as_str_name(), "INSTANCE_LEVEL_")
            ));
            let place = match i.level {
                InstanceLevel::Provincial | InstanceLevel::Communal => format!(
                    "{level} — {}",
                    province_name(&app.region, &i.province_code, lang)
                ),
                _ => level,
            };
            (id.clone(), (Text::of(Some(&i.name), lang), place))
        })
        .collect();
    let (frame, listing) = Listing::new(
        lang,
        "opinions-title",
        Section::Opinions,
        "opinions",
        is_first,
        &opinions.next_page_token,
    );
    // Each opinion's documents, asked for together (a page holds a bounded number of them).
    let documents =
        futures::future::join_all(opinions.opinions.iter().map(|o| {
            super::documents::of_parent(&app, AttachmentParent::Opinion, &o.opinion_id, tr)
        }))
        .await;
    let page = OpinionsPage {
        frame,
        listing,
        opinions: opinions
            .opinions
            .iter()
            .zip(documents)
            .map(|(o, documents)| OpinionView {
                documents,
                ..OpinionView::of(o, &instances, tr)
            })
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
