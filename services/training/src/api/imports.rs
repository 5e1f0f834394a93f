//! Imports of sessions held before the platform existed, with their attendance, a batch of
//! rows a call (the same design as identity's imports).
//!
//! Every row is checked, against the file (duplicates of the natural key) and the database
//! (the program), inside one transaction committed only when no row is bad and the call is not
//! a dry run. A row whose session is already recorded (same program, first day, province and
//! address) is counted unchanged, so running a file twice changes nothing.
//!
//! An imported session is stored held and recorded after the fact: its registration window is
//! empty and held sessions take no registration. Its attendance is a count of people (most had
//! no account) and, optionally, accounts among them: each gets a confirmed registration present
//! every day, and the events attendance gives (`training.attendance.recorded`, method
//! `import`). The session's `scheduled` and `held` events carry `recorded_after_the_fact` and
//! the whole count, so reporting counts the session and its participants in the month it was
//! held.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use tachawor_errors::Error;
use tachawor_proto::catalogue;
use tachawor_proto::imports::{Problems, code};
use tachawor_proto::{
    events::{TrainingSessionHeld, TrainingSessionScheduled},
    training::{ImportPastSessionsRequest, ImportPastSessionsResponse, PastSessionImportRow},
};
use tachawor_runtime::imports::{self, parse_batch, past_date, required};
use tachawor_storage::Transaction;

use super::{STAFF, attendance::record_day};
use crate::{
    context::{Call, Context},
    domain::{
        self,
        registration::Status as RegistrationStatus,
        schedule::{self, Day, Schedule},
        session::Status,
    },
    eligibility::Participant,
    store::{
        programs,
        registrations::{self, RegistrationRow},
        sessions::{self, SessionRow},
    },
};

const TITLE_MAX: usize = 200;
const ADDRESS_MAX: usize = 500;
const DAYS_MAX: usize = 31;
const ATTENDED_MAX: i32 = 100_000;

/// A row once parsed, before the database is asked about its program and accounts.
struct PastSession {
    line: u32,
    row: SessionRow,
    accounts: Vec<String>,
}

/// The session's days with the row's times; problems on `days`, `start` and `end`.
fn parse_days(
    ctx: &Context,
    today: &str,
    line: u32,
    row: &PastSessionImportRow,
    problems: &mut Problems,
) -> Option<Schedule> {
    let given: Vec<&str> = row
        .days
        .iter()
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
        .collect();
    if given.is_empty() {
        problems.add(line, "days", code::REQUIRED, "is required");
        return None;
    }
    if !problems.check(
        given.len() <= DAYS_MAX,
        line,
        "days",
        code::INVALID,
        "at most 31 days",
    ) {
        return None;
    }
    let before = problems.on_line(line);
    let dates: Vec<String> = given
        .iter()
        .filter_map(|d| past_date(problems, line, "days", d, today))
        .collect();
    if problems.on_line(line) > before {
        return None;
    }
    let mut distinct = dates.clone();
    distinct.sort();
    distinct.dedup();
    if !problems.check(
        distinct.len() == dates.len(),
        line,
        "days",
        code::DUPLICATE,
        "each day once",
    ) {
        return None;
    }
    for (field, value) in [("start", &row.start), ("end", &row.end)] {
        if value.trim().is_empty() {
            problems.add(line, field, code::REQUIRED, "is required (HH:MM)");
        }
    }
    if problems.on_line(line) > before {
        return None;
    }
    let mut days = Vec::with_capacity(distinct.len());
    for date in distinct {
        match schedule::check_times(ctx.zone(), &date, &row.start, &row.end) {
            Ok(times) => days.push(Day { date, times }),
            Err(found) => {
                // The same times every day: each problem once.
                for p in found {
                    if problems.on_line(line) == before {
                        problems.add(line, p.field(), code::INVALID, p.message());
                    }
                }
                return None;
            }
        }
    }
    Some(Schedule::new(days))
}

/// The count of people who attended and the accounts among them, each once.
fn parse_attendance(
    line: u32,
    row: &PastSessionImportRow,
    problems: &mut Problems,
) -> Option<(i32, Vec<String>)> {
    let before = problems.on_line(line);
    let count = match row.attended_count.trim() {
        "" => {
            problems.add(line, "attended_count", code::REQUIRED, "is required");
            None
        }
        text => {
            let n = text
                .parse::<i32>()
                .ok()
                .filter(|n| (0..=ATTENDED_MAX).contains(n));
            problems.check(
                n.is_some(),
                line,
                "attended_count",
                code::INVALID,
                "must be a whole number from 0 to 100000",
            );
            n
        }
    };
    let mut accounts: Vec<String> = Vec::new();
    for id in row.attendee_account_ids.iter().map(|a| a.trim()) {
        if id.is_empty() {
            continue;
        }
        if !domain::is_uuid(id) {
            problems.add(
                line,
                "attendee_account_ids",
                code::INVALID,
                "each must be an account id (UUID)",
            );
            return None;
        }
        if accounts.iter().any(|a| a == id) {
            problems.add(
                line,
                "attendee_account_ids",
                code::DUPLICATE,
                "each account once",
            );
            return None;
        }
        accounts.push(id.to_string());
    }
    if let Some(n) = count {
        problems.check(
            accounts.len() <= n as usize,
            line,
            "attendee_account_ids",
            code::INVALID,
            "more accounts than attended_count",
        );
    }
    if problems.on_line(line) > before {
        return None;
    }
    Some((count?, accounts))
}

