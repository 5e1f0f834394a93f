//! Which language a visitor gets at `/`, and remembering the one they chose.
//!
//! Every page's URL starts with its language, so a link or a bookmark keeps it. The last
//! language a visitor read in is kept in a `lang` cookie, which `/` follows; without it, the
//! browser's `Accept-Language`; without that, Arabic.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use crate::{
    i18n::Lang,
    page::{CachePolicy, with_policy},
};

pub const COOKIE: &str = "lang";

fn cookie_lang(request_headers: &axum::http::HeaderMap) -> Option<Lang> {
    request_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
}

/// The visitor's language when the URL does not say: the cookie, then the browser's wish,
/// then Arabic.
pub fn preferred(headers: &axum::http::HeaderMap) -> Lang {
    cookie_lang(headers)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Ar)
}

/// A redirect to `rest` under the visitor's language, never stored by a cache.
pub fn redirect_in_language(headers: &axum::http::HeaderMap, rest: &str) -> Response {
    let lang = preferred(headers);
    let mut response = with_policy(
        Redirect::to(&format!(
            "/{}/{}",
            lang.code(),
            rest.trim_start_matches('/')
        ))
        .into_response(),
        CachePolicy::NoStore,
    );
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    response
}

/// `GET /`: to the home page in the visitor's language.
pub async fn root(headers: axum::http::HeaderMap) -> Response {
    redirect_in_language(&headers, "")
}

/// Keeps the language of the page being read in the `lang` cookie. A response that sets the
/// cookie is never stored by a shared cache.
pub async fn remember(request: Request, next: Next) -> Response {
    let page_lang = request
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Lang::parse);
    let known = cookie_lang(request.headers());
    let mut response = next.run(request).await;
    if let Some(lang) = page_lang.filter(|l| Some(*l) != known) {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
            response = with_policy(response, CachePolicy::NoStore);
        }
    }
    response
}
