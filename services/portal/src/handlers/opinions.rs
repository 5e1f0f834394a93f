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
    common::PageRequest,
    consultation::{FollowUp, ListOpinionsRequest, Opinion, RecommendationAnswer, Referral},
    identity::ListInstancesRequest,
};

use super::{AppState, Listing, PageQuery, lang_of};
use crate::{
    error::PageError,
    i18n::Tr,
    page::{Frame, Section, html},
    view::{Text, enum_code},
};

/// Instances named on one page; a region has a handful.
const INSTANCES: i32 = 100;

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
    let request = ListOpinionsRequest {
        instance_id: String::new(),
        page: app.page(query.token(lang)?),
    };
    let (mut consultation, mut identity) = (app.services.consultation(), app.services.identity());
    let (opinions, instances) = tokio::join!(
        consultation.list_opinions(request),
        identity.list_instances(ListInstancesRequest {
            page: Some(PageRequest {
                page_size: INSTANCES,
                page_token: String::new(),
            }),
        }),
    );
    let fail = |s: tonic::Status| PageError::from_status(&s, lang);
    let opinions = opinions.map_err(fail)?.into_inner();
    let instances: HashMap<String, Text> = instances
        .map_err(fail)?
        .into_inner()
        .instances
        .iter()
        .map(|i| (i.instance_id.clone(), Text::of(i.name.as_ref(), lang)))
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
