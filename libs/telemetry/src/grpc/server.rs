//! Server side: a span per incoming call, child of the caller's `traceparent`, and the
//! `rpc.server.duration` histogram. Health checks and reflection are left out.

use std::task::{Context, Poll};

use opentelemetry::{global, metrics::Histogram, trace::TraceContextExt};
use tower::{Layer, Service};
use tracing_opentelemetry::OpenTelemetrySpanExt;

use super::{
    call::{CallRecord, ObservedFuture, Side},
    parse_path,
};
use crate::propagation;

/// Services whose calls are neither traced nor measured: probes and tooling, not traffic.
const UNOBSERVED_SERVICES: [&str; 3] = [
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

/// Tower layer for `tonic::transport::Server::builder().layer(..)`.
///
/// Create it after [`crate::init`]: the histogram comes from the global meter provider in force
/// when the layer is built.
#[derive(Debug, Clone)]
pub struct GrpcServerLayer {
    duration: Histogram<f64>,
}

impl GrpcServerLayer {
    pub fn new() -> Self {
        let duration = global::meter("tachawor")
            .f64_histogram("rpc.server.duration")
            .with_unit("ms")
            .with_description("Duration of incoming gRPC calls, until the response ends.")
            .build();
        Self { duration }
    }
}

impl Default for GrpcServerLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Layer<S> for GrpcServerLayer {
    type Service = GrpcServerService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GrpcServerService {
            inner,
            duration: self.duration.clone(),
        }
    }
}

/// The service [`GrpcServerLayer`] wraps around a server's routes.
#[derive(Debug, Clone)]
pub struct GrpcServerService<S> {
    inner: S,
    duration: Histogram<f64>,
}

impl<S, B, ResBody> Service<http::Request<B>> for GrpcServerService<S>
where
    S: Service<http::Request<B>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<super::ObservedBody<ResBody>>;
    type Error = S::Error;
    type Future = ObservedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let Some(record) = self.start(&request) else {
            return ObservedFuture::new(self.inner.call(request), None);
        };
        let future = {
            let _entered = record.span.enter();
            self.inner.call(request)
        };
        ObservedFuture::new(future, Some(record))
    }
}

impl<S> GrpcServerService<S> {
    fn start<B>(&self, request: &http::Request<B>) -> Option<CallRecord> {
        let (service, method) = parse_path(request.uri().path())?;
        if UNOBSERVED_SERVICES.contains(&service) {
            return None;
        }
        // An explicit root: the caller's trace, not whatever span happens to be current here.
        let span = tracing::info_span!(
            parent: None,
            "grpc.server",
            otel.name = %format_args!("{service}/{method}"),
            otel.kind = "server",
            otel.status_code = tracing::field::Empty,
            rpc.system = "grpc",
            rpc.service = %service,
            rpc.method = %method,
            rpc.grpc.status_code = tracing::field::Empty,
        );
        let parent = propagation::extract_http(request.headers());
        if parent.span().span_context().is_valid() {
            let _ = span.set_parent(parent);
        }
        Some(CallRecord::new(
            span,
            self.duration.clone(),
            service,
            method,
            Side::Server,
        ))
    }
}
