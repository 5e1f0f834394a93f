//! Building and running the notification service: the same code serves alone on Kubernetes
//! and inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, ops::Deref, sync::Arc};

use tachawor_auth::{AuthInterceptor, Verifier, remote_verifier};
use tachawor_proto::notification::notification_service_server::NotificationServiceServer;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Hosted, Runtime, Service};
use tonic::service::interceptor::InterceptedService;

use crate::{
    api::Notification,
    context::Context,
    delivery::{ContactBook, IdentityContacts, Worker},
    settings::Settings,
};

/// The name this service is known by on the bus (it publishes no events of its own).
pub const PRODUCER: &str = "notification";

/// A built service, bound to its port, ready to run.
pub struct Application {
    hosted: Hosted<Context>,
    verifier: Verifier,
    deps: Dependencies,
    /// Sends email and SMS, when `delivery.enabled`.
    worker: Option<Worker>,
}

impl Application {
    /// Connects, migrates, fetches identity's keys and binds the listener (port 0 picks a
    /// free port). Contacts are asked of identity (`[identity]`).
    pub async fn build(settings: Settings, deps: Dependencies) -> anyhow::Result<Self> {
        let contacts = IdentityContacts::new(&settings.identity, deps.clock.clone())?;
        Self::build_with_contacts(settings, deps, Arc::new(contacts)).await
    }

    /// As [`Application::build`], finding contacts in `contacts`.
    pub async fn build_with_contacts(
        settings: Settings,
        deps: Dependencies,
        contacts: Arc<dyn ContactBook>,
    ) -> anyhow::Result<Self> {
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
        let worker = if settings.delivery.enabled {
            Some(Worker::new(
                &settings,
                runtime.db().clone(),
                deps.clock.clone(),
                contacts,
            )?)
        } else {
            None
        };
        let addr = settings.server.listen_addr;
        let ctx = Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            settings: Arc::new(settings),
        };
        let hosted = Hosted::bind(PRODUCER, runtime, Arc::new(ctx), addr)
            .await?
            .with_task(key_refresh);
        Ok(Self {
            hosted,
            verifier,
            deps,
            worker,
        })
    }

    /// Consumes the streams, sends email and SMS and serves until `shutdown` resolves, then
    /// drains calls, stops the consumers after the event each is handling and the worker after
    /// the message it is sending.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let ctx = self.hosted.context();
        let consumers = crate::consumers::start(
            self.hosted.runtime(),
            self.deps.clock.clone(),
            &ctx.settings.notification.consumer_name,
        );
        let worker = self.worker.map(Worker::start);
        let service = InterceptedService::new(
            NotificationServiceServer::new(Notification::new(ctx.clone()))
                .max_decoding_message_size(ctx.settings.server.max_message_bytes),
            AuthInterceptor::new(self.verifier),
        );
        let served = self
            .hosted
            .serve(service, &ctx.settings.server, shutdown)
            .await;
        for consumer in consumers {
            consumer.stop().await;
        }
        if let Some(worker) = worker {
            worker.stop().await;
        }
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
