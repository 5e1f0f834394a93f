//! Registrations: `confirmed` while seats remain, else `waitlisted` in arrival order. A
//! cancellation frees a seat for the first waitlisted person. Seats are counted on the session's
//! row, under its lock, so no concurrency confirms more people than there are seats.

use std::collections::{HashMap, HashSet};
use tachawor_proto::catalogue::{self, EventType};

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
    if !key.is_empty() {
        let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
        if let Some(done) =
            idempotency::replay(&mut conn, &caller.account_id, "Register", key).await?
        {
            return Ok(done);
        }
    }
    // Asked before the transaction: no lock is held across a call to another service. The
    // session's rule is checked against the answer in the batch, under the session's lock.
    let who = ctx.eligibility.of(&caller.account_id).await?;
    ctx.registrar
        .register(&req.session_id, &caller.account_id, key, who)
        .await
}

/// Commits a batch of registrations for one session in one transaction and answers each caller
/// (see `registrar`). Whatever refuses one person (eligibility, the window, an active
/// registration) is decided before anything is written; a statement failing after that is the
/// database's fault, and then every caller gets the error and nothing of the batch is written.
pub(crate) async fn commit_batch(writer: &Writer, session_id: &str, batch: Vec<Pending>) {
    let mut answers: Vec<Option<Answer>> = batch.iter().map(|_| None).collect();
    let done = run_batch(writer, session_id, &batch, &mut answers).await;
    match done {
        Ok(_) => {
            for (pending, answer) in batch.into_iter().zip(answers) {
                let answer = answer.unwrap_or_else(|| {
                    Err(Error::internal(anyhow::anyhow!(
                        "a registration of the batch was left unanswered"
                    )))
                });
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

type Answer = Result<RegisterResponse, Error>;

/// The whole batch in a handful of statements: the active registrations among its people,
/// then every row, every event and every idempotency record at once.
async fn run_batch(
    writer: &Writer,
    session_id: &str,
    batch: &[Pending],
    answers: &mut [Option<Answer>],
) -> Result<(), Error> {
    let mut tx = writer.begin().await?;
    let Some(seats) = sessions::lock_seats(&mut tx, session_id).await? else {
        answers.fill_with(|| Some(Err(Error::not_found("session"))));
        return Ok(());
    };
    let mut arrivals = Arrivals::new(seats);
    let people: Vec<&str> = batch.iter().map(|p| p.account_id.as_str()).collect();
    let mut holding: HashSet<String> = registrations::active_among(&mut tx, session_id, &people)
        .await?
        .into_iter()
        .collect();
    // Who was admitted (their index in the batch) and the row each gets, side by side.
    let mut admitted = Vec::new();
    let mut rows = Vec::new();
    for (i, pending) in batch.iter().enumerate() {
        let now = writer.now();
        if let Err(refused) = arrivals.may_register(pending, now) {
            answers[i] = Some(Err(refused));
            continue;
        }
        // Also refuses the second of two calls for the same person in this batch.
        if !holding.insert(pending.account_id.clone()) {
            answers[i] = Some(Err(already_registered()));
            continue;
        }
        let (seat, position) = arrivals.place(&mut tx, session_id).await?;
        admitted.push(i);
        rows.push(new_row(
            session_id,
            &arrivals.seats,
            pending,
            now,
            seat,
            position,
        ));
        arrivals.accept(seat, position);
    }
    if admitted.is_empty() {
        return Ok(());
    }

    let ids: HashMap<String, String> = registrations::upsert_all(&mut tx, &rows)
        .await?
        .into_iter()
        .collect();
    if ids.len() != admitted.len() {
        // Cannot happen under the session's lock: active registrations were left out above.
        return Err(Error::internal(anyhow::anyhow!(
            "{} of {} registrations written",
            ids.len(),
            admitted.len()
        )));
    }
    let mut events = Vec::with_capacity(admitted.len());
    let mut responses = Vec::with_capacity(admitted.len());
    for (i, row) in admitted.iter().zip(&mut rows) {
        row.registration_id = ids[&row.account_id].clone();
        let (event_type, event, response) = outcome(row, &arrivals.seats);
        // Under the caller's span, so the event carries the caller's trace.
        let prepared = batch[*i]
            .span
            .in_scope(|| writer.prepare(event_type, &row.registration_id, &event))?;
        events.push(prepared);
        responses.push(response);
    }
    writer.emit_all(&mut tx, &events).await?;
    let keyed: Vec<(&str, &str, &RegisterResponse)> = admitted
        .iter()
        .zip(&responses)
        .map(|(i, response)| {
            let pending = &batch[*i];
            (pending.account_id.as_str(), pending.key.as_str(), response)
        })
        .collect();
    idempotency::remember_all(&mut tx, "Register", &keyed, writer.now()).await?;
    arrivals.write_back(&mut tx, session_id).await?;
    writer.commit(tx).await?;
    for (i, response) in admitted.into_iter().zip(responses) {
        answers[i] = Some(Ok(response));
    }
    Ok(())
}

fn already_registered() -> Error {
    Error::AlreadyExists("already registered for this session".into())
}

/// Numbers and seats a batch's arrivals in order, under the session's lock.
struct Arrivals {
    seats: Seats,
    rule: tachawor_proto::training::Eligibility,
    first_seq: i64,
    first_confirmed: i32,
    /// The last waitlist position given in this batch, once someone joined the waitlist.
    waitlisted: Option<i64>,
}

impl Arrivals {
    fn new(seats: Seats) -> Self {
        Self {
            rule: domain::eligibility_from_str(&seats.eligibility),
            first_seq: seats.registration_seq,
            first_confirmed: seats.confirmed_count,
            waitlisted: None,
            seats,
        }
    }

    /// Whether this person may register for the session at `now`.
    fn may_register(&self, pending: &Pending, now: i64) -> Result<(), Error> {
        if !pending.who.may_register(self.rule) {
            return Err(Error::rule(
                "registration.not_eligible",
                "this session is reserved to other participants",
            ));
        }
        still_open(&self.seats, now)
    }

    /// What the next arrival gets: a seat (`true`, position 0) or a place on the waitlist.
    /// The waitlist is counted once, when the first person of the batch joins it.
    async fn place(&self, tx: &mut Transaction, session_id: &str) -> Result<(bool, i64), Error> {
        if self.seats.confirmed_count < self.seats.capacity {
            return Ok((true, 0));
        }
        let position = match self.waitlisted {
            Some(n) => n + 1,
            None => registrations::count(tx, session_id, domain::WAITLISTED).await? + 1,
        };
        Ok((false, position))
    }

    /// Counts an arrival written with what [`Arrivals::place`] gave it.
    fn accept(&mut self, seat: bool, position: i64) {
        self.seats.registration_seq += 1;
        if seat {
            self.seats.confirmed_count += 1;
        } else {
            self.waitlisted = Some(position);
        }
    }

    /// Writes the counters back to the session's row.
    async fn write_back(&self, tx: &mut Transaction, session_id: &str) -> Result<(), Error> {
        sessions::count_arrivals(
            tx,
            session_id,
            self.seats.registration_seq - self.first_seq,
            self.seats.confirmed_count - self.first_confirmed,
        )
        .await?;
        Ok(())
    }
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

/// The row an arrival gets: the next arrival number, a seat or a waitlist position.
fn new_row(
    session_id: &str,
    seats: &Seats,
    pending: &Pending,
    now: i64,
    seat: bool,
    position: i64,
) -> RegistrationRow {
    let status = if seat {
        domain::CONFIRMED
    } else {
        domain::WAITLISTED
    };
    RegistrationRow {
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
    }
}

/// The event and the answer for a written registration.
fn outcome(
    row: &RegistrationRow,
    seats: &Seats,
) -> (
    EventType<TrainingRegistrationChanged>,
    TrainingRegistrationChanged,
    RegisterResponse,
) {
    let event_type = if row.status == domain::CONFIRMED {
        catalogue::REGISTRATION_CONFIRMED
    } else {
        catalogue::REGISTRATION_WAITLISTED
    };
    let event = TrainingRegistrationChanged {
        registration_id: row.registration_id.clone(),
        session_id: row.session_id.clone(),
        program_id: seats.program_id.clone(),
        participant: Some(participant(row)),
        previous_status: String::new(),
    };
    let response = RegisterResponse {
        registration: Some(registration(row, &[], 1)),
    };
    (event_type, event, response)
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
        catalogue::REGISTRATION_CANCELLED,
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
