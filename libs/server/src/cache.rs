//! A short-lived cache of public answers, shared by the anonymous callers of one replica: a
//! list many people read at once is computed once per interval, not once per reader.
//!
//! Only calls without credentials (no `authorization` metadata) to the RPCs a service declares
//! public reads are served from it, keyed on the method and the exact request bytes; only OK
//! answers are kept. A signed-in caller always reads through, so a person's own write shows on
//! their next read on any replica. An entry lives `cache.ttl_ms` (by the monotonic clock and by
//! the service's clock, so a test's manual clock moved forward ages it too), and no longer than
//! the next write this process commits ([`WriteGeneration`]). The entries and their bytes are
//! bounded, so a replica's memory holds whatever is asked. Hits and misses are counted
//! (`tachawor.response_cache.hits`, `.misses`).

use std::{
    collections::{HashMap, HashSet},
    convert::Infallible,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::Full;
use opentelemetry::{KeyValue, global, metrics::Counter};
use serde::Deserialize;
use tonic::{body::Body, server::NamedService};

use crate::recorded::{Read, Recorded, read_at_most};

/// Answers to anonymous callers served from memory without asking the service.
const HITS: &str = "tachawor.response_cache.hits";
/// Anonymous calls to a cacheable RPC that the service answered.
const MISSES: &str = "tachawor.response_cache.misses";

/// Requests larger than this are never keys: public reads ask with a few fields.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `[server.cache]`: the cache of public answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct CacheSettings {
    /// How long an answer is kept; 0 turns the cache off.
    pub ttl_ms: u64,
    /// Answers kept at most.
    pub max_entries: usize,
    /// Bytes kept at most (keys and answers); one answer takes at most an eighth of it.
    pub max_bytes: usize,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            ttl_ms: 1_000,
            max_entries: 1_024,
            max_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Counts the writes a process committed: an answer kept before the latest one is not served.
#[derive(Debug, Clone, Default)]
pub struct WriteGeneration(Arc<AtomicU64>);

impl WriteGeneration {
    /// A write has committed.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
}

/// The service's clock, in unix milliseconds.
pub type Now = Arc<dyn Fn() -> i64 + Send + Sync>;

struct Entry {
    answer: Recorded,
    generation: u64,
    made: Instant,
    made_at_ms: i64,
    weight: usize,
}

#[derive(Default)]
struct Store {
    entries: HashMap<Vec<u8>, Entry>,
    bytes: usize,
}

impl Store {
    fn remove(&mut self, key: &[u8]) {
        if let Some(old) = self.entries.remove(key) {
            self.bytes -= old.weight;
        }
    }
}

struct Shared {
    ttl: Duration,
    max_entries: usize,
    max_bytes: usize,
    /// Full method paths (`/package.Service/Method`).
    cacheable: HashSet<String>,
    generation: WriteGeneration,
    now: Now,
    store: Mutex<Store>,
    hits: Counter<u64>,
    misses: Counter<u64>,
    service: [KeyValue; 1],
}

impl Shared {
    fn fresh(&self, entry: &Entry, generation: u64, now_ms: i64) -> bool {
        let age_ms = now_ms - entry.made_at_ms;
        entry.generation == generation
            && entry.made.elapsed() < self.ttl
            && (0..self.ttl.as_millis() as i64).contains(&age_ms)
    }

    fn get(&self, key: &[u8]) -> Option<Recorded> {
        let (generation, now_ms) = (self.generation.current(), (self.now)());
        let mut store = self.store.lock().ok()?;
        match store.entries.get(key) {
            Some(entry) if self.fresh(entry, generation, now_ms) => Some(entry.answer.clone()),
            Some(_) => {
                store.remove(key);
                None
            }
            None => None,
        }
    }

    fn put(&self, key: Vec<u8>, entry: Entry) {
        let Ok(mut store) = self.store.lock() else {
            return;
        };
        store.remove(&key);
        let weight = entry.weight;
        let full =
            |s: &Store| s.entries.len() >= self.max_entries || s.bytes + weight > self.max_bytes;
        if full(&store) {
            let (generation, now_ms) = (self.generation.current(), (self.now)());
            store
                .entries
                .retain(|_, e| self.fresh(e, generation, now_ms));
            store.bytes = store.entries.values().map(|e| e.weight).sum();
        }
        if !full(&store) {
            store.bytes += weight;
            store.entries.insert(key, entry);
        }
    }
}

/// The cache of one service's public answers; [`ResponseCache::wrap`] puts it around the
/// service.
#[derive(Clone)]
pub struct ResponseCache {
    shared: Arc<Shared>,
}

impl ResponseCache {
    /// Caches the anonymous calls to `rpcs` (method names of `service`, as `ListPetitions`),
    /// forgetting answers older than the last write counted by `generation`.
    pub fn new(
        service: &'static str,
        rpcs: &[&str],
        settings: &CacheSettings,
        generation: WriteGeneration,
        now: Now,
    ) -> Self {
        let meter = global::meter("tachawor");
        let hits = meter
            .u64_counter(HITS)
            .with_unit("{call}")
            .with_description("Anonymous public reads answered from the replica's cache.")
            .build();
        let misses = meter
            .u64_counter(MISSES)
            .with_unit("{call}")
            .with_description("Anonymous public reads the service computed (not cached).")
            .build();
        Self {
            shared: Arc::new(Shared {
                ttl: Duration::from_millis(settings.ttl_ms),
                max_entries: settings.max_entries,
                max_bytes: settings.max_bytes,
                cacheable: rpcs.iter().map(|rpc| format!("/{service}/{rpc}")).collect(),
                generation,
                now,
                store: Mutex::default(),
                hits,
                misses,
                service: [KeyValue::new("rpc.service", service)],
            }),
        }
    }

    /// `service` answering its anonymous public reads from the cache.
    pub fn wrap<S>(&self, service: S) -> Cached<S> {
        Cached {
            inner: service,
            cache: self.clone(),
        }
    }

    fn wants(&self, request: &http::Request<Body>) -> bool {
        !self.shared.ttl.is_zero()
            && !request.headers().contains_key("authorization")
            && self.shared.cacheable.contains(request.uri().path())
    }

    /// Largest answer kept.
    fn max_answer(&self) -> usize {
        self.shared.max_bytes / 8
    }
}

/// A service behind a [`ResponseCache`].
#[derive(Clone)]
pub struct Cached<S> {
    inner: S,
    cache: ResponseCache,
}

impl<S: NamedService> NamedService for Cached<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B> tower::Service<http::Request<Body>> for Cached<S>
where
    S: tower::Service<http::Request<Body>, Response = http::Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        if !self.cache.wants(&request) {
            let call = self.inner.call(request);
            return Box::pin(async move { Ok(call.await?.map(Body::new)) });
        }
        // The clone that was polled ready serves this call.
        let ready = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, ready);
        Box::pin(self.cache.clone().answer(inner, request))
    }
}

