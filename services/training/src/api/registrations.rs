//! Registrations: `confirmed` while seats remain, else `waitlisted` in arrival order. A
//! cancellation frees a seat for the first waitlisted person. Seats are counted on the session's
//! row, under its lock, so no concurrency confirms more people than there are seats.

use std::collections::HashMap;

use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    events::TrainingRegistrationChanged,
    training::{
        CancelRegistrationRequest, CancelRegistrationResponse, ExportRegistrationsRequest,
        ExportRegistrationsResponse, ListMyRegistrationsRequest, ListMyRegistrationsResponse,
        ListRegistrationsRequest, ListRegistrationsResponse, RegisterRequest, RegisterResponse,
        RegistrationStatus,
    },
};
use tachawor_runtime::idempotency;

use super::{STAFF, check_uuid, is_staff, load_registration, page, participant, registration};
use crate::{
    context::{Call, Context},
    domain,
    store::{
        attendance,
        registrations::{self, RegistrationRow},
        sessions,
    },
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
    let eligibility = {
        let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
        if let Some(done) =
            idempotency::replay(&mut conn, &caller.account_id, "Register", key).await?
        {
            return Ok(done);
        }
        let session = sessions::find(&mut conn, &req.session_id)
            .await?
            .ok_or_else(|| Error::not_found("session"))?;
        domain::eligibility_from_str(&session.eligibility)
    };
    // Asked before the transaction: no lock is held across a call to another service.
    let who = ctx.eligibility.of(&caller.account_id).await?;
    if !who.may_register(eligibility) {
        return Err(Error::rule(
            "registration.not_eligible",
            "this session is reserved to other participants",
        ));
    }

    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    let arrival = sessions::arrive(&mut tx, &req.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    // Any refusal below rolls the arrival back with the transaction.
    if arrival.status != "scheduled" {
        return Err(Error::rule(
            "session.not_scheduled",
            format!("the session is {}", arrival.status),
        ));
    }
    if now < arrival.registration_opens_at {
        return Err(Error::rule(
            "registration.not_open",
            "registration has not opened yet",
        ));
    }
    if now >= arrival.registration_closes_at {
        return Err(Error::rule(
            "registration.closed",
            "registration has closed",
        ));
    }
    let status = if arrival.last_took_seat == 1 {
        domain::CONFIRMED
    } else {
        domain::WAITLISTED
    };
    let mut row = RegistrationRow {
        registration_id: uuid::Uuid::now_v7().to_string(),
        session_id: req.session_id.clone(),
        account_id: caller.account_id.clone(),
        status: status.into(),
        seq: arrival.registration_seq,
        province_code: who.province_code.clone(),
        actor_kind: who.actor_kind as i32,
        registered_at: now,
        cancelled_at: None,
        waitlist_position: 0,
    };
    row.registration_id = registrations::upsert(&mut tx, &row)
        .await?
        .ok_or_else(|| Error::AlreadyExists("already registered for this session".into()))?;
    if status == domain::WAITLISTED {
        row.waitlist_position = registrations::count(&mut tx, &row.session_id, status).await?;
    }
    ctx.emit(
        &mut tx,
        if status == domain::CONFIRMED {
            "training.registration.confirmed"
        } else {
            "training.registration.waitlisted"
        },
        &row.registration_id,
        &TrainingRegistrationChanged {
            registration_id: row.registration_id.clone(),
            session_id: row.session_id.clone(),
            program_id: arrival.program_id,
            participant: Some(participant(&row)),
            previous_status: String::new(),
        },
    )
    .await?;
    let response = RegisterResponse {
        registration: Some(registration(&row, &[], 1)),
    };
    idempotency::remember(&mut tx, &caller.account_id, "Register", key, &response, now).await?;
    ctx.commit(tx).await?;
    Ok(response)
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
    if found.account_id != caller.account_id && !is_staff(&caller) {
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
    if session.status != "scheduled" {
        return Err(Error::rule(
            "session.not_scheduled",
            format!("the session is {}", session.status),
        ));
    }
    // Read again under the session's lock: a promotion may have changed it meanwhile.
    let row = registrations::find(&mut tx, &req.registration_id)
        .await?
        .ok_or_else(|| Error::not_found("registration"))?;
    if row.status == domain::CANCELLED {
        return Err(Error::rule(
            "registration.cancelled",
            "this registration is already cancelled",
        ));
    }
    let now = ctx.now();
    registrations::set_status(&mut tx, &row.registration_id, domain::CANCELLED, Some(now)).await?;
    ctx.emit(
        &mut tx,
        "training.registration.cancelled",
        &row.registration_id,
        &TrainingRegistrationChanged {
            registration_id: row.registration_id.clone(),
            session_id: row.session_id.clone(),
            program_id: session.program_id.clone(),
            participant: Some(participant(&row)),
            previous_status: row.status.clone(),
        },
    )
    .await?;
    let mut promoted = Vec::new();
    if row.status == domain::CONFIRMED {
        sessions::add_confirmed(&mut tx, &row.session_id, -1).await?;
        promoted =
            super::sessions::promote(ctx, &mut tx, &row.session_id, &session.program_id, 1).await?;
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
    let mut day_counts: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        if !day_counts.contains_key(&row.session_id) {
            let n = sessions::find(&mut conn, &row.session_id)
                .await?
                .map(|s| s.day_list().len())
                .unwrap_or(0);
            day_counts.insert(row.session_id.clone(), n);
        }
        let days = attended
            .get(&row.registration_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        out.push(registration(row, days, day_counts[&row.session_id]));
    }
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
    let status = status
        .and_then(domain::registration_status_str)
        .unwrap_or("");
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
                registration(r, days, total)
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
    let rows = registrations::list(&mut conn, &req.session_id, "", i64::MAX, 0).await?;
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
        let shown = registration(r, days, total);
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
