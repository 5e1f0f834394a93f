//! Sessions. Every change to a session's seats goes through its row, which serialises them:
//! on PostgreSQL an `UPDATE` takes the row lock, on SQLite `BEGIN IMMEDIATE` already does.
//!
//! Each session is also kept as lists show it (`listed`: its `Session` message with the two
//! counts at zero, encoded), so a page reads one value and two counts per session. The counts
//! change with every registration and stay columns, so Register writes nothing more; every
//! other statement here that changes what a reader sees ends by writing `listed` again.

use std::collections::HashMap;

use prost::Message;
use sqlx::{AnyConnection, FromRow};
use tachawor_proto::{
    common::LocalizedText,
    training::{Material, Session, SessionDay, SessionDetails, Venue},
};
use tachawor_region::Zone;
use tachawor_storage::{
    kept::{self, Keep},
    params,
};

use crate::domain::{self, schedule::Schedule, session::Status};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub session_id: String,
    pub program_id: String,
    pub kind: String,
    pub title_ar: String,
    pub title_fr: String,
    pub title_en: String,
    /// JSON array of `YYYY-MM-DD`, sorted.
    pub days: String,
    /// JSON array of `{date, start, end}` (local `HH:MM`), sorted; empty for a session
    /// scheduled before sessions had times (its days then have none).
    pub schedule: String,
    pub first_day: String,
    pub last_day: String,
    pub province_code: String,
    pub address: String,
    pub online_url: String,
    pub capacity: i32,
    pub confirmed_count: i32,
    pub registration_opens_at: i64,
    pub registration_closes_at: i64,
    /// JSON array of names.
    pub facilitators: String,
    /// JSON array of `{title, url}`.
    pub materials: String,
    pub eligibility: String,
    pub attendance_threshold_percent: i32,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub cancel_reason: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// 1 when imported from the council's records (held before the platform existed).
    pub recorded_after_the_fact: i32,
    /// Imported sessions: everyone who attended, with or without an account.
    pub recorded_attended_count: i32,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct MaterialJson {
    pub title: String,
    pub url: String,
}

const COLUMNS: &str = "session_id, program_id, kind, title_ar, title_fr, title_en, days, \
     schedule, first_day, last_day, province_code, address, online_url, capacity, \
     confirmed_count, registration_opens_at, registration_closes_at, facilitators, materials, \
     eligibility, attendance_threshold_percent, status, cancel_reason, created_by, created_at, \
     updated_at, recorded_after_the_fact, recorded_attended_count";

/// How many wait for a seat in the session read, counted in the same statement.
const WAITLISTED: &str = "(SELECT COUNT(*) FROM registrations r \
     WHERE r.session_id = sessions.session_id AND r.status = 'waitlisted') AS waitlisted";

/// A session as shown to readers: its row and the length of its waitlist.
#[derive(Debug, FromRow)]
pub struct ShownRow {
    #[sqlx(flatten)]
    pub row: SessionRow,
    pub waitlisted: i64,
}

impl ShownRow {
    pub fn to_proto(&self, zone: &Zone) -> Session {
        self.row.to_proto(self.waitlisted, zone)
    }
}

impl SessionRow {
    pub fn day_list(&self) -> Vec<String> {
        domain::from_json(&self.days)
    }

    /// The days with their times.
    pub fn schedule(&self) -> Schedule {
        Schedule::from_stored(&self.schedule, &self.day_list())
    }

    pub fn title(&self) -> LocalizedText {
        LocalizedText {
            ar: self.title_ar.clone(),
            fr: self.title_fr.clone(),
            en: self.title_en.clone(),
            zgh: String::new(),
        }
    }

