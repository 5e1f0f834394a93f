//! Opinions of the consultative instances: members of an instance draft an opinion made of
//! recommendations, edit it until someone votes, vote on it (current members only, one vote
//! each, changeable until the vote closes) and close the vote, which adopts it when the
//! instance's quorum and majority are met; the council (staff) answers each recommendation and
//! tracks its follow-up. Adopted opinions are public with their tally; drafts and the
//! per-member votes are read by the instance's members and staff.

use std::collections::HashMap;

use tachawor_auth::AccountCaller;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        AdoptOpinionRequest, AdoptOpinionResponse, AnswerRecommendationRequest,
        AnswerRecommendationResponse, CastOpinionVoteRequest, CastOpinionVoteResponse,
        DraftOpinionRequest, DraftOpinionResponse, GetOpinionRequest, GetOpinionResponse,
        ListOpinionVotesRequest, ListOpinionVotesResponse, ListOpinionsRequest,
        ListOpinionsResponse, Opinion, OpinionTally, OpinionVote, Recommendation, Referral,
        SetRecommendationFollowUpRequest, SetRecommendationFollowUpResponse,
        UpdateOpinionDraftRequest, UpdateOpinionDraftResponse,
    },
    events::{
        InstanceOpinionAdopted, InstanceOpinionVoteCast, InstanceRecommendationAnswered,
        InstanceRecommendationFollowUpChanged,
    },
};
use tachawor_region::VoteRule;

use super::{
    answers::{self, Answering},
    participants::Participant,
};

use crate::{
    context::{Call, Context, STAFF, person, reads_as_staff},
    domain::{
        self,
        opinion::Status,
        timestamp,
        vote::{self, Choice, Tally},
    },
    store::{
        answers as answer_rows,
        opinions::{self as rows, OpinionRow},
        roster,
    },
    validate,
};

const MATTER_MAX: usize = 300;
const BODY_MAX: usize = 20_000;
const RECOMMENDATION_MAX: usize = 2000;
const RECOMMENDATIONS_MAX: usize = 50;

async fn load(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    row: OpinionRow,
) -> Result<Opinion, Error> {
    let recommendations = rows::recommendations(conn, &row.opinion_id).await?;
    let mut tallies = tallies(ctx, conn, std::slice::from_ref(&row)).await?;
    let tally = tallies.remove(&row.opinion_id);
    Ok(message(row, recommendations, tally))
}

/// Each opinion's count, in three statements for a whole page: an adopted one against what
/// its vote was counted against when it closed; a draft against its instance's current members
/// and rule, as projected from identity's events.
async fn tallies(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    opinions: &[OpinionRow],
) -> Result<HashMap<String, OpinionTally>, Error> {
    let ids: Vec<&str> = opinions.iter().map(|o| o.opinion_id.as_str()).collect();
    let votes = rows::votes_of(conn, &ids).await?;
    let mut drafting: Vec<&str> = opinions
        .iter()
        .filter(|o| o.adopted_at.is_none())
        .map(|o| o.instance_id.as_str())
        .collect();
    drafting.sort_unstable();
    drafting.dedup();
    let known = roster::known(conn, &drafting, &ctx.today()).await?;
    Ok(opinions
        .iter()
        .map(|o| {
            let (votes_for, against, abstain) =
                votes.get(&o.opinion_id).copied().unwrap_or_default();
            let counted = Tally {
                votes_for,
                against,
                abstain,
                members: 0,
            };
            let (tally, rule) = if o.adopted_at.is_some() {
                let rule = VoteRule::from_parts(
                    o.quorum_percent.unwrap_or_default(),
                    o.majority.as_deref().unwrap_or_default(),
                    ctx.region.instance_vote,
                );
                let members = o.members_at_close.unwrap_or_default();
                (Tally { members, ..counted }, rule)
            } else {
                let k = known.get(&o.instance_id);
                let members = k.map(|k| k.members).unwrap_or_default();
                (counted.with_members(members), rule_of(ctx, k))
            };
            (o.opinion_id.clone(), tally_message(tally, rule))
        })
        .collect())
}

/// An instance's rule as projected, else the region's default.
fn rule_of(ctx: &Context, known: Option<&roster::Known>) -> VoteRule {
    match known.and_then(|k| k.rule.as_ref()) {
        Some((quorum, majority)) => {
            VoteRule::from_parts(*quorum, majority, ctx.region.instance_vote)
        }
        None => ctx.region.instance_vote,
    }
}

