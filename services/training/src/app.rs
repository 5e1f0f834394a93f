//! Building and running the training service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc};

use tachawor_auth::{AuthInterceptor, EligibilityClient, Verifier, remote_verifier};
use tachawor_proto::training::training_service_server::TrainingServiceServer;
use tachawor_region::Region;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Runtime, Service};
use tokio::{net::TcpListener, task::JoinHandle};
use tonic::service::interceptor::InterceptedService;

use crate::{
    api::{Registrar, Training},
    context::Context,
    eligibility::Eligibility,
    settings::Settings,
};

/// The name this service produces events under.
pub const PRODUCER: &str = "training";

/// A built service, bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    ctx: Arc<Context>,
    verifier: Verifier,
    key_refresh: JoinHandle<()>,
    runtime: Runtime,
}

impl Application {
    /// Connects, migrates, fetches identity's keys and binds the listener (port 0 picks a free
    /// port).
    pub async fn build(settings: Settings, deps: Dependencies) -> anyhow::Result<Self> {
        let region = Region::load(Path::new(&settings.region.file))?;
        let runtime = Runtime::start(Service {
            producer: PRODUCER,
            region: &region.code,
            database: &settings.database,
            events: &settings.events,
            migrations: &crate::MIGRATIONS,
            bus: deps.bus,
            clock: deps.clock.clone(),
        })
        .await?;

        let (verifier, key_refresh) = remote_verifier(&settings.auth, deps.clock.clone()).await?;
        let eligibility = Eligibility::new(EligibilityClient::new(
            &settings.identity,
            deps.clock.clone(),
        )?);
        let ctx = Arc::new(Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            eligibility,
            region: Arc::new(region),
            settings: Arc::new(settings),
            registrar: Registrar::new(runtime.writer()),
        });
        let listener = TcpListener::bind(ctx.settings.server.listen_addr).await?;
        Ok(Self {
            listener,
            ctx,
            verifier,
            key_refresh,
            runtime,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn context(&self) -> Arc<Context> {
        self.ctx.clone()
    }

    /// Serves until `shutdown` resolves, then drains calls and flushes the outbox.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.local_addr(), "training listening");
        let maintenance = tokio::spawn(crate::maintenance::run(self.ctx.clone()));
        let service = InterceptedService::new(
            TrainingServiceServer::new(Training::new(self.ctx.clone()))
                .max_decoding_message_size(self.ctx.settings.server.max_message_bytes),
            AuthInterceptor::new(self.verifier.clone()),
        );
        let erasure = self.runtime.consume(
            crate::erasure::consumer_settings(),
            crate::erasure::Erasure::new(self.ctx.clone()),
        );
        let served = self
            .runtime
            .serve(self.listener, service, &self.ctx.settings.server, shutdown)
            .await;
        erasure.stop().await;
        self.key_refresh.abort();
        maintenance.abort();
        served
    }
}
