//! Building and running the training service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, ops::Deref, sync::Arc};

use tachawor_auth::{AuthInterceptor, EligibilityClient, Verifier, remote_verifier};
use tachawor_proto::training::training_service_server::TrainingServiceServer;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Hosted, Runtime, Service};
use tonic::service::interceptor::InterceptedService;

use crate::{
    api::Training, context::Context, eligibility::Eligibility, registrar::Registrar,
    settings::Settings,
};

/// The name this service produces events under.
pub const PRODUCER: &str = "training";

/// The reads whose answer to a caller without credentials depends on the request alone:
/// their anonymous calls are answered from the response cache (`server.cache`).
pub const PUBLIC_READS: &[&str] = &[
    "GetProgram",
    "ListPrograms",
    "GetSession",
    "ListSessions",
    "GetEvaluationSummary",
    "ListAttachments",
];

/// A built service, bound to its port, ready to run.
pub struct Application {
    hosted: Hosted<Context>,
    verifier: Verifier,
}

impl Application {
    /// Connects, migrates, fetches identity's keys and binds the listener (port 0 picks a free
    /// port).
    pub async fn build(settings: Settings, deps: Dependencies) -> anyhow::Result<Self> {
        let region = settings.region.load()?;
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
        let eligibility = Eligibility::new(EligibilityClient::new(
            &settings.identity,
            deps.clock.clone(),
        )?);
        let documents = tachawor_documents::Documents::open(&settings.documents, PRODUCER)?;
        // Sessions from before they were kept as lists show them; a few hundred rows.
        crate::store::sessions::fill_listed(runtime.db(), &region.time_zone, 200).await?;
        let addr = settings.server.listen_addr;
        let registrar = Registrar::new(runtime.writer(), region.time_zone.clone());
        let ctx = Arc::new(Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            eligibility,
            region: Arc::new(region),
            settings: Arc::new(settings),
            registrar,
            documents,
        });
        let hosted = Hosted::bind(PRODUCER, runtime, ctx, addr)
            .await?
            .with_task(key_refresh);
        Ok(Self { hosted, verifier })
    }

    /// Serves until `shutdown` resolves, then drains calls and flushes the outbox.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let ctx = self.hosted.context();
        let service = InterceptedService::new(
            TrainingServiceServer::new(Training::new(ctx.clone()))
                // A session's document travels in one message: the limit holds the largest.
                .max_decoding_message_size(
                    ctx.settings
                        .server
                        .max_message_bytes
                        .max(ctx.documents.message_bytes()),
                ),
            AuthInterceptor::new(self.verifier),
        );
        let erasure = self.hosted.runtime().consume(
            crate::erasure::consumer_settings(),
            crate::erasure::Erasure::new(ctx.clone()),
        );
        let maintenance = tokio::spawn(crate::maintenance::run(ctx.clone()));
        let served = self
            .hosted
            .with_task(maintenance)
            .with_public_reads(PUBLIC_READS)
            .serve(service, &ctx.settings.server, shutdown)
            .await;
        erasure.stop().await;
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