fn tally_message(t: Tally, rule: VoteRule) -> OpinionTally {
    let n = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    OpinionTally {
        votes_for: n(t.votes_for),
        votes_against: n(t.against),
        abstentions: n(t.abstain),
        members: n(t.members),
        vote_rule: Some(rule.to_message()),
    }
}

/// An opinion with its recommendations and tally, as the contract has it.
fn message(
    row: OpinionRow,
    recommendations: Vec<rows::RecommendationRow>,
    tally: Option<OpinionTally>,
) -> Opinion {
    let recommendations = recommendations
        .into_iter()
        .map(|r| Recommendation {
            recommendation_id: r.recommendation_id,
            position: r.position as i32,
            text: r.text,
            answer: r
                .answer
                .as_deref()
                .map(domain::recommendation_answer)
                .unwrap_or_default() as i32,
            answer_reasons: r.answer_reasons,
            follow_up: domain::follow_up(&r.follow_up) as i32,
            follow_up_note: r.follow_up_note,
        })
        .collect();
    Opinion {
        opinion_id: row.opinion_id,
        instance_id: row.instance_id,
        matter: row.matter,
        referral: domain::referral(&row.referral) as i32,
        consultation_id: row.consultation_id.unwrap_or_default(),
        body: row.body,
        status: domain::opinion_status(&row.status) as i32,
        recommendations,
        created_at: Some(timestamp(row.created_at)),
        adopted_at: domain::opt_timestamp(row.adopted_at),
        tally,
    }
}

/// Locks an opinion (its votes and text change one at a time) and returns it.
async fn locked(tx: &mut sqlx::AnyConnection, opinion_id: &str) -> Result<OpinionRow, Error> {
    if !rows::lock(tx, opinion_id).await? {
        return Err(Error::not_found("opinion"));
    }
    rows::find(tx, opinion_id)
        .await?
        .ok_or_else(|| Error::not_found("opinion"))
}

/// Whether the caller reads a draft of `instance_id`: staff, or a member by token scope.
pub(crate) fn reads_drafts_of(viewer: Option<&AccountCaller>, instance_id: &str) -> bool {
    reads_as_staff(viewer)
        || viewer.is_some_and(|c| c.has_scope(&tachawor_auth::instance_scope(instance_id)))
}

/// Checks an opinion's text as drafted or edited; returns its referral.
fn check_text(
    v: &mut Violations,
    matter: &str,
    referral: i32,
    consultation_id: &str,
    body: &str,
    recommendations: &[String],
) -> Referral {
    let referral = Referral::try_from(referral).unwrap_or_default();
    v.check(
        validate::is_text(matter, MATTER_MAX),
        "matter",
        "is required (at most 300 characters)",
    );
    v.check(
        referral != Referral::Unspecified,
        "referral",
        "must be council or own_initiative",
    );
    validate::optional_uuid(v, "consultation_id", consultation_id);
    v.check(
        validate::is_text(body, BODY_MAX),
        "body",
        "is required (at most 20000 characters)",
    );
    v.check(
        (1..=RECOMMENDATIONS_MAX).contains(&recommendations.len()),
        "recommendations",
        "between 1 and 50 are required",
    );
    for (i, r) in recommendations.iter().enumerate() {
        v.check(
            validate::is_text(r, RECOMMENDATION_MAX),
            &format!("recommendations[{i}]"),
            "is required (at most 2000 characters)",
        );
    }
    referral
}

pub async fn draft_opinion(
    ctx: &Context,
    call: &Call,
    req: DraftOpinionRequest,
) -> Result<DraftOpinionResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "instance_id", &req.instance_id);
    let referral = check_text(
        &mut v,
        &req.matter,
        req.referral,
        &req.consultation_id,
        &req.body,
        &req.recommendations,
    );
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    if !who.sits_on(&req.instance_id) {
        return Err(Error::PermissionDenied(
            "only members of the instance draft its opinions".into(),
        ));
    }
    let row = OpinionRow {
        opinion_id: uuid::Uuid::now_v7().to_string(),
        instance_id: req.instance_id.clone(),
        matter: req.matter.trim().into(),
        referral: domain::referral_str(referral).unwrap_or_default().into(),
        consultation_id: (!req.consultation_id.is_empty()).then_some(req.consultation_id.clone()),
        body: req.body.trim().into(),
        status: Status::Draft.as_sql().into(),
        created_by: who.id().into(),
        created_at: ctx.now(),
        adopted_at: None,
        members_at_close: None,
        quorum_percent: None,
        majority: None,
    };
    let mut tx = ctx.begin().await?;
    if let Some(consultation_id) = &row.consultation_id {
        // The opinion answers a consultation the member can see; an unknown one is refused.
        super::access::readable(&mut tx, consultation_id, Some(&who.caller)).await?;
    }
    rows::insert(&mut tx, &row).await?;
    for (i, r) in req.recommendations.iter().enumerate() {
        rows::insert_recommendation(&mut tx, &row.opinion_id, i as i64 + 1, r.trim()).await?;
    }
    let opinion = load(ctx, &mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(DraftOpinionResponse {
        opinion: Some(opinion),
    })
}

