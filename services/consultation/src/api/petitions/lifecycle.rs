//! A petition's life: its agent creates it, opens it for signatures and deposits it; staff
//! answer it (admissible or rejected, late or not) and close it.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        AdmitPetitionRequest, AdmitPetitionResponse, ClosePetitionRequest, ClosePetitionResponse,
        CreatePetitionRequest, CreatePetitionResponse, DepositPetitionRequest,
        DepositPetitionResponse, Petition, PetitionKind, RejectPetitionRequest,
        RejectPetitionResponse, StartCollectingRequest, StartCollectingResponse,
    },
    events::{
        PetitionAdmitted, PetitionAnsweredLate, PetitionCreated, PetitionDeposited,
        PetitionRejected,
    },
};
use tachawor_runtime::audit;

use super::{
    check_association, locked, not_visible_or_denied, petition_id,
    view::{self, load, message},
};
use crate::{
    api::participants::Participant,
    context::{Call, Context, STAFF},
    domain::{
        self,
        petition::{self as rules, Status},
        timestamp,
    },
    store::{
        self,
        petitions::{self as rows, PetitionRow},
    },
    validate,
};

const TITLE_MAX: usize = 200;
const OBJECT_MAX: usize = 5000;
const REASONS_MAX: usize = 2000;
const SESSION_MAX: usize = 200;

pub async fn create_petition(
    ctx: &Context,
    call: &Call,
    req: CreatePetitionRequest,
) -> Result<CreatePetitionResponse, Error> {
    call.account()?;
    let kind = PetitionKind::try_from(req.kind).unwrap_or_default();
    let mut v = Violations::new();
    v.check(
        kind != PetitionKind::Unspecified,
        "kind",
        "must be citizen or association",
    );
    v.check(
        validate::is_text(&req.title, TITLE_MAX),
        "title",
        "is required (at most 200 characters)",
    );
    v.check(
        validate::is_text(&req.object, OBJECT_MAX),
        "object",
        "is required (at most 5000 characters)",
    );
    v.check(
        validate::is_slug(&req.subject_field),
        "subject_field",
        "must be a short lowercase word",
    );
    match kind {
        PetitionKind::Association => {
            validate::uuid(&mut v, "association_id", &req.association_id);
        }
        _ => {
            v.check(
                req.association_id.is_empty(),
                "association_id",
                "only for association petitions",
            );
        }
    }
    v.finish()?;
    let agent = Participant::of(ctx, call).await?;
    if kind == PetitionKind::Association {
        check_association(ctx, &agent, &req.association_id, &req.subject_field)?;
    }
    let row = PetitionRow {
        petition_id: uuid::Uuid::now_v7().to_string(),
        kind: domain::petition_kind_str(kind).unwrap_or_default().into(),
        title: req.title.trim().into(),
        object: req.object.trim().into(),
        subject_field: req.subject_field.clone(),
        agent_id: agent.id().into(),
        association_id: (!req.association_id.is_empty()).then_some(req.association_id.clone()),
        status: Status::Draft.as_sql().into(),
        receipt_number: None,
        deposited_at: None,
        answer_due_at: None,
        session: String::new(),
        rejection_reasons: String::new(),
        answered_at: None,
        late: 0,
        created_at: ctx.now(),
        tally: "{}".into(),
    };
    let mut tx = ctx.begin().await?;
    rows::insert(&mut tx, &row).await?;
    ctx.emit(
        &mut tx,
        catalogue::PETITION_CREATED,
        &row.petition_id,
        &PetitionCreated {
            petition_id: row.petition_id.clone(),
            kind: row.kind.clone(),
            association_id: req.association_id,
            subject_field: row.subject_field.clone(),
            agent_province_code: agent.province().into(),
            agent_actor_kind: agent.actor_kind(),
            agent_account_id: row.agent_id.clone(),
        },
    )
    .await?;
    let petition = message(ctx, row)?;
    ctx.commit(tx).await?;
    Ok(CreatePetitionResponse {
        petition: Some(petition),
    })
}

pub async fn start_collecting(
    ctx: &Context,
    call: &Call,
    req: StartCollectingRequest,
) -> Result<StartCollectingResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    let status = Status::from_sql(&row.status)?;
    if row.agent_id != caller.account_id {
        return Err(not_visible_or_denied(status));
    }
    let next = status.transition(Status::Collecting)?;
    rows::set_status(&mut tx, &req.petition_id, next.as_sql()).await?;
    let petition = load(ctx, &mut tx, &req.petition_id).await?;
    ctx.commit(tx).await?;
    Ok(StartCollectingResponse {
        petition: Some(petition),
    })
}

