//! A short-lived cache of public pages, shared by the visitors of one replica: a page many
//! people read at once is made once per interval, not once per reader.
//!
//! Only anonymous GET requests (no cookie but the language choice) are served from it, and
//! only responses a shared cache may keep anyway (`Cache-Control: public`). A signed-in
//! person's pages never come from it, so their own writes show on their next read. Entries
//! live `pages.cache_ttl_ms` (0 turns the cache off); at most [`MAX_ENTRIES`] pages of at most
//! [`MAX_BODY`] bytes are kept, so its memory is bounded whatever is asked.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};

// At most 32 MiB whatever URLs are asked, well inside the portal pod's memory limit; pages
// weigh tens of KiB.
const MAX_ENTRIES: usize = 256;
const MAX_BODY: usize = 128 * 1024;

struct Entry {
    made: Instant,
    status: StatusCode,
    headers: Vec<(header::HeaderName, HeaderValue)>,
    body: Bytes,
}

pub struct PageCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl PageCache {
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        })
    }

    fn get(&self, key: &str) -> Option<Response> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(key).filter(|e| e.made.elapsed() < self.ttl)?;
        let mut response = Response::new(Body::from(entry.body.clone()));
        *response.status_mut() = entry.status;
        for (name, value) in &entry.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        Some(response)
    }

    fn put(&self, key: String, entry: Entry) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, e| e.made.elapsed() < ttl);
        }
        if entries.len() < MAX_ENTRIES {
            entries.insert(key, entry);
        }
    }
}

/// Whether the request carries no cookie but the language choice.
fn anonymous(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter(|pair| !pair.trim().is_empty())
        // The language and the form token change nothing a public page shows.
        .all(|pair| {
            let name = pair.trim().split('=').next().unwrap_or_default();
            name == "lang" || name.ends_with("tachawor-form")
        })
}

fn shareable(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("public"))
}

pub async fn public_pages(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if cache.ttl.is_zero() || request.method() != Method::GET || !anonymous(request.headers()) {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    if let Some(hit) = cache.get(&key) {
        return hit;
    }
    let response = next.run(request).await;
    if !shareable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if body.len() <= MAX_BODY {
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        cache.put(
            key,
            Entry {
                made: Instant::now(),
                status: parts.status,
                headers,
                body: body.clone(),
            },
        );
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_language_cookie_keeps_a_request_anonymous() {
        let mut headers = HeaderMap::new();
        assert!(anonymous(&headers));
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=ar"));
        assert!(anonymous(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("lang=ar; session=x"),
        );
        assert!(!anonymous(&headers));
    }

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let cache = PageCache::new(Duration::from_millis(50));
        let entry = || Entry {
            made: Instant::now(),
            status: StatusCode::OK,
            headers: Vec::new(),
            body: Bytes::from_static(b"page"),
        };
        cache.put("/ar/".into(), entry());
        assert!(cache.get("/ar/").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("/ar/").is_none(), "an entry lives its time only");
        for i in 0..MAX_ENTRIES + 10 {
            cache.put(format!("/ar/{i}"), entry());
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
