//! The audit view: one list merging the audit logs of identity, consultation, training and
//! reporting, newest first, filterable by service. Who acted is shown by their pseudonymous
//! account id only; of an entry's before/after JSON only the reason given is shown (the rest
//! may describe a person).
//!
//! How the merge pages. The entries are ordered by (time, service, entry id), newest first;
//! the `before` cursor is the last entry shown, as `<unix ms>~<service>~<entry id>`. Every
//! service's log is read with the same cursor: `until` one millisecond after its time (the
//! services' `until` is exclusive, so entries at that very millisecond come back), then the
//! entries at or above the cursor in the order are dropped, and the service is read on (with
//! its own page token, under the same `until`) until it has given a page's worth below the
//! cursor or has no more. The lists are merged and the first page's worth shown; the last one
//! shown is the next cursor. Entries written while someone pages are newer than the cursor and
//! never shift a later page, and entries sharing a millisecond are neither skipped nor shown
//! twice, however many there are.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;
use tachawor_proto::{
    common::{AuditEntry, PageRequest},
    consultation, dates, identity, reporting, training,
};

use super::{StaffNav, StaffReader, frame};
use crate::{
    error::{ErrorKind, PageError},
    handlers::{AppState, encode_query, lang_of},
    i18n::Tr,
    page::{CachePolicy, Frame, html},
    services::as_person,
    view::Choice,
};

/// Entries on a page.
const PAGE: usize = 25;

/// The services with an audit log, in the order ties are broken.
const SERVICES: [&str; 4] = ["identity", "consultation", "training", "reporting"];

/// Where the previous page stopped: its last entry.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cursor {
    millis: i64,
    service: usize,
    entry_id: String,
}

impl Cursor {
    fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, '~');
        let millis = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let service = SERVICES.iter().position(|n| *n == name)?;
        let entry_id = parts.next()?.to_string();
        let plain = !entry_id.is_empty()
            && entry_id.len() <= 64
            && entry_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        plain.then_some(Self {
            millis,
            service,
            entry_id,
        })
    }

    fn to_query(&self) -> String {
        format!(
            "{}~{}~{}",
            self.millis, SERVICES[self.service], self.entry_id
        )
    }
}

/// One entry and the service it comes from, in the merge's order.
struct Merged {
    service: usize,
    entry: AuditEntry,
}

impl Merged {
    fn millis(&self) -> i64 {
        self.entry.occurred_at.as_ref().map_or(0, dates::millis)
    }

    /// The order's key, largest first: time, then service (earlier in [`SERVICES`] first),
    /// then entry id (as each service orders its ties).
    fn key(&self) -> (i64, std::cmp::Reverse<usize>, &str) {
        (
            self.millis(),
            std::cmp::Reverse(self.service),
            &self.entry.entry_id,
        )
    }

    /// Whether the entry comes after the cursor (is older), so belongs to the next pages.
    fn after(&self, c: &Cursor) -> bool {
        self.key() < (c.millis, std::cmp::Reverse(c.service), c.entry_id.as_str())
    }
}

/// One page of service `service`'s log under `until` (exclusive, unix ms).
async fn read(
    state: &AppState,
    staff: &StaffReader,
    service: usize,
    until: Option<i64>,
    token: String,
) -> Result<(Vec<AuditEntry>, String), tonic::Status> {
    let page = Some(PageRequest {
        page_size: (PAGE + 1) as i32,
        page_token: token,
    });
    let until = until.map(dates::timestamp);
    let session = &staff.session;
    match SERVICES[service] {
        "identity" => {
            let r = state
                .services
                .identity()
                .list_audit_log(as_person(
                    session,
                    identity::ListAuditLogRequest {
                        page,
                        until,
                        ..Default::default()
                    },
                ))
                .await?
                .into_inner();
            // Identity has its own message of the same shape.
            let entries = r
                .entries
                .into_iter()
                .map(|e| AuditEntry {
                    entry_id: e.entry_id,
                    actor_id: e.actor_id,
                    action: e.action,
                    target_type: e.target_type,
                    target_id: e.target_id,
                    before_json: e.before_json,
                    after_json: e.after_json,
                    occurred_at: e.occurred_at,
                })
                .collect();
            Ok((entries, r.next_page_token))
        }
        "consultation" => {
            let r = state
                .services
                .consultation()
                .list_audit_log(as_person(
                    session,
                    consultation::ListAuditLogRequest {
                        page,
                        until,
                        ..Default::default()
                    },
                ))
                .await?
                .into_inner();
            Ok((r.entries, r.next_page_token))
        }
        "training" => {
            let r = state
                .services
                .training()
                .list_audit_log(as_person(
                    session,
                    training::ListAuditLogRequest {
                        page,
                        until,
                        ..Default::default()
                    },
                ))
                .await?
                .into_inner();
            Ok((r.entries, r.next_page_token))
        }
        _ => {
            let r = state
                .services
                .reporting()
                .list_audit_log(as_person(
                    session,
                    reporting::ListAuditLogRequest {
                        page,
                        until,
                        ..Default::default()
                    },
                ))
                .await?
                .into_inner();
            Ok((r.entries, r.next_page_token))
        }
    }
}