pub async fn deposit_petition(
    ctx: &Context,
    call: &Call,
    req: DepositPetitionRequest,
) -> Result<DepositPetitionResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let agent = Participant::of(ctx, call).await?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    let status = Status::from_sql(&row.status)?;
    if row.agent_id != agent.id() {
        return Err(not_visible_or_denied(status));
    }
    status.transition(Status::Deposited)?;
    if let Some(association_id) = &row.association_id {
        check_association(ctx, &agent, association_id, &row.subject_field)?;
    }
    let rules = view::rules(ctx);
    let progress = view::progress(ctx, &row, &rules)?;
    progress.check_deposit()?;
    let now = ctx.now();
    let today = ctx.today();
    let year = &today[..4];
    let seq = store::next_in_sequence(&mut tx, &format!("petition_receipt_{year}")).await?;
    let receipt = rules::receipt_number(year, seq);
    let due = domain::add_months(now, rules.answer_period_months);
    rows::deposit(&mut tx, &req.petition_id, &receipt, now, due).await?;
    ctx.emit(
        &mut tx,
        catalogue::PETITION_DEPOSITED,
        &req.petition_id,
        &PetitionDeposited {
            petition_id: req.petition_id.clone(),
            kind: row.kind.clone(),
            signatures: progress.signatures,
            receipt_number: receipt,
            answer_due_at: Some(timestamp(due)),
        },
    )
    .await?;
    let petition = load(ctx, &mut tx, &req.petition_id).await?;
    ctx.commit(tx).await?;
    Ok(DepositPetitionResponse {
        petition: Some(petition),
    })
}

/// The council's answer to a deposited petition; a late one is flagged and announced.
async fn answer(
    ctx: &Context,
    staff_id: &str,
    petition_id: &str,
    admissible: bool,
    text: &str,
) -> Result<Petition, Error> {
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, petition_id).await?;
    let status = Status::from_sql(&row.status)?.transition(Status::answered(admissible))?;
    let now = ctx.now();
    let due = row.answer_due_at.unwrap_or(i64::MAX);
    let late = rules::is_late(now, row.answer_due_at);
    let (session, reasons) = if admissible { (text, "") } else { ("", text) };
    let status = status.as_sql();
    rows::answer(&mut tx, petition_id, status, session, reasons, now, late).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: staff_id,
            action: if admissible {
                "petition.admit"
            } else {
                "petition.reject"
            },
            target_type: "petition",
            target_id: petition_id,
            before: json!({ "status": row.status }),
            after: json!({ "status": status, "session": session, "reasons": reasons, "late": late }),
        },
        now,
    )
    .await?;
    let id = petition_id.to_string();
    if admissible {
        let event = PetitionAdmitted {
            petition_id: id.clone(),
            late,
        };
        ctx.emit(&mut tx, catalogue::PETITION_ADMITTED, petition_id, &event)
            .await?;
    } else {
        let event = PetitionRejected {
            petition_id: id.clone(),
            late,
        };
        ctx.emit(&mut tx, catalogue::PETITION_REJECTED, petition_id, &event)
            .await?;
    }
    if late {
        let event = PetitionAnsweredLate {
            petition_id: id,
            answer_due_at: Some(timestamp(due)),
            answered_at: Some(timestamp(now)),
        };
        ctx.emit(
            &mut tx,
            catalogue::PETITION_ANSWERED_LATE,
            petition_id,
            &event,
        )
        .await?;
    }
    let petition = load(ctx, &mut tx, petition_id).await?;
    ctx.commit(tx).await?;
    Ok(petition)
}

pub async fn admit_petition(
    ctx: &Context,
    call: &Call,
    req: AdmitPetitionRequest,
) -> Result<AdmitPetitionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.check(
        validate::is_text(&req.session, SESSION_MAX),
        "session",
        "is required: the ordinary session the petition is placed on (at most 200 characters)",
    );
    v.finish()?;
    let petition = answer(
        ctx,
        &staff.account_id,
        &req.petition_id,
        true,
        req.session.trim(),
    )
    .await?;
    Ok(AdmitPetitionResponse {
        petition: Some(petition),
    })
}

pub async fn reject_petition(
    ctx: &Context,
    call: &Call,
    req: RejectPetitionRequest,
) -> Result<RejectPetitionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.check(
        validate::is_text(&req.reasons, REASONS_MAX),
        "reasons",
        "are required (at most 2000 characters)",
    );
    v.finish()?;
    let petition = answer(
        ctx,
        &staff.account_id,
        &req.petition_id,
        false,
        req.reasons.trim(),
    )
    .await?;
    Ok(RejectPetitionResponse {
        petition: Some(petition),
    })
}

pub async fn close_petition(
    ctx: &Context,
    call: &Call,
    req: ClosePetitionRequest,
) -> Result<ClosePetitionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    let closed = Status::from_sql(&row.status)?
        .transition(Status::Closed)?
        .as_sql();
    rows::set_status(&mut tx, &req.petition_id, closed).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "petition.close",
            target_type: "petition",
            target_id: &req.petition_id,
            before: json!({ "status": row.status }),
            after: json!({ "status": closed }),
        },
        ctx.now(),
    )
    .await?;
    let petition = load(ctx, &mut tx, &req.petition_id).await?;
    ctx.commit(tx).await?;
    Ok(ClosePetitionResponse {
        petition: Some(petition),
    })
}
