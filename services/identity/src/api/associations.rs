//! Associations: registration, verification, suspension, representatives.
//!
//! Anyone signed in registers an association and becomes its first representative; council
//! staff verify or suspend it and manage its representatives; everyone may read them.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue::{self, EventType};
use tachawor_proto::{
    common::{Date, LocalizedText},
    events::{AssociationCreated, AssociationSuspended, AssociationVerified},
    identity::{
        AddRepresentativeRequest, AddRepresentativeResponse, Association, AssociationStatus,
        CreateAssociationRequest, CreateAssociationResponse, GetAssociationRequest,
        GetAssociationResponse, ListAssociationsRequest, ListAssociationsResponse,
        RemoveRepresentativeRequest, RemoveRepresentativeResponse, SuspendAssociationRequest,
        SuspendAssociationResponse, VerifyAssociationRequest, VerifyAssociationResponse,
    },
};

use super::staff::STAFF;
use tachawor_runtime::audit;

use crate::{
    context::{Call, Context},
    domain::{self, association::Status},
    store::{
        accounts::{self, AccountRecord},
        associations::{self, AssociationRow},
    },
    validate,
};

pub(super) const NAME_MAX: usize = 200;
pub(super) const REGISTRATION_NUMBER_MAX: usize = 64;
pub(super) const FIELDS_MAX: usize = 20;
const REASON_MAX: usize = 500;

/// Checks a name given in several languages: Arabic and French required, English optional.
pub(super) fn check_name(v: &mut Violations, name: Option<&LocalizedText>) {
    let fits = |s: &str| s.trim().chars().count() <= NAME_MAX && !s.chars().any(char::is_control);
    let required = |s: &str| !s.trim().is_empty() && fits(s);
    let empty = LocalizedText::default();
    let name = name.unwrap_or(&empty);
    v.check(
        required(&name.ar),
        "name.ar",
        "is required (at most 200 characters)",
    );
    v.check(
        required(&name.fr),
        "name.fr",
        "is required (at most 200 characters)",
    );
    v.check(fits(&name.en), "name.en", "at most 200 characters");
}

/// A date given in a request, as stored: `Ok(None)` when unset, `Err` with the violation's
/// description when it is not a calendar date.
pub(super) fn optional_date(date: Option<&Date>) -> Result<Option<String>, &'static str> {
    match date {
        None => Ok(None),
        Some(d) => domain::date_str(d)
            .map(Some)
            .ok_or("is not a valid date (YYYY-MM-DD, years 1900 to 2200)"),
    }
}

fn trimmed(name: &LocalizedText) -> (String, String, String) {
    (
        name.ar.trim().to_string(),
        name.fr.trim().to_string(),
        name.en.trim().to_string(),
    )
}

pub async fn create_association(
    ctx: &Context,
    call: &Call,
    req: CreateAssociationRequest,
) -> Result<CreateAssociationResponse, Error> {
    let caller = call.account()?;
    let registration_number = req.registration_number.trim();
    let founded_on = optional_date(req.founded_on.as_ref());
    let today = ctx.today();
    let mut v = Violations::new();
    check_name(&mut v, req.name.as_ref());
    v.check(
        (1..=REGISTRATION_NUMBER_MAX).contains(&registration_number.chars().count())
            && !registration_number.chars().any(char::is_control),
        "registration_number",
        "is required (at most 64 characters)",
    );
    let founded_on = match founded_on {
        Ok(Some(date)) => {
            v.check(date <= today, "founded_on", "must not be in the future");
            Some(date)
        }
        Ok(None) => {
            v.add("founded_on", "is required");
            None
        }
        Err(problem) => {
            v.add("founded_on", problem);
            None
        }
    };
    v.check(
        ctx.region.has_province(&req.province_code),
        "province_code",
        "is not a province of this region",
    );
    v.check(
        (1..=FIELDS_MAX).contains(&req.fields_of_activity.len()),
        "fields_of_activity",
        "between 1 and 20 are required",
    );
    v.check(
        req.fields_of_activity.iter().all(|f| validate::is_slug(f)),
        "fields_of_activity",
        "each must be a short lowercase word",
    );
    let founded_on = validate::parsed(v, founded_on)?;
    let mut fields: Vec<String> = Vec::with_capacity(req.fields_of_activity.len());
    for f in req.fields_of_activity {
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    let (name_ar, name_fr, name_en) = trimmed(&req.name.unwrap_or_default());

    let mut tx = ctx.begin().await?;
    let founder = accounts::load(&mut tx, &caller.account_id, &today)
        .await?
        .filter(AccountRecord::is_active)
        .ok_or_else(|| Error::Unauthenticated("this account no longer exists".into()))?;
    let taken = || {
        Error::AlreadyExists("an association with this registration number already exists".into())
    };
    if associations::registration_number_taken(&mut tx, registration_number).await? {
        return Err(taken());
    }
    let now = ctx.now();
    let row = AssociationRow {
        association_id: uuid::Uuid::now_v7().to_string(),
        name_ar,
        name_fr,
        name_en,
        registration_number: registration_number.to_string(),
        founded_on,
        province_code: req.province_code,
        fields_of_activity: associations::fields_json(&fields),
        status: Status::Pending.as_sql().into(),
        created_at: now,
        recorded_after_the_fact: 0,
    };
    // A concurrent registration of the same number loses on the unique constraint.
    associations::insert(&mut tx, &row)
        .await
        .map_err(|e| match Error::from(e) {
            Error::AlreadyExists(_) => taken(),
            other => other,
        })?;
    associations::add_representative(&mut tx, &row.association_id, &caller.account_id, now).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &caller.account_id,
            action: "association.create",
            target_type: "association",
            target_id: &row.association_id,
            before: json!(null),
            after: json!({
                "name": { "ar": row.name_ar, "fr": row.name_fr, "en": row.name_en },
                "registration_number": row.registration_number,
                "founded_on": row.founded_on,
                "province_code": row.province_code,
                "fields_of_activity": fields,
                "status": row.status,
                "representative_ids": [caller.account_id],
            }),
        },
        now,
    )
    .await?;
    emit_created(ctx, &mut tx, &row).await?;
    super::staff::emit_if_roles_changed(ctx, &mut tx, &founder).await?;
    let association = load(&mut tx, &row.association_id).await?;
    ctx.commit(tx).await?;
    Ok(CreateAssociationResponse {
        association: Some(association),
    })
}