/// Service `service`'s entries after `cursor`, up to a page's worth, newest first.
async fn after_cursor(
    state: &AppState,
    staff: &StaffReader,
    service: usize,
    cursor: Option<&Cursor>,
) -> Result<Vec<Merged>, tonic::Status> {
    let until = cursor.map(|c| c.millis.saturating_add(1));
    let mut kept = Vec::new();
    let mut token = String::new();
    loop {
        let (entries, next) = read(state, staff, service, until, token).await?;
        kept.extend(
            entries
                .into_iter()
                .map(|entry| Merged { service, entry })
                .filter(|m| cursor.is_none_or(|c| m.after(c))),
        );
        if kept.len() > PAGE || next.is_empty() {
            return Ok(kept);
        }
        token = next;
    }
}

/// An entry as the view shows it.
pub struct EntryRow {
    /// `<service>-<entry id>`, the row's id on the page.
    pub key: String,
    pub when: String,
    /// `YYYY-MM-DDTHH:MM:SSZ`, for `<time datetime>`.
    pub datetime: String,
    pub service_label: String,
    pub actor_id: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    /// The reason, justification or reasons given with the change, if any.
    pub reason: String,
}

/// The reason given with a change: the `reason`, `reasons` or `justification` of its after
/// JSON (a restore's before JSON holds the reason of the hiding it undoes: not shown).
fn reason_of(entry: &AuditEntry) -> String {
    let find = |json: &str| -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        ["reason", "reasons", "justification"]
            .iter()
            .find_map(|k| value.get(*k)?.as_str().map(str::to_string))
            .filter(|s| !s.trim().is_empty())
    };
    find(&entry.after_json).unwrap_or_default()
}

impl EntryRow {
    fn of(m: &Merged, tr: Tr) -> Self {
        let millis = m.millis();
        let day = dates::date_of_millis(millis);
        let time = chrono_time(millis);
        Self {
            key: format!("{}-{}", SERVICES[m.service], m.entry.entry_id),
            when: format!("{} {}", tr.date(&day), tr.time(&time[..5])),
            datetime: format!("{day}T{time}Z"),
            service_label: tr.t(&format!("staff-audit-service-{}", SERVICES[m.service])),
            actor_id: m.entry.actor_id.clone(),
            action: m.entry.action.clone(),
            target_type: m.entry.target_type.clone(),
            target_id: m.entry.target_id.clone(),
            reason: reason_of(&m.entry),
        }
    }
}

/// `HH:MM:SS` (UTC) of unix milliseconds.
fn chrono_time(millis: i64) -> String {
    let secs = millis.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// One service's log only; empty for all.
    #[serde(default)]
    service: String,
    /// The last entry of the previous page.
    #[serde(default)]
    before: String,
}

#[derive(Template)]
#[template(path = "staff_audit.html")]
struct AuditPage {
    frame: Frame,
    nav: StaffNav,
    services: Vec<Choice>,
    entries: Vec<EntryRow>,
    first: Option<String>,
    next: Option<String>,
}

