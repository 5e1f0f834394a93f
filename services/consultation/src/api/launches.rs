//! Consultations an instance launches: a current member of a consultative instance proposes
//! one on a matter within its remit, on the instance's behalf; it waits as `proposed`, read
//! only by staff and the instance's members, until staff approve it (it becomes a draft that
//! staff open as any other, the instance staying its organizer and launcher) or reject it with
//! a reason.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue::{self, EventType},
    consultation::{
        ApproveConsultationRequest, ApproveConsultationResponse, Consultation,
        CreateConsultationRequest, Organizer, OrganizerKind, ProposeConsultationRequest,
        ProposeConsultationResponse, RejectConsultationRequest, RejectConsultationResponse,
    },
    events::{ConsultationLaunchDecided, ConsultationProposed},
};
use tachawor_runtime::audit;

use super::{
    access::consultation_id,
    consultations::{fields, kept, new_row, transition},
    participants::Participant,
};
use crate::{
    context::{Call, Context, STAFF},
    domain::consultation::Status,
    store::consultations as rows,
    validate,
};

const REASON_MAX: usize = 2_000;

pub async fn propose_consultation(
    ctx: &Context,
    call: &Call,
    req: ProposeConsultationRequest,
) -> Result<ProposeConsultationResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    let instance_id = req.instance_id.clone();
    // The instance organizes what it launches; the other fields are checked as staff's are.
    let f = fields(
        ctx,
        &mut v,
        CreateConsultationRequest {
            title: req.title,
            body: req.body,
            organizer: Some(Organizer {
                kind: OrganizerKind::Instance as i32,
                instance_id: req.instance_id,
            }),
            audience: req.audience,
            province_codes: req.province_codes,
            participation: req.participation,
            idempotency_key: String::new(),
        },
        "instance_id",
    )?;
    v.finish()?;
    // Identity's memberships of today, as for a vote: a member who left launches nothing, even
    // while a token naming the instance lives.
    let who = Participant::of(ctx, call).await?;
    if !who.member_now(&instance_id) {
        return Err(Error::PermissionDenied(
            "only current members of the instance launch its consultations".into(),
        ));
    }
    let mut row = f.apply(new_row(ctx, who.id(), Status::Proposed));
    row.launched_by = Some(instance_id.clone());
    let mut tx = ctx.begin().await?;
    rows::insert(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: who.id(),
            action: "consultation.propose",
            target_type: "consultation",
            target_id: &row.consultation_id,
            before: json!(null),
            after: json!({
                "status": Status::Proposed.as_sql(),
                "launched_by": instance_id,
                "audience": row.audience,
            }),
        },
        row.created_at,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::CONSULTATION_PROPOSED,
        &row.consultation_id,
        &ConsultationProposed {
            consultation_id: row.consultation_id.clone(),
            instance_id,
        },
    )
    .await?;
    let consultation = kept(&mut tx, &row.consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(ProposeConsultationResponse {
        consultation: Some(consultation),
    })
}

pub async fn approve_consultation(
    ctx: &Context,
    call: &Call,
    req: ApproveConsultationRequest,
) -> Result<ApproveConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.finish()?;
    let consultation = decide(ctx, &staff, &req.consultation_id, Decision::Approve).await?;
    Ok(ApproveConsultationResponse {
        consultation: Some(consultation),
    })
}

pub async fn reject_consultation(
    ctx: &Context,
    call: &Call,
    req: RejectConsultationRequest,
) -> Result<RejectConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.check(
        validate::is_text(&req.reason, REASON_MAX),
        "reason",
        &format!("is required (at most {REASON_MAX} characters)"),
    );
    v.finish()?;
    let reason = req.reason.trim();
    let decision = Decision::Reject(reason);
    let consultation = decide(ctx, &staff, &req.consultation_id, decision).await?;
    Ok(RejectConsultationResponse {
        consultation: Some(consultation),
    })
}

#[derive(Clone, Copy)]
enum Decision<'a> {
    Approve,
    /// With the reason given to the instance.
    Reject(&'a str),
}

/// Staff's decision on a proposal, its event naming the launching instance, in one
/// transaction. Only a proposal is decided on (`consultation.transition` otherwise).
async fn decide(
    ctx: &Context,
    staff: &tachawor_auth::AccountCaller,
    consultation_id: &str,
    decision: Decision<'_>,
) -> Result<Consultation, Error> {
    let (to, event): (Status, EventType<ConsultationLaunchDecided>) = match decision {
        Decision::Approve => (Status::Draft, catalogue::CONSULTATION_APPROVED),
        Decision::Reject(_) => (Status::Rejected, catalogue::CONSULTATION_REJECTED),
    };
    let (mut tx, row) = transition(ctx, staff, consultation_id, to).await?;
    match decision {
        Decision::Approve => rows::approve(&mut tx, consultation_id).await?,
        Decision::Reject(reason) => rows::reject(&mut tx, consultation_id, reason).await?,
    }
    ctx.emit(
        &mut tx,
        event,
        consultation_id,
        &ConsultationLaunchDecided {
            consultation_id: consultation_id.into(),
            instance_id: row.launched_by.unwrap_or_default(),
        },
    )
    .await?;
    let consultation = kept(&mut tx, consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(consultation)
}
