//! Reference data, and what other services ask about an account.

use tachawor_errors::{Error, Violations};
use tachawor_proto::identity::{
    GetEligibilityRequest, GetEligibilityResponse, ListProvincesRequest, ListProvincesResponse,
    MembershipEligibility,
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
    let today = ctx.today();
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = accounts::load(&mut conn, &req.account_id, &today)
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    // Most accounts represent no association and sit on no instance: the record says so, and
    // the details are read only when there are some.
    let associations = if record.represents_associations {
        associations::eligibility_of(&mut conn, &req.account_id).await?
    } else {
        Vec::new()
    };
    let memberships = if record.scopes.iter().any(|s| s.starts_with("instance:")) {
        instances::active_memberships_of(&mut conn, &req.account_id, &today)
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
    Ok(GetEligibilityResponse {
        account_id: req.account_id,
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
    })
}