pub async fn adopt_opinion(
    ctx: &Context,
    call: &Call,
    req: AdoptOpinionRequest,
) -> Result<AdoptOpinionResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "opinion_id", &req.opinion_id);
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.opinion_id).await?;
    if !who.sits_on(&row.instance_id) {
        return Err(Error::PermissionDenied(
            "only members of the instance adopt its opinions".into(),
        ));
    }
    Status::from_sql(&row.status)?.adopt()?;
    // The count, under the opinion's lock: no vote changes while it is counted.
    let votes = rows::votes_of(&mut tx, &[req.opinion_id.as_str()]).await?;
    let known = roster::known(&mut tx, &[row.instance_id.as_str()], &ctx.today()).await?;
    let (votes_for, against, abstain) = votes.get(&req.opinion_id).copied().unwrap_or_default();
    let k = known.get(&row.instance_id);
    let tally = Tally {
        votes_for,
        against,
        abstain,
        members: 0,
    }
    .with_members(k.map(|k| k.members).unwrap_or_default());
    let rule = rule_of(ctx, k);
    // Refused: the transaction is dropped, nothing is written.
    vote::count(&tally, rule)?;
    let now = ctx.now();
    rows::adopt_counted(
        &mut tx,
        &req.opinion_id,
        now,
        tally.members,
        i64::from(rule.quorum_percent),
        rule.majority.as_str(),
    )
    .await?;
    let count = rows::recommendations(&mut tx, &req.opinion_id).await?.len();
    ctx.emit(
        &mut tx,
        catalogue::OPINION_ADOPTED,
        &req.opinion_id,
        &InstanceOpinionAdopted {
            opinion_id: req.opinion_id.clone(),
            instance_id: row.instance_id.clone(),
            referral: row.referral.clone(),
            recommendations: count as i32,
        },
    )
    .await?;
    let row = rows::find(&mut tx, &req.opinion_id)
        .await?
        .ok_or_else(|| Error::not_found("opinion"))?;
    let opinion = load(ctx, &mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(AdoptOpinionResponse {
        opinion: Some(opinion),
    })
}

pub async fn update_opinion_draft(
    ctx: &Context,
    call: &Call,
    req: UpdateOpinionDraftRequest,
) -> Result<UpdateOpinionDraftResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "opinion_id", &req.opinion_id);
    let referral = check_text(
        &mut v,
        &req.matter,
        req.referral,
        &req.consultation_id,
        &req.body,
        &req.recommendations,
    );
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.opinion_id).await?;
    if !who.sits_on(&row.instance_id) {
        return Err(Error::PermissionDenied(
            "only members of the instance edit its drafts".into(),
        ));
    }
    Status::from_sql(&row.status)?.check_editable()?;
    if rows::has_votes(&mut tx, &req.opinion_id).await? {
        return Err(domain::Rule::OpinionVoteStarted.into());
    }
    let consultation_id = (!req.consultation_id.is_empty()).then_some(req.consultation_id.clone());
    if let Some(consultation_id) = &consultation_id {
        super::access::readable(&mut tx, consultation_id, Some(&who.caller)).await?;
    }
    let row = OpinionRow {
        matter: req.matter.trim().into(),
        referral: domain::referral_str(referral).unwrap_or_default().into(),
        consultation_id,
        body: req.body.trim().into(),
        ..row
    };
    let recommendations: Vec<String> = req
        .recommendations
        .iter()
        .map(|r| r.trim().to_string())
        .collect();
    rows::update_draft(&mut tx, &row, &recommendations).await?;
    let opinion = load(ctx, &mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(UpdateOpinionDraftResponse {
        opinion: Some(opinion),
    })
}

