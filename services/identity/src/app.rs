//! Building and running the identity service: the same code serves alone on Kubernetes and
//! inside the all-in-one; only the event bus handed in differs.

use std::{future::Future, ops::Deref, sync::Arc, time::Duration};

use secrecy::ExposeSecret;
use tachawor_auth::{AuthInterceptor, Verifier, VerifierSettings};
use tachawor_proto::identity::identity_service_server::IdentityServiceServer;
pub use tachawor_runtime::Dependencies;
use tachawor_runtime::{Hosted, Runtime, Service};
use tonic::service::interceptor::InterceptedService;

use crate::{
    api::Identity,
    bootstrap,
    context::Context,
    keys::KeyStore,
    limits,
    passwords::Passwords,
    protect::{self, Fingerprinter, Sealer},
    settings::Settings,
    store,
};

/// The name this service produces events under.
pub const PRODUCER: &str = "identity";

/// The reads whose answer to a caller without credentials depends on the request alone:
/// their anonymous calls are answered from the response cache (`server.cache`).
pub const PUBLIC_READS: &[&str] = &[
    "ListProvinces",
    "GetAssociation",
    "ListAssociations",
    "GetInstance",
    "ListInstances",
];

/// A built service, bound to its port, ready to run.
pub struct Application {
    hosted: Hosted<Context>,
    verifier: Verifier,
}

impl Application {
    /// Connects, migrates, loads keys and reference data, and binds the listener (port 0 picks
    /// a free port).
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

        let secrets = &settings.secrets;
        let verifier = Verifier::with_clock(
            &VerifierSettings {
                issuer: settings.tokens.issuer.clone(),
                audience: settings.tokens.audience.clone(),
                ..VerifierSettings::default()
            },
            deps.clock.clone(),
        );
        let keys = KeyStore::open(
            runtime.db().clone(),
            Sealer::new(protect::key_bytes(
                "signing_key_encryption_key",
                &secrets.signing_key_encryption_key,
            )?),
            deps.clock.clone(),
            settings.tokens.clone(),
            verifier.clone(),
        )
        .await?;

        let ctx = Arc::new(Context {
            db: runtime.db().clone(),
            writer: runtime.writer(),
            passwords: Passwords::new(&settings.passwords)?,
            cin_sealer: Sealer::new(protect::key_bytes(
                "cin_encryption_key",
                &secrets.cin_encryption_key,
            )?),
            cin_fingerprints: Fingerprinter::new(protect::key_bytes(
                "cin_hmac_key",
                &secrets.cin_hmac_key,
            )?),
            keys: Arc::new(keys),
            region: Arc::new(region),
            settings: Arc::new(settings),
        });

        bootstrap::reference_instances(&ctx, &ctx.region.clone()).await?;
        let boot = &ctx.settings.bootstrap;
        if !boot.admin_email.is_empty() && !boot.admin_password.expose_secret().is_empty() {
            bootstrap::administrator(&ctx, &boot.admin_email, &boot.admin_password).await?;
        }

        let addr = ctx.settings.server.listen_addr;
        let hosted = Hosted::bind(PRODUCER, runtime, ctx, addr).await?;
        Ok(Self { hosted, verifier })
    }

    /// Serves until `shutdown` resolves, then drains calls and flushes the outbox.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let ctx = self.hosted.context();
        let service = InterceptedService::new(
            IdentityServiceServer::new(Identity::new(ctx.clone()))
                .max_decoding_message_size(ctx.settings.server.max_message_bytes),
            AuthInterceptor::new(self.verifier)
                .trusting_fronts(&ctx.settings.client_address.trusted_fronts),
        );
        let maintenance = tokio::spawn(maintain(ctx.clone()));
        self.hosted
            .with_task(maintenance)
            .with_public_reads(PUBLIC_READS)
            .serve(service, &ctx.settings.server, shutdown)
            .await
    }
}

/// `port()`, `local_addr()` and `context()` of the bound service.
impl Deref for Application {
    type Target = Hosted<Context>;

    fn deref(&self) -> &Hosted<Context> {
        &self.hosted
    }
}

/// Keeps keys fresh (another replica may rotate), prunes old attempt counts and erases expired
/// contact secrets.
async fn maintain(ctx: Arc<Context>) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    loop {
        tick.tick().await;
        if let Err(e) = ctx.keys.reload().await {
            tracing::warn!(error = format!("{e:#}"), "could not reload signing keys");
        }
        if let Err(e) = ctx.keys.rotate_if_due().await {
            tracing::warn!(error = format!("{e:#}"), "could not rotate the signing key");
        }
        let s = &ctx.settings;
        let _ = limits::prune(
            ctx.db.pool(),
            &s.login_limits,
            &s.register_limits,
            &s.contacts,
            ctx.now(),
        )
        .await;
        if let Err(e) = store::contact_secrets::prune_expired(ctx.db.pool(), ctx.now()).await {
            tracing::warn!(
                error = format!("{e:#}"),
                "could not erase expired contact secrets"
            );
        }
    }
}
