//! The JSON twins of the instances' opinions and of the Regional Forum, in the conventions of
//! [`super::api`]: texts in both languages, instants RFC 3339 UTC, dates `YYYY-MM-DD`, enum
//! values as lower-case codes.

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use serde::Serialize;
use tachawor_proto::{
    common::VoteMajority,
    consultation::{
        FollowUp, ForumContribution, ForumEdition, Opinion, OpinionTally, RecommendationAnswer,
        Referral,
    },
    dates,
};

use super::{
    AppState, PageQuery,
    api::{Localized, fail, instant, list, localized, lookup_failed, one, token},
    reads,
};
use crate::{error::PageError, view::enum_code};

#[derive(Serialize)]
struct RecommendationJson {
    text: String,
    answer: String,
    answer_reasons: String,
    follow_up: String,
    follow_up_note: String,
}

/// The members' vote on an opinion, against the instance's rule.
#[derive(Serialize)]
struct TallyJson {
    votes_for: i32,
    votes_against: i32,
    abstentions: i32,
    /// The instance's members at adoption.
    members: i32,
    /// The share of members who had to vote, in percent.
    quorum_percent: i32,
    /// `simple`, `two_thirds` or `absolute`.
    majority: String,
}

impl From<&OpinionTally> for TallyJson {
    fn from(t: &OpinionTally) -> Self {
        let (quorum_percent, majority) = t
            .vote_rule
            .as_ref()
            .map(|r| (r.quorum_percent, r.majority))
            .unwrap_or_default();
        Self {
            votes_for: t.votes_for,
            votes_against: t.votes_against,
            abstentions: t.abstentions,
            members: t.members,
            quorum_percent,
            majority: enum_code(
                VoteMajority::try_from(majority)
                    .unwrap_or_default()
                    .as_str_name(),
                "VOTE_MAJORITY_",
            ),
        }
    }
}

#[derive(Serialize)]
struct OpinionJson {
    id: String,
    instance_id: String,
    instance: Localized,
    matter: String,
    referral: String,
    adopted_at: Option<String>,
    body: String,
    recommendations: Vec<RecommendationJson>,
    /// `null` for opinions adopted before instances voted.
    tally: Option<TallyJson>,
}

impl OpinionJson {
    fn of(o: &Opinion, names: &std::collections::HashMap<String, reads::InstanceLabel>) -> Self {
        Self {
            id: o.opinion_id.clone(),
            instance_id: o.instance_id.clone(),
            instance: localized(names.get(&o.instance_id).map(|i| &i.name)),
            matter: o.matter.clone(),
            referral: enum_code(
                Referral::try_from(o.referral)
                    .unwrap_or_default()
                    .as_str_name(),
                "REFERRAL_",
            ),
            adopted_at: instant(o.adopted_at.as_ref()),
            body: o.body.clone(),
            recommendations: o
                .recommendations
                .iter()
                .map(|r| RecommendationJson {
                    text: r.text.clone(),
                    answer: enum_code(
                        RecommendationAnswer::try_from(r.answer)
                            .unwrap_or_default()
                            .as_str_name(),
                        "RECOMMENDATION_ANSWER_",
                    ),
                    answer_reasons: r.answer_reasons.clone(),
                    follow_up: enum_code(
                        FollowUp::try_from(r.follow_up)
                            .unwrap_or_default()
                            .as_str_name(),
                        "FOLLOW_UP_",
                    ),
                    follow_up_note: r.follow_up_note.clone(),
                })
                .collect(),
            tally: o
                .tally
                .as_ref()
                .filter(|t| t.votes_for + t.votes_against + t.abstentions > 0)
                .map(TallyJson::from),
        }
    }
}

pub async fn opinions(
    State(app): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (answer, names) = reads::opinions(&app, token(query)?).await.map_err(fail)?;
    let items = answer
        .opinions
        .iter()
        .map(|o| OpinionJson::of(o, &names))
        .collect();
    Ok(list(&app, items, answer.next_page_token))
}

#[derive(Serialize)]
struct WorkshopJson {
    id: String,
    title: Localized,
    province_code: String,
    contribution_count: i64,
    recommendations: Vec<String>,
}

#[derive(Serialize)]
struct ThemeJson {
    id: String,
    title: Localized,
    workshops: Vec<WorkshopJson>,
}

#[derive(Serialize)]
struct ForumEditionJson {
    id: String,
    year: i32,
    title: Localized,
    starts_on: Option<String>,
    ends_on: Option<String>,
    /// Empty in the list of editions; the edition's own document has them.
    themes: Vec<ThemeJson>,
}

impl From<&ForumEdition> for ForumEditionJson {
    fn from(e: &ForumEdition) -> Self {
        Self {
            id: e.edition_id.clone(),
            year: e.year,
            title: localized(e.title.as_ref()),
            starts_on: e.starts_on.as_ref().and_then(dates::date_str),
            ends_on: e.ends_on.as_ref().and_then(dates::date_str),
            themes: e
                .themes
                .iter()
                .map(|t| ThemeJson {
                    id: t.theme_id.clone(),
                    title: localized(t.title.as_ref()),
                    workshops: t
                        .workshops
                        .iter()
                        .map(|w| WorkshopJson {
                            id: w.workshop_id.clone(),
                            title: localized(w.title.as_ref()),
                            province_code: w.province_code.clone(),
                            contribution_count: w.contribution_count,
                            recommendations: w
                                .recommendations
                                .iter()
                                .map(|r| r.text.clone())
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ContributionJson {
    id: String,
    body: String,
    created_at: Option<String>,
    /// The author deleted their account; the contribution stays, unsigned.
    author_deleted: bool,
}

impl From<&ForumContribution> for ContributionJson {
    fn from(c: &ForumContribution) -> Self {
        Self {
            id: c.contribution_id.clone(),
            body: c.body.clone(),
            created_at: instant(c.created_at.as_ref()),
            author_deleted: c.author_deleted,
        }
    }
}

pub async fn forum_editions(
    State(app): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let answer = reads::forum_editions(&app, token(query)?)
        .await
        .map_err(fail)?;
    let items = answer.editions.iter().map(ForumEditionJson::from).collect();
    Ok(list(&app, items, answer.next_page_token))
}

pub async fn forum_edition(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let found = reads::forum_edition(&app, id)
        .await
        .map_err(lookup_failed)?;
    one(&app, found.as_ref().map(ForumEditionJson::from))
}

pub async fn forum_contributions(
    State(app): State<AppState>,
    Path(workshop): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let answer = reads::forum_contributions(&app, workshop, token(query)?)
        .await
        .map_err(lookup_failed)?;
    let items = answer
        .contributions
        .iter()
        .map(ContributionJson::from)
        .collect();
    Ok(list(&app, items, answer.next_page_token))
}
