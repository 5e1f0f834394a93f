//! Consultative instances and their members.
//!
//! Council staff create instances and manage memberships; everyone may read them. A membership
//! runs from `started_on` to `ended_on` (excluded); while it runs its account holds the
//! `instance_member` role scoped to the instance.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    common::{LocalizedText, VoteRule as VoteRuleMessage},
    events::{InstanceCreated, InstanceMemberAdded, InstanceMembershipEnded, InstanceUpdated},
    identity::{
        AddInstanceMemberRequest, AddInstanceMemberResponse, ConsultativeInstance,
        CreateInstanceRequest, CreateInstanceResponse, EndInstanceMembershipRequest,
        EndInstanceMembershipResponse, GetInstanceRequest, GetInstanceResponse, InstanceLevel,
        ListInstancesRequest, ListInstancesResponse, UpdateInstanceRequest, UpdateInstanceResponse,
    },
};
use tachawor_region::VoteRule;

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

const REMIT_MAX: usize = 2000;
const LEVEL: &str = "must be regional, provincial or communal";

/// What staff set on an instance besides its kind and mandate, checked.
struct Profile {
    level: InstanceLevel,
    province_code: String,
    remit: LocalizedText,
    /// `None`: the request left it unset.
    vote_rule: Option<VoteRule>,
}

/// Checks the remit, level, province and vote rule of a request, adding a violation for each
/// field that is wrong; `default_level` stands in for an unspecified level where allowed.
fn check_profile(
    ctx: &Context,
    v: &mut Violations,
    remit: Option<&LocalizedText>,
    level: i32,
    default_level: Option<InstanceLevel>,
    province_code: &str,
    vote_rule: Option<&VoteRuleMessage>,
) -> Option<Profile> {
    let remit = remit.cloned().unwrap_or_default();
    for (field, text) in [
        ("remit.ar", &remit.ar),
        ("remit.fr", &remit.fr),
        ("remit.en", &remit.en),
    ] {
        v.check(
            text.trim().chars().count() <= REMIT_MAX,
            field,
            "at most 2000 characters",
        );
    }
    let level = instance::level(level, default_level);
    v.check(level.is_some(), "level", LEVEL);
    if let Some(level) = level
        && let Some(problem) =
            instance::province_problem(level, province_code, ctx.region.has_province(province_code))
    {
        v.add("province_code", problem);
    }
    let rule = vote_rule.map(|m| {
        v.check(
            (1..=100).contains(&m.quorum_percent),
            "vote_rule.quorum_percent",
            "must be between 1 and 100",
        );
        v.check(
            tachawor_region::Majority::from_proto(m.majority).is_some(),
            "vote_rule.majority",
            "must be simple, two_thirds or absolute",
        );
        VoteRule::from_message(m)
    });
    Some(Profile {
        level: level?,
        province_code: province_code.to_string(),
        remit: LocalizedText {
            ar: remit.ar.trim().to_string(),
            fr: remit.fr.trim().to_string(),
            en: remit.en.trim().to_string(),
        },
        vote_rule: match rule {
            Some(parsed) => Some(parsed?),
            None => None,
        },
    })
}

/// The instance's state in `identity.instance.created` and `.updated`.
pub(crate) fn instance_created(row: &InstanceRow) -> InstanceCreated {
    let rule = row.vote_rule();
    InstanceCreated {
        instance_id: row.instance_id.clone(),
        kind: row.kind.clone(),
        level: row.level.clone(),
        province_code: row.province_code.clone(),
        quorum_percent: i32::from(rule.quorum_percent),
        majority: rule.majority.as_str().to_string(),
    }
}

/// The audited state of an instance's editable fields.
fn audited(row: &InstanceRow) -> serde_json::Value {
    json!({
        "name": { "ar": row.name_ar, "fr": row.name_fr, "en": row.name_en },
        "remit": { "ar": row.remit_ar, "fr": row.remit_fr, "en": row.remit_en },
        "level": row.level,
        "province_code": row.province_code,
        "quorum_percent": row.quorum_percent,
        "majority": row.majority,
    })
}

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
    let profile = check_profile(
        ctx,
        &mut v,
        req.remit.as_ref(),
        req.level,
        Some(InstanceLevel::Regional),
        &req.province_code,
        req.vote_rule.as_ref(),
    );
    let profile = validate::parsed(v, profile)?;
    let name = req.name.unwrap_or_default();
    let now = ctx.now();
    let mut row = InstanceRow {
        instance_id: uuid::Uuid::now_v7().to_string(),
        name_ar: name.ar.trim().to_string(),
        name_fr: name.fr.trim().to_string(),
        name_en: name.en.trim().to_string(),
        kind: req.kind,
        mandate_start: mandate_start.ok().flatten(),
        mandate_end: mandate_end.ok().flatten(),
        created_at: now,
        level: instance::level_str(profile.level).to_string(),
        province_code: profile.province_code,
        remit_ar: profile.remit.ar,
        remit_fr: profile.remit.fr,
        remit_en: profile.remit.en,
        quorum_percent: None,
        majority: None,
    };
    row.set_vote_rule(profile.vote_rule.unwrap_or(ctx.region.instance_vote));

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
                "kind": row.kind,
                "mandate_start": row.mandate_start,
                "mandate_end": row.mandate_end,
                "profile": audited(&row),
            }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::INSTANCE_CREATED,
        &row.instance_id,
        &instance_created(&row),
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(CreateInstanceResponse {
        instance: Some(row.to_proto(Vec::new())),
    })
}