pub async fn view(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<AuditQuery>,
    staff: StaffReader,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let only = SERVICES.iter().position(|s| *s == query.service);
    if only.is_none() && !query.service.is_empty() {
        return Err(PageError::new(ErrorKind::BadRequest, lang));
    }
    let cursor = if query.before.is_empty() {
        None
    } else {
        Some(
            Cursor::parse(&query.before)
                .ok_or_else(|| PageError::new(ErrorKind::BadRequest, lang))?,
        )
    };
    let wanted: Vec<usize> = match only {
        Some(s) => vec![s],
        None => (0..SERVICES.len()).collect(),
    };
    let reads = wanted
        .iter()
        .map(|s| after_cursor(&state, &staff, *s, cursor.as_ref()));
    let mut merged = Vec::new();
    for read in futures::future::join_all(reads).await {
        merged.extend(read.map_err(|s| PageError::from_status(&s, lang))?);
    }
    merged.sort_by(|a, b| b.key().cmp(&a.key()));
    let more = merged.len() > PAGE;
    merged.truncate(PAGE);
    let service_query = match only {
        Some(s) => format!("service={}&", SERVICES[s]),
        None => String::new(),
    };
    let base = format!("/{}/staff/audit", lang.code());
    let next = merged.last().filter(|_| more).map(|last| {
        let c = Cursor {
            millis: last.millis(),
            service: last.service,
            entry_id: last.entry.entry_id.clone(),
        };
        format!(
            "{base}?{service_query}before={}",
            encode_query(&c.to_query())
        )
    });
    let first = cursor.is_some().then(|| match only {
        Some(s) => format!("{base}?service={}", SERVICES[s]),
        None => base.clone(),
    });
    let page = AuditPage {
        frame: frame(lang, "staff-audit-title", "staff/audit"),
        nav: StaffNav::reading(lang, "audit", staff.roles),
        services: SERVICES
            .iter()
            .enumerate()
            .map(|(i, s)| Choice {
                value: (*s).to_string(),
                label: tr.t(&format!("staff-audit-service-{s}")),
                selected: only == Some(i),
            })
            .collect(),
        entries: merged.iter().map(|m| EntryRow::of(m, tr)).collect(),
        first,
        next,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(service: usize, millis: i64, id: &str) -> Merged {
        Merged {
            service,
            entry: AuditEntry {
                entry_id: id.into(),
                occurred_at: Some(dates::timestamp(millis)),
                ..Default::default()
            },
        }
    }

    #[test]
    fn the_cursor_round_trips_and_refuses_junk() {
        let c = Cursor {
            millis: 1_764_000_000_123,
            service: 2,
            entry_id: "0193a-bc".into(),
        };
        assert_eq!(Cursor::parse(&c.to_query()), Some(c));
        for junk in [
            "",
            "12",
            "12~nobody~x",
            "x~identity~a",
            "12~identity~",
            "1~identity~<b>",
        ] {
            assert_eq!(Cursor::parse(junk), None, "{junk}");
        }
    }

    #[test]
    fn entries_after_the_cursor_are_older_or_later_in_a_tie() {
        let c = Cursor {
            millis: 1000,
            service: 1,
            entry_id: "m".into(),
        };
        assert!(merged(0, 999, "z").after(&c), "older");
        assert!(!merged(3, 1001, "a").after(&c), "newer");
        assert!(!merged(0, 1000, "a").after(&c), "same ms, earlier service");
        assert!(merged(2, 1000, "z").after(&c), "same ms, later service");
        assert!(
            merged(1, 1000, "l").after(&c),
            "same ms and service, lower id"
        );
        assert!(!merged(1, 1000, "m").after(&c), "the cursor itself");
        assert!(
            !merged(1, 1000, "n").after(&c),
            "same ms and service, higher id"
        );
    }

    #[test]
    fn only_the_reason_is_taken_from_an_entry() {
        let entry = |before: &str, after: &str| AuditEntry {
            before_json: before.into(),
            after_json: after.into(),
            ..Default::default()
        };
        assert_eq!(
            reason_of(&entry("null", r#"{"hidden":true,"reason":"insulte"}"#)),
            "insulte"
        );
        assert_eq!(
            reason_of(&entry(
                "null",
                r#"{"status":"stuck","justification":"pas de salle"}"#
            )),
            "pas de salle"
        );
        assert_eq!(
            reason_of(&entry(
                r#"{"hidden":true,"reason":"avant"}"#,
                r#"{"hidden":false}"#
            )),
            ""
        );
        assert_eq!(reason_of(&entry("null", r#"{"legal_name":"X"}"#)), "");
        assert_eq!(chrono_time(3_723_000), "01:02:03");
    }
}
