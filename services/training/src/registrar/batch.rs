//! One batch of registrations for a session, committed in one transaction (see the parent
//! module): the session's row lock, the replays of keys already answered, who is refused, then
//! every new row, event and idempotency record in one statement each, and one commit.

use std::collections::{HashMap, HashSet};

use tachawor_errors::Error;
use tachawor_proto::{
    catalogue::{self, EventType},
    events::TrainingRegistrationChanged,
    training::RegisterResponse,
};
use tachawor_region::Zone;
use tachawor_runtime::{Writer, idempotency};
use tachawor_storage::Transaction;

use super::Pending;
use crate::{
    domain::{
        Rule, eligibility_from_str,
        registration::{self, Status, Window},
    },
    store::{
        registrations::{self as rows, RegistrationRow},
        sessions::{self, Seats},
    },
};

/// The RPC the batch's idempotency keys are stored under.
const RPC: &str = "Register";

/// Commits a batch of registrations for one session in one transaction and answers each caller
/// (see `registrar`). Whatever refuses one person (eligibility, the window, an active
/// registration) is decided before anything is written; a statement failing after that is the
/// database's fault, and then every caller gets the error and nothing of the batch is written.
pub(super) async fn commit_batch(
    writer: &Writer,
    zone: &Zone,
    session_id: &str,
    batch: Vec<Pending>,
) {
    let mut answers: Vec<Option<Answer>> = batch.iter().map(|_| None).collect();
    let done = run_batch(writer, zone, session_id, &batch, &mut answers).await;
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

/// The whole batch in a handful of statements: the stored answers to its repeated keys, the
/// active registrations among its people, then every row, every event and every idempotency
/// record at once.
async fn run_batch(
    writer: &Writer,
    zone: &Zone,
    session_id: &str,
    batch: &[Pending],
    answers: &mut [Option<Answer>],
) -> Result<(), Error> {
    let mut tx = writer.begin().await?;
    let Some(seats) = sessions::lock_seats(&mut tx, session_id).await? else {
        answers.fill_with(|| Some(Err(Error::not_found("session"))));
        return Ok(());
    };
    // Under the lock, in the batch's transaction: a key answered before (by an earlier batch)
    // gets that answer, as every other write replays its key inside its own transaction.
    let keys: Vec<(&str, &str)> = batch
        .iter()
        .map(|p| (p.account_id.as_str(), p.key.as_str()))
        .collect();
    let replays: HashMap<(String, String), RegisterResponse> =
        idempotency::replay_all(&mut tx, RPC, &keys).await?;
    let mut arrivals = Arrivals::new(seats, zone);
    let people: Vec<&str> = batch.iter().map(|p| p.account_id.as_str()).collect();
    let mut holding: HashSet<String> = rows::active_among(&mut tx, session_id, &people)
        .await?
        .into_iter()
        .collect();
    // Who was admitted (their index in the batch) and the row each gets, side by side.
    let mut admitted = Vec::new();
    let mut rows = Vec::new();
    for (i, pending) in batch.iter().enumerate() {
        if !pending.key.is_empty()
            && let Some(done) = replays.get(&(pending.account_id.clone(), pending.key.clone()))
        {
            answers[i] = Some(Ok(done.clone()));
            continue;
        }
        let now = writer.now();
        if let Err(refused) = arrivals.may_register(pending, now) {
            answers[i] = Some(Err(refused.into()));
            continue;
        }
        // Also refuses the second of two calls for the same person in this batch.
        if !holding.insert(pending.account_id.clone()) {
            answers[i] = Some(Err(already_registered()));
            continue;
        }
        let (status, position) = arrivals.place(&mut tx, session_id).await?;
        admitted.push(i);
        rows.push(new_row(
            session_id,
            &arrivals.seats,
            pending,
            now,
            status,
            position,
        ));
        arrivals.accept(status, position);
    }
    if admitted.is_empty() {
        return Ok(());
    }

    let ids: HashMap<String, String> = rows::upsert_all(&mut tx, &rows)
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
    idempotency::remember_all(&mut tx, RPC, &keyed, writer.now()).await?;
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
    /// When the session's last day ends: registration closes then at the latest.
    over_at: i64,
}

impl Arrivals {
    fn new(seats: Seats, zone: &Zone) -> Self {
        Self {
            over_at: seats.schedule().last_end(zone).unwrap_or(i64::MAX),
            rule: eligibility_from_str(&seats.eligibility),
            first_seq: seats.registration_seq,
            first_confirmed: seats.confirmed_count,
            waitlisted: None,
            seats,
        }
    }

    /// Whether this person may register for the session at `now`.
    fn may_register(&self, pending: &Pending, now: i64) -> Result<(), Rule> {
        registration::may_register(
            pending.who.may_register(self.rule),
            self.seats.status,
            Window {
                opens_at: self.seats.registration_opens_at,
                closes_at: self.seats.registration_closes_at,
            }
            .until_over(self.over_at),
            now,
        )
    }

    /// What the next arrival gets: a seat (confirmed, position 0) or a place on the waitlist.
    /// The waitlist is counted once, when the first person of the batch joins it.
    async fn place(&self, tx: &mut Transaction, session_id: &str) -> Result<(Status, i64), Error> {
        let status = registration::placement(self.seats.confirmed_count, self.seats.capacity);
        if status == Status::Confirmed {
            return Ok((status, 0));
        }
        let position = match self.waitlisted {
            Some(n) => n + 1,
            None => rows::count(tx, session_id, Status::Waitlisted).await? + 1,
        };
        Ok((status, position))
    }

    /// Counts an arrival written with what [`Arrivals::place`] gave it.
    fn accept(&mut self, status: Status, position: i64) {
        self.seats.registration_seq += 1;
        if status == Status::Confirmed {
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

/// The row an arrival gets: the next arrival number, a seat or a waitlist position.
fn new_row(
    session_id: &str,
    seats: &Seats,
    pending: &Pending,
    now: i64,
    status: Status,
    position: i64,
) -> RegistrationRow {
    RegistrationRow {
        registration_id: uuid::Uuid::now_v7().to_string(),
        session_id: session_id.to_owned(),
        account_id: pending.account_id.clone(),
        status,
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
    let event_type = if row.status == Status::Confirmed {
        catalogue::REGISTRATION_CONFIRMED
    } else {
        catalogue::REGISTRATION_WAITLISTED
    };
    let event = TrainingRegistrationChanged {
        registration_id: row.registration_id.clone(),
        session_id: row.session_id.clone(),
        program_id: seats.program_id.clone(),
        participant: Some(row.participant()),
        previous_status: String::new(),
    };
    let response = RegisterResponse {
        registration: Some(row.to_proto(&[], 1)),
    };
    (event_type, event, response)
}
