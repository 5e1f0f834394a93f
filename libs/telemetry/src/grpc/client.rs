//! Client side: a span per outgoing call, its trace context sent as `traceparent`, and the
//! `rpc.client.duration` histogram.

use std::task::{Context, Poll};

use opentelemetry::{global, metrics::Histogram};
use tonic::metadata::MetadataMap;
use tower::{Layer, Service};

use super::{
    call::{CallRecord, ObservedFuture, Side},
    parse_path,
};
use crate::propagation;

/// Tower layer for a client `Channel`:
/// `XClient::new(ServiceBuilder::new().layer(GrpcClientLayer::new()).service(channel))`.
///
/// Each call gets a client span, child of the current span, whose context travels in the
/// request headers. Create it after [`crate::init`] (the histogram comes from the global meter).
#[derive(Debug, Clone)]
pub struct GrpcClientLayer {
    duration: Histogram<f64>,
}

impl GrpcClientLayer {
    pub fn new() -> Self {
        let duration = global::meter("tachawor")
            .f64_histogram("rpc.client.duration")
            .with_unit("ms")
            .with_description("Duration of outgoing gRPC calls, until the response ends.")
            .build();
        Self { duration }
    }
}

impl Default for GrpcClientLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Layer<S> for GrpcClientLayer {
    type Service = GrpcClientService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GrpcClientService {
            inner,
            duration: self.duration.clone(),
        }
    }
}

/// The service [`GrpcClientLayer`] wraps around a channel.
#[derive(Debug, Clone)]
pub struct GrpcClientService<S> {
    inner: S,
    duration: Histogram<f64>,
}

impl<S, B, ResBody> Service<http::Request<B>> for GrpcClientService<S>
where
    S: Service<http::Request<B>, Response = http::Response<ResBody>>,
{
    type Response = http::Response<super::ObservedBody<ResBody>>;
    type Error = S::Error;
    type Future = ObservedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let Some((service, method)) = parse_path(request.uri().path()) else {
            return ObservedFuture::new(self.inner.call(request), None);
        };
        let span = tracing::info_span!(
            "grpc.client",
            otel.name = %format_args!("{service}/{method}"),
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            rpc.system = "grpc",
            rpc.service = %service,
            rpc.method = %method,
            rpc.grpc.status_code = tracing::field::Empty,
        );
        let record = CallRecord::new(span, self.duration.clone(), service, method, Side::Client);
        let future = {
            let _entered = record.span.enter();
            propagation::inject_http(request.headers_mut());
            self.inner.call(request)
        };
        ObservedFuture::new(future, Some(record))
    }
}

/// Interceptor that only sends the current span's trace context (no client span), for clients
/// already built with `XClient::with_interceptor`. Prefer [`GrpcClientLayer`] where possible.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceContextInterceptor;

impl tonic::service::Interceptor for TraceContextInterceptor {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        let mut headers = std::mem::take(request.metadata_mut()).into_headers();
        propagation::inject_http(&mut headers);
        *request.metadata_mut() = MetadataMap::from_headers(headers);
        Ok(request)
    }
}
