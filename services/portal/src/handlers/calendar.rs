//! iCalendar (RFC 5545) files: one session, and a feed of the coming sessions, so people put
//! them in their own calendar. Sessions have days but no hours yet, so each day is an all-day
//! event.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use tachawor_proto::{
    dates,
    training::{Session, SessionStatus},
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
    for day in details.days.iter().filter_map(dates::date_str) {
        let start = day.replace('-', "");
        let next = dates::date_of_millis(dates::millis_of_date(&day).unwrap_or(0) + 86_400_000)
            .replace('-', "");
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-{start}@tachawor", session.session_id),
            format!("DTSTAMP:{stamp}T000000Z"),
            format!("DTSTART;VALUE=DATE:{start}"),
            format!("DTEND;VALUE=DATE:{next}"),
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
