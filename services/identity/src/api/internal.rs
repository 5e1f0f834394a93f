//! Reference data, and what other services ask about an account.

use std::collections::HashMap;

use tachawor_errors::{Error, Violations};
use tachawor_proto::identity::{
    BatchGetEligibilityRequest, BatchGetEligibilityResponse, GetEligibilityRequest,
    GetEligibilityResponse, GetVerifiedNameRequest, GetVerifiedNameResponse, ListProvincesRequest,
    ListProvincesResponse, MembershipEligibility,
};

use crate::{
    context::{Call, Context},
    domain,
    store::{accounts, associations, instances},
    validate,
};

pub async fn list_provinces(
    ctx: &Context,
    _call: &Call,
    _req: ListProvincesRequest,
) -> Result<ListProvincesResponse, Error> {
    Ok(ListProvincesResponse {
        region_code: ctx.region.code.clone(),
        region_name: Some((&ctx.region.name).into()),
        provinces: ctx.region.province_messages(),
    })
}

/// The most accounts one `BatchGetEligibility` may ask about.
const MAX_BATCH: usize = 100;

/// For services only: whether an account may act (verified, residence, associations it
/// represents, instances it sits on), with no personal data in the answer.
pub async fn get_eligibility(
    ctx: &Context,
    call: &Call,
    req: GetEligibilityRequest,
) -> Result<GetEligibilityResponse, Error> {
    call.service()?;
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.finish()?;
    eligibilities(ctx, &[req.account_id.as_str()])
        .await?
        .pop()
        .ok_or_else(|| Error::not_found("account"))
}

/// `GetEligibility` for several accounts: services that gather concurrent requests ask once.
pub async fn batch_get_eligibility(
    ctx: &Context,
    call: &Call,
    req: BatchGetEligibilityRequest,
) -> Result<BatchGetEligibilityResponse, Error> {
    call.service()?;
    let mut v = Violations::new();
    v.check(
        (1..=MAX_BATCH).contains(&req.account_ids.len()),
        "account_ids",
        "must hold from 1 to 100 account ids",
    );
    for (i, id) in req.account_ids.iter().enumerate() {
        v.check(
            validate::is_uuid(id),
            &format!("account_ids[{i}]"),
            "must be a UUID",
        );
    }
    v.finish()?;
    let mut ids: Vec<&str> = req.account_ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut found: HashMap<String, GetEligibilityResponse> = eligibilities(ctx, &ids)
        .await?
        .into_iter()
        .map(|e| (e.account_id.clone(), e))
        .collect();
    // In the order asked; an id asked twice is answered once.
    let eligibilities = req
        .account_ids
        .iter()
        .filter_map(|id| found.remove(id))
        .collect();
    Ok(BatchGetEligibilityResponse { eligibilities })
}

/// For services only (training prints it on certificates): the legal name staff recorded when
/// they verified the account. Kept apart from eligibility, which carries no personal data.
pub async fn get_verified_name(
    ctx: &Context,
    call: &Call,
    req: GetVerifiedNameRequest,
) -> Result<GetVerifiedNameResponse, Error> {
    call.service()?;
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let row = accounts::find_row(&mut conn, &req.account_id)
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    let legal_name = if row.is_active() && row.verified != 0 {
        row.legal_name.unwrap_or_default()
    } else {
        String::new()
    };
    Ok(GetVerifiedNameResponse {
        account_id: row.account_id,
        legal_name,
    })
}

/// What other services may know of the accounts among `account_ids` that exist. Details of
/// associations and memberships are read only for the few accounts that have some.
async fn eligibilities(
    ctx: &Context,
    account_ids: &[&str],
) -> Result<Vec<GetEligibilityResponse>, Error> {
    let today = ctx.today();
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let rows = accounts::find_rows(&mut conn, account_ids).await?;
    let records = accounts::complete_all(&mut conn, rows, &today).await?;
    let mut answers = Vec::with_capacity(records.len());
    for record in records {
        let account_id = record.row.account_id.clone();
        let associations = if record.represents_associations {
            associations::eligibility_of(&mut conn, &account_id).await?
        } else {
            Vec::new()
        };
        let memberships = if record.scopes.iter().any(|s| s.starts_with("instance:")) {
            instances::active_memberships_of(&mut conn, &account_id, &today)
                .await?
                .into_iter()
                .map(|m| MembershipEligibility {
                    instance_id: m.instance_id,
                    role: m.role,
                })
                .collect()
        } else {
            Vec::new()
        };
        let active = record.is_active();
        answers.push(GetEligibilityResponse {
            account_id,
            active,
            verified: active && record.row.verified != 0,
            verification_method: record.row.verification_method.clone().unwrap_or_default(),
            residence_province_code: record
                .row
                .residence_province_code
                .clone()
                .unwrap_or_default(),
            roles: record.roles.iter().map(|r| *r as i32).collect(),
            actor_kind: domain::actor_kind(&record.roles) as i32,
            associations,
            memberships,
            person_key: if active {
                record.row.person_key.clone().unwrap_or_default()
            } else {
                String::new()
            },
        });
    }
    Ok(answers)
}
