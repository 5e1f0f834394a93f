//! Opinions of the consultative instances: members of an instance draft and adopt an opinion
//! made of recommendations; the council (staff) answers each recommendation and tracks its
//! follow-up. Adopted opinions are public; drafts are read by the instance's members and staff.

use tachawor_auth::AccountCaller;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        AdoptOpinionRequest, AdoptOpinionResponse, AnswerRecommendationRequest,
        AnswerRecommendationResponse, DraftOpinionRequest, DraftOpinionResponse, GetOpinionRequest,
        GetOpinionResponse, ListOpinionsRequest, ListOpinionsResponse, Opinion, Recommendation,
        Referral, SetRecommendationFollowUpRequest, SetRecommendationFollowUpResponse,
    },
    events::{
        InstanceOpinionAdopted, InstanceRecommendationAnswered,
        InstanceRecommendationFollowUpChanged,
    },
};

use super::{
    answers::{self, Answering},
    participants::Participant,
};

use crate::{
    context::{Call, Context, STAFF, person, reads_as_staff},
    domain::{self, opinion::Status, timestamp},
    store::{
        answers as answer_rows,
        opinions::{self as rows, OpinionRow},
    },
    validate,
};

const MATTER_MAX: usize = 300;
const BODY_MAX: usize = 20_000;
const RECOMMENDATION_MAX: usize = 2000;
const RECOMMENDATIONS_MAX: usize = 50;

async fn load(conn: &mut sqlx::AnyConnection, row: OpinionRow) -> Result<Opinion, Error> {
    let recommendations = rows::recommendations(conn, &row.opinion_id).await?;
    Ok(message(row, recommendations))
}

/// An opinion with its recommendations, as the contract has it.
fn message(row: OpinionRow, recommendations: Vec<rows::RecommendationRow>) -> Opinion {
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
    }
}

/// Whether the caller reads a draft of `instance_id`: staff, or a member by token scope.
fn reads_drafts_of(viewer: Option<&AccountCaller>, instance_id: &str) -> bool {
    reads_as_staff(viewer)
        || viewer.is_some_and(|c| c.has_scope(&tachawor_auth::instance_scope(instance_id)))
}

pub async fn draft_opinion(
    ctx: &Context,
    call: &Call,
    req: DraftOpinionRequest,
) -> Result<DraftOpinionResponse, Error> {
    call.account()?;
    let referral = Referral::try_from(req.referral).unwrap_or_default();
    let mut v = Violations::new();
    validate::uuid(&mut v, "instance_id", &req.instance_id);
    v.check(
        validate::is_text(&req.matter, MATTER_MAX),
        "matter",
        "is required (at most 300 characters)",
    );
    v.check(
        referral != Referral::Unspecified,
        "referral",
        "must be council or own_initiative",
    );
    validate::optional_uuid(&mut v, "consultation_id", &req.consultation_id);
    v.check(
        validate::is_text(&req.body, BODY_MAX),
        "body",
        "is required (at most 20000 characters)",
    );
    v.check(
        (1..=RECOMMENDATIONS_MAX).contains(&req.recommendations.len()),
        "recommendations",
        "between 1 and 50 are required",
    );
    for (i, r) in req.recommendations.iter().enumerate() {
        v.check(
            validate::is_text(r, RECOMMENDATION_MAX),
            &format!("recommendations[{i}]"),
            "is required (at most 2000 characters)",
        );
    }
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
    let opinion = load(&mut tx, row).await?;
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
    if !rows::lock(&mut tx, &req.opinion_id).await? {
        return Err(Error::not_found("opinion"));
    }
    let row = rows::find(&mut tx, &req.opinion_id)
        .await?
        .ok_or_else(|| Error::not_found("opinion"))?;
    if !who.sits_on(&row.instance_id) {
        return Err(Error::PermissionDenied(
            "only members of the instance adopt its opinions".into(),
        ));
    }
    Status::from_sql(&row.status)?.adopt()?;
    let now = ctx.now();
    rows::adopt(&mut tx, &req.opinion_id, now).await?;
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
    let opinion = load(&mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(AdoptOpinionResponse {
        opinion: Some(opinion),
    })
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
    let opinion = load(&mut tx, opinion).await?;
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
    let opinion = load(&mut tx, opinion).await?;
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
        opinion: Some(load(&mut conn, row).await?),
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
    let opinions = found
        .into_iter()
        .map(|row| {
            let own = recommendations.remove(&row.opinion_id).unwrap_or_default();
            message(row, own)
        })
        .collect();
    Ok(ListOpinionsResponse {
        opinions,
        next_page_token,
    })
}
