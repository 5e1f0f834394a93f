//! iCalendar (RFC 5545) files: one session, and a feed of the coming sessions, so people put
//! them in their own calendar. A day with times is an event from its start to its end, given
//! in UTC (the service turned the region's local times into instants, so no VTIMEZONE is
//! needed); a day scheduled before sessions had times is an all-day event.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use tachawor_proto::{
    dates,
    training::{Session, SessionDetails, SessionStatus},
};

use super::{AppState, lang_of, reads};
use crate::{
    error::PageError,
    i18n::Lang,
    page::with_policy,
    view::{Text, province_name},
};

/// Escapes a text value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace(['\r', '\n'], "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// Each day (`YYYY-MM-DD`) with its DTSTART and DTEND lines: UTC instants for a day with
/// times, whole days otherwise.
fn event_times(details: &SessionDetails) -> Vec<(String, (String, String))> {
    // RFC 5545's UTC form is RFC 3339's without separators.
    let utc = |t: Option<&prost_types::Timestamp>| {
        super::api::instant(t).map(|i| i.replace(['-', ':'], ""))
    };
    let whole = |day: &str| {
        let next = dates::date_of_millis(dates::millis_of_date(day).unwrap_or(0) + 86_400_000);
        (
            format!("DTSTART;VALUE=DATE:{}", day.replace('-', "")),
            format!("DTEND;VALUE=DATE:{}", next.replace('-', "")),
        )
    };
    if details.schedule.is_empty() {
        return details
            .days
            .iter()
            .filter_map(dates::date_str)
            .map(|day| (day.clone(), whole(&day)))
            .collect();
    }
    details
        .schedule
        .iter()
        .filter_map(|d| {
            let day = d.date.as_ref().and_then(dates::date_str)?;
            let timed = (!d.start.is_empty())
                .then(|| utc(d.starts_at.as_ref()).zip(utc(d.ends_at.as_ref())))
                .flatten();
            let when = match timed {
                Some((start, end)) => (format!("DTSTART:{start}"), format!("DTEND:{end}")),
                None => whole(&day),
            };
            Some((day, when))
        })
        .collect()
}

fn events(session: &Session, app: &AppState, lang: Lang, out: &mut String) {
    let details = session.details.clone().unwrap_or_default();
    let title = Text::of(details.title.as_ref(), lang).text;
    let location = details
        .venue
        .as_ref()
        .map(|v| {
            let province = province_name(&app.region, &v.province_code, lang);
            [v.address.clone(), province]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let url = format!(
        "{}/{}/training/sessions/{}",
        app.settings.server.public_url.trim_end_matches('/'),
        lang.code(),
        session.session_id
    );
    let stamp = session
        .updated_at
        .as_ref()
        .map(|t| dates::date_of_millis(dates::millis(t)).replace('-', ""))
        .unwrap_or_else(|| "19700101".into());
    let cancelled = session.status == SessionStatus::Cancelled as i32;
    for (day, when) in event_times(&details) {
        let start = day.replace('-', "");
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-{start}@tachawor", session.session_id),
            format!("DTSTAMP:{stamp}T000000Z"),
            when.0,
            when.1,
            format!("SUMMARY:{}", escape(&title)),
            format!("LOCATION:{}", escape(&location)),
            format!("URL:{url}"),
            format!(
                "STATUS:{}",
                if cancelled { "CANCELLED" } else { "CONFIRMED" }
            ),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
}

fn calendar(body: String, app: &AppState, name: &str) -> Response {
    let content = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tachawor//Portal//AR-FR\r\nCALSCALE:GREGORIAN\r\n{}{body}END:VCALENDAR\r\n",
        fold(&format!("X-WR-CALNAME:{}", escape(name)))
    );
    with_policy(
        (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
            content,
        )
            .into_response(),
        app.public(),
    )
}

/// `/{lang}/training/sessions/{id}/calendar.ics`
pub async fn session(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let session = reads::session(&app, id)
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let mut body = String::new();
    events(&session, &app, lang, &mut body);
    let title = Text::of(
        session.details.as_ref().and_then(|d| d.title.as_ref()),
        lang,
    )
    .text;
    Ok(calendar(body, &app, &title))
}

/// `/{lang}/training/calendar.ics`: the coming sessions (one page of them).
pub async fn feed(
    State(app): State<AppState>,
    Path(lang): Path<String>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let sessions = reads::sessions(&app, None, SessionStatus::Scheduled)
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .sessions;
    let mut body = String::new();
    for session in &sessions {
        events(session, &app, lang, &mut body);
    }
    Ok(calendar(
        body,
        &app,
        &crate::i18n::Tr::new(lang).t("training-title"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_with_times_are_utc_events_and_days_without_are_whole_days() {
        use tachawor_proto::{common::Date, training::SessionDay};
        let date = Date {
            year: 2026,
            month: 12,
            day: 3,
        };
        let at = |millis| Some(dates::timestamp(millis));
        // 09:00 to 17:30 in Laâyoune (UTC+1) on 3 December 2026.
        let start = dates::millis_of_date("2026-12-03").unwrap() + 8 * 3_600_000;
        let details = SessionDetails {
            schedule: vec![
                SessionDay {
                    date: Some(date),
                    start: "09:00".into(),
                    end: "17:30".into(),
                    starts_at: at(start),
                    ends_at: at(start + 8 * 3_600_000 + 1_800_000),
                },
                SessionDay {
                    date: Some(Date { day: 4, ..date }),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let times = event_times(&details);
        assert_eq!(
            times[0].1,
            (
                "DTSTART:20261203T080000Z".into(),
                "DTEND:20261203T163000Z".into()
            )
        );
        assert_eq!(
            times[1].1,
            (
                "DTSTART;VALUE=DATE:20261204".into(),
                "DTEND;VALUE=DATE:20261205".into()
            )
        );
    }

    #[test]
    fn text_is_escaped_and_long_lines_folded_on_characters() {
        assert_eq!(escape("a,b;c\nd"), "a\\,b\\;c\\nd");
        let line = format!("SUMMARY:{}", "ورشة ".repeat(20));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }
}
