//! Signing a collecting petition, withdrawing one's signature before deposit, and the list of
//! signatures, which is personal data read by staff only.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        ListSignaturesRequest, ListSignaturesResponse, Petition, RecordPaperSignatureRequest,
        RecordPaperSignatureResponse, SignPetitionRequest, SignPetitionResponse, Signature,
        WithdrawSignatureRequest, WithdrawSignatureResponse,
    },
    events::{PetitionSignatureWithdrawn, PetitionSigned},
    identity::GetEligibilityResponse,
};
use tachawor_runtime::audit;
use tachawor_storage::Transaction;

use super::{locked, petition_id, view};
use crate::{
    api::participants::Participant,
    context::{Call, Context, STAFF, STAFF_READ},
    domain::{
        petition::{self as rules, Status},
        timestamp,
    },
    store::petitions as rows,
    validate,
};

/// Who signs: their account and what identity says of them now; and, for a paper signature,
/// the member of staff recording it.
struct Signer<'a> {
    account_id: &'a str,
    eligibility: &'a GetEligibilityResponse,
    recorded_by: Option<&'a str>,
}

/// Checks the declared activity province and the idempotency key.
fn check_signing(ctx: &Context, v: &mut Violations, declared: &str, idempotency_key: &str) {
    v.check(
        declared.is_empty() || ctx.region.has_province(declared),
        "declared_activity_province_code",
        "is not a province of this region",
    );
    validate::idempotency_key(v, idempotency_key);
}

/// The signature itself, online or on paper: the same rules, the same row and event.
async fn sign(
    ctx: &Context,
    tx: &mut Transaction,
    petition_id: &str,
    signer: &Signer<'_>,
    declared: &str,
) -> Result<Petition, Error> {
    let mut row = locked(tx, petition_id).await?;
    let status = Status::from_sql(&row.status)?;
    let staff = signer.recorded_by.is_some();
    if !status.visible_to(row.agent_id == signer.account_id, staff) {
        return Err(Error::not_found("petition"));
    }
    status.check_collecting()?;
    let residence = signer.eligibility.residence_province_code.as_str();
    let (province, by_activity) = rules::signing_province(
        &view::rules(ctx),
        signer.eligibility.verified,
        ctx.region.has_province(residence).then_some(residence),
        declared,
    )?;
    let person_key = &signer.eligibility.person_key;
    let now = ctx.now();
    let signature = rows::NewSignature {
        petition_id,
        account_id: signer.account_id,
        person_key: (!person_key.is_empty()).then_some(person_key.as_str()),
        province_code: &province,
        by_declared_activity: by_activity,
        recorded_by: signer.recorded_by,
        at: now,
    };
    if !rows::sign(tx, &signature).await? {
        return Err(Error::AlreadyExists(
            "this person has already signed the petition".into(),
        ));
    }
    rows::count(tx, &mut row, &province, 1).await?;
    if let Some(staff_id) = signer.recorded_by {
        audit::record(
            tx,
            audit::Change {
                actor_id: staff_id,
                action: "petition.record_paper_signature",
                target_type: "petition",
                target_id: petition_id,
                before: json!(null),
                after: json!({
                    "account_id": signer.account_id,
                    "province_code": province,
                    "by_declared_activity": by_activity,
                }),
            },
            now,
        )
        .await?;
    }
    ctx.emit(
        tx,
        catalogue::PETITION_SIGNED,
        petition_id,
        &PetitionSigned {
            petition_id: petition_id.into(),
            account_id: signer.account_id.into(),
            province_code: province,
            actor_kind: signer.eligibility.actor_kind,
            by_declared_activity: by_activity,
            paper: staff,
        },
    )
    .await?;
    view::message(ctx, row)
}

pub async fn sign_petition(
    ctx: &Context,
    call: &Call,
    req: SignPetitionRequest,
) -> Result<SignPetitionResponse, Error> {
    call.account()?;
    let declared = req.declared_activity_province_code.trim();
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    check_signing(ctx, &mut v, declared, &req.idempotency_key);
    v.finish()?;
    let signer = Participant::of(ctx, call).await?;
    ctx.writer
        .idempotent(signer.id(), "SignPetition", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let signing = Signer {
                    account_id: signer.id(),
                    eligibility: &signer.eligibility,
                    recorded_by: None,
                };
                let petition = sign(ctx, &mut tx, &req.petition_id, &signing, declared).await?;
                let response = SignPetitionResponse {
                    petition: Some(petition),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// Staff record a signature given on paper by a verified account they checked in person.
pub async fn record_paper_signature(
    ctx: &Context,
    call: &Call,
    req: RecordPaperSignatureRequest,
) -> Result<RecordPaperSignatureResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let declared = req.declared_activity_province_code.trim();
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    validate::uuid(&mut v, "account_id", &req.account_id);
    check_signing(ctx, &mut v, declared, &req.idempotency_key);
    v.finish()?;
    let eligibility = ctx.identity.get(&req.account_id).await?;
    if !eligibility.active {
        return Err(Error::not_found("account"));
    }
    ctx.writer
        .idempotent(
            &staff.account_id,
            "RecordPaperSignature",
            &req.idempotency_key,
            |tx| {
                Box::pin(async {
                    let mut tx = tx;
                    let signing = Signer {
                        account_id: &req.account_id,
                        eligibility: &eligibility,
                        recorded_by: Some(&staff.account_id),
                    };
                    let petition = sign(ctx, &mut tx, &req.petition_id, &signing, declared).await?;
                    let response = RecordPaperSignatureResponse {
                        petition: Some(petition),
                    };
                    Ok((tx, response))
                })
            },
        )
        .await
}

pub async fn withdraw_signature(
    ctx: &Context,
    call: &Call,
    req: WithdrawSignatureRequest,
) -> Result<WithdrawSignatureResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let mut row = locked(&mut tx, &req.petition_id).await?;
    Status::from_sql(&row.status)?.check_withdrawal()?;
    let Some((province, signed_at)) =
        rows::withdraw(&mut tx, &req.petition_id, &caller.account_id).await?
    else {
        return Err(Error::not_found("signature"));
    };
    rows::count(&mut tx, &mut row, &province, -1).await?;
    ctx.emit(
        &mut tx,
        catalogue::PETITION_SIGNATURE_WITHDRAWN,
        &req.petition_id,
        &PetitionSignatureWithdrawn {
            petition_id: req.petition_id.clone(),
            account_id: caller.account_id.clone(),
            province_code: province,
            signed_at: Some(timestamp(signed_at)),
        },
    )
    .await?;
    let petition = view::message(ctx, row)?;
    ctx.commit(tx).await?;
    Ok(WithdrawSignatureResponse {
        petition: Some(petition),
    })
}

pub async fn list_signatures(
    ctx: &Context,
    call: &Call,
    req: ListSignaturesRequest,
) -> Result<ListSignaturesResponse, Error> {
    call.require_any(STAFF_READ)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    rows::find(&mut conn, &req.petition_id)
        .await?
        .ok_or_else(|| Error::not_found("petition"))?;
    let mut found = rows::signatures(
        &mut conn,
        rows::SignaturesOf::Petition(&req.petition_id),
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListSignaturesResponse {
        signatures: found
            .into_iter()
            .map(|s| Signature {
                account_id: s.account_id,
                province_code: s.province_code,
                by_declared_activity: s.by_declared_activity != 0,
                signed_at: Some(timestamp(s.signed_at)),
                paper: s.recorded_by.is_some(),
                recorded_by: s.recorded_by.unwrap_or_default(),
            })
            .collect(),
        next_page_token,
    })
}
