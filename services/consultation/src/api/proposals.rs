//! Proposals inside a consultation, their supports (one per account; past a threshold the
//! council must study the proposal) and the council's answer with its reasons.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        AnswerProposalRequest, AnswerProposalResponse, GetProposalRequest, GetProposalResponse,
        ListProposalsRequest, ListProposalsResponse, Proposal, SubmitProposalRequest,
        SubmitProposalResponse, SupportProposalRequest, SupportProposalResponse,
    },
    events::{
        ConsultationProposalAnswered, ConsultationProposalSubmitted, ConsultationProposalSupported,
    },
};

use super::{
    access::{self, check_participation, consultation_id},
    participants::Participant,
};
use tachawor_runtime::audit;

use crate::{
    context::{Call, Context, STAFF, person},
    domain::{
        self,
        proposal::{self as rules, Answer},
        timestamp,
    },
    store::proposals::{self as rows, ProposalRow},
    validate,
};

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 10_000;
const REASONS_MAX: usize = 5000;

pub(crate) fn message(p: ProposalRow) -> Proposal {
    Proposal {
        proposal_id: p.proposal_id,
        consultation_id: p.consultation_id,
        title: p.title,
        body: p.body,
        author_deleted: p.author_id == crate::erasure::DELETED_AUTHOR,
        author_id: p.author_id,
        association_id: p.association_id.unwrap_or_default(),
        supports: p.supports,
        study_required: p.study_required != 0,
        answer: p
            .answer
            .as_deref()
            .map(domain::proposal_answer)
            .unwrap_or_default() as i32,
        answer_reasons: p.answer_reasons,
        created_at: Some(timestamp(p.created_at)),
        answered_at: domain::opt_timestamp(p.answered_at),
    }
}

/// A proposal of a consultation the caller may read, else NOT_FOUND.
pub(crate) async fn readable(
    conn: &mut sqlx::AnyConnection,
    proposal_id: &str,
    viewer: Option<&tachawor_auth::AccountCaller>,
) -> Result<(ProposalRow, crate::store::consultations::ConsultationRow), Error> {
    let proposal = found(conn, proposal_id).await?;
    let consultation = access::readable(conn, &proposal.consultation_id, viewer)
        .await
        .map_err(|_| Error::not_found("proposal"))?;
    Ok((proposal, consultation))
}

