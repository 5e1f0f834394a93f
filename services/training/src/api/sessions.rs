//! Sessions and events: scheduled → held | cancelled. Staff schedule, change, cancel and mark
//! them held; anyone reads them. A change of capacity moves seats: raising it promotes
//! waitlisted people in arrival order, lowering it below the confirmed count is refused.

use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::common::Date;
use tachawor_proto::{
    events::{
        TrainingRegistrationChanged, TrainingSessionCancelled, TrainingSessionChanged,
        TrainingSessionHeld, TrainingSessionScheduled,
    },
    training::{
        CancelSessionRequest, CancelSessionResponse, Eligibility, GetSessionRequest,
        GetSessionResponse, ListSessionsRequest, ListSessionsResponse, MarkSessionHeldRequest,
        MarkSessionHeldResponse, ScheduleSessionRequest, ScheduleSessionResponse, Session,
        SessionDetails, SessionKind, SessionStatus, UpdateSessionRequest, UpdateSessionResponse,
    },
};
use tachawor_region::Zone;
use tachawor_runtime::idempotency;

use super::{STAFF, check_text, check_uuid, page};
use crate::{
    context::{Call, Context},
    domain::{
        self,
        registration::Status as RegistrationStatus,
        schedule::{self, Day, Schedule},
        session::{self as rules, Status},
    },
    store::{
        attendance, programs, registrations,
        sessions::{self, MaterialJson, SessionRow},
    },
};

const TITLE_MAX: usize = 200;
const ADDRESS_MAX: usize = 500;
const DAYS_MAX: usize = 31;
const CAPACITY_MAX: i32 = 100_000;
const FACILITATORS_MAX: usize = 20;
const MATERIALS_MAX: usize = 50;
const NAME_MAX: usize = 200;
const REASON_MAX: usize = 500;

fn text_ok(s: &str, max: usize) -> bool {
    let n = s.trim().chars().count();
    n >= 1 && n <= max && !s.chars().any(char::is_control)
}