    pub fn details(&self, zone: &Zone) -> SessionDetails {
        let materials: Vec<MaterialJson> = domain::from_json(&self.materials);
        let schedule = self.schedule();
        SessionDetails {
            schedule: schedule
                .days
                .iter()
                .map(|day| {
                    let (start, end) = day.start_end();
                    let (starts_at, ends_at) = day.bounds(zone);
                    SessionDay {
                        date: Some(domain::date_from_str(&day.date)),
                        start,
                        end,
                        starts_at: Some(domain::timestamp(starts_at)),
                        ends_at: Some(domain::timestamp(ends_at)),
                    }
                })
                .collect(),
            kind: domain::kind_from_str(&self.kind) as i32,
            title: Some(self.title()),
            days: self
                .day_list()
                .iter()
                .map(|d| domain::date_from_str(d))
                .collect(),
            venue: (!self.province_code.is_empty()).then(|| Venue {
                province_code: self.province_code.clone(),
                address: self.address.clone(),
            }),
            online_url: self.online_url.clone(),
            capacity: self.capacity,
            registration_opens_at: Some(domain::timestamp(self.registration_opens_at)),
            registration_closes_at: Some(domain::timestamp(self.registration_closes_at)),
            facilitators: domain::from_json(&self.facilitators),
            materials: materials
                .into_iter()
                .map(|m| Material {
                    title: m.title,
                    url: m.url,
                })
                .collect(),
            eligibility: domain::eligibility_from_str(&self.eligibility) as i32,
            attendance_threshold_percent: self.attendance_threshold_percent,
        }
    }

    pub fn to_proto(&self, waitlisted_count: i64, zone: &Zone) -> Session {
        Session {
            session_id: self.session_id.clone(),
            program_id: self.program_id.clone(),
            details: Some(self.details(zone)),
            status: self.status.to_proto() as i32,
            confirmed_count: self.confirmed_count,
            waitlisted_count: i32::try_from(waitlisted_count).unwrap_or(i32::MAX),
            cancel_reason: self.cancel_reason.clone(),
            created_at: Some(domain::timestamp(self.created_at)),
            updated_at: Some(domain::timestamp(self.updated_at)),
            time_zone: zone.name().to_string(),
            recorded_after_the_fact: self.recorded_after_the_fact != 0,
            recorded_attended_count: self.recorded_attended_count,
        }
    }

    /// Days needed for a certificate, from the threshold (0 means every day).
    pub fn days_required(&self) -> usize {
        domain::session::days_required(self.day_list().len(), self.attendance_threshold_percent)
    }
}

pub async fn insert(
    conn: &mut AnyConnection,
    row: &SessionRow,
    zone: &Zone,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (session_id, program_id, kind, title_ar, title_fr, title_en, days, \
         first_day, last_day, province_code, address, online_url, capacity, confirmed_count, \
         registration_opens_at, registration_closes_at, facilitators, materials, eligibility, \
         attendance_threshold_percent, status, cancel_reason, created_by, created_at, updated_at, \
         schedule, recorded_after_the_fact, recorded_attended_count) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, $16, $17, \
         $18, $19, $20, '', $21, $22, $22, $23, $24, $25)",
    )
    .bind(&row.session_id)
    .bind(&row.program_id)
    .bind(&row.kind)
    .bind(&row.title_ar)
    .bind(&row.title_fr)
    .bind(&row.title_en)
    .bind(&row.days)
    .bind(&row.first_day)
    .bind(&row.last_day)
    .bind(&row.province_code)
    .bind(&row.address)
    .bind(&row.online_url)
    .bind(row.capacity)
    .bind(row.registration_opens_at)
    .bind(row.registration_closes_at)
    .bind(&row.facilitators)
    .bind(&row.materials)
    .bind(&row.eligibility)
    .bind(row.attendance_threshold_percent)
    .bind(row.status.as_sql())
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(&row.schedule)
    .bind(row.recorded_after_the_fact)
    .bind(row.recorded_attended_count)
    .execute(&mut *conn)
    .await?;
    keep_listed(conn, &row.session_id, zone).await
}

