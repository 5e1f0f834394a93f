//! Building and running the reporting service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, ops::Deref, path::Path, sync::Arc, time::Duration};

use tachawor_auth::{AuthInterceptor, Verifier, remote_verifier};
use tachawor_proto::reporting::reporting_service_server::ReportingServiceServer;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Hosted, Runtime, Service};
use tonic::service::interceptor::InterceptedService;

use crate::{
    api::Reporting, consumers::Consumers, context::Context, gauges::Gauges, settings::Settings,
    tracker::CommitmentsFile,
};

/// The name this service is known by on the bus (it publishes no events of its own yet).
pub const PRODUCER: &str = "reporting";

/// The reads whose answer to a caller without credentials depends on the request alone:
/// their anonymous calls are answered from the response cache (`server.cache`).
pub const PUBLIC_READS: &[&str] = &[
    "GetIndicators",
    "ListCommitments",
    "GetCommitment",
    "ExportIndicators",
    "ExportProgressReport",
];

/// A built service, bound to its port, ready to run.
pub struct Application {
    hosted: Hosted<Context>,
    verifier: Verifier,
}

impl Application {
    /// Connects, migrates, loads the region and the commitments, fetches identity's keys and
    /// binds the listener (port 0 picks a free port).
    pub async fn build(settings: Settings, deps: Dependencies) -> anyhow::Result<Self> {
        let region = settings.region.load()?;
        let commitments = CommitmentsFile::load(Path::new(&settings.commitments.file))?;
        let runtime = Runtime::start(Service::new(
            PRODUCER,
            &region.code,
            &settings.database,
            &settings.events,
            &crate::MIGRATIONS,
            &deps,
        ))
        .await?;
        let (verifier, key_refresh) = remote_verifier(&settings.auth, deps.clock.clone()).await?;
        let consumers = Arc::new(Consumers::new(
            runtime.bus().clone(),
            runtime.db().clone(),
            runtime.writer(),
            &settings.reporting,
        ));
        let addr = settings.server.listen_addr;
        let ctx = Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            region: Arc::new(region),
            commitments: Arc::new(commitments),
            consumers,
            settings: Arc::new(settings),
        };
        let hosted = Hosted::bind(PRODUCER, runtime, Arc::new(ctx), addr)
            .await?
            .with_task(key_refresh);
        Ok(Self { hosted, verifier })
    }

    /// Consumes the streams and serves until `shutdown` resolves, then drains calls and stops
    /// the consumers after the message each is handling.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let ctx = self.hosted.context();
        ctx.consumers.start().await;
        let gauges = Arc::new(Gauges::new());
        let refresh = tokio::spawn(gauges.refresh(
            ctx.db.clone(),
            Duration::from_secs(ctx.settings.reporting.gauge_refresh_secs),
        ));
        let service = InterceptedService::new(
            ReportingServiceServer::new(Reporting::new(ctx.clone()))
                .max_decoding_message_size(ctx.settings.server.max_message_bytes),
            AuthInterceptor::new(self.verifier),
        );
        let served = self
            .hosted
            .with_task(refresh)
            .with_public_reads(PUBLIC_READS)
            .serve(service, &ctx.settings.server, shutdown)
            .await;
        ctx.consumers.stop().await;
        served
    }
}

/// `port()`, `local_addr()` and `context()` of the bound service.
impl Deref for Application {
    type Target = Hosted<Context>;

    fn deref(&self) -> &Hosted<Context> {
        &self.hosted
    }
}