pub async fn submit_proposal(
    ctx: &Context,
    call: &Call,
    req: SubmitProposalRequest,
) -> Result<SubmitProposalResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.check(
        validate::is_text(&req.title, TITLE_MAX),
        "title",
        "is required (at most 200 characters)",
    );
    v.check(
        validate::is_text(&req.body, BODY_MAX),
        "body",
        "is required (at most 10000 characters)",
    );
    validate::optional_uuid(&mut v, "association_id", &req.association_id);
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    let association_id = (!req.association_id.is_empty()).then_some(req.association_id.as_str());
    rules::check_association(
        association_id,
        association_id.is_some_and(|a| who.represents(a)),
    )?;
    ctx.writer
        .idempotent(who.id(), "SubmitProposal", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let consultation =
                    access::readable(&mut tx, &req.consultation_id, Some(&who.caller)).await?;
                check_participation(ctx, &consultation, &who)?;
                let row = ProposalRow {
                    proposal_id: uuid::Uuid::now_v7().to_string(),
                    consultation_id: req.consultation_id.clone(),
                    title: req.title.trim().into(),
                    body: req.body.trim().into(),
                    author_id: who.id().into(),
                    association_id: association_id.map(String::from),
                    supports: 0,
                    study_required: 0,
                    answer: None,
                    answer_reasons: String::new(),
                    created_at: ctx.now(),
                    answered_at: None,
                };
                rows::insert(&mut tx, &row).await?;
                ctx.emit(
                    &mut tx,
                    catalogue::PROPOSAL_SUBMITTED,
                    &row.proposal_id,
                    &ConsultationProposalSubmitted {
                        proposal_id: row.proposal_id.clone(),
                        consultation_id: row.consultation_id.clone(),
                        account_id: who.id().into(),
                        province_code: who.province().into(),
                        actor_kind: who.actor_kind(),
                        association_id: req.association_id.clone(),
                    },
                )
                .await?;
                let response = SubmitProposalResponse {
                    proposal: Some(message(row)),
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn support_proposal(
    ctx: &Context,
    call: &Call,
    req: SupportProposalRequest,
) -> Result<SupportProposalResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "proposal_id", &req.proposal_id);
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    ctx.writer
        .idempotent(who.id(), "SupportProposal", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                // The proposal's row lock orders supports, so the threshold is crossed by
                // exactly one.
                if !rows::lock(&mut tx, &req.proposal_id).await? {
                    return Err(Error::not_found("proposal"));
                }
                let (_, consultation) =
                    readable(&mut tx, &req.proposal_id, Some(&who.caller)).await?;
                check_participation(ctx, &consultation, &who)?;
                let now = ctx.now();
                if !rows::support(&mut tx, &req.proposal_id, who.id(), now).await? {
                    return Err(Error::AlreadyExists(
                        "this account already supports the proposal".into(),
                    ));
                }
                let proposal = found(&mut tx, &req.proposal_id).await?;
                let threshold = ctx.settings.proposals.support_threshold;
                let reached = proposal.supports >= threshold
                    && rows::require_study(&mut tx, &req.proposal_id, now).await?;
                ctx.emit(
                    &mut tx,
                    catalogue::PROPOSAL_SUPPORTED,
                    &req.proposal_id,
                    &ConsultationProposalSupported {
                        proposal_id: req.proposal_id.clone(),
                        consultation_id: proposal.consultation_id.clone(),
                        account_id: who.id().into(),
                        province_code: who.province().into(),
                        actor_kind: who.actor_kind(),
                        supports: proposal.supports,
                        threshold_reached: reached,
                    },
                )
                .await?;
                let proposal = found(&mut tx, &req.proposal_id).await?;
                let response = SupportProposalResponse {
                    proposal: Some(message(proposal)),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// The proposal's row, else NOT_FOUND.
async fn found(conn: &mut sqlx::AnyConnection, proposal_id: &str) -> Result<ProposalRow, Error> {
    rows::find(conn, proposal_id)
        .await?
        .ok_or_else(|| Error::not_found("proposal"))
}

pub async fn answer_proposal(
    ctx: &Context,
    call: &Call,
    req: AnswerProposalRequest,
) -> Result<AnswerProposalResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let answer = Answer::from_proto(req.answer);
    const ANSWER: &str = "must be evaluating, accepted, partially_accepted or rejected";
    let mut v = Violations::new();
    validate::uuid(&mut v, "proposal_id", &req.proposal_id);
    v.check(answer.is_some(), "answer", ANSWER);
    v.check(
        validate::is_text(&req.reasons, REASONS_MAX),
        "reasons",
        "are required (at most 5000 characters)",
    );
    let answer = validate::finish_with(v, answer, "answer", ANSWER)?;
    let mut tx = ctx.begin().await?;
    if !rows::lock(&mut tx, &req.proposal_id).await? {
        return Err(Error::not_found("proposal"));
    }
    let before = found(&mut tx, &req.proposal_id).await?;
    let current = before.answer.as_deref().map(Answer::from_sql).transpose()?;
    let spelled = rules::answer(current, answer)?.as_sql();
    let now = ctx.now();
    rows::answer(&mut tx, &req.proposal_id, spelled, req.reasons.trim(), now).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "proposal.answer",
            target_type: "proposal",
            target_id: &req.proposal_id,
            before: json!({ "answer": before.answer }),
            after: json!({ "answer": spelled, "reasons": req.reasons.trim() }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::PROPOSAL_ANSWERED,
        &req.proposal_id,
        &ConsultationProposalAnswered {
            proposal_id: req.proposal_id.clone(),
            consultation_id: before.consultation_id.clone(),
            answer: spelled.into(),
            author_account_id: before.author_id.clone(),
        },
    )
    .await?;
    let proposal = found(&mut tx, &req.proposal_id).await?;
    ctx.commit(tx).await?;
    Ok(AnswerProposalResponse {
        proposal: Some(message(proposal)),
    })
}

pub async fn get_proposal(
    ctx: &Context,
    call: &Call,
    req: GetProposalRequest,
) -> Result<GetProposalResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "proposal_id", &req.proposal_id);
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    let (proposal, _) = readable(&mut conn, &req.proposal_id, viewer.as_ref()).await?;
    Ok(GetProposalResponse {
        proposal: Some(message(proposal)),
    })
}

pub async fn list_proposals(
    ctx: &Context,
    call: &Call,
    req: ListProposalsRequest,
) -> Result<ListProposalsResponse, Error> {
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    access::readable(&mut conn, &req.consultation_id, viewer.as_ref()).await?;
    let mut found = rows::list(
        &mut conn,
        &req.consultation_id,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListProposalsResponse {
        proposals: found.into_iter().map(message).collect(),
        next_page_token,
    })
}
