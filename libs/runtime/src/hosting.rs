//! A service bound to its port: what every service's `Application` holds between `build` and
//! `run_until_stopped` (the runtime, the handlers' context, the listener and the background
//! tasks that live as long as it serves), so that a service's `app.rs` holds only what is its
//! own: its context, its gRPC service and its consumers.

use std::{convert::Infallible, future::Future, net::SocketAddr, sync::Arc};

use tachawor_server::{ResponseCache, ServerSettings};
use tokio::{net::TcpListener, task::JoinHandle};

use crate::Runtime;

/// A built service, bound to its port, ready to serve.
pub struct Hosted<C> {
    name: &'static str,
    listener: TcpListener,
    ctx: Arc<C>,
    runtime: Runtime,
    /// Stopped when serving ends (key refresh, maintenance loops).
    tasks: Vec<JoinHandle<()>>,
    /// The RPCs whose anonymous calls the response cache answers.
    public_reads: &'static [&'static str],
}

impl<C> Hosted<C> {
    /// Binds `addr` (port 0 picks a free port) for the service `name`.
    pub async fn bind(
        name: &'static str,
        runtime: Runtime,
        ctx: Arc<C>,
        addr: SocketAddr,
    ) -> std::io::Result<Self> {
        Ok(Self {
            name,
            listener: TcpListener::bind(addr).await?,
            ctx,
            runtime,
            tasks: Vec::new(),
            public_reads: &[],
        })
    }

    /// The service's public reads (method names, as `ListPetitions`): their calls without
    /// credentials are answered from the response cache (`server.cache`). Only RPCs whose
    /// answer to an anonymous caller depends on the request alone belong here.
    pub fn with_public_reads(mut self, rpcs: &'static [&'static str]) -> Self {
        self.public_reads = rpcs;
        self
    }

    /// A task to abort when the service stops serving.
    pub fn with_task(mut self, task: JoinHandle<()>) -> Self {
        self.tasks.push(task);
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// The handlers' context.
    pub fn context(&self) -> Arc<C> {
        self.ctx.clone()
    }

    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Serves `service`, ready while its database answers, its public reads behind the
    /// response cache, until `shutdown`, then drains calls, stops the background tasks and
    /// publishes what is left in the outbox.
    pub async fn serve<S, B>(
        self,
        service: S,
        settings: &ServerSettings,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()>
    where
        S: tonic::server::NamedService
            + tower::Service<
                http::Request<tonic::body::Body>,
                Response = http::Response<B>,
                Error = Infallible,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        tracing::info!(addr = %self.local_addr(), "{} listening", self.name);
        let runtime = self.runtime;
        let writer = runtime.writer();
        let cache = ResponseCache::new(
            S::NAME,
            self.public_reads,
            &settings.cache,
            writer.generation().clone(),
            std::sync::Arc::new(move || writer.now()),
        );
        let pruning = tokio::spawn(crate::prune_idempotency_keys(runtime.writer()));
        let served = tachawor_server::serve(
            self.listener,
            cache.wrap(service),
            runtime.checks(),
            settings,
            shutdown,
        )
        .await;
        pruning.abort();
        for task in self.tasks {
            task.abort();
        }
        // Calls have drained: publish what they left in the outbox.
        runtime.relay.shutdown().await;
        served?;
        Ok(())
    }
}
