//! Building and running the reporting service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use tachawor_auth::{AuthInterceptor, Verifier, remote_verifier};
use tachawor_proto::reporting::reporting_service_server::ReportingServiceServer;
use tachawor_region::Region;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Runtime, Service};
use tokio::{net::TcpListener, task::JoinHandle};
use tonic::service::interceptor::InterceptedService;

use crate::{
    api::Reporting, commitments::CommitmentsFile, consumers::Consumers, context::Context,
    gauges::Gauges, settings::Settings,
};

/// The name this service is known by on the bus (it publishes no events of its own yet).
pub const PRODUCER: &str = "reporting";

/// A built service, bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    ctx: Arc<Context>,
    verifier: Verifier,
    key_refresh: JoinHandle<()>,
    runtime: Runtime,
}

impl Application {
    /// Connects, migrates, loads the region and the commitments, fetches identity's keys and
    /// binds the listener (port 0 picks a free port).
    pub async fn build(settings: Settings, deps: Dependencies) -> anyhow::Result<Self> {
        let region = Region::load(Path::new(&settings.region.file))?;
        let commitments = CommitmentsFile::load(Path::new(&settings.commitments.file))?;
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
        let consumers = Arc::new(Consumers::new(
            runtime.bus().clone(),
            runtime.db().clone(),
            &settings.reporting.consumer_name,
            &settings.reporting.producers,
        ));
        let ctx = Arc::new(Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            region: Arc::new(region),
            commitments: Arc::new(commitments),
            consumers,
            settings: Arc::new(settings),
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

    /// Consumes the streams and serves until `shutdown` resolves, then drains calls and stops
    /// the consumers after the message each is handling.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.local_addr(), "reporting listening");
        self.ctx.consumers.start().await;
        let gauges = Arc::new(Gauges::new());
        let refresh = tokio::spawn(gauges.refresh(
            self.ctx.db.clone(),
            Duration::from_secs(self.ctx.settings.reporting.gauge_refresh_secs),
        ));
        let service = InterceptedService::new(
            ReportingServiceServer::new(Reporting::new(self.ctx.clone()))
                .max_decoding_message_size(self.ctx.settings.server.max_message_bytes),
            AuthInterceptor::new(self.verifier.clone()),
        );
        let served = self
            .runtime
            .serve(self.listener, service, &self.ctx.settings.server, shutdown)
            .await;
        self.ctx.consumers.stop().await;
        refresh.abort();
        self.key_refresh.abort();
        served
    }
}
