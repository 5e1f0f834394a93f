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
use tachawor_runtime::{Writer, idempotency};
use tachawor_storage::Transaction;
use tracing::Instrument;

use super::{
    STAFF, check_uuid, is_staff, load_registration, page, participant, registrar::Pending,
    registration,
};
use crate::{
    context::{Call, Context},
    domain,
    store::{
        attendance,
        registrations::{self, RegistrationRow},
        sessions::{self, Seats},
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

    ctx.registrar
        .register(&ctx.writer, &req.session_id, &caller.account_id, key, who)
        .await
}

/// Commits a batch of registrations for one session in one transaction and answers each caller
/// (see `registrar`). When the transaction fails, every caller gets the error and nothing of
/// the batch is written.
pub(crate) async fn commit_batch(writer: &Writer, session_id: &str, batch: Vec<Pending>) {
    let mut answers = Vec::with_capacity(batch.len());
    // First without savepoints (a refused duplicate writes nothing, so needs none); if a
    // statement fails, the whole batch is rolled back and run again with one savepoint per
    // registration, so that the failing one is refused alone.
    let mut done = run_batch(writer, session_id, &batch, &mut answers, false).await;
    if let Ok(false) = done {
        answers.clear();
        done = run_batch(writer, session_id, &batch, &mut answers, true).await;
    }
    match done {
        Ok(_) => {
            for (pending, answer) in batch.into_iter().zip(answers) {
                let _ = pending.reply.send(answer);
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, size = batch.len(), "a batch of registrations failed");
            let aborted = matches!(e, Error::Aborted(_));
            for pending in batch {
                let _ = pending.reply.send(Err(if aborted {
                    Error::Aborted("the registration was not committed, retry".into())
                } else {
                    Error::Unavailable("the registration was not committed, retry".into())
                }));
            }
        }
    }
}

/// One pass over the batch. Without `savepoints`, `Ok(false)` means a registration's statement
/// failed and the transaction was abandoned.
async fn run_batch(
    writer: &Writer,
    session_id: &str,
    batch: &[Pending],
    answers: &mut Vec<Result<RegisterResponse, Error>>,
    savepoints: bool,
) -> Result<bool, Error> {
    let mut tx = writer.begin().await?;
    let Some(mut seats) = sessions::lock_seats(&mut tx, session_id).await? else {
        answers.extend(batch.iter().map(|_| Err(Error::not_found("session"))));
        return Ok(true);
    };
    let (first_seq, first_confirmed) = (seats.registration_seq, seats.confirmed_count);
    // Counted once, when the first person of the batch joins the waitlist.
    let mut waitlisted: Option<i64> = None;
    for pending in batch {
        let now = writer.now();
        if let Err(refused) = still_open(&seats, now) {
            answers.push(Err(refused));
            continue;
        }
        let seat = seats.confirmed_count < seats.capacity;
        let position = match (seat, waitlisted) {
            (true, _) => 0,
            (false, Some(n)) => n + 1,
            (false, None) => {
                registrations::count(&mut tx, session_id, domain::WAITLISTED).await? + 1
            }
        };
        if savepoints {
            savepoint(&mut tx, "SAVEPOINT registration").await?;
        }
        let one = register_one(
            writer, &mut tx, session_id, &seats, pending, now, seat, position,
        )
        .instrument(pending.span.clone())
        .await;
        if savepoints {
            if one.is_err() {
                savepoint(&mut tx, "ROLLBACK TO SAVEPOINT registration").await?;
            }
            savepoint(&mut tx, "RELEASE SAVEPOINT registration").await?;
        }
        match one {
            Ok(Some(response)) => {
                seats.registration_seq += 1;
                if seat {
                    seats.confirmed_count += 1;
                } else {
                    waitlisted = Some(position);
                }
                answers.push(Ok(response));
            }
            // Nothing was written for it.
            Ok(None) => answers.push(Err(Error::AlreadyExists(
                "already registered for this session".into(),
            ))),
            Err(refused) if savepoints => answers.push(Err(refused)),
            Err(_) => return Ok(false),
        }
    }
    if seats.registration_seq > first_seq {
        sessions::count_arrivals(
            &mut tx,
            session_id,
            seats.registration_seq - first_seq,
            seats.confirmed_count - first_confirmed,
        )
        .await?;
        writer.commit(tx).await?;
    }
    Ok(true)
}

async fn savepoint(tx: &mut Transaction, statement: &'static str) -> Result<(), Error> {
    sqlx::query(statement).execute(&mut **tx).await?;
    Ok(())
}

/// The session accepts registrations at `now`.
fn still_open(seats: &Seats, now: i64) -> Result<(), Error> {
    if seats.status != "scheduled" {
        return Err(Error::rule(
            "session.not_scheduled",
            format!("the session is {}", seats.status),
        ));
    }
    if now < seats.registration_opens_at {
        return Err(Error::rule(
            "registration.not_open",
            "registration has not opened yet",
        ));
    }
    if now >= seats.registration_closes_at {
        return Err(Error::rule(
            "registration.closed",
            "registration has closed",
        ));
    }
    Ok(())
}

/// One registration's effects inside the batch: the row, its event, its idempotency record.
/// `seat` and `position` are what it gets if it succeeds; `None` (nothing written) when the
/// person already holds an active registration for the session.
#[allow(clippy::too_many_arguments)]
async fn register_one(
    writer: &Writer,
    tx: &mut Transaction,
    session_id: &str,
    seats: &Seats,
    pending: &Pending,
    now: i64,
    seat: bool,
    position: i64,
) -> Result<Option<RegisterResponse>, Error> {
    let status = if seat {
        domain::CONFIRMED
    } else {
        domain::WAITLISTED
    };
    let mut row = RegistrationRow {
        registration_id: uuid::Uuid::now_v7().to_string(),
        session_id: session_id.to_owned(),
        account_id: pending.account_id.clone(),
        status: status.into(),
        seq: seats.registration_seq + 1,
        province_code: pending.who.province_code.clone(),
        actor_kind: pending.who.actor_kind as i32,
        registered_at: now,
        cancelled_at: None,
        waitlist_position: position,
    };
    let Some(registration_id) = registrations::upsert(tx, &row).await? else {
        return Ok(None);
    };
    row.registration_id = registration_id;
    writer
        .emit(
            tx,
            if seat {
                "training.registration.confirmed"
            } else {
                "training.registration.waitlisted"
            },
            &row.registration_id,
            &TrainingRegistrationChanged {
                registration_id: row.registration_id.clone(),
                session_id: row.session_id.clone(),
                program_id: seats.program_id.clone(),
                participant: Some(participant(&row)),
                previous_status: String::new(),
            },
        )
        .await?;
    let response = RegisterResponse {
        registration: Some(registration(&row, &[], 1)),
    };
    idempotency::remember(
        tx,
        &pending.account_id,
        "Register",
        &pending.key,
        &response,
        now,
    )
    .await?;
    Ok(Some(response))
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
