//! Consultative instances and their members.
//!
//! Council staff create instances and manage memberships; everyone may read them. A membership
//! runs from `started_on` to `ended_on` (excluded); while it runs its account holds the
//! `instance_member` role scoped to the instance.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::{InstanceCreated, InstanceMemberAdded, InstanceMembershipEnded},
    identity::{
        AddInstanceMemberRequest, AddInstanceMemberResponse, ConsultativeInstance,
        CreateInstanceRequest, CreateInstanceResponse, EndInstanceMembershipRequest,
        EndInstanceMembershipResponse, GetInstanceRequest, GetInstanceResponse,
        ListInstancesRequest, ListInstancesResponse,
    },
};

use super::{
    associations::{check_name, optional_date},
    staff::STAFF,
};
use tachawor_runtime::audit;

use crate::{
    context::{Call, Context},
    domain::{self, association, instance},
    store::{
        accounts::{self, AccountRecord},
        associations,
        instances::{self, InstanceRow, MembershipRow},
    },
    validate,
};

pub async fn create_instance(
    ctx: &Context,
    call: &Call,
    req: CreateInstanceRequest,
) -> Result<CreateInstanceResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mandate_start = optional_date(req.mandate_start.as_ref());
    let mandate_end = optional_date(req.mandate_end.as_ref());
    let mut v = Violations::new();
    check_name(&mut v, req.name.as_ref());
    v.check(
        validate::is_slug(&req.kind),
        "kind",
        "must be a short lowercase word",
    );
    if let Err(problem) = &mandate_start {
        v.add("mandate_start", *problem);
    }
    if let Err(problem) = &mandate_end {
        v.add("mandate_end", *problem);
    }
    if let (Ok(Some(start)), Ok(Some(end))) = (&mandate_start, &mandate_end) {
        v.check(
            start <= end,
            "mandate_end",
            "must not be before mandate_start",
        );
    }
    v.finish()?;
    let name = req.name.unwrap_or_default();
    let now = ctx.now();
    let row = InstanceRow {
        instance_id: uuid::Uuid::now_v7().to_string(),
        name_ar: name.ar.trim().to_string(),
        name_fr: name.fr.trim().to_string(),
        name_en: name.en.trim().to_string(),
        kind: req.kind,
        mandate_start: mandate_start.ok().flatten(),
        mandate_end: mandate_end.ok().flatten(),
        created_at: now,
    };

    let mut tx = ctx.begin().await?;
    instances::insert(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "instance.create",
            target_type: "instance",
            target_id: &row.instance_id,
            before: json!(null),
            after: json!({
                "name": { "ar": row.name_ar, "fr": row.name_fr, "en": row.name_en },
                "kind": row.kind,
                "mandate_start": row.mandate_start,
                "mandate_end": row.mandate_end,
            }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::INSTANCE_CREATED,
        &row.instance_id,
        &InstanceCreated {
            instance_id: row.instance_id.clone(),
            kind: row.kind.clone(),
        },
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(CreateInstanceResponse {
        instance: Some(row.to_proto(Vec::new())),
    })
}

pub async fn add_instance_member(
    ctx: &Context,
    call: &Call,
    req: AddInstanceMemberRequest,
) -> Result<AddInstanceMemberResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let role = instance::member_role(req.role);
    let started_on = optional_date(req.started_on.as_ref());
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.instance_id),
        "instance_id",
        "must be a UUID",
    );
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.check(
        role.is_some(),
        "role",
        "must be president, vice_president, rapporteur or member",
    );
    v.check(
        req.association_id.is_empty() || validate::is_uuid(&req.association_id),
        "association_id",
        "must be a UUID",
    );
    if let Err(problem) = &started_on {
        v.add("started_on", *problem);
    }
    let role = validate::parsed(v, role)?;
    let today = ctx.today();
    let started_on = started_on.ok().flatten().unwrap_or_else(|| today.clone());
    let association_id = (!req.association_id.is_empty()).then(|| req.association_id.clone());

    let mut tx = ctx.begin().await?;
    if !instances::lock(&mut tx, &req.instance_id).await? {
        return Err(Error::not_found("instance"));
    }
    let member = accounts::load(&mut tx, &req.account_id, &today)
        .await?
        .filter(AccountRecord::is_active)
        .ok_or_else(|| Error::not_found("account"))?;
    if let Some(association_id) = &association_id {
        let association = associations::find_row(&mut tx, association_id)
            .await?
            .ok_or_else(|| Error::not_found("association"))?;
        instance::check_represented(association::Status::from_sql(&association.status))?;
    }
    if instances::has_open_membership(&mut tx, &req.instance_id, &req.account_id, &started_on)
        .await?
    {
        return Err(Error::AlreadyExists(
            "this account already has a membership of this instance that has not ended".into(),
        ));
    }
    // Every role but Unspecified, which parsing refused, has a spelling.
    let role_str = domain::member_role_str(role).unwrap_or_default();
    // Only a role held by one member at a time needs the sitting holder looked up.
    let holder_sitting = instance::is_sole(role)
        && instances::has_open_role(&mut tx, &req.instance_id, role_str, &started_on).await?;
    instance::check_one_president(role, holder_sitting)?;
    let row = MembershipRow {
        membership_id: uuid::Uuid::now_v7().to_string(),
        instance_id: req.instance_id.clone(),
        account_id: req.account_id.clone(),
        role: role_str.to_string(),
        association_id,
        started_on,
        ended_on: None,
    };
    instances::insert_membership(&mut tx, &row).await?;
    let now = ctx.now();
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "instance.add_member",
            target_type: "instance",
            target_id: &row.instance_id,
            before: json!(null),
            after: json!({
                "membership_id": row.membership_id,
                "account_id": row.account_id,
                "role": row.role,
                "association_id": row.association_id,
                "started_on": row.started_on,
            }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::INSTANCE_MEMBER_ADDED,
        &row.instance_id,
        &InstanceMemberAdded {
            instance_id: row.instance_id.clone(),
            membership_id: row.membership_id.clone(),
            account_id: row.account_id.clone(),
            member_role: row.role.clone(),
            association_id: row.association_id.clone().unwrap_or_default(),
        },
    )
    .await?;
    super::staff::emit_if_roles_changed(ctx, &mut tx, &member).await?;
    ctx.commit(tx).await?;
    Ok(AddInstanceMemberResponse {
        membership: Some(row.to_proto()),
    })
}