/// Checks `details` and, when valid, returns them as a row (ids and counters left empty).
fn check_details(
    ctx: &Context,
    v: &mut Violations,
    details: Option<&SessionDetails>,
) -> SessionRow {
    let empty = SessionDetails::default();
    let d = details.unwrap_or(&empty);
    let kind = SessionKind::try_from(d.kind)
        .ok()
        .and_then(domain::kind_str);
    v.check(
        kind.is_some(),
        "details.kind",
        "is not a known kind of session",
    );
    check_text(v, "details.title", d.title.as_ref(), TITLE_MAX);
    let schedule = check_schedule(ctx, v, d);
    let day_list = schedule.dates();
    let online_url = d.online_url.trim();
    match &d.venue {
        Some(venue) => {
            v.check(
                ctx.region.has_province(&venue.province_code),
                "details.venue.province_code",
                "is not a province of this region",
            );
            v.check(
                text_ok(&venue.address, ADDRESS_MAX),
                "details.venue.address",
                "is required (at most 500 characters)",
            );
        }
        None => {
            v.check(
                !online_url.is_empty(),
                "details.venue",
                "a venue or an online link is required",
            );
        }
    }
    v.check(
        online_url.is_empty() || domain::is_link(online_url),
        "details.online_url",
        "must be an http(s) link",
    );
    v.check(
        (1..=CAPACITY_MAX).contains(&d.capacity),
        "details.capacity",
        "must be between 1 and 100000",
    );
    let opens = d.registration_opens_at.as_ref().map(domain::millis);
    let closes = d.registration_closes_at.as_ref().map(domain::millis);
    v.check(
        opens.is_some(),
        "details.registration_opens_at",
        "is required",
    );
    v.check(
        closes.is_some() && (opens.is_none() || closes > opens),
        "details.registration_closes_at",
        "is required, after registration_opens_at",
    );
    v.check(
        d.facilitators.len() <= FACILITATORS_MAX
            && d.facilitators.iter().all(|f| text_ok(f, NAME_MAX)),
        "details.facilitators",
        "at most 20 names of at most 200 characters",
    );
    v.check(
        d.materials.len() <= MATERIALS_MAX
            && d.materials
                .iter()
                .all(|m| text_ok(&m.title, NAME_MAX) && domain::is_link(m.url.trim())),
        "details.materials",
        "at most 50, each with a title and an http(s) link",
    );
    let eligibility = Eligibility::try_from(d.eligibility)
        .ok()
        .and_then(domain::eligibility_str);
    v.check(
        eligibility.is_some(),
        "details.eligibility",
        "is not a known eligibility rule",
    );
    v.check(
        (0..=100).contains(&d.attendance_threshold_percent),
        "details.attendance_threshold_percent",
        "must be between 0 (every day) and 100",
    );
    let (title_ar, title_fr, title_en) = super::trimmed(d.title.clone());
    let materials: Vec<MaterialJson> = d
        .materials
        .iter()
        .map(|m| MaterialJson {
            title: m.title.trim().to_string(),
            url: m.url.trim().to_string(),
        })
        .collect();
    let facilitators: Vec<String> = d
        .facilitators
        .iter()
        .map(|f| f.trim().to_string())
        .collect();
    let venue = d.venue.clone().unwrap_or_default();
    SessionRow {
        session_id: String::new(),
        program_id: String::new(),
        kind: kind.unwrap_or_default().to_string(),
        title_ar,
        title_fr,
        title_en,
        days: domain::to_json(&day_list),
        schedule: schedule.to_stored(),
        first_day: day_list.first().cloned().unwrap_or_default(),
        last_day: day_list.last().cloned().unwrap_or_default(),
        province_code: venue.province_code,
        address: venue.address.trim().to_string(),
        online_url: online_url.to_string(),
        capacity: d.capacity,
        confirmed_count: 0,
        registration_opens_at: opens.unwrap_or_default(),
        registration_closes_at: closes.unwrap_or_default(),
        facilitators: domain::to_json(&facilitators),
        materials: serde_json::to_string(&materials).unwrap_or_else(|_| "[]".into()),
        eligibility: eligibility.unwrap_or_default().to_string(),
        attendance_threshold_percent: d.attendance_threshold_percent,
        status: Status::Scheduled,
        cancel_reason: String::new(),
        created_by: String::new(),
        created_at: 0,
        updated_at: 0,
        recorded_after_the_fact: 0,
        recorded_attended_count: 0,
    }
}

/// The dates of `days`, checked: 1 to 31 distinct valid dates, or `None`.
fn distinct_dates(days: &[Date]) -> Option<Vec<String>> {
    let dates: Option<Vec<String>> = days.iter().map(domain::date_str).collect();
    let mut sorted = dates?;
    sorted.sort();
    sorted.dedup();
    ((1..=DAYS_MAX).contains(&days.len()) && sorted.len() == days.len()).then_some(sorted)
}

/// The session's days from `schedule`, each with its times, or, from a client that knows only
/// dates, from `days` without times. A day without times (both empty, as a day from before
/// times reads back) keeps, on an update, the times its date had. Every problem goes to `v`,
/// named down to the day's field (`details.schedule[1].end`).
fn check_schedule(ctx: &Context, v: &mut Violations, d: &SessionDetails) -> Schedule {
    if d.schedule.is_empty() {
        let dates = distinct_dates(&d.days);
        if d.days.is_empty() {
            v.add(
                "details.schedule",
                "between 1 and 31 days, each once, with start and end times are required",
            );
        } else {
            v.check(
                dates.is_some(),
                "details.days",
                "between 1 and 31 distinct valid dates are required",
            );
        }
        let days = dates.unwrap_or_default();
        return Schedule::new(days.iter().map(|day| Day::untimed(day)).collect());
    }
    let mut days = Vec::new();
    for (i, day) in d.schedule.iter().take(DAYS_MAX + 1).enumerate() {
        let Some(date) = day.date.as_ref().and_then(domain::date_str) else {
            v.add(
                &format!("details.schedule[{i}].date"),
                "must be a valid date",
            );
            continue;
        };
        match schedule::check_times(ctx.zone(), &date, &day.start, &day.end) {
            Ok(times) => days.push(Day { date, times }),
            Err(problems) => {
                for p in problems {
                    v.add(&format!("details.schedule[{i}].{}", p.field()), p.message());
                }
            }
        }
    }
    let schedule = Schedule::new(days);
    let mut dates = schedule.dates();
    dates.dedup();
    v.check(
        d.schedule.len() <= DAYS_MAX && dates.len() == schedule.days.len(),
        "details.schedule",
        "at most 31 days, each date once",
    );
    v.check(
        d.days.is_empty() || distinct_dates(&d.days).as_ref() == Some(&schedule.dates()),
        "details.days",
        "must be empty or the dates of details.schedule",
    );
    schedule
}

