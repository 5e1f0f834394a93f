//! A tiny hand-written gRPC service and the server and client plumbing the tests share.
#![allow(dead_code)]

use std::{convert::Infallible, net::SocketAddr, time::Duration};

use tachawor_telemetry::GrpcServerLayer;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use tonic::{
    Status,
    codegen::{Body, BoxFuture, Bytes, StdError, http},
    server::{NamedService, UnaryService},
    transport::{Channel, Endpoint, Server, server::TcpIncoming},
};
use tonic_prost::ProstCodec;

pub const ECHO_SERVICE: &str = "tachawor.test.v1.EchoService";
pub const ECHO_PATH: &str = "/tachawor.test.v1.EchoService/Echo";
pub const ECHO_SPAN: &str = "tachawor.test.v1.EchoService/Echo";

/// Echoes its string request; `fail` answers INVALID_ARGUMENT, `crash` answers INTERNAL.
#[derive(Debug, Clone, Default)]
pub struct Echo;

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
        Box::pin(async move {
            match request.into_inner().as_str() {
                "fail" => Err(Status::invalid_argument("asked to fail")),
                "crash" => Err(Status::internal("asked to crash")),
                message => Ok(tonic::Response::new(message.to_owned())),
            }
        })
    }
}

/// Calls `Echo` through any channel-like service, optionally sending a `traceparent`.
pub async fn echo<T>(channel: T, message: &str, traceparent: Option<&str>) -> Result<String, Status>
where
    T: tonic::client::GrpcService<tonic::body::Body>,
    T::Error: Into<StdError>,
    T::ResponseBody: Body<Data = Bytes> + Send + 'static,
    <T::ResponseBody as Body>::Error: Into<StdError> + Send,
{
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|error| Status::unavailable(error.into().to_string()))?;
    let mut request = tonic::Request::new(message.to_owned());
    if let Some(traceparent) = traceparent {
        request
            .metadata_mut()
            .insert("traceparent", traceparent.parse().unwrap());
    }
    grpc.unary(
        request,
        http::uri::PathAndQuery::from_static(ECHO_PATH),
        ProstCodec::<String, String>::default(),
    )
    .await
    .map(tonic::Response::into_inner)
}

/// Echo, health and reflection behind [`GrpcServerLayer`], on a fresh loopback port.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_reporter, health) = tonic_health::server::health_reporter();
        let reflection = tonic_reflection::server::Builder::configure()
            .build_v1()
            .unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = Server::builder()
            .layer(GrpcServerLayer::new())
            .add_service(health)
            .add_service(reflection)
            .add_service(Echo)
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), async {
                let _ = stopped.await;
            });
        let task = tokio::spawn(async move { server.await.unwrap() });
        Self {
            addr,
            stop: Some(stop),
            task: Some(task),
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

    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap();
    }
}

/// Polls `check` until it returns `Some`, failing the test after five seconds.
pub async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