/// Tells the other services of a new association (registered or imported).
pub(super) async fn emit_created(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    row: &AssociationRow,
) -> Result<(), Error> {
    let event = AssociationCreated {
        association_id: row.association_id.clone(),
        province_code: row.province_code.clone(),
        fields_of_activity: row.fields(),
        founded_on: domain::date_from_str(&row.founded_on),
        recorded_after_the_fact: row.recorded_after_the_fact != 0,
    };
    ctx.emit(
        tx,
        catalogue::ASSOCIATION_CREATED,
        &row.association_id,
        &event,
    )
    .await
}

async fn load(conn: &mut sqlx::AnyConnection, association_id: &str) -> Result<Association, Error> {
    associations::find(conn, association_id)
        .await?
        .ok_or_else(|| Error::not_found("association"))
}

/// Moves an association to `to` inside one transaction: checks the transition, audits it and
/// emits what `event` builds.
async fn change_status<M: prost::Name>(
    ctx: &Context,
    actor_id: &str,
    association_id: &str,
    to: Status,
    reason: Option<&str>,
    event: (EventType<M>, M),
) -> Result<Association, Error> {
    let mut tx = ctx.begin().await?;
    if !associations::lock(&mut tx, association_id).await? {
        return Err(Error::not_found("association"));
    }
    let row = associations::find_row(&mut tx, association_id)
        .await?
        .ok_or_else(|| Error::not_found("association"))?;
    let from = Status::from_sql(&row.status).ok_or_else(|| {
        Error::internal(anyhow::anyhow!(
            "association {association_id} has an unknown status"
        ))
    })?;
    let to = from.transition(to)?;
    let now = ctx.now();
    associations::set_status(&mut tx, association_id, to.as_sql(), now).await?;
    let mut after = json!({ "status": to.as_sql() });
    if let Some(reason) = reason {
        after["reason"] = json!(reason);
    }
    audit::record(
        &mut tx,
        audit::Change {
            actor_id,
            action: if to == Status::Verified {
                "association.verify"
            } else {
                "association.suspend"
            },
            target_type: "association",
            target_id: association_id,
            before: json!({ "status": row.status }),
            after,
        },
        now,
    )
    .await?;
    ctx.emit(&mut tx, event.0, association_id, &event.1).await?;
    let association = load(&mut tx, association_id).await?;
    ctx.commit(tx).await?;
    Ok(association)
}

pub async fn verify_association(
    ctx: &Context,
    call: &Call,
    req: VerifyAssociationRequest,
) -> Result<VerifyAssociationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.association_id),
        "association_id",
        "must be a UUID",
    );
    v.finish()?;
    let event = AssociationVerified {
        association_id: req.association_id.clone(),
    };
    let association = change_status(
        ctx,
        &staff.account_id,
        &req.association_id,
        Status::Verified,
        None,
        (catalogue::ASSOCIATION_VERIFIED, event),
    )
    .await?;
    Ok(VerifyAssociationResponse {
        association: Some(association),
    })
}

