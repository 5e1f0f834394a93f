//! Signing a collecting petition, withdrawing one's signature before deposit, and the list of
//! signatures, which is personal data read by staff only.

use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        ListSignaturesRequest, ListSignaturesResponse, SignPetitionRequest, SignPetitionResponse,
        Signature, WithdrawSignatureRequest, WithdrawSignatureResponse,
    },
    events::{PetitionSignatureWithdrawn, PetitionSigned},
};

use super::{locked, petition_id, view};
use crate::{
    api::participants::Participant,
    context::{Call, Context, STAFF},
    domain::{
        petition::{self as rules, Status},
        timestamp,
    },
    store::petitions as rows,
    validate,
};

pub async fn sign_petition(
    ctx: &Context,
    call: &Call,
    req: SignPetitionRequest,
) -> Result<SignPetitionResponse, Error> {
    call.account()?;
    let declared = req.declared_activity_province_code.trim();
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.check(
        declared.is_empty() || ctx.region.has_province(declared),
        "declared_activity_province_code",
        "is not a province of this region",
    );
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let signer = Participant::of(ctx, call).await?;
    ctx.writer
        .idempotent(signer.id(), "SignPetition", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let row = locked(&mut tx, &req.petition_id).await?;
                let status = Status::from_sql(&row.status)?;
                if !status.visible_to(row.agent_id == signer.id(), false) {
                    return Err(Error::not_found("petition"));
                }
                status.check_collecting()?;
                let residence = signer.province();
                let (province, by_activity) = rules::signing_province(
                    &view::rules(ctx),
                    signer.eligibility.verified,
                    ctx.region.has_province(residence).then_some(residence),
                    declared,
                )?;
                let person_key = &signer.eligibility.person_key;
                if !rows::sign(
                    &mut tx,
                    &req.petition_id,
                    signer.id(),
                    (!person_key.is_empty()).then_some(person_key.as_str()),
                    &province,
                    by_activity,
                    ctx.now(),
                )
                .await?
                {
                    return Err(Error::AlreadyExists(
                        "this person has already signed the petition".into(),
                    ));
                }
                ctx.emit(
                    &mut tx,
                    catalogue::PETITION_SIGNED,
                    &req.petition_id,
                    &PetitionSigned {
                        petition_id: req.petition_id.clone(),
                        account_id: signer.id().into(),
                        province_code: province,
                        actor_kind: signer.actor_kind(),
                        by_declared_activity: by_activity,
                    },
                )
                .await?;
                let response = SignPetitionResponse {
                    petition: Some(view::message(ctx, &mut tx, row).await?),
                };
                Ok((tx, response))
            })
        })
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
    let row = locked(&mut tx, &req.petition_id).await?;
    Status::from_sql(&row.status)?.check_withdrawal()?;
    let Some((province, signed_at)) =
        rows::withdraw(&mut tx, &req.petition_id, &caller.account_id).await?
    else {
        return Err(Error::not_found("signature"));
    };
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
    let petition = view::message(ctx, &mut tx, row).await?;
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
    call.require_any(STAFF)?;
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
            })
            .collect(),
        next_page_token,
    })
}
