//! Evaluations: one per participant, once the session's last day has come; aggregated for staff.

use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::TrainingEvaluationSubmitted,
    training::{
        GetEvaluationSummaryRequest, GetEvaluationSummaryResponse, SubmitEvaluationRequest,
        SubmitEvaluationResponse,
    },
};
use tachawor_runtime::idempotency;

use super::{STAFF_READ, check_uuid};
use crate::{
    context::{Call, Context},
    domain::{
        self,
        evaluation::{check_attended, check_participant, check_timing},
        rule::Rule,
    },
    store::{
        attendance,
        evaluations::{self, EvaluationRow},
        registrations, sessions,
    },
};

const COMMENT_MAX: usize = 2000;

pub async fn submit_evaluation(
    ctx: &Context,
    call: &Call,
    req: SubmitEvaluationRequest,
) -> Result<SubmitEvaluationResponse, Error> {
    let caller = call.account()?;
    let comment = req.comment.trim();
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.check(
        (1..=5).contains(&req.satisfaction),
        "satisfaction",
        "must be between 1 and 5",
    );
    v.check(
        comment.chars().count() <= COMMENT_MAX
            && !comment
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "comment",
        "at most 2000 characters",
    );
    for (field, score) in [
        ("pre_test_score", req.pre_test_score),
        ("post_test_score", req.post_test_score),
    ] {
        v.check(
            score.is_none_or(|s| (0..=100).contains(&s)),
            field,
            "must be between 0 and 100",
        );
    }
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    // A comment is the person's words: none under an account erased since its token was issued.
    super::require_active(ctx, &caller.account_id).await?;
    let key = req.idempotency_key.as_str();
    let now = ctx.now();
    ctx.writer
        .idempotent(&caller.account_id, "SubmitEvaluation", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let session = sessions::find(&mut tx, &req.session_id)
                    .await?
                    .ok_or_else(|| Error::not_found("session"))?;
                let found =
                    registrations::find_for(&mut tx, &req.session_id, &caller.account_id).await?;
                check_participant(found.as_ref().map(|r| r.status))?;
                let registration = found.ok_or(Rule::EvaluationNotAParticipant)?;
                check_timing(
                    session.status,
                    ctx.now(),
                    session
                        .schedule()
                        .last_start(ctx.zone())
                        .unwrap_or(i64::MAX),
                )?;
                let attended = attendance::days_of(&mut tx, &registration.registration_id)
                    .await?
                    .len();
                check_attended(attended)?;
                let row = EvaluationRow {
                    evaluation_id: uuid::Uuid::now_v7().to_string(),
                    session_id: req.session_id.clone(),
                    account_id: caller.account_id.clone(),
                    registration_id: registration.registration_id.clone(),
                    satisfaction: req.satisfaction,
                    comment: comment.to_string(),
                    pre_test_score: req.pre_test_score,
                    post_test_score: req.post_test_score,
                    submitted_at: now,
                };
                if !evaluations::insert(&mut tx, &row).await? {
                    return Err(Error::AlreadyExists(
                        "this session is already evaluated by this participant".into(),
                    ));
                }
                ctx.emit(
                    &mut tx,
                    catalogue::EVALUATION_SUBMITTED,
                    &row.evaluation_id,
                    &TrainingEvaluationSubmitted {
                        evaluation_id: row.evaluation_id.clone(),
                        session_id: row.session_id.clone(),
                        program_id: session.program_id.clone(),
                        satisfaction: row.satisfaction,
                        pre_test_score: row.pre_test_score,
                        post_test_score: row.post_test_score,
                        participant: Some(registration.participant()),
                    },
                )
                .await?;
                let response = SubmitEvaluationResponse {
                    evaluation_id: row.evaluation_id,
                    submitted_at: Some(domain::timestamp(now)),
                };
                Ok((tx, response))
            })
        })
        .await
}

fn average(values: &[i32]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64
    }
}

pub async fn get_evaluation_summary(
    ctx: &Context,
    call: &Call,
    req: GetEvaluationSummaryRequest,
) -> Result<GetEvaluationSummaryResponse, Error> {
    call.require_any(STAFF_READ)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    sessions::find(&mut conn, &req.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    let rows = evaluations::of_session(&mut conn, &req.session_id).await?;
    let satisfaction: Vec<i32> = rows.iter().map(|r| r.satisfaction).collect();
    let pre: Vec<i32> = rows.iter().filter_map(|r| r.pre_test_score).collect();
    let post: Vec<i32> = rows.iter().filter_map(|r| r.post_test_score).collect();
    let mut counts = vec![0; 5];
    for s in &satisfaction {
        if let Some(slot) = counts.get_mut((*s - 1) as usize) {
            *slot += 1;
        }
    }
    Ok(GetEvaluationSummaryResponse {
        evaluation_count: rows.len() as i32,
        average_satisfaction: average(&satisfaction),
        satisfaction_counts: counts,
        pre_test_count: pre.len() as i32,
        average_pre_test_score: average(&pre),
        post_test_count: post.len() as i32,
        average_post_test_score: average(&post),
        comments: rows
            .into_iter()
            .filter(|r| !r.comment.is_empty())
            .map(|r| r.comment)
            .collect(),
    })
}