/// A row as it would be stored, or `None` with its problems added.
fn parse_session(
    ctx: &Context,
    today: &str,
    line: u32,
    row: &PastSessionImportRow,
    problems: &mut Problems,
) -> Option<PastSession> {
    let before = problems.on_line(line);
    let program_id = row.program_id.trim();
    if program_id.is_empty() {
        problems.add(line, "program_id", code::REQUIRED, "is required");
    } else {
        problems.check(
            domain::is_uuid(program_id),
            line,
            "program_id",
            code::INVALID,
            "is not an id (UUID)",
        );
    }
    required(problems, line, "title_ar", &row.title_ar, TITLE_MAX);
    required(problems, line, "title_fr", &row.title_fr, TITLE_MAX);
    let kind = row.kind.trim();
    if kind.is_empty() {
        problems.add(line, "kind", code::REQUIRED, "is required");
    } else {
        problems.check(
            domain::kind_str(domain::kind_from_str(kind)).is_some(),
            line,
            "kind",
            code::INVALID,
            "must be training_session, regional_meeting or forum",
        );
    }
    let province = row.province_code.trim();
    if province.is_empty() {
        problems.add(line, "province_code", code::REQUIRED, "is required");
    } else {
        problems.check(
            ctx.region.has_province(province),
            line,
            "province_code",
            code::UNKNOWN,
            "is not a province of this region",
        );
    }
    required(problems, line, "address", &row.address, ADDRESS_MAX);
    let schedule = parse_days(ctx, today, line, row, problems);
    let attendance = parse_attendance(line, row, problems);
    if problems.on_line(line) > before {
        return None;
    }
    let schedule = schedule?;
    let (attended, accounts) = attendance?;
    let dates = schedule.dates();
    // Closed before it opened: no one registers for a session held long ago.
    let window = schedule.first_start(ctx.zone()).unwrap_or_default();
    let now = ctx.now();
    Some(PastSession {
        line,
        accounts,
        row: SessionRow {
            session_id: uuid::Uuid::now_v7().to_string(),
            program_id: program_id.to_string(),
            kind: kind.to_string(),
            title_ar: row.title_ar.trim().to_string(),
            title_fr: row.title_fr.trim().to_string(),
            title_en: String::new(),
            days: domain::to_json(&dates),
            schedule: schedule.to_stored(),
            first_day: dates.first().cloned().unwrap_or_default(),
            last_day: dates.last().cloned().unwrap_or_default(),
            province_code: province.to_string(),
            address: row.address.trim().to_string(),
            online_url: String::new(),
            capacity: attended.max(1),
            confirmed_count: 0,
            registration_opens_at: window,
            registration_closes_at: window,
            facilitators: "[]".into(),
            materials: "[]".into(),
            eligibility: "open".into(),
            attendance_threshold_percent: 0,
            status: Status::Held,
            cancel_reason: String::new(),
            created_by: String::new(),
            created_at: now,
            updated_at: now,
            recorded_after_the_fact: 1,
            recorded_attended_count: attended,
        },
    })
}

/// The natural key: program, first day and venue.
fn key_of(s: &PastSession) -> String {
    let r = &s.row;
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        r.program_id, r.first_day, r.province_code, r.address
    )
}