pub async fn cast_opinion_vote(
    ctx: &Context,
    call: &Call,
    req: CastOpinionVoteRequest,
) -> Result<CastOpinionVoteResponse, Error> {
    call.account()?;
    let choice = Choice::from_proto(req.choice);
    const CHOICE: &str = "must be for, against or abstain";
    let mut v = Violations::new();
    validate::uuid(&mut v, "opinion_id", &req.opinion_id);
    v.check(choice.is_some(), "choice", CHOICE);
    let choice = validate::finish_with(v, choice, "choice", CHOICE)?;
    let who = Participant::of(ctx, call).await?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.opinion_id).await?;
    // Identity's memberships of today only: a member who left votes no more, even while a
    // token naming the instance lives.
    if !who.member_now(&row.instance_id) {
        return Err(Error::PermissionDenied(
            "only current members of the instance vote on its opinions".into(),
        ));
    }
    Status::from_sql(&row.status)?.check_editable()?;
    let now = ctx.now();
    let changed = rows::cast_vote(&mut tx, &req.opinion_id, who.id(), choice.as_sql(), now).await?;
    ctx.emit(
        &mut tx,
        catalogue::OPINION_VOTE_CAST,
        &req.opinion_id,
        &InstanceOpinionVoteCast {
            opinion_id: req.opinion_id.clone(),
            instance_id: row.instance_id.clone(),
            account_id: who.id().to_string(),
            choice: choice.as_sql().into(),
            changed,
            province_code: who.province().to_string(),
            actor_kind: who.actor_kind(),
        },
    )
    .await?;
    let vote = OpinionVote {
        opinion_id: req.opinion_id.clone(),
        account_id: who.id().to_string(),
        choice: choice.to_proto() as i32,
        cast_at: Some(timestamp(now)),
    };
    let opinion = load(ctx, &mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(CastOpinionVoteResponse {
        opinion: Some(opinion),
        vote: Some(vote),
    })
}

pub async fn list_opinion_votes(
    ctx: &Context,
    call: &Call,
    req: ListOpinionVotesRequest,
) -> Result<ListOpinionVotesResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "opinion_id", &req.opinion_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    let row = rows::find(&mut conn, &req.opinion_id)
        .await?
        .ok_or_else(|| Error::not_found("opinion"))?;
    let reads = reads_drafts_of(Some(&caller), &row.instance_id);
    if !Status::from_sql(&row.status)?.visible_to(reads) {
        return Err(Error::not_found("opinion"));
    }
    if !reads {
        return Err(Error::PermissionDenied(
            "the members' votes are read by the instance's members and staff".into(),
        ));
    }
    let mut found =
        rows::list_votes(&mut conn, &req.opinion_id, page.fetch_limit(), page.offset).await?;
    let next_page_token = page.finish(&mut found);
    let votes = found
        .into_iter()
        .map(|(account_id, choice, cast_at)| {
            vote_message(req.opinion_id.clone(), account_id, &choice, cast_at)
        })
        .collect();
    Ok(ListOpinionVotesResponse {
        votes,
        next_page_token,
    })
}

/// A stored vote as the contract has it.
pub(super) fn vote_message(
    opinion_id: String,
    account_id: String,
    choice: &str,
    cast_at: i64,
) -> OpinionVote {
    OpinionVote {
        opinion_id,
        account_id,
        choice: Choice::from_sql(choice)
            .map(|c| c.to_proto() as i32)
            .unwrap_or_default(),
        cast_at: Some(timestamp(cast_at)),
    }
}

/// Locks a recommendation of an adopted opinion; returns it with its opinion.
async fn adopted_recommendation(
    tx: &mut sqlx::AnyConnection,
    recommendation_id: &str,
) -> Result<(rows::RecommendationRow, OpinionRow), Error> {
    let rec = rows::lock_recommendation(tx, recommendation_id)
        .await?
        .ok_or_else(|| Error::not_found("recommendation"))?;
    let opinion = rows::find(tx, &rec.opinion_id)
        .await?
        .ok_or_else(|| Error::not_found("recommendation"))?;
    Status::from_sql(&opinion.status)?.check_answerable()?;
    Ok((rec, opinion))
}