pub async fn update_instance(
    ctx: &Context,
    call: &Call,
    req: UpdateInstanceRequest,
) -> Result<UpdateInstanceResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.instance_id),
        "instance_id",
        "must be a UUID",
    );
    check_name(&mut v, req.name.as_ref());
    let profile = check_profile(
        ctx,
        &mut v,
        req.remit.as_ref(),
        req.level,
        None,
        &req.province_code,
        req.vote_rule.as_ref(),
    );
    let profile = validate::parsed(v, profile)?;
    let name = req.name.unwrap_or_default();

    let mut tx = ctx.begin().await?;
    // Under the instance's lock, as membership changes, so two edits apply one after the other.
    if !instances::lock(&mut tx, &req.instance_id).await? {
        return Err(Error::not_found("instance"));
    }
    let before = instances::find_row(&mut tx, &req.instance_id)
        .await?
        .ok_or_else(|| Error::not_found("instance"))?;
    let mut row = InstanceRow {
        name_ar: name.ar.trim().to_string(),
        name_fr: name.fr.trim().to_string(),
        name_en: name.en.trim().to_string(),
        level: instance::level_str(profile.level).to_string(),
        province_code: profile.province_code,
        remit_ar: profile.remit.ar,
        remit_fr: profile.remit.fr,
        remit_en: profile.remit.en,
        ..before.clone()
    };
    row.set_vote_rule(profile.vote_rule.unwrap_or_else(|| before.vote_rule()));
    instances::update(&mut tx, &row).await?;
    let now = ctx.now();
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "instance.update",
            target_type: "instance",
            target_id: &row.instance_id,
            before: audited(&before),
            after: audited(&row),
        },
        now,
    )
    .await?;
    let state = instance_created(&row);
    ctx.emit(
        &mut tx,
        catalogue::INSTANCE_UPDATED,
        &row.instance_id,
        &InstanceUpdated {
            instance_id: state.instance_id,
            kind: state.kind,
            level: state.level,
            province_code: state.province_code,
            quorum_percent: state.quorum_percent,
            majority: state.majority,
        },
    )
    .await?;
    let instance = instances::find(&mut tx, &row.instance_id)
        .await?
        .ok_or_else(|| Error::not_found("instance"))?;
    ctx.commit(tx).await?;
    Ok(UpdateInstanceResponse {
        instance: Some(instance),
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
        recorded_after_the_fact: 0,
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
    emit_member_added(ctx, &mut tx, &row).await?;
    super::staff::emit_if_roles_changed(ctx, &mut tx, &member).await?;
    ctx.commit(tx).await?;
    Ok(AddInstanceMemberResponse {
        membership: Some(row.to_proto()),
    })
}

/// Tells the other services of a new membership (added or imported).
pub(super) async fn emit_member_added(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    row: &MembershipRow,
) -> Result<(), Error> {
    let event = InstanceMemberAdded {
        instance_id: row.instance_id.clone(),
        membership_id: row.membership_id.clone(),
        account_id: row.account_id.clone(),
        member_role: row.role.clone(),
        association_id: row.association_id.clone().unwrap_or_default(),
        started_on: row.started_on.clone(),
        recorded_after_the_fact: row.recorded_after_the_fact != 0,
    };
    ctx.emit(
        tx,
        catalogue::INSTANCE_MEMBER_ADDED,
        &row.instance_id,
        &event,
    )
    .await
}

/// Tells the other services a membership ended (on `row.ended_on`).
pub(super) async fn emit_membership_ended(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    row: &MembershipRow,
) -> Result<(), Error> {
    let event = InstanceMembershipEnded {
        instance_id: row.instance_id.clone(),
        membership_id: row.membership_id.clone(),
        account_id: row.account_id.clone(),
        ended_on: row.ended_on.clone().unwrap_or_default(),
    };
    ctx.emit(
        tx,
        catalogue::INSTANCE_MEMBERSHIP_ENDED,
        &row.instance_id,
        &event,
    )
    .await
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
    emit_membership_ended(ctx, &mut tx, &row).await?;
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
    let level = instance::level(req.level, Some(InstanceLevel::Unspecified));
    let mut v = Violations::new();
    v.check(level.is_some(), "level", LEVEL);
    v.check(
        req.province_code.is_empty() || ctx.region.has_province(&req.province_code),
        "province_code",
        "is not a province of this region",
    );
    let page = super::page_checked(&mut v, req.page.as_ref())?;
    let page = validate::parsed(v, page)?;
    let level = match level {
        Some(InstanceLevel::Unspecified) | None => "",
        Some(level) => instance::level_str(level),
    };
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = instances::list(
        &mut conn,
        level,
        &req.province_code,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    Ok(ListInstancesResponse {
        instances: rows,
        next_page_token,
    })
}
