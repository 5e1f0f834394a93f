//! W3C trace context across process boundaries: gRPC metadata, NATS headers, event envelopes.
//!
//! Uses the global text-map propagator (W3C TraceContext, installed by `init`), so the same
//! trace follows a request from one service, through the outbox and JetStream, into another.

use std::collections::HashMap;

use opentelemetry::{
    Context,
    propagation::{Extractor, Injector, TextMapPropagator},
    trace::TraceContextExt,
};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tachawor_proto::events::TraceContext;
use tracing_opentelemetry::OpenTelemetrySpanExt;

fn propagator() -> TraceContextPropagator {
    TraceContextPropagator::new()
}

/// The trace context of the current `tracing` span, for an event envelope. Empty when there is
/// no sampled or valid trace.
pub fn current_trace_context() -> TraceContext {
    let context = tracing::Span::current().context();
    let mut carrier = HashMap::new();
    propagator().inject_context(&context, &mut carrier);
    TraceContext {
        traceparent: carrier.remove("traceparent").unwrap_or_default(),
        tracestate: carrier.remove("tracestate").unwrap_or_default(),
    }
}

/// The remote parent described by an envelope's trace context.
pub fn context_from(trace: &TraceContext) -> Context {
    let mut carrier = HashMap::new();
    if !trace.traceparent.is_empty() {
        carrier.insert("traceparent".to_string(), trace.traceparent.clone());
    }
    if !trace.tracestate.is_empty() {
        carrier.insert("tracestate".to_string(), trace.tracestate.clone());
    }
    propagator().extract(&carrier)
}

/// Makes `span` a child of the trace an envelope (or message) came from. Does nothing when the
/// trace context is empty or invalid.
pub fn set_parent(span: &tracing::Span, trace: &TraceContext) {
    let parent = context_from(trace);
    if parent.span().span_context().is_valid() {
        let _ = span.set_parent(parent);
    }
}

/// Writes the current span's trace context into NATS message headers.
pub fn inject_nats(headers: &mut async_nats::HeaderMap) {
    let context = tracing::Span::current().context();
    propagator().inject_context(&context, &mut NatsInjector(headers));
}

/// Reads a trace context from NATS message headers.
pub fn extract_nats(headers: &async_nats::HeaderMap) -> Context {
    propagator().extract(&NatsExtractor(headers))
}

/// Writes the current span's trace context into HTTP/gRPC headers.
pub fn inject_http(headers: &mut http::HeaderMap) {
    let context = tracing::Span::current().context();
    propagator().inject_context(&context, &mut HttpInjector(headers));
}

/// Reads a trace context from HTTP/gRPC headers.
pub fn extract_http(headers: &http::HeaderMap) -> Context {
    propagator().extract(&HttpExtractor(headers))
}

struct NatsInjector<'a>(&'a mut async_nats::HeaderMap);

impl Injector for NatsInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.0.insert(key, value.as_str());
    }
}

struct NatsExtractor<'a>(&'a async_nats::HeaderMap);

impl Extractor for NatsExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|v| v.as_str())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_ref()).collect()
    }
}

struct HttpInjector<'a>(&'a mut http::HeaderMap);

impl Injector for HttpInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(name), Ok(value)) = (
            http::header::HeaderName::from_bytes(key.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

struct HttpExtractor<'a>(&'a http::HeaderMap);

impl Extractor for HttpExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn envelope_trace_context_round_trips() {
        let trace = TraceContext {
            traceparent: PARENT.into(),
            tracestate: String::new(),
        };
        let context = context_from(&trace);
        let span = context.span();
        let sc = span.span_context();
        assert!(sc.is_valid());
        assert_eq!(
            sc.trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
    }

    #[test]
    fn nats_headers_round_trip() {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("traceparent", PARENT);
        let context = extract_nats(&headers);
        assert_eq!(
            context.span().span_context().trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
    }

    #[test]
    fn empty_context_is_invalid() {
        let context = context_from(&TraceContext::default());
        assert!(!context.span().span_context().is_valid());
    }
}
