//! Keeping a [`Verifier`]'s key set in step with what identity publishes.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tachawor_proto::identity::identity_service_client::IdentityServiceClient;
use tachawor_proto::identity::{GetKeySetRequest, PublicKey};
use tachawor_server::ClientTlsSettings;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tonic::transport::Channel;

use crate::error::AuthError;
use crate::verifier::{Inner, Verifier, VerifierSettings, key_set};

/// A boxed, sendable future, as trait methods here return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where the published keys come from: identity over gRPC, or identity's key store in process.
pub trait KeySource: Send + Sync + 'static {
    fn fetch(&self) -> BoxFuture<'_, Result<Vec<PublicKey>, AuthError>>;
}

/// Bounds one `GetKeySet` call, so a hung identity cannot stall the refresh loop.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// Fetches the key set with `IdentityService/GetKeySet`.
#[derive(Debug, Clone)]
pub struct GrpcKeySource {
    client: IdentityServiceClient<Channel>,
}

impl GrpcKeySource {
    pub fn new(channel: Channel) -> Self {
        Self {
            client: IdentityServiceClient::new(channel),
        }
    }

    /// A source for a plaintext `url`; connects on first use.
    pub fn connect_lazy(url: &str) -> Result<Self, AuthError> {
        Self::connect_lazy_with(url, &ClientTlsSettings::default())
    }

    /// A source for `url` (for example `VerifierSettings::identity_url`), over TLS when it is
    /// `https://`: a forged key set would forge every token, so identity is authenticated by
    /// its certificate. Connects on first use.
    pub fn connect_lazy_with(url: &str, tls: &ClientTlsSettings) -> Result<Self, AuthError> {
        let endpoint = tachawor_server::endpoint(url, tls)
            .map_err(|e| AuthError::Unavailable(format!("identity url {url:?}: {e}")))?
            .connect_timeout(FETCH_TIMEOUT);
        Ok(Self::new(endpoint.connect_lazy()))
    }
}

impl KeySource for GrpcKeySource {
    fn fetch(&self) -> BoxFuture<'_, Result<Vec<PublicKey>, AuthError>> {
        let mut client = self.client.clone();
        Box::pin(async move {
            let call = client.get_key_set(GetKeySetRequest {});
            match tokio::time::timeout(FETCH_TIMEOUT, call).await {
                Ok(Ok(response)) => Ok(response.into_inner().keys),
                Ok(Err(status)) => Err(AuthError::Unavailable(format!(
                    "GetKeySet: {:?} {}",
                    status.code(),
                    status.message()
                ))),
                Err(_) => Err(AuthError::Unavailable("GetKeySet timed out".into())),
            }
        })
    }
}

/// Installs the first key set, retrying until `startup_timeout_secs` has passed, then refreshes
/// it in the background every `key_refresh_secs`, and early (at most once per
/// `min_refresh_interval_secs`) when a token names a key the verifier does not have.
///
/// A failed or empty refresh keeps the current keys. The task ends when every clone of the
/// verifier is dropped, or when the handle is aborted.
pub async fn start_key_refresh(
    verifier: Verifier,
    source: Arc<dyn KeySource>,
) -> Result<JoinHandle<()>, AuthError> {
    let settings = verifier.settings().clone();
    let deadline = Instant::now() + Duration::from_secs(settings.startup_timeout_secs);
    let mut backoff = Duration::from_millis(100);
    loop {
        match refresh_once(&verifier, source.as_ref()).await {
            Ok(()) => break,
            Err(error) if Instant::now() + backoff < deadline => {
                tracing::warn!(%error, "key set not available yet; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(2));
            }
            Err(error) => {
                return Err(AuthError::Unavailable(format!(
                    "no key set within {}s: {error}",
                    settings.startup_timeout_secs
                )));
            }
        }
    }
    let every = Duration::from_secs(settings.key_refresh_secs.max(1));
    let min_gap = Duration::from_secs(settings.min_refresh_interval_secs);
    let wake = verifier.inner.unknown_key_seen.subscribe();
    let inner = Arc::downgrade(&verifier.inner);
    drop(verifier);
    Ok(tokio::spawn(refresh_loop(
        inner, wake, source, every, min_gap,
    )))
}

/// Holds the verifier only weakly, so dropping every clone ends the task.
async fn refresh_loop(
    inner: Weak<Inner>,
    mut wake: watch::Receiver<()>,
    source: Arc<dyn KeySource>,
    every: Duration,
    min_gap: Duration,
) {
    let mut last = Instant::now();
    loop {
        let early = tokio::select! {
            _ = tokio::time::sleep_until(last + every) => false,
            changed = wake.changed() => match changed {
                Ok(()) => true,
                Err(_) => return, // every verifier is gone
            },
        };
        if early {
            tokio::time::sleep_until(last + min_gap).await;
        }
        // Unknown keys seen until now are looked for by this fetch.
        wake.borrow_and_update();
        let Some(strong) = inner.upgrade() else {
            return;
        };
        last = Instant::now();
        if let Err(error) = refresh_once(&Verifier { inner: strong }, source.as_ref()).await {
            tracing::warn!(%error, "key set refresh failed; keeping the current keys");
        }
    }
}

async fn refresh_once(verifier: &Verifier, source: &dyn KeySource) -> Result<(), AuthError> {
    let keys = source.fetch().await?;
    if keys.is_empty() {
        return Err(AuthError::Unavailable("identity published no keys".into()));
    }
    let set = key_set(&keys);
    if set.is_empty() {
        return Err(AuthError::InvalidKey("no usable key in the key set".into()));
    }
    let before = verifier.kids();
    verifier.install(set);
    let after = verifier.kids();
    if before != after {
        tracing::info!(kids = ?after, "key set updated");
    }
    Ok(())
}

/// A verifier for a service other than identity: identity's keys fetched from
/// `settings.identity_url` (over TLS per `settings.tls` when it is `https://`; waiting up to `startup_timeout_secs` for identity), then kept fresh
/// in the background. Abort the handle on shutdown.
pub async fn remote_verifier(
    settings: &VerifierSettings,
    clock: Arc<dyn tachawor_storage::Clock>,
) -> Result<(Verifier, JoinHandle<()>), AuthError> {
    let verifier = Verifier::with_clock(settings, clock);
    let source = GrpcKeySource::connect_lazy_with(&settings.identity_url, &settings.tls)?;
    let refresh = start_key_refresh(verifier.clone(), Arc::new(source)).await?;
    Ok((verifier, refresh))
}
