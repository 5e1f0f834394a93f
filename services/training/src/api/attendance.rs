//! Attendance, per session day: recorded by staff, or by the participant with a code shown at
//! the venue.
//!
//! Proving presence: staff issue a 6-digit code for today's session day, valid for
//! `check_in_code_ttl_secs` (a few minutes), and show it at the venue, issuing a new one as it
//! runs out. A participant checks in once per day with a code that is currently valid: the code
//! only helps someone who sees it now, and a second check-in the same day is refused. Wrong
//! codes are counted per participant and day; after `check_in_max_failures` the participant
//! must see staff.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::TrainingAttendanceRecorded,
    training::{
        CheckInRequest, CheckInResponse, CheckInWithCodeRequest, CheckInWithCodeResponse,
        IssueCheckInCodeRequest, IssueCheckInCodeResponse, Registration,
    },
};
use tachawor_runtime::{audit, idempotency};
use tachawor_storage::Transaction;

use super::{STAFF, check_uuid, load_registration};
use crate::{
    context::{Call, Context},
    domain::{
        self,
        attendance::{check_code, check_confirmed, check_not_future, check_session_day},
        rule::Rule,
    },
    store::{
        attendance,
        registrations::{self, RegistrationRow},
        sessions::{self, SessionRow},
    },
};

