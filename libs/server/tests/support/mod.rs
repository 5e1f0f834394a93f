//! A tiny hand-written gRPC service, an auth-style interceptor, and a running `serve`.
#![allow(dead_code)]

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tachawor_server::{Check, ClientTlsSettings, ServerError, ServerSettings, serve};
use tokio::{
    net::TcpListener,
    sync::{Notify, oneshot},
    task::JoinHandle,
};
use tonic::{
    Status,
    codegen::{BoxFuture, http},
    server::{NamedService, UnaryService},
    service::interceptor::InterceptedService,
    transport::{Channel, Endpoint},
};
use tonic_prost::ProstCodec;

pub const ECHO_SERVICE: &str = "tachawor.test.v1.EchoService";
const ECHO_PATH: &str = "/tachawor.test.v1.EchoService/Echo";

/// Echoes its string request; `sleep:<ms>` answers after that long.
#[derive(Debug, Clone, Default)]
pub struct Echo {
    /// Notified when a call reaches the handler, so a test knows it is in flight.
    pub entered: Arc<Notify>,
    /// Calls in the handler now, and the most there have been at once.
    pub running: Arc<AtomicUsize>,
    pub most_running: Arc<AtomicUsize>,
}

impl NamedService for Echo {
    const NAME: &'static str = ECHO_SERVICE;
}

impl tower::Service<http::Request<tonic::body::Body>> for Echo {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(
        &mut self,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        let handler = self.clone();
        Box::pin(async move {
            if request.uri().path() != ECHO_PATH {
                return Ok(Status::unimplemented("no such method").into_http());
            }
            let mut grpc = tonic::server::Grpc::new(ProstCodec::<String, String>::default());
            Ok(grpc.unary(handler, request).await)
        })
    }
}

impl UnaryService<String> for Echo {
    type Response = String;
    type Future = BoxFuture<tonic::Response<String>, Status>;

    fn call(&mut self, request: tonic::Request<String>) -> Self::Future {
        let entered = self.entered.clone();
        let (running, most_running) = (self.running.clone(), self.most_running.clone());
        Box::pin(async move {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most_running.fetch_max(now, Ordering::SeqCst);
            // Counts the call out however it ends, even when cut off.
            let _running = Leaving(running);
            entered.notify_one();
            let message = request.into_inner();
            if let Some(ms) = message.strip_prefix("sleep:") {
                let ms: u64 = ms.parse().map_err(|_| Status::invalid_argument("ms"))?;
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            Ok(tonic::Response::new(message))
        })
    }
}

struct Leaving(Arc<AtomicUsize>);

impl Drop for Leaving {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Rejects calls carrying `x-deny`, as an authentication interceptor would.
pub fn deny_marked(request: tonic::Request<()>) -> Result<tonic::Request<()>, Status> {
    if request.metadata().contains_key("x-deny") {
        return Err(Status::unauthenticated("denied"));
    }
    Ok(request)
}

pub type Guarded =
    InterceptedService<Echo, fn(tonic::Request<()>) -> Result<tonic::Request<()>, Status>>;

pub fn guarded(echo: Echo) -> Guarded {
    InterceptedService::new(echo, deny_marked as fn(_) -> _)
}

/// Calls `Echo`; `deny` adds the metadata the interceptor rejects.
pub async fn echo(channel: Channel, message: &str, deny: bool) -> Result<String, Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|error| Status::unavailable(error.to_string()))?;
    let mut request = tonic::Request::new(message.to_owned());
    if deny {
        request
            .metadata_mut()
            .insert("x-deny", "1".parse().unwrap());
    }
    grpc.unary(
        request,
        http::uri::PathAndQuery::from_static(ECHO_PATH),
        ProstCodec::<String, String>::default(),
    )
    .await
    .map(tonic::Response::into_inner)
}

/// Settings with short intervals, for tests.
pub fn settings() -> ServerSettings {
    ServerSettings {
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        health_check_interval_ms: 25,
        ..ServerSettings::default()
    }
}

/// `serve` running in a task on a fresh loopback port.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<Result<(), ServerError>>,
}

impl Running {
    pub async fn start<S, B>(service: S, probes: Vec<Check>, settings: ServerSettings) -> Self
    where
        S: NamedService
            + tower::Service<
                http::Request<tonic::body::Body>,
                Response = http::Response<B>,
                Error = Infallible,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: tonic::codegen::Body<Data = tonic::codegen::Bytes> + Send + 'static,
        B::Error: Into<tonic::codegen::StdError>,
    {
        let listener = TcpListener::bind(settings.listen_addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, requested) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(listener, service, probes, &settings, async {
                let _ = requested.await;
            })
            .await
        });
        Self {
            addr,
            shutdown: Some(shutdown),
            task,
        }
    }

    pub async fn channel(&self) -> Channel {
        Endpoint::from_shared(format!("http://{}", self.addr))
            .unwrap()
            .connect_timeout(Duration::from_secs(5))
            .connect()
            .await
            .unwrap()
    }

    /// A channel over TLS to `https://{host}:{port}`; connection errors are returned.
    pub async fn tls_channel(
        &self,
        host: &str,
        tls: &ClientTlsSettings,
    ) -> Result<Channel, tonic::transport::Error> {
        let url = format!("https://{host}:{}", self.addr.port());
        tachawor_server::endpoint(&url, tls)
            .unwrap()
            .connect_timeout(Duration::from_secs(5))
            .connect()
            .await
    }

    pub fn shut_down(&mut self) {
        let _ = self.shutdown.take().expect("shut down once").send(());
    }

    /// Waits for `serve` to return, failing the test after `limit`.
    pub async fn stopped(self, limit: Duration) -> Result<(), ServerError> {
        tokio::time::timeout(limit, self.task)
            .await
            .expect("serve returned in time")
            .unwrap()
    }
}