/// The session of `program_id` whose first day is `first_day` at this venue: the natural key
/// of imported sessions.
pub async fn find_by_key(
    conn: &mut AnyConnection,
    program_id: &str,
    first_day: &str,
    province_code: &str,
    address: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE program_id = $1 AND first_day = $2 \
         AND province_code = $3 AND address = $4"
    )))
    .bind(program_id)
    .bind(first_day)
    .bind(province_code)
    .bind(address)
    .fetch_optional(conn)
    .await
}

/// Replaces what staff may change.
pub async fn update_details(
    conn: &mut AnyConnection,
    row: &SessionRow,
    now: i64,
    zone: &Zone,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET kind = $2, title_ar = $3, title_fr = $4, title_en = $5, days = $6, \
         first_day = $7, last_day = $8, province_code = $9, address = $10, online_url = $11, \
         capacity = $12, registration_opens_at = $13, registration_closes_at = $14, \
         facilitators = $15, materials = $16, eligibility = $17, \
         attendance_threshold_percent = $18, updated_at = $19, schedule = $20 \
         WHERE session_id = $1",
    )
    .bind(&row.session_id)
    .bind(&row.kind)
    .bind(&row.title_ar)
    .bind(&row.title_fr)
    .bind(&row.title_en)
    .bind(&row.days)
    .bind(&row.first_day)
    .bind(&row.last_day)
    .bind(&row.province_code)
    .bind(&row.address)
    .bind(&row.online_url)
    .bind(row.capacity)
    .bind(row.registration_opens_at)
    .bind(row.registration_closes_at)
    .bind(&row.facilitators)
    .bind(&row.materials)
    .bind(&row.eligibility)
    .bind(row.attendance_threshold_percent)
    .bind(now)
    .bind(&row.schedule)
    .execute(&mut *conn)
    .await?;
    keep_listed(conn, &row.session_id, zone).await
}

/// Locks the session's row for the rest of the transaction; false when there is none.
pub async fn lock(conn: &mut AnyConnection, session_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE sessions SET updated_at = updated_at WHERE session_id = $1")
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE session_id = $1"
    )))
    .bind(session_id)
    .fetch_optional(conn)
    .await
}

/// The session with its waitlist's length, in one statement.
pub async fn find_shown(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Option<ShownRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, {WAITLISTED} FROM sessions WHERE session_id = $1"
    )))
    .bind(session_id)
    .fetch_optional(conn)
    .await
}

/// How many days each of `session_ids` has: one statement for a whole page.
pub async fn day_counts_of(
    conn: &mut AnyConnection,
    session_ids: &[&str],
) -> Result<HashMap<String, usize>, sqlx::Error> {
    if session_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(format!(
        "SELECT session_id, days FROM sessions WHERE session_id IN ({})",
        params::list(1, session_ids.len())
    )));
    for id in session_ids {
        query = query.bind(*id);
    }
    Ok(query
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|(id, days)| (id, domain::from_json::<Vec<String>>(&days).len()))
        .collect())
}

/// What a batch of arrivals needs to know of its session, read under the session's lock.
#[derive(Debug, FromRow)]
pub struct Seats {
    pub program_id: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    /// Who may register (`Eligibility`'s spelling).
    pub eligibility: String,
    pub registration_opens_at: i64,
    pub registration_closes_at: i64,
    /// The last arrival's number.
    pub registration_seq: i64,
    pub confirmed_count: i32,
    pub capacity: i32,
    /// The session's days and their times, for when it is over.
    pub days: String,
    pub schedule: String,
}

impl Seats {
    pub fn schedule(&self) -> Schedule {
        Schedule::from_stored(
            &self.schedule,
            &domain::from_json::<Vec<String>>(&self.days),
        )
    }
}

/// Locks the session's row until the transaction ends and reads its seat counters; `None` when
/// there is no such session. Arrivals are then numbered and seated under that lock, and written
/// back with [`count_arrivals`] before the commit.
pub async fn lock_seats(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Option<Seats>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE sessions SET updated_at = updated_at WHERE session_id = $1 \
         RETURNING program_id, status, eligibility, registration_opens_at, \
         registration_closes_at, registration_seq, confirmed_count, capacity, days, schedule",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await
}