/// The session of a check-in: it must still be scheduled and `day` one of its days.
async fn session_for_day(
    tx: &mut sqlx::AnyConnection,
    session_id: &str,
    day: &str,
) -> Result<SessionRow, Error> {
    let session = sessions::find(tx, session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    check_session_day(session.status, &session.day_list(), day)?;
    Ok(session)
}

const DAY_INVALID: &str = "must be a valid date";

/// Checks a staff check-in and answers the day it records, `YYYY-MM-DD`.
fn parse_check_in(req: &CheckInRequest) -> Result<String, Error> {
    let mut v = Violations::new();
    check_uuid(&mut v, "registration_id", &req.registration_id);
    let day = req.day.as_ref().and_then(domain::date_str);
    v.check(day.is_some(), "day", DAY_INVALID);
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    // A missing day was recorded above, so `finish` has refused it already.
    day.ok_or_else(|| Error::field("day", DAY_INVALID))
}

/// Records the day and its event and answers the registration with it; `ALREADY_EXISTS` when
/// the day was already recorded.
async fn record(
    ctx: &Context,
    tx: &mut Transaction,
    row: &RegistrationRow,
    session: &SessionRow,
    day: &str,
    method: &str,
    by: &str,
) -> Result<Registration, Error> {
    if !record_day(ctx, tx, row, &session.program_id, day, method, by).await? {
        return Err(Error::AlreadyExists(
            "presence is already recorded for this day".into(),
        ));
    }
    load_registration(tx, &row.registration_id).await
}

/// Records presence on `day` and its event (`method`: staff, code or import); false when it
/// was already recorded.
pub(crate) async fn record_day(
    ctx: &Context,
    tx: &mut Transaction,
    row: &RegistrationRow,
    program_id: &str,
    day: &str,
    method: &str,
    by: &str,
) -> Result<bool, Error> {
    let now = ctx.now();
    let id = &row.registration_id;
    if !attendance::record(tx, id, &row.session_id, day, method, by, now).await? {
        return Ok(false);
    }
    ctx.emit(
        tx,
        catalogue::ATTENDANCE_RECORDED,
        &row.registration_id,
        &TrainingAttendanceRecorded {
            registration_id: row.registration_id.clone(),
            session_id: row.session_id.clone(),
            program_id: program_id.to_string(),
            day: Some(domain::date_from_str(day)),
            method: method.into(),
            participant: Some(row.participant()),
        },
    )
    .await?;
    Ok(true)
}

pub async fn issue_check_in_code(
    ctx: &Context,
    call: &Call,
    req: IssueCheckInCodeRequest,
) -> Result<IssueCheckInCodeResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.finish()?;
    let today = ctx.today();
    let now = ctx.now();
    let expires_at = now + ctx.settings.training.check_in_code_ttl_secs * 1000;
    let code = domain::check_in_code();
    let mut tx = ctx.begin().await?;
    session_for_day(&mut tx, &req.session_id, &today).await?;
    attendance::insert_code(
        &mut tx,
        &req.session_id,
        &today,
        &code,
        &staff.account_id,
        now,
        expires_at,
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(IssueCheckInCodeResponse {
        code,
        day: Some(domain::date_from_str(&today)),
        expires_at: Some(domain::timestamp(expires_at)),
    })
}

pub async fn check_in(
    ctx: &Context,
    call: &Call,
    req: CheckInRequest,
) -> Result<CheckInResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let day = parse_check_in(&req)?;
    let key = req.idempotency_key.as_str();
    ctx.writer
        .idempotent(&staff.account_id, "CheckIn", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let row = registrations::find(&mut tx, &req.registration_id)
                    .await?
                    .ok_or_else(|| Error::not_found("registration"))?;
                let session = session_for_day(&mut tx, &row.session_id, &day).await?;
                let starts_at = session
                    .schedule()
                    .day(&day)
                    .map_or(i64::MAX, |d| d.bounds(ctx.zone()).0);
                check_not_future(ctx.now(), starts_at)?;
                check_confirmed(row.status)?;
                let registration = record(
                    ctx,
                    &mut tx,
                    &row,
                    &session,
                    &day,
                    "staff",
                    &staff.account_id,
                )
                .await?;
                audit::record(
                    &mut tx,
                    audit::Change {
                        actor_id: &staff.account_id,
                        action: "attendance.check_in",
                        target_type: "registration",
                        target_id: &row.registration_id,
                        before: json!(null),
                        after: json!({
                            "day": day,
                            "session_id": row.session_id,
                            "account_id": row.account_id,
                        }),
                    },
                    ctx.now(),
                )
                .await?;
                let response = CheckInResponse {
                    registration: Some(registration),
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn check_in_with_code(
    ctx: &Context,
    call: &Call,
    req: CheckInWithCodeRequest,
) -> Result<CheckInWithCodeResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.check(
        req.code.len() == 6 && req.code.chars().all(|c| c.is_ascii_digit()),
        "code",
        "must be 6 digits",
    );
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    let key = req.idempotency_key.as_str();
    let today = ctx.today();
    let now = ctx.now();
    ctx.writer
        .idempotent(&caller.account_id, "CheckInWithCode", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let row = registrations::find_for(&mut tx, &req.session_id, &caller.account_id)
                    .await?
                    .ok_or_else(|| Error::not_found("registration"))?;
                let session = session_for_day(&mut tx, &req.session_id, &today).await?;
                check_confirmed(row.status)?;
                let max_failures = ctx.settings.training.check_in_max_failures;
                if attendance::failures(&mut tx, &row.registration_id, &today).await?
                    >= max_failures
                {
                    return Err(Error::ResourceExhausted(
                        "too many wrong codes today; ask the staff at the venue".into(),
                    ));
                }
                let expiry =
                    attendance::code_expiry(&mut tx, &req.session_id, &today, &req.code).await?;
                match check_code(expiry, now) {
                    Ok(()) => {}
                    Err(Rule::CheckInCodeInvalid) => {
                        // The count of wrong codes must survive the refusal.
                        attendance::add_failure(&mut tx, &row.registration_id, &today).await?;
                        ctx.commit(tx).await?;
                        return Err(Rule::CheckInCodeInvalid.into());
                    }
                    Err(refused) => return Err(refused.into()),
                }
                let registration = record(
                    ctx,
                    &mut tx,
                    &row,
                    &session,
                    &today,
                    "code",
                    &caller.account_id,
                )
                .await?;
                let response = CheckInWithCodeResponse {
                    registration: Some(registration),
                };
                Ok((tx, response))
            })
        })
        .await
}