/// The accounts the batch names, asked of identity once each before the transaction: the
/// active ones with what events carry about them.
async fn participants(
    ctx: &Context,
    parsed: &[PastSession],
) -> Result<HashMap<String, Participant>, Error> {
    let ids: HashSet<&str> = parsed
        .iter()
        .flat_map(|s| s.accounts.iter().map(String::as_str))
        .collect();
    let answers = futures::future::join_all(ids.iter().map(|id| ctx.eligibility.of(id))).await;
    let mut found = HashMap::new();
    for answer in answers {
        match answer {
            Ok(p) if p.active => {
                found.insert(p.account_id.clone(), p);
            }
            // Inactive, or unknown to identity (it answers "no longer exists").
            Ok(_) | Err(Error::Unauthenticated(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}

pub async fn import_past_sessions(
    ctx: &Context,
    call: &Call,
    req: ImportPastSessionsRequest,
) -> Result<ImportPastSessionsResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let today = ctx.today();
    let (parsed, mut problems) = parse_batch(
        &req.rows,
        |row| row.line,
        "days",
        |line, row, problems| {
            let s = parse_session(ctx, &today, line, row, problems);
            (s.as_ref().map(key_of), s)
        },
    )?;
    let people = participants(ctx, &parsed).await?;

    let (mut created, mut unchanged) = (0u32, 0u32);
    let mut milestones: HashMap<String, Option<String>> = HashMap::new();
    let mut tx = ctx.begin().await?;
    let mut fresh = Vec::new();
    for s in &parsed {
        let before = problems.on_line(s.line);
        let program_id = &s.row.program_id;
        if !milestones.contains_key(program_id) {
            let found = programs::find(&mut tx, program_id).await?;
            milestones.insert(program_id.clone(), found.map(|p| p.milestone_ref));
        }
        if milestones.get(program_id).cloned().flatten().is_none() {
            problems.add(s.line, "program_id", code::UNKNOWN, "no such program");
        }
        for id in &s.accounts {
            if !people.contains_key(id) {
                let description = format!("no such active account: {id}");
                problems.add(s.line, "attendee_account_ids", code::UNKNOWN, &description);
            }
        }
        if problems.on_line(s.line) > before {
            continue;
        }
        let r = &s.row;
        if sessions::find_by_key(
            &mut tx,
            program_id,
            &r.first_day,
            &r.province_code,
            &r.address,
        )
        .await?
        .is_some()
        {
            unchanged += 1;
            continue;
        }
        created += 1;
        fresh.push(s);
    }
    let write = problems.is_empty() && !req.dry_run;
    if write {
        for s in fresh {
            let milestone = milestones
                .get(&s.row.program_id)
                .cloned()
                .flatten()
                .unwrap_or_default();
            let mut row = s.row.clone();
            row.created_by = staff.account_id.clone();
            record_session(ctx, &mut tx, &row, &milestone, &s.accounts, &people).await?;
        }
        ctx.commit(tx).await?;
    }
    Ok(ImportPastSessionsResponse {
        summary: Some(problems.summary(created, unchanged, write)),
    })
}

/// Stores an imported session with its attendance, audits it and tells the other services,
/// as scheduling it, recording presence and marking it held would.
async fn record_session(
    ctx: &Context,
    tx: &mut Transaction,
    row: &SessionRow,
    milestone_ref: &str,
    accounts: &[String],
    people: &HashMap<String, Participant>,
) -> Result<(), Error> {
    sessions::insert(tx, row, ctx.zone()).await?;
    let days: Vec<_> = row
        .day_list()
        .iter()
        .map(|d| domain::date_from_str(d))
        .collect();
    ctx.emit(
        tx,
        catalogue::SESSION_SCHEDULED,
        &row.session_id,
        &TrainingSessionScheduled {
            session_id: row.session_id.clone(),
            program_id: row.program_id.clone(),
            milestone_ref: milestone_ref.to_string(),
            kind: row.kind.clone(),
            province_code: row.province_code.clone(),
            online: false,
            capacity: row.capacity,
            days: days.clone(),
            eligibility: row.eligibility.clone(),
            recorded_after_the_fact: true,
        },
    )
    .await?;
    let attendees = attend(ctx, tx, row, accounts, people).await?;
    let after = json!({
        "program_id": row.program_id,
        "kind": row.kind,
        "province_code": row.province_code,
        "days": row.day_list(),
        "attended_count": row.recorded_attended_count,
        "attendee_accounts": attendees,
    });
    let target = ("session.import", "session", row.session_id.as_str());
    imports::audit(tx, &row.created_by, target, after, row.created_at).await?;
    ctx.emit(
        tx,
        catalogue::SESSION_HELD,
        &row.session_id,
        &TrainingSessionHeld {
            session_id: row.session_id.clone(),
            program_id: row.program_id.clone(),
            milestone_ref: milestone_ref.to_string(),
            kind: row.kind.clone(),
            province_code: row.province_code.clone(),
            days,
            confirmed_count: attendees as i32,
            attended_count: row.recorded_attended_count,
            recorded_after_the_fact: true,
        },
    )
    .await?;
    Ok(())
}

/// The accounts who attended: a confirmed registration each, present every day, as staff
/// recording presence would leave it. How many were written.
async fn attend(
    ctx: &Context,
    tx: &mut Transaction,
    session: &SessionRow,
    accounts: &[String],
    people: &HashMap<String, Participant>,
) -> Result<usize, Error> {
    let rows: Vec<RegistrationRow> = accounts
        .iter()
        .filter_map(|id| people.get(id))
        .zip(1..)
        .map(|(p, seq)| RegistrationRow {
            registration_id: uuid::Uuid::now_v7().to_string(),
            session_id: session.session_id.clone(),
            account_id: p.account_id.clone(),
            status: RegistrationStatus::Confirmed,
            seq,
            province_code: p.province_code.clone(),
            actor_kind: p.actor_kind as i32,
            registered_at: session.registration_opens_at,
            cancelled_at: None,
            waitlist_position: 0,
        })
        .collect();
    registrations::upsert_all(tx, &rows).await?;
    sessions::add_confirmed(tx, &session.session_id, rows.len() as i32).await?;
    for row in &rows {
        for day in session.day_list() {
            let by = &session.created_by;
            record_day(ctx, tx, row, &session.program_id, &day, "import", by).await?;
        }
    }
    Ok(rows.len())
}