/// Adds `arrivals` to the arrival counter and `seated` to the confirmed count (the `CHECK`
/// still refuses more confirmed than seats).
pub async fn count_arrivals(
    conn: &mut AnyConnection,
    session_id: &str,
    arrivals: i64,
    seated: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET registration_seq = registration_seq + $2, \
         confirmed_count = confirmed_count + $3 WHERE session_id = $1",
    )
    .bind(session_id)
    .bind(arrivals)
    .bind(seated)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds `delta` (may be negative) to the confirmed count.
pub async fn add_confirmed(
    conn: &mut AnyConnection,
    session_id: &str,
    delta: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET confirmed_count = confirmed_count + $2 WHERE session_id = $1")
        .bind(session_id)
        .bind(delta)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut AnyConnection,
    session_id: &str,
    status: Status,
    cancel_reason: &str,
    now: i64,
    zone: &Zone,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET status = $2, cancel_reason = $3, updated_at = $4 \
         WHERE session_id = $1",
    )
    .bind(session_id)
    .bind(status.as_sql())
    .bind(cancel_reason)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    keep_listed(conn, session_id, zone).await
}

/// A session in a page: what `listed` holds (`None` when not written yet) and the two counts.
#[derive(Debug, FromRow)]
pub struct ListedRow {
    pub session_id: String,
    pub listed: Option<Vec<u8>>,
    pub confirmed_count: i32,
    pub waitlisted: i64,
}

impl ListedRow {
    /// The session as kept, with its counts; `None` when it must be read whole: not written
    /// yet, or written for another time zone (its days' instants depend on it).
    pub fn kept(&self, zone: &Zone) -> Result<Option<Session>, prost::DecodeError> {
        let Some(bytes) = &self.listed else {
            return Ok(None);
        };
        let mut session = Session::decode(bytes.as_slice())?;
        if session.time_zone != zone.name() {
            return Ok(None);
        }
        session.confirmed_count = self.confirmed_count;
        session.waitlisted_count = i32::try_from(self.waitlisted).unwrap_or(i32::MAX);
        Ok(Some(session))
    }
}

pub async fn list(
    conn: &mut AnyConnection,
    program_id: &str,
    province_code: &str,
    status: Option<Status>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListedRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT session_id, listed, confirmed_count, {WAITLISTED} FROM sessions \
         WHERE ($1 = '' OR program_id = $1) AND ($2 = '' OR province_code = $2) \
         AND ($3 = '' OR status = $3) ORDER BY first_day, session_id LIMIT $4 OFFSET $5"
    )))
    .bind(program_id)
    .bind(province_code)
    .bind(status.map_or("", Status::as_sql))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Writes session `id` as lists show it, its counts at zero.
async fn keep_listed(
    conn: &mut AnyConnection,
    session_id: &str,
    zone: &Zone,
) -> Result<(), sqlx::Error> {
    let Some(row) = find(conn, session_id).await? else {
        return Ok(());
    };
    let mut shown = row.to_proto(0, zone);
    shown.confirmed_count = 0;
    sqlx::query("UPDATE sessions SET listed = $1 WHERE session_id = $2")
        .bind(shown.encode_to_vec())
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes `listed` for the sessions without it (rows from before it), `batch` to a
/// transaction; how many.
pub async fn fill_listed(
    db: &tachawor_storage::Database,
    zone: &Zone,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let keep = |mut tx: tachawor_storage::Transaction, id: String| -> Keep<'_, sqlx::Error> {
        Box::pin(async move {
            keep_listed(&mut tx, &id, zone).await?;
            Ok(tx)
        })
    };
    kept::fill(db, "sessions", "session_id", "listed", batch, keep).await
}