impl ResponseCache {
    async fn answer<S, B>(
        self,
        mut inner: S,
        request: http::Request<Body>,
    ) -> Result<http::Response<Body>, Infallible>
    where
        S: tower::Service<http::Request<Body>, Response = http::Response<B>, Error = Infallible>,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let (parts, body) = request.into_parts();
        let message = match read_at_most(body, MAX_REQUEST_BYTES).await {
            Ok(Read::Whole(message, _)) => message,
            Ok(Read::TooLong(body)) => {
                let request = http::Request::from_parts(parts, body);
                return Ok(inner.call(request).await?.map(Body::new));
            }
            Err(status) => return Ok(status.into_http()),
        };
        let shared = &self.shared;
        let mut key = Vec::with_capacity(parts.uri.path().len() + 1 + message.len());
        key.extend_from_slice(parts.uri.path().as_bytes());
        key.push(b' ');
        key.extend_from_slice(&message);
        if let Some(answer) = shared.get(&key) {
            shared.hits.add(1, &shared.service);
            return Ok(answer.response());
        }
        shared.misses.add(1, &shared.service);
        // Read before the service does: a write committed meanwhile outdates this answer.
        let (generation, made, made_at_ms) =
            (shared.generation.current(), Instant::now(), (shared.now)());
        let request = http::Request::from_parts(parts, Body::new(Full::new(message)));
        let response = inner.call(request).await?.map(Body::new);
        if response.status() != http::StatusCode::OK
            || response.headers().contains_key("grpc-status")
        {
            // A refusal (trailers only) is never kept.
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let (data, trailers) = match read_at_most(body, self.max_answer()).await {
            Ok(Read::Whole(data, trailers)) => (data, trailers.unwrap_or_default()),
            Ok(Read::TooLong(body)) => return Ok(http::Response::from_parts(parts, body)),
            Err(status) => return Ok(status.into_http()),
        };
        let answer = Recorded {
            headers: parts.headers,
            body: data,
            trailers,
        };
        let response = answer.response();
        if answer.trailers.get("grpc-status").is_some_and(|s| s == "0") {
            let weight = key.len() + answer.weight();
            shared.put(
                key,
                Entry {
                    answer,
                    generation,
                    made,
                    made_at_ms,
                    weight,
                },
            );
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(settings: CacheSettings, now: Arc<AtomicU64>) -> ResponseCache {
        ResponseCache::new(
            "test.Service",
            &["List"],
            &settings,
            WriteGeneration::default(),
            Arc::new(move || now.load(Ordering::Relaxed) as i64),
        )
    }

    fn entry(shared: &Shared, bytes: usize) -> Entry {
        let answer = Recorded::ok(Bytes::from(vec![0u8; bytes]));
        Entry {
            weight: answer.weight(),
            answer,
            generation: shared.generation.current(),
            made: Instant::now(),
            made_at_ms: (shared.now)(),
        }
    }

    #[test]
    fn an_answer_lives_its_time_by_either_clock_and_until_the_next_write() {
        let now = Arc::new(AtomicU64::new(1_000_000));
        let cache = cache(
            CacheSettings {
                ttl_ms: 60_000,
                ..CacheSettings::default()
            },
            now.clone(),
        );
        let shared = &cache.shared;
        shared.put(b"a".to_vec(), entry(shared, 10));
        assert!(shared.get(b"a").is_some());
        now.fetch_add(60_000, Ordering::Relaxed);
        assert!(
            shared.get(b"a").is_none(),
            "the service's clock moved past it"
        );
        shared.put(b"a".to_vec(), entry(shared, 10));
        assert!(shared.get(b"a").is_some());
        shared.generation.bump();
        assert!(shared.get(b"a").is_none(), "a write outdates it");
        assert_eq!(shared.store.lock().unwrap().bytes, 0);

        let short = self::cache(
            CacheSettings {
                ttl_ms: 30,
                ..CacheSettings::default()
            },
            now,
        );
        short.shared.put(b"a".to_vec(), entry(&short.shared, 10));
        std::thread::sleep(Duration::from_millis(40));
        assert!(short.shared.get(b"a").is_none(), "the monotonic clock too");
    }

    #[test]
    fn entries_and_bytes_stay_bounded() {
        let now = Arc::new(AtomicU64::new(0));
        let cache = cache(
            CacheSettings {
                ttl_ms: 60_000,
                max_entries: 10,
                max_bytes: 10_000,
            },
            now,
        );
        let shared = &cache.shared;
        for i in 0..50u32 {
            shared.put(i.to_be_bytes().to_vec(), entry(shared, 100));
        }
        let store = shared.store.lock().unwrap();
        assert_eq!(store.entries.len(), 10);
        drop(store);
        let cache = self::cache(
            CacheSettings {
                ttl_ms: 60_000,
                max_entries: 1_000,
                max_bytes: 10_000,
            },
            Arc::new(AtomicU64::new(0)),
        );
        let shared = &cache.shared;
        for i in 0..50u32 {
            shared.put(i.to_be_bytes().to_vec(), entry(shared, 1_000));
        }
        let store = shared.store.lock().unwrap();
        assert!(store.bytes <= 10_000, "{} bytes kept", store.bytes);
        assert_eq!(
            store.bytes,
            store.entries.values().map(|e| e.weight).sum::<usize>()
        );
    }
}
