//! The consultative instances' adopted opinions, each recommendation with the council's answer
//! and its follow-up: the loop the commitment is about, in public.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::consultation::{FollowUp, Opinion, RecommendationAnswer, Referral};

use super::{AppState, Listing, PageQuery, lang_of, reads};
use crate::{
    error::PageError,
    i18n::Tr,
    page::{Frame, Section, html},
    view::{Text, enum_code},
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
    pub matter: String,
    pub referral_label: String,
    pub adopted: String,
    pub body: String,
    pub recommendations: Vec<RecommendationView>,
}

impl OpinionView {
    fn of(o: &Opinion, instances: &HashMap<String, Text>, tr: Tr) -> Self {
        let label = |prefix: &str, name: &str, strip: &str| {
            tr.t(&format!("{prefix}-{}", enum_code(name, strip)))
        };
        Self {
            instance: instances.get(&o.instance_id).cloned().unwrap_or_default(),
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
    let instances: HashMap<String, Text> = names
        .iter()
        .map(|(id, name)| (id.clone(), Text::of(Some(name), lang)))
        .collect();
    let tr = Tr::new(lang);
    let (frame, listing) = Listing::new(
        lang,
        "opinions-title",
        Section::Opinions,
        "opinions",
        is_first,
        &opinions.next_page_token,
    );
    let page = OpinionsPage {
        frame,
        listing,
        opinions: opinions
            .opinions
            .iter()
            .map(|o| OpinionView::of(o, &instances, tr))
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