/// A session with its waitlist count, as the contract shows it.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    zone: &Zone,
    session_id: &str,
) -> Result<Session, Error> {
    Ok(sessions::find_shown(conn, session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?
        .to_proto(zone))
}

fn days_of(row: &SessionRow) -> Vec<tachawor_proto::common::Date> {
    row.day_list()
        .iter()
        .map(|d| domain::date_from_str(d))
        .collect()
}

pub async fn schedule_session(
    ctx: &Context,
    call: &Call,
    req: ScheduleSessionRequest,
) -> Result<ScheduleSessionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "program_id", &req.program_id);
    let mut row = check_details(ctx, &mut v, req.details.as_ref());
    if let Some(first_end) = row.schedule().first_end(ctx.zone()) {
        let with_times = req.details.as_ref().is_some_and(|d| !d.schedule.is_empty());
        v.check(
            rules::may_schedule(ctx.now(), first_end),
            if with_times {
                "details.schedule"
            } else {
                "details.days"
            },
            "must not be in the past (the first day is over)",
        );
    }
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    let now = ctx.now();
    row.session_id = uuid::Uuid::now_v7().to_string();
    row.program_id = req.program_id;
    row.created_by = staff.account_id.clone();
    row.created_at = now;
    row.updated_at = now;
    let key = req.idempotency_key.as_str();
    ctx.writer
        .idempotent(&staff.account_id, "ScheduleSession", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let program = programs::find(&mut tx, &row.program_id)
                    .await?
                    .ok_or_else(|| Error::not_found("program"))?;
                sessions::insert(&mut tx, &row, ctx.zone()).await?;
                ctx.emit(
                    &mut tx,
                    catalogue::SESSION_SCHEDULED,
                    &row.session_id,
                    &TrainingSessionScheduled {
                        session_id: row.session_id.clone(),
                        program_id: row.program_id.clone(),
                        milestone_ref: program.milestone_ref,
                        kind: row.kind.clone(),
                        province_code: row.province_code.clone(),
                        online: !row.online_url.is_empty(),
                        capacity: row.capacity,
                        days: days_of(&row),
                        eligibility: row.eligibility.clone(),
                        recorded_after_the_fact: false,
                    },
                )
                .await?;
                let session = load(&mut tx, ctx.zone(), &row.session_id).await?;
                let response = ScheduleSessionResponse {
                    session: Some(session),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// Locks a session and checks it is still scheduled.
async fn lock_scheduled(
    conn: &mut sqlx::AnyConnection,
    session_id: &str,
) -> Result<SessionRow, Error> {
    if !sessions::lock(conn, session_id).await? {
        return Err(Error::not_found("session"));
    }
    let row = sessions::find(conn, session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    row.status.require_scheduled()?;
    Ok(row)
}

pub async fn update_session(
    ctx: &Context,
    call: &Call,
    req: UpdateSessionRequest,
) -> Result<UpdateSessionResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    let mut new = check_details(ctx, &mut v, req.details.as_ref());
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let old = lock_scheduled(&mut tx, &req.session_id).await?;
    let schedule = new.schedule().keep_times_of(&old.schedule());
    new.schedule = schedule.to_stored();
    rules::check_capacity(new.capacity, old.confirmed_count)?;
    if new.days != old.days {
        let recorded = attendance::any_in_session(&mut tx, &old.session_id).await?;
        rules::check_days_change(true, recorded)?;
    }
    let mut changed = Vec::new();
    for (name, differs) in [
        ("kind", new.kind != old.kind),
        (
            "title",
            (&new.title_ar, &new.title_fr, &new.title_en)
                != (&old.title_ar, &old.title_fr, &old.title_en),
        ),
        ("days", new.days != old.days),
        ("times", schedule.times_differ(&old.schedule())),
        (
            "venue",
            (&new.province_code, &new.address) != (&old.province_code, &old.address),
        ),
        ("online_url", new.online_url != old.online_url),
        ("capacity", new.capacity != old.capacity),
        (
            "registration_window",
            (new.registration_opens_at, new.registration_closes_at)
                != (old.registration_opens_at, old.registration_closes_at),
        ),
        ("facilitators", new.facilitators != old.facilitators),
        ("materials", new.materials != old.materials),
        ("eligibility", new.eligibility != old.eligibility),
        (
            "attendance_threshold_percent",
            new.attendance_threshold_percent != old.attendance_threshold_percent,
        ),
    ] {
        if differs {
            changed.push(name.to_string());
        }
    }
    if changed.is_empty() {
        let session = load(&mut tx, ctx.zone(), &old.session_id).await?;
        return Ok(UpdateSessionResponse {
            session: Some(session),
        });
    }
    let now = ctx.now();
    new.session_id = old.session_id.clone();
    new.program_id = old.program_id.clone();
    sessions::update_details(&mut tx, &new, now, ctx.zone()).await?;
    ctx.emit(
        &mut tx,
        catalogue::SESSION_CHANGED,
        &new.session_id,
        &TrainingSessionChanged {
            session_id: new.session_id.clone(),
            program_id: new.program_id.clone(),
            province_code: new.province_code.clone(),
            online: !new.online_url.is_empty(),
            capacity: new.capacity,
            days: days_of(&new),
            changed,
        },
    )
    .await?;
    let free = i64::from(new.capacity - old.confirmed_count);
    if free > 0 {
        promote(ctx, &mut tx, &new.session_id, &new.program_id, free).await?;
    }
    let session = load(&mut tx, ctx.zone(), &new.session_id).await?;
    ctx.commit(tx).await?;
    Ok(UpdateSessionResponse {
        session: Some(session),
    })
}

/// Gives up to `seats` free seats to the first waitlisted people, in arrival order. The
/// session's row must be locked by the caller. Returns the promoted registrations' ids.
pub(crate) async fn promote(
    ctx: &Context,
    tx: &mut sqlx::AnyConnection,
    session_id: &str,
    program_id: &str,
    seats: i64,
) -> Result<Vec<String>, Error> {
    let next = registrations::first_waitlisted(tx, session_id, seats).await?;
    if next.is_empty() {
        return Ok(Vec::new());
    }
    for row in &next {
        registrations::set_status(
            tx,
            &row.registration_id,
            RegistrationStatus::Confirmed,
            None,
        )
        .await?;
    }
    sessions::add_confirmed(tx, session_id, next.len() as i32).await?;
    for row in &next {
        ctx.writer
            .emit_on(
                tx,
                catalogue::REGISTRATION_PROMOTED,
                &row.registration_id,
                &TrainingRegistrationChanged {
                    registration_id: row.registration_id.clone(),
                    session_id: session_id.to_string(),
                    program_id: program_id.to_string(),
                    participant: Some(row.participant()),
                    previous_status: RegistrationStatus::Waitlisted.as_sql().into(),
                },
            )
            .await?;
    }
    Ok(next.into_iter().map(|r| r.registration_id).collect())
}

pub async fn cancel_session(
    ctx: &Context,
    call: &Call,
    req: CancelSessionRequest,
) -> Result<CancelSessionResponse, Error> {
    call.require_any(STAFF)?;
    let reason = req.reason.trim();
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.check(
        text_ok(reason, REASON_MAX),
        "reason",
        "is required (at most 500 characters)",
    );
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = lock_scheduled(&mut tx, &req.session_id).await?;
    let cancelled = row.status.transition(Status::Cancelled)?;
    sessions::set_status(
        &mut tx,
        &row.session_id,
        cancelled,
        reason,
        ctx.now(),
        ctx.zone(),
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::SESSION_CANCELLED,
        &row.session_id,
        &TrainingSessionCancelled {
            session_id: row.session_id.clone(),
            program_id: row.program_id.clone(),
            confirmed_count: row.confirmed_count,
        },
    )
    .await?;
    let session = load(&mut tx, ctx.zone(), &row.session_id).await?;
    ctx.commit(tx).await?;
    Ok(CancelSessionResponse {
        session: Some(session),
    })
}

pub async fn mark_session_held(
    ctx: &Context,
    call: &Call,
    req: MarkSessionHeldRequest,
) -> Result<MarkSessionHeldResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = lock_scheduled(&mut tx, &req.session_id).await?;
    let held = row.status.transition(Status::Held)?;
    if let Some(first_start) = row.schedule().first_start(ctx.zone()) {
        rules::check_started(ctx.now(), first_start)?;
    }
    let program = programs::find(&mut tx, &row.program_id)
        .await?
        .ok_or_else(|| Error::not_found("program"))?;
    let attended = attendance::attendees(&mut tx, &row.session_id).await?;
    sessions::set_status(&mut tx, &row.session_id, held, "", ctx.now(), ctx.zone()).await?;
    ctx.emit(
        &mut tx,
        catalogue::SESSION_HELD,
        &row.session_id,
        &TrainingSessionHeld {
            session_id: row.session_id.clone(),
            program_id: row.program_id.clone(),
            milestone_ref: program.milestone_ref,
            kind: row.kind.clone(),
            province_code: row.province_code.clone(),
            days: days_of(&row),
            confirmed_count: row.confirmed_count,
            attended_count: attended as i32,
            recorded_after_the_fact: false,
        },
    )
    .await?;
    let session = load(&mut tx, ctx.zone(), &row.session_id).await?;
    ctx.commit(tx).await?;
    Ok(MarkSessionHeldResponse {
        session: Some(session),
    })
}

pub async fn get_session(
    ctx: &Context,
    call: &Call,
    req: GetSessionRequest,
) -> Result<GetSessionResponse, Error> {
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut session = load(&mut conn, ctx.zone(), &req.session_id).await?;
    hide_links(&mut conn, call, std::slice::from_mut(&mut session)).await?;
    Ok(GetSessionResponse {
        session: Some(session),
    })
}

/// Blanks the online link of every session the caller holds no confirmed seat for: the link
/// lets one into the session, so it goes to staff and confirmed participants only.
async fn hide_links(
    conn: &mut sqlx::AnyConnection,
    call: &Call,
    sessions: &mut [Session],
) -> Result<(), Error> {
    if call.require_any(STAFF).is_ok() {
        return Ok(());
    }
    let with_link: Vec<&str> = sessions
        .iter()
        .filter(|s| s.details.as_ref().is_some_and(|d| !d.online_url.is_empty()))
        .map(|s| s.session_id.as_str())
        .collect();
    let seated = match call.account() {
        Ok(account) if !with_link.is_empty() => {
            registrations::confirmed_sessions_of(conn, &account.account_id, &with_link).await?
        }
        _ => Vec::new(),
    };
    for session in sessions {
        if !seated.contains(&session.session_id)
            && let Some(details) = session.details.as_mut()
        {
            details.online_url.clear();
        }
    }
    Ok(())
}

pub async fn list_sessions(
    ctx: &Context,
    call: &Call,
    req: ListSessionsRequest,
) -> Result<ListSessionsResponse, Error> {
    let mut v = Violations::new();
    let page = page(&mut v, req.page.as_ref());
    v.check(
        req.program_id.is_empty() || domain::is_uuid(&req.program_id),
        "program_id",
        "must be a UUID",
    );
    v.check(
        req.province_code.is_empty() || ctx.region.has_province(&req.province_code),
        "province_code",
        "is not a province of this region",
    );
    let status = SessionStatus::try_from(req.status).ok();
    v.check(status.is_some(), "status", "is not a known status");
    v.finish()?;
    // Unspecified lists every status.
    let status = status.and_then(Status::from_proto);
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = sessions::list(
        &mut conn,
        &req.program_id,
        &req.province_code,
        status,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(match row.kept(ctx.zone()).map_err(Error::internal)? {
            Some(session) => session,
            // Written when the service starts; read whole until then.
            None => load(&mut conn, ctx.zone(), &row.session_id).await?,
        });
    }
    hide_links(&mut conn, call, &mut out).await?;
    Ok(ListSessionsResponse {
        sessions: out,
        next_page_token,
    })
}