pub async fn answer_recommendation(
    ctx: &Context,
    call: &Call,
    req: AnswerRecommendationRequest,
) -> Result<AnswerRecommendationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let answer = answers::answer_request(
        "recommendation_id",
        &req.recommendation_id,
        req.answer,
        &req.reasons,
    )?;
    let mut tx = ctx.begin().await?;
    let (rec, opinion) = adopted_recommendation(&mut tx, &req.recommendation_id).await?;
    let spelled = answering(&staff, &rec)
        .answer(&mut tx, answer, req.reasons.trim(), ctx.now())
        .await?;
    ctx.emit(
        &mut tx,
        catalogue::RECOMMENDATION_ANSWERED,
        &req.recommendation_id,
        &InstanceRecommendationAnswered {
            recommendation_id: req.recommendation_id.clone(),
            opinion_id: opinion.opinion_id.clone(),
            instance_id: opinion.instance_id.clone(),
            answer: spelled.into(),
        },
    )
    .await?;
    let opinion = load(ctx, &mut tx, opinion).await?;
    ctx.commit(tx).await?;
    Ok(AnswerRecommendationResponse {
        opinion: Some(opinion),
    })
}

/// The answer and follow-up rules applied to an instance's recommendation by `staff`.
fn answering<'a>(staff: &'a AccountCaller, rec: &'a rows::RecommendationRow) -> Answering<'a> {
    Answering {
        kind: &answer_rows::INSTANCE,
        target_type: "recommendation",
        actor_id: &staff.account_id,
        id: &rec.recommendation_id,
        answer: rec.answer.as_deref(),
        follow_up: &rec.follow_up,
    }
}

pub async fn set_recommendation_follow_up(
    ctx: &Context,
    call: &Call,
    req: SetRecommendationFollowUpRequest,
) -> Result<SetRecommendationFollowUpResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let follow_up = answers::follow_up_request(
        "recommendation_id",
        &req.recommendation_id,
        req.follow_up,
        &req.note,
    )?;
    let mut tx = ctx.begin().await?;
    let (rec, opinion) = adopted_recommendation(&mut tx, &req.recommendation_id).await?;
    let spelled = answering(&staff, &rec)
        .follow_up(&mut tx, follow_up, req.note.trim(), ctx.now())
        .await?;
    ctx.emit(
        &mut tx,
        catalogue::RECOMMENDATION_FOLLOW_UP_CHANGED,
        &req.recommendation_id,
        &InstanceRecommendationFollowUpChanged {
            recommendation_id: req.recommendation_id.clone(),
            opinion_id: opinion.opinion_id.clone(),
            instance_id: opinion.instance_id.clone(),
            follow_up: spelled.into(),
        },
    )
    .await?;
    let opinion = load(ctx, &mut tx, opinion).await?;
    ctx.commit(tx).await?;
    Ok(SetRecommendationFollowUpResponse {
        opinion: Some(opinion),
    })
}

pub async fn get_opinion(
    ctx: &Context,
    call: &Call,
    req: GetOpinionRequest,
) -> Result<GetOpinionResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "opinion_id", &req.opinion_id);
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    let row = match rows::find(&mut conn, &req.opinion_id).await? {
        Some(o)
            if Status::from_sql(&o.status)?
                .visible_to(reads_drafts_of(viewer.as_ref(), &o.instance_id)) =>
        {
            o
        }
        _ => return Err(Error::not_found("opinion")),
    };
    Ok(GetOpinionResponse {
        opinion: Some(load(ctx, &mut conn, row).await?),
    })
}

pub async fn list_opinions(
    ctx: &Context,
    call: &Call,
    req: ListOpinionsRequest,
) -> Result<ListOpinionsResponse, Error> {
    let mut v = Violations::new();
    validate::optional_uuid(&mut v, "instance_id", &req.instance_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let viewer = person(call);
    let drafts = !req.instance_id.is_empty() && reads_drafts_of(viewer.as_ref(), &req.instance_id)
        || reads_as_staff(viewer.as_ref());
    let mut conn = ctx.read().await?;
    let mut found = rows::list(
        &mut conn,
        &req.instance_id,
        drafts,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    let ids: Vec<&str> = found.iter().map(|r| r.opinion_id.as_str()).collect();
    let mut recommendations = rows::recommendations_of(&mut conn, &ids).await?;
    let mut tallies = tallies(ctx, &mut conn, &found).await?;
    let opinions = found
        .into_iter()
        .map(|row| {
            let own = recommendations.remove(&row.opinion_id).unwrap_or_default();
            let tally = tallies.remove(&row.opinion_id);
            message(row, own, tally)
        })
        .collect();
    Ok(ListOpinionsResponse {
        opinions,
        next_page_token,
    })
}