pub async fn suspend_association(
    ctx: &Context,
    call: &Call,
    req: SuspendAssociationRequest,
) -> Result<SuspendAssociationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let reason = req.reason.trim();
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.association_id),
        "association_id",
        "must be a UUID",
    );
    v.check(
        !reason.is_empty() && reason.chars().count() <= REASON_MAX,
        "reason",
        "is required (at most 500 characters)",
    );
    v.finish()?;
    let event = AssociationSuspended {
        association_id: req.association_id.clone(),
    };
    let association = change_status(
        ctx,
        &staff.account_id,
        &req.association_id,
        Status::Suspended,
        Some(reason),
        (catalogue::ASSOCIATION_SUSPENDED, event),
    )
    .await?;
    Ok(SuspendAssociationResponse {
        association: Some(association),
    })
}

fn check_pair(association_id: &str, account_id: &str) -> Result<(), Error> {
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(association_id),
        "association_id",
        "must be a UUID",
    );
    v.check(
        validate::is_uuid(account_id),
        "account_id",
        "must be a UUID",
    );
    v.finish()
}

/// Locks the association and checks the account is active, for representative changes.
async fn association_and_account(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    association_id: &str,
    account_id: &str,
) -> Result<(Association, AccountRecord), Error> {
    if !associations::lock(conn, association_id).await? {
        return Err(Error::not_found("association"));
    }
    let account = accounts::load(conn, account_id, &ctx.today())
        .await?
        .filter(AccountRecord::is_active)
        .ok_or_else(|| Error::not_found("account"))?;
    Ok((load(conn, association_id).await?, account))
}

pub async fn add_representative(
    ctx: &Context,
    call: &Call,
    req: AddRepresentativeRequest,
) -> Result<AddRepresentativeResponse, Error> {
    let staff = call.require_any(STAFF)?;
    check_pair(&req.association_id, &req.account_id)?;
    let mut tx = ctx.begin().await?;
    let (before, account) =
        association_and_account(ctx, &mut tx, &req.association_id, &req.account_id).await?;
    let now = ctx.now();
    if !associations::add_representative(&mut tx, &req.association_id, &req.account_id, now).await?
    {
        return Err(Error::AlreadyExists(
            "this account already represents the association".into(),
        ));
    }
    let after = load(&mut tx, &req.association_id).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "association.add_representative",
            target_type: "association",
            target_id: &req.association_id,
            before: json!({ "representative_ids": before.representative_ids }),
            after: json!({ "representative_ids": after.representative_ids }),
        },
        now,
    )
    .await?;
    super::staff::emit_if_roles_changed(ctx, &mut tx, &account).await?;
    ctx.commit(tx).await?;
    Ok(AddRepresentativeResponse {
        association: Some(after),
    })
}

pub async fn remove_representative(
    ctx: &Context,
    call: &Call,
    req: RemoveRepresentativeRequest,
) -> Result<RemoveRepresentativeResponse, Error> {
    let staff = call.require_any(STAFF)?;
    check_pair(&req.association_id, &req.account_id)?;
    let mut tx = ctx.begin().await?;
    let (before, account) =
        association_and_account(ctx, &mut tx, &req.association_id, &req.account_id).await?;
    if !associations::remove_representative(&mut tx, &req.association_id, &req.account_id).await? {
        return Err(Error::not_found("representative"));
    }
    let after = load(&mut tx, &req.association_id).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "association.remove_representative",
            target_type: "association",
            target_id: &req.association_id,
            before: json!({ "representative_ids": before.representative_ids }),
            after: json!({ "representative_ids": after.representative_ids }),
        },
        ctx.now(),
    )
    .await?;
    super::staff::emit_if_roles_changed(ctx, &mut tx, &account).await?;
    ctx.commit(tx).await?;
    Ok(RemoveRepresentativeResponse {
        association: Some(after),
    })
}

pub async fn get_association(
    ctx: &Context,
    _call: &Call,
    req: GetAssociationRequest,
) -> Result<GetAssociationResponse, Error> {
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.association_id),
        "association_id",
        "must be a UUID",
    );
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let association = load(&mut conn, &req.association_id).await?;
    Ok(GetAssociationResponse {
        association: Some(association),
    })
}

pub async fn list_associations(
    ctx: &Context,
    _call: &Call,
    req: ListAssociationsRequest,
) -> Result<ListAssociationsResponse, Error> {
    let status = AssociationStatus::try_from(req.status).ok();
    let mut v = Violations::new();
    v.check(status.is_some(), "status", "is not a known status");
    v.check(
        req.province_code.is_empty() || ctx.region.has_province(&req.province_code),
        "province_code",
        "is not a province of this region",
    );
    let page = super::page_checked(&mut v, req.page.as_ref())?;
    let page = validate::parsed(v, page)?;
    let status = status
        .and_then(domain::association_status_str)
        .unwrap_or("");
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = associations::list(
        &mut conn,
        status,
        &req.province_code,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    Ok(ListAssociationsResponse {
        associations: rows,
        next_page_token,
    })
}
