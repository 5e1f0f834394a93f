//! `serve`: one service plus health, reflection and telemetry, with graceful shutdown.

use std::{convert::Infallible, future::Future, time::Duration};

use bytes::Bytes;
use futures::{TryFutureExt, future::MapOk};
use tachawor_telemetry::GrpcServerLayer;
use tokio::{net::TcpListener, sync::oneshot};
use tonic::{
    body::Body,
    server::NamedService,
    transport::{Server, server::TcpIncoming},
};
use tonic_health::ServingStatus;

use crate::{
    ServerSettings,
    health::{Check, HealthMonitor, LIVENESS, stop_serving},
    replay::Replay,
    shedding::LoadShedLayer,
    tls::TlsError,
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("could not build the reflection service: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    #[error("gRPC transport failed: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// Binds `settings.listen_addr`.
pub async fn bind(settings: &ServerSettings) -> Result<TcpListener, ServerError> {
    TcpListener::bind(settings.listen_addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: settings.listen_addr,
            source,
        })
}

/// Serves `service` on `listener` until `shutdown` resolves, then drains.
///
/// Alongside it: `grpc.health.v1` (the service's name and `""` are SERVING only while every
/// probe passes, re-checked every `health_check_interval_ms`, NOT_SERVING once shutdown begins),
/// server reflection v1 and v1alpha over the Tachawor contract, the telemetry layer, the request
/// timeout, the per-connection limits (calls in progress, HTTP/2 streams), the limit on calls in
/// progress across all connections (calls over it refused with RESOURCE_EXHAUSTED; health checks
/// exempt), and TLS when `settings.tls` names a certificate (mutual TLS with a client CA).
/// With `replay_for_benchmarks`, the benchmarks' replay route too.
///
/// When `shutdown` resolves the listener closes, in-flight calls get up to `shutdown_grace_ms`
/// to finish, and `serve` returns; calls still running then are abandoned (they end with the
/// process). The caller then flushes its outbox relay and telemetry.
///
/// `service` is a generated server, or one wrapped with an interceptor
/// (`XServer::with_interceptor(..)`): any response body type is accepted.
pub async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    checks: Vec<Check>,
    settings: &ServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError>
where
    S: NamedService
        + tower::Service<http::Request<Body>, Response = http::Response<B>, Error = Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let service_name = S::NAME;
    // Bad TLS settings fail before anything is served.
    let tls = settings.tls.load()?;
    let (reporter, health) = tonic_health::server::health_reporter();
    // Nothing is ready before the checks have had their say (the reporter starts "" SERVING);
    // the process is alive from now on.
    for name in ["", service_name] {
        reporter
            .set_service_status(name, ServingStatus::NotServing)
            .await;
    }
    reporter
        .set_service_status(LIVENESS, ServingStatus::Serving)
        .await;
    let mut monitor = HealthMonitor::new(
        reporter.clone(),
        service_name,
        checks,
        Duration::from_millis(settings.health_check_interval_ms),
    );
    monitor.check().await;

    // Health alone, in plaintext, for probes that cannot speak TLS; it answers until `serve`
    // returns, so a draining server is seen NOT_SERVING there too.
    let _health_port = match settings.health_listen_addr {
        Some(addr) => {
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::Bind { addr, source })?;
            tracing::info!(
                service = service_name,
                addr = ?listener.local_addr().ok(),
                "serving health in plaintext"
            );
            let server = Server::builder()
                .add_service(health.clone())
                .serve_with_incoming(TcpIncoming::from(listener));
            Some(AbortOnDrop(tokio::spawn(server)))
        }
        None => None,
    };

    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;

    let (stop_probes, probes_stopped) = oneshot::channel();
    let probing = tokio::spawn(monitor.run(probes_stopped));
    let probing_abort = probing.abort_handle();
    let (draining_tx, draining) = oneshot::channel::<()>();
    let stop_accepting = async move {
        shutdown.await;
        // Stop the probes first so they cannot flip the status back to SERVING.
        let _ = stop_probes.send(());
        let _ = probing.await;
        stop_serving(reporter, service_name).await;
        tracing::info!(
            service = service_name,
            "shutting down: NOT_SERVING, draining in-flight calls"
        );
        let _ = draining_tx.send(());
    };

    let local_addr = listener.local_addr().ok();
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let mut builder = Server::builder();
    if let Some(tls) = tls {
        builder = builder.tls_config(tls)?;
    }
    let server = builder
        .timeout(Duration::from_millis(settings.request_timeout_ms))
        .concurrency_limit_per_connection(settings.concurrency_limit.max(1))
        .max_concurrent_streams(settings.max_concurrent_streams.max(1))
        // Outside the shedding, so refused calls are traced and measured too.
        .layer(GrpcServerLayer::new())
        .layer(LoadShedLayer::new(settings.max_concurrent_calls))
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_optional_service(
            settings
                .replay_for_benchmarks
                .then(|| Replay::new(settings.max_message_bytes)),
        )
        .add_service(UniformBody(service))
        .serve_with_incoming_shutdown(incoming, stop_accepting);
    tracing::info!(
        service = service_name,
        addr = ?local_addr,
        tls = settings.tls.enabled(),
        client_certificates = settings.tls.requires_client_certificates(),
        "serving"
    );

    let mut server = std::pin::pin!(server);
    tokio::select! {
        result = &mut server => {
            // Ended before any shutdown: a transport failure.
            probing_abort.abort();
            return result.map_err(ServerError::from);
        }
        _ = draining => {}
    }
    let grace = Duration::from_millis(settings.shutdown_grace_ms);
    match tokio::time::timeout(grace, &mut server).await {
        Ok(result) => result?,
        Err(_) => tracing::warn!(
            service = service_name,
            grace_ms = settings.shutdown_grace_ms,
            "shutdown grace elapsed; abandoning calls still in flight"
        ),
    }
    tracing::info!(service = service_name, "stopped");
    Ok(())
}

/// Stops the plaintext health listener when `serve` returns, however it returns; a probe's
/// open connection is not worth a drain.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn reflection() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tachawor_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
}

/// Gives any service's responses tonic's body type, which the router requires; an intercepted
/// service answers with its own body wrapper.
#[derive(Clone)]
struct UniformBody<S>(S);

impl<S: NamedService> NamedService for UniformBody<S> {
    const NAME: &'static str = S::NAME;
}

type ToBody<B> = fn(http::Response<B>) -> http::Response<Body>;

impl<S, B> tower::Service<http::Request<Body>> for UniformBody<S>
where
    S: tower::Service<http::Request<Body>, Response = http::Response<B>, Error = Infallible>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = MapOk<S::Future, ToBody<B>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        self.0
            .call(request)
            .map_ok(|response| response.map(Body::new))
    }
}
