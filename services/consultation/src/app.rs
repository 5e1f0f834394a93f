//! Building and running the consultation service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, ops::Deref, sync::Arc};

use tachawor_auth::{AuthInterceptor, EligibilityClient, Verifier, remote_verifier};
use tachawor_proto::consultation::consultation_service_server::ConsultationServiceServer;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Hosted, Runtime, Service};
use tonic::service::interceptor::InterceptedService;

use crate::{api::Consultation, context::Context, settings::Settings};

/// The name this service produces events under.
pub const PRODUCER: &str = "consultation";

/// The reads whose answer to a caller without credentials depends on the request alone:
/// their anonymous calls are answered from the response cache (`server.cache`).
pub const PUBLIC_READS: &[&str] = &[
    "GetConsultation",
    "ListConsultations",
    "GetResults",
    "GetProposal",
    "ListProposals",
    "ListComments",
    "GetComment",
    "GetOpinion",
    "ListOpinions",
    "GetForumEdition",
    "ListForumEditions",
    "ListForumContributions",
    "GetPetitionRules",
    "GetPetition",
    "ListPetitions",
    "GetArticle",
    "ListArticles",
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
        let identity = EligibilityClient::new(&settings.identity, deps.clock.clone())?;
        let documents = tachawor_documents::Documents::open(&settings.documents, PRODUCER)?;
        // Consultations from before they were kept as lists show them; a few hundred rows.
        crate::api::fill_listed(runtime.db(), 200).await?;
        let addr = settings.server.listen_addr;
        let ctx = Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            identity,
            region: Arc::new(region),
            settings: Arc::new(settings),
            documents,
        };
        let hosted = Hosted::bind(PRODUCER, runtime, Arc::new(ctx), addr)
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
            ConsultationServiceServer::new(Consultation::new(ctx.clone()))
                // An attachment travels in one message: the limit holds the largest accepted.
                .max_decoding_message_size(
                    ctx.settings
                        .server
                        .max_message_bytes
                        .max(ctx.documents.message_bytes()),
                ),
            AuthInterceptor::new(self.verifier),
        );
        let runtime = self.hosted.runtime();
        let erasure = runtime.consume(
            crate::roster::consumer_settings(),
            crate::roster::IdentityEvents::new(
                crate::erasure::Erasure::new(runtime.writer()),
                crate::roster::Roster::new(ctx.region.clone()),
            ),
        );
        let attendance = runtime.consume(
            crate::attendance::consumer_settings(),
            crate::attendance::TrainingEvents::new(),
        );
        let served = self
            .hosted
            .with_public_reads(PUBLIC_READS)
            .serve(service, &ctx.settings.server, shutdown)
            .await;
        erasure.stop().await;
        attendance.stop().await;
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
