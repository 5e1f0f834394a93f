//! The inbox's link with the unread count in the header of every page a signed-in person
//! reads, when the region runs notification.
//!
//! For a GET, one `ListMyNotifications` (unread, a page of one) is started beside the page's
//! handler, so it runs concurrently with the page's own calls (a POST is counted only when it
//! answers a page: a form shown again with its errors); the layout leaves a slot
//! ([`SLOT`]) where the link goes, filled here once both are done. When notification fails
//! or is slow the link is shown without the count (see [`crate::handlers::inbox::link`]); it
//! never fails the page. Handlers need not know: any page extending `base.html` gets it.

use askama::Template;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{Method, header},
    response::Response,
};

use crate::{
    handlers::{AppState, inbox},
    i18n::Lang,
    page::{CachePolicy, Frame, Section},
    person::Visitor,
};

/// Where the layout puts the inbox's link when the page did not fill it itself. An HTML
/// comment: text people wrote is escaped, so it can never spell one.
pub const SLOT: &str = "<!--inbox-link-->";

#[derive(Template)]
#[template(path = "inbox_link.html")]
struct LinkSlot {
    frame: Frame,
}

/// Whether a request may answer a page with the site's header: an HTML page, not a file (the
/// PDF, calendars, CSV, Markdown, feeds), not the JSON twins, not the inbox's list (which
/// counts from its own call).
fn is_page(request: &Request) -> bool {
    let path = request.uri().path();
    Lang::parse(path.split('/').nth(1).unwrap_or_default()).is_some()
        && !path.ends_with("/account/notifications")
        && !path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

pub async fn middleware(
    State(state): State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let session = request
        .extensions()
        .get::<Visitor>()
        .and_then(|v| v.session.clone());
    let Some(session) = session.filter(|_| is_page(&request)) else {
        return next.run(request).await;
    };
    if state.services.notification().is_none() {
        return next.run(request).await;
    }
    let lang = Lang::of_path(request.uri().path());
    // A GET is a page: count beside it. A POST mostly redirects; only a form shown again with
    // its errors is a page, counted once it is known to be one.
    let (response, counted) = if request.method() == Method::GET {
        let (response, link) = tokio::join!(next.run(request), inbox::link(&state, &session, lang));
        (response, Some(link))
    } else {
        (next.run(request).await, None)
    };
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The page was rendered in memory by this process: reading it whole costs nothing new.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Some(page) = std::str::from_utf8(&bytes)
        .ok()
        .filter(|p| p.contains(SLOT))
    else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let link = match counted {
        Some(link) => link,
        None => inbox::link(&state, &session, lang).await,
    };
    let Some(link) = link else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut frame = Frame::new(lang, String::new(), Section::None, "");
    frame.inbox = Some(link);
    let Ok(rendered) = (LinkSlot { frame }).render() else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let page = page.replacen(SLOT, &rendered, 1);
    parts.headers.remove(header::CONTENT_LENGTH);
    // The count is the person's: whatever the page was, this copy is never stored.
    parts
        .headers
        .insert(header::CACHE_CONTROL, CachePolicy::NoStore.header_value());
    Response::from_parts(parts, Body::from(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> Request {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[test]
    fn only_pages_with_the_header_get_the_link() {
        assert!(is_page(&get("/ar/petitions")));
        assert!(is_page(&get("/fr/account/notifications/preferences")));
        assert!(is_page(&get("/fr/")));
        for file in [
            "/ar/account/notifications",
            "/ar/training/calendar.ics",
            "/fr/training/sessions/x/certificate.pdf",
            "/api/v1/petitions",
            "/static/site.css",
            "/ar/news.xml",
        ] {
            assert!(!is_page(&get(file)), "{file}");
        }
    }
}