pub async fn end_instance_membership(
    ctx: &Context,
    call: &Call,
    req: EndInstanceMembershipRequest,
) -> Result<EndInstanceMembershipResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let ended_on = optional_date(req.ended_on.as_ref());
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.membership_id),
        "membership_id",
        "must be a UUID",
    );
    if let Err(problem) = &ended_on {
        v.add("ended_on", *problem);
    }
    v.finish()?;
    let ended_on = ended_on.ok().flatten().unwrap_or_else(|| ctx.today());

    let mut tx = ctx.begin().await?;
    // Memberships change under their instance's lock, as in add_instance_member.
    let found = instances::find_membership(&mut tx, &req.membership_id)
        .await?
        .ok_or_else(|| Error::not_found("membership"))?;
    instances::lock(&mut tx, &found.instance_id).await?;
    let mut row = instances::find_membership(&mut tx, &req.membership_id)
        .await?
        .ok_or_else(|| Error::not_found("membership"))?;
    instance::check_can_end(row.ended_on.as_deref())?;
    if ended_on < row.started_on {
        return Err(Error::field(
            "ended_on",
            format!(
                "must not be before the membership started ({})",
                row.started_on
            ),
        ));
    }
    // The member as before the change; a deleted account has no roles left to change.
    let member = accounts::load(&mut tx, &row.account_id, &ctx.today()).await?;
    instances::end_membership(&mut tx, &row.membership_id, &ended_on).await?;
    row.ended_on = Some(ended_on);
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "instance.end_membership",
            target_type: "instance",
            target_id: &row.instance_id,
            before: json!({ "membership_id": row.membership_id, "ended_on": null }),
            after: json!({ "membership_id": row.membership_id, "ended_on": row.ended_on }),
        },
        ctx.now(),
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::INSTANCE_MEMBERSHIP_ENDED,
        &row.instance_id,
        &InstanceMembershipEnded {
            instance_id: row.instance_id.clone(),
            membership_id: row.membership_id.clone(),
            account_id: row.account_id.clone(),
        },
    )
    .await?;
    if let Some(member) = &member {
        super::staff::emit_if_roles_changed(ctx, &mut tx, member).await?;
    }
    ctx.commit(tx).await?;
    Ok(EndInstanceMembershipResponse {
        membership: Some(row.to_proto()),
    })
}

pub async fn get_instance(
    ctx: &Context,
    _call: &Call,
    req: GetInstanceRequest,
) -> Result<GetInstanceResponse, Error> {
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.instance_id),
        "instance_id",
        "must be a UUID",
    );
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let instance: ConsultativeInstance = instances::find(&mut conn, &req.instance_id)
        .await?
        .ok_or_else(|| Error::not_found("instance"))?;
    Ok(GetInstanceResponse {
        instance: Some(instance),
    })
}

pub async fn list_instances(
    ctx: &Context,
    _call: &Call,
    req: ListInstancesRequest,
) -> Result<ListInstancesResponse, Error> {
    let page = super::page(req.page.as_ref())?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = instances::list(&mut conn, page.fetch_limit(), page.offset).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(ListInstancesResponse {
        instances: rows,
        next_page_token,
    })
}
