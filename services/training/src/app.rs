//! Building and running the training service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use secrecy::{ExposeSecret, SecretString};
use tachawor_auth::{
    AuthError, AuthInterceptor, BoxFuture, GrpcKeySource, IssuedToken, ServiceAuthChannel,
    ServiceTokenSource, TokenIssuer, Verifier, start_key_refresh,
};
use tachawor_events::Bus;
use tachawor_proto::{
    identity::{IssueServiceTokenRequest, identity_service_client::IdentityServiceClient},
    training::training_service_server::TrainingServiceServer,
};
use tachawor_region::Region;
use tachawor_runtime::{Runtime, Service, idempotency};
use tachawor_storage::{Clock, SystemClock};
use tokio::{net::TcpListener, task::JoinHandle};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

use crate::{api::Training, context::Context, eligibility::Eligibility, settings::Settings};

/// The name this service produces events under.
pub const PRODUCER: &str = "training";

/// What the process around the service provides.
#[derive(Clone)]
pub struct Dependencies {
    /// A bus to publish on; `None` connects to what `[events]` configures.
    pub bus: Option<Bus>,
    pub clock: Arc<dyn Clock>,
}

impl Default for Dependencies {
    fn default() -> Self {
        Self {
            bus: None,
            clock: Arc::new(SystemClock),
        }
    }
}

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

        let identity = tonic::transport::Endpoint::from_shared(settings.auth.identity_url.clone())?
            .connect_timeout(Duration::from_secs(5))
            .connect_lazy();
        let verifier = Verifier::with_clock(&settings.auth, deps.clock.clone());
        let key_refresh = start_key_refresh(
            verifier.clone(),
            Arc::new(GrpcKeySource::new(identity.clone())),
        )
        .await?;
        let tokens = ServiceTokenSource::with_issuer(
            Arc::new(GrpcIssuer {
                client: IdentityServiceClient::new(identity.clone()),
                client_id: settings.service_client.client_id.clone(),
                client_secret: settings.service_client.client_secret.clone(),
            }),
            deps.clock.clone(),
        );
        let ctx = Arc::new(Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            eligibility: Eligibility::new(ServiceAuthChannel::new(identity, tokens)),
            region: Arc::new(region),
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

    /// Serves until `shutdown` resolves, then drains calls and flushes the outbox.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.local_addr(), "training listening");
        let maintenance = tokio::spawn(maintain(self.ctx.clone()));
        let service = InterceptedService::new(
            TrainingServiceServer::new(Training::new(self.ctx.clone()))
                .max_decoding_message_size(self.ctx.settings.server.max_message_bytes),
            AuthInterceptor::new(self.verifier.clone()),
        );
        let served = self
            .runtime
            .serve(self.listener, service, &self.ctx.settings.server, shutdown)
            .await;
        maintenance.abort();
        self.key_refresh.abort();
        served
    }
}

/// Forgets old idempotency keys.
async fn maintain(ctx: Arc<Context>) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    tick.tick().await;
    loop {
        tick.tick().await;
        let before = ctx.now() - ctx.settings.training.idempotency_retention_hours * 3_600_000;
        if let Ok(mut conn) = ctx.db.pool().acquire().await
            && let Err(e) = idempotency::prune(&mut conn, before).await
        {
            tracing::warn!(error = %e, "could not prune idempotency keys");
        }
    }
}

/// `IdentityService/IssueServiceToken` with this service's credentials, timed by the service's
/// clock (the library's own issuer uses the wall clock).
struct GrpcIssuer {
    client: IdentityServiceClient<Channel>,
    client_id: String,
    client_secret: SecretString,
}

impl TokenIssuer for GrpcIssuer {
    fn issue(&self) -> BoxFuture<'_, Result<IssuedToken, AuthError>> {
        let mut client = self.client.clone();
        let request = IssueServiceTokenRequest {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.expose_secret().to_string(),
        };
        Box::pin(async move {
            let response = client.issue_service_token(request).await.map_err(|s| {
                let described = format!("{:?} {}", s.code(), s.message());
                match s.code() {
                    tonic::Code::Unauthenticated | tonic::Code::PermissionDenied => {
                        AuthError::CredentialsRefused(described)
                    }
                    _ => AuthError::Unavailable(format!("IssueServiceToken: {described}")),
                }
            })?;
            let response = response.into_inner();
            let expires_at = response.expires_at.ok_or_else(|| {
                AuthError::Unavailable("IssueServiceToken answered without expires_at".into())
            })?;
            Ok(IssuedToken {
                access_token: response.access_token,
                expires_at_millis: crate::domain::millis(&expires_at),
            })
        })
    }
}
