//! One observed call: its span and start time, finished when the response body ends or is
//! dropped, whichever comes first.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
    time::Instant,
};

use opentelemetry::{KeyValue, metrics::Histogram};
use pin_project_lite::pin_project;

/// gRPC status codes the layers need by name.
pub(crate) const CANCELLED: i64 = 1;
pub(crate) const UNKNOWN: i64 = 2;
pub(crate) const UNAVAILABLE: i64 = 14;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Side {
    Server,
    Client,
}

impl Side {
    /// Which codes mark the span as an error: on a server only those that mean it failed
    /// (OpenTelemetry's gRPC conventions), on a client any non-OK answer.
    fn is_error(self, code: i64) -> bool {
        match self {
            // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS
            Side::Server => matches!(code, 2 | 4 | 12 | 13 | 14 | 15),
            Side::Client => code != 0,
        }
    }
}

/// The span, clock and metric of a call in progress. Dropping it finishes the call.
pub(crate) struct CallRecord {
    pub(crate) span: tracing::Span,
    start: Instant,
    duration: Histogram<f64>,
    service: String,
    method: String,
    side: Side,
    status: Option<i64>,
    /// The status assumed when the call ends without one (the future or body was dropped).
    status_if_abandoned: i64,
}

impl CallRecord {
    pub(crate) fn new(
        span: tracing::Span,
        duration: Histogram<f64>,
        service: &str,
        method: &str,
        side: Side,
    ) -> Self {
        Self {
            span,
            start: Instant::now(),
            duration,
            service: service.to_owned(),
            method: method.to_owned(),
            side,
            status: None,
            status_if_abandoned: CANCELLED,
        }
    }

    /// Reads `grpc-status` from response headers (a trailers-only answer) or trailers.
    fn observe(&mut self, headers: &http::HeaderMap) {
        if let Some(code) = headers
            .get("grpc-status")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<i64>().ok())
        {
            self.status = Some(code);
        }
    }

    /// The inner service failed instead of answering.
    fn fail(&mut self) {
        self.status.get_or_insert(match self.side {
            Side::Server => UNKNOWN,
            Side::Client => UNAVAILABLE,
        });
    }

    /// The body ended without trailers: a response that carried no status at all.
    fn end_without_status(&mut self) {
        self.status_if_abandoned = UNKNOWN;
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        let code = self.status.unwrap_or(self.status_if_abandoned);
        self.span.record("rpc.grpc.status_code", code);
        if self.side.is_error(code) {
            self.span.record("otel.status_code", "ERROR");
        }
        let elapsed_ms = self.start.elapsed().as_secs_f64() * 1000.0;
        self.duration.record(
            elapsed_ms,
            &[
                KeyValue::new("rpc.service", std::mem::take(&mut self.service)),
                KeyValue::new("rpc.method", std::mem::take(&mut self.method)),
                KeyValue::new("rpc.grpc.status_code", code),
            ],
        );
    }
}

pin_project! {
    /// Response future of the gRPC layers: polls the inner future inside the call's span.
    pub struct ObservedFuture<F> {
        #[pin]
        inner: F,
        record: Option<CallRecord>,
    }
}

impl<F> ObservedFuture<F> {
    pub(crate) fn new(inner: F, record: Option<CallRecord>) -> Self {
        Self { inner, record }
    }
}

impl<F, B, E> Future for ObservedFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
{
    type Output = Result<http::Response<ObservedBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = {
            let _entered = this.record.as_ref().map(|record| record.span.enter());
            ready!(this.inner.poll(cx))
        };
        let mut record = this.record.take();
        Poll::Ready(match result {
            Ok(response) => {
                if let Some(record) = record.as_mut() {
                    record.observe(response.headers());
                }
                Ok(response.map(|inner| ObservedBody { inner, record }))
            }
            Err(error) => {
                if let Some(record) = record.as_mut() {
                    record.fail();
                }
                Err(error)
            }
        })
    }
}

pin_project! {
    /// Response body of the gRPC layers: reads the status from the trailers and finishes the
    /// call when the body ends or is dropped.
    pub struct ObservedBody<B> {
        #[pin]
        inner: B,
        record: Option<CallRecord>,
    }
}

impl<B> http_body::Body for ObservedBody<B>
where
    B: http_body::Body,
{
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let this = self.project();
        let polled = {
            let _entered = this.record.as_ref().map(|record| record.span.enter());
            ready!(this.inner.poll_frame(cx))
        };
        match &polled {
            Some(Ok(frame)) => {
                if let (Some(trailers), Some(record)) = (frame.trailers_ref(), this.record.as_mut())
                {
                    record.observe(trailers);
                    // Trailers close a gRPC response: finish now rather than at drop.
                    *this.record = None;
                }
            }
            Some(Err(_)) => {
                if let Some(record) = this.record.as_mut() {
                    record.fail();
                }
                *this.record = None;
            }
            None => {
                if let Some(record) = this.record.as_mut() {
                    record.end_without_status();
                }
                *this.record = None;
            }
        }
        Poll::Ready(polled)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
