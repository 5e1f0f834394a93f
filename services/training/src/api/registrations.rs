//! Registrations: `confirmed` while seats remain, else `waitlisted` in arrival order. A
//! cancellation frees a seat for the first waitlisted person. Seats are counted on the session's
//! row, under its lock, so no concurrency confirms more people than there are seats.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    events::TrainingRegistrationChanged,
    training::{
        CancelRegistrationRequest, CancelRegistrationResponse, ExportRegistrationsRequest,
        ExportRegistrationsResponse, ListMyRegistrationsRequest, ListMyRegistrationsResponse,
        ListRegistrationsRequest, ListRegistrationsResponse, RegisterRequest, RegisterResponse,
        RegistrationStatus,
    },
};
use tachawor_runtime::{audit, idempotency};

use super::{STAFF, check_uuid, load_registration, page};
use crate::{
    context::{Call, Context},
    domain::registration::Status,
    store::{attendance, registrations, sessions},
};

pub async fn register(
    ctx: &Context,
    call: &Call,
    req: RegisterRequest,
) -> Result<RegisterResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    let key = req.idempotency_key.as_str();
    // Asked before the transaction: no lock is held across a call to another service. The
    // session's rule is checked against the answer in the batch, under the session's lock,
    // where a repeated key is also answered with the response stored for it.
    let who = ctx.eligibility.of(&caller.account_id).await?;
    ctx.registrar
        .register(&req.session_id, &caller.account_id, key, who)
        .await
}

pub async fn cancel_registration(
    ctx: &Context,
    call: &Call,
    req: CancelRegistrationRequest,
) -> Result<CancelRegistrationResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    check_uuid(&mut v, "registration_id", &req.registration_id);
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    let key = req.idempotency_key.as_str();
    let mut tx = ctx.begin().await?;
    if let Some(done) =
        idempotency::replay(&mut tx, &caller.account_id, "CancelRegistration", key).await?
    {
        return Ok(done);
    }
    let found = registrations::find(&mut tx, &req.registration_id)
        .await?
        .ok_or_else(|| Error::not_found("registration"))?;
    if found.account_id != caller.account_id && !caller.is_staff() {
        return Err(Error::PermissionDenied(
            "only the participant or council staff may cancel a registration".into(),
        ));
    }
    if !sessions::lock(&mut tx, &found.session_id).await? {
        return Err(Error::not_found("session"));
    }
    let session = sessions::find(&mut tx, &found.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    session.status.require_scheduled()?;
    // Read again under the session's lock: a promotion may have changed it meanwhile.
    let row = registrations::find(&mut tx, &req.registration_id)
        .await?
        .ok_or_else(|| Error::not_found("registration"))?;
    let cancelled = row.status.cancel()?;
    let now = ctx.now();
    registrations::set_status(&mut tx, &row.registration_id, cancelled, Some(now)).await?;
    ctx.emit(
        &mut tx,
        catalogue::REGISTRATION_CANCELLED,
        &row.registration_id,
        &TrainingRegistrationChanged {
            registration_id: row.registration_id.clone(),
            session_id: row.session_id.clone(),
            program_id: session.program_id.clone(),
            participant: Some(row.participant()),
            previous_status: row.status.as_sql().into(),
        },
    )
    .await?;
    let mut promoted = Vec::new();
    if row.status == Status::Confirmed {
        sessions::add_confirmed(&mut tx, &row.session_id, -1).await?;
        promoted =
            super::sessions::promote(ctx, &mut tx, &row.session_id, &session.program_id, 1).await?;
    }
    if row.account_id != caller.account_id {
        // Staff cancelling someone else's seat: audited, the people named by account id only.
        audit::record(
            &mut tx,
            audit::Change {
                actor_id: &caller.account_id,
                action: "registration.cancel",
                target_type: "registration",
                target_id: &row.registration_id,
                before: json!({ "status": row.status.as_sql() }),
                after: json!({
                    "status": cancelled.as_sql(),
                    "session_id": row.session_id,
                    "account_id": row.account_id,
                    "promoted_registration_id": promoted.first(),
                }),
            },
            now,
        )
        .await?;
    }
    let registration = load_registration(&mut tx, &row.registration_id).await?;
    let promoted = match promoted.first() {
        Some(id) => Some(load_registration(&mut tx, id).await?),
        None => None,
    };
    let response = CancelRegistrationResponse {
        registration: Some(registration),
        promoted,
    };
    idempotency::remember(
        &mut tx,
        &caller.account_id,
        "CancelRegistration",
        key,
        &response,
        now,
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(response)
}

pub async fn list_my_registrations(
    ctx: &Context,
    call: &Call,
    req: ListMyRegistrationsRequest,
) -> Result<ListMyRegistrationsResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    let page = page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = registrations::list_for_account(
        &mut conn,
        &caller.account_id,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    let attended = attendance::days_of_account(&mut conn, &caller.account_id).await?;
    let ids: Vec<&str> = rows.iter().map(|r| r.session_id.as_str()).collect();
    let day_counts = sessions::day_counts_of(&mut conn, &ids).await?;
    let out = rows
        .iter()
        .map(|row| {
            let days = attended
                .get(&row.registration_id)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            row.to_proto(days, day_counts.get(&row.session_id).copied().unwrap_or(0))
        })
        .collect();
    Ok(ListMyRegistrationsResponse {
        registrations: out,
        next_page_token,
    })
}

pub async fn list_registrations(
    ctx: &Context,
    call: &Call,
    req: ListRegistrationsRequest,
) -> Result<ListRegistrationsResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    let status = RegistrationStatus::try_from(req.status).ok();
    v.check(status.is_some(), "status", "is not a known status");
    let page = page(&mut v, req.page.as_ref());
    v.finish()?;
    // Unspecified lists every status.
    let status = status.and_then(Status::from_proto);
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let session = sessions::find(&mut conn, &req.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    let mut rows = registrations::list(
        &mut conn,
        &req.session_id,
        status,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    let attended = attendance::days_in_session(&mut conn, &req.session_id).await?;
    let total = session.day_list().len();
    Ok(ListRegistrationsResponse {
        registrations: rows
            .iter()
            .map(|r| {
                let days = attended
                    .get(&r.registration_id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                r.to_proto(days, total)
            })
            .collect(),
        next_page_token,
    })
}

pub async fn export_registrations(
    ctx: &Context,
    call: &Call,
    req: ExportRegistrationsRequest,
) -> Result<ExportRegistrationsResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let session = sessions::find(&mut conn, &req.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    let rows = registrations::list(&mut conn, &req.session_id, None, i64::MAX, 0).await?;
    let attended = attendance::days_in_session(&mut conn, &req.session_id).await?;
    let total = session.day_list().len();
    let mut csv = String::from(
        "registration_id,account_id,status,waitlist_position,arrival,registered_at,\
         days_attended,attendance_rate_percent\n",
    );
    for r in &rows {
        let days = attended
            .get(&r.registration_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let shown = r.to_proto(days, total);
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            r.registration_id,
            r.account_id,
            r.status,
            shown.waitlist_position,
            r.seq,
            r.registered_at,
            days.len(),
            shown.attendance_rate_percent
        ));
    }
    Ok(ExportRegistrationsResponse { csv })
}
