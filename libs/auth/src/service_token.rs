//! Service-to-service calls: a token from identity, cached until shortly before it expires, and
//! a channel wrapper that presents it on every call.

use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

use secrecy::{ExposeSecret, SecretString};
use tachawor_proto::identity::IssueServiceTokenRequest;
use tachawor_proto::identity::identity_service_client::IdentityServiceClient;
use tachawor_storage::{Clock, SystemClock};
use tonic::client::GrpcService;
use tonic::codegen::{Body, Bytes, StdError};
use tonic::transport::Channel;

use crate::error::AuthError;
use crate::key_refresh::BoxFuture;

/// A token and when it stops being valid.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub access_token: String,
    /// Unix milliseconds.
    pub expires_at_millis: i64,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("access_token", &"[REDACTED]")
            .field("expires_at_millis", &self.expires_at_millis)
            .finish()
    }
}

/// Where service tokens come from: identity over gRPC, or identity itself in process.
pub trait TokenIssuer: Send + Sync + 'static {
    fn issue(&self) -> BoxFuture<'_, Result<IssuedToken, AuthError>>;
}

/// What identity's client calls over: a [`Channel`], or replicas spread over.
pub trait Transport:
    GrpcService<
        tonic::body::Body,
        Error: Into<StdError>,
        Future: Send,
        ResponseBody: Body<Data = Bytes, Error: Into<StdError> + Send> + Send + 'static,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> Transport for T where
    T: GrpcService<
            tonic::body::Body,
            Error: Into<StdError>,
            Future: Send,
            ResponseBody: Body<Data = Bytes, Error: Into<StdError> + Send> + Send + 'static,
        > + Clone
        + Send
        + Sync
        + 'static
{
}

/// `IdentityService/IssueServiceToken` with this service's client credentials.
struct GrpcTokenIssuer<T> {
    client: IdentityServiceClient<T>,
    client_id: String,
    client_secret: SecretString,
}

impl<T: Transport> TokenIssuer for GrpcTokenIssuer<T> {
    fn issue(&self) -> BoxFuture<'_, Result<IssuedToken, AuthError>> {
        let mut client = self.client.clone();
        let request = IssueServiceTokenRequest {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.expose_secret().to_string(),
        };
        Box::pin(async move {
            let response = client
                .issue_service_token(request)
                .await
                .map_err(|status| {
                    let described = format!("{:?} {}", status.code(), status.message());
                    match status.code() {
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
                expires_at_millis: expires_at
                    .seconds
                    .saturating_mul(1000)
                    .saturating_add(i64::from(expires_at.nanos) / 1_000_000),
            })
        })
    }
}

/// Renewal starts this long before expiry at most; for short-lived tokens, a fifth of their life.
const MAX_RENEWAL_MARGIN_MILLIS: i64 = 60_000;

/// This service's token for calling others. Cheap to clone: clones share the cache.
#[derive(Clone)]
pub struct ServiceTokenSource {
    inner: Arc<SourceInner>,
}

struct SourceInner {
    issuer: Arc<dyn TokenIssuer>,
    clock: Arc<dyn Clock>,
    cached: RwLock<Option<Cached>>,
    /// One renewal at a time; callers arriving meanwhile use the old token while it lasts.
    renewing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    token: String,
    renew_at_millis: i64,
    expires_at_millis: i64,
}

impl ServiceTokenSource {
    /// Tokens from identity on `channel` (a [`Channel`], or replicas spread over), for the client
    /// credentials `client_id`/`client_secret`.
    pub fn new<T: Transport>(
        channel: T,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        Self::with_clock(channel, client_id, client_secret, Arc::new(SystemClock))
    }

    /// As [`ServiceTokenSource::new`], judging expiry on `clock` (the service's own, which
    /// tests move).
    pub fn with_clock<T: Transport>(
        channel: T,
        client_id: impl Into<String>,
        client_secret: SecretString,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let issuer = GrpcTokenIssuer {
            client: IdentityServiceClient::new(channel),
            client_id: client_id.into(),
            client_secret,
        };
        Self::with_issuer(Arc::new(issuer), clock)
    }

    /// Tokens from any issuer, timed by `clock`.
    pub fn with_issuer(issuer: Arc<dyn TokenIssuer>, clock: Arc<dyn Clock>) -> Self {
        Self {
            inner: Arc::new(SourceInner {
                issuer,
                clock,
                cached: RwLock::new(None),
                renewing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// A valid token: the cached one, or a new one once the cached one nears expiry. Should
    /// renewal fail while the cached token is still valid, the cached token is returned.
    pub async fn token(&self) -> Result<String, AuthError> {
        let inner = &self.inner;
        let cached = self.cached();
        let now = inner.clock.now_millis();
        if let Some(c) = &cached
            && now < c.renew_at_millis
        {
            return Ok(c.token.clone());
        }
        let _renewing = match inner.renewing.try_lock() {
            Ok(guard) => guard,
            Err(_) => match cached {
                Some(c) if now < c.expires_at_millis => return Ok(c.token),
                _ => inner.renewing.lock().await,
            },
        };
        // Someone else may have renewed while we waited for the lock.
        let cached = self.cached();
        let now = inner.clock.now_millis();
        if let Some(c) = &cached
            && now < c.renew_at_millis
        {
            return Ok(c.token.clone());
        }
        match inner.issuer.issue().await {
            Ok(issued) => {
                let life = issued.expires_at_millis.saturating_sub(now).max(0);
                let margin = (life / 5).min(MAX_RENEWAL_MARGIN_MILLIS);
                let fresh = Cached {
                    renew_at_millis: issued.expires_at_millis - margin,
                    expires_at_millis: issued.expires_at_millis,
                    token: issued.access_token,
                };
                let token = fresh.token.clone();
                *inner.cached.write().expect("token cache lock poisoned") = Some(fresh);
                Ok(token)
            }
            Err(error) => match cached {
                Some(c) if now < c.expires_at_millis => {
                    tracing::warn!(%error, "service token renewal failed; using the current one");
                    Ok(c.token)
                }
                _ => Err(error),
            },
        }
    }

    fn cached(&self) -> Option<Cached> {
        self.inner
            .cached
            .read()
            .expect("token cache lock poisoned")
            .clone()
    }
}

impl std::fmt::Debug for ServiceTokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceTokenSource")
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A channel that presents this service's token on every call:
/// `ConsultationServiceClient::new(ServiceAuthChannel::new(channel, source))`.
///
/// A tower service rather than a tonic interceptor, because renewing the token is asynchronous.
/// When no token can be had, the call fails with `UNAVAILABLE` without reaching the server.
#[derive(Clone, Debug)]
pub struct ServiceAuthChannel<S = Channel> {
    inner: S,
    source: ServiceTokenSource,
}

impl<S> ServiceAuthChannel<S> {
    pub fn new(inner: S, source: ServiceTokenSource) -> Self {
        Self { inner, source }
    }
}

impl<S, B> tower::Service<http::Request<B>> for ServiceAuthChannel<S>
where
    S: tower::Service<http::Request<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<S::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        // The readied service is the one to call; a fresh clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let source = self.source.clone();
        Box::pin(async move {
            let token = source.token().await.map_err(|error| {
                tracing::warn!(%error, "no service token");
                Box::new(tonic::Status::unavailable(format!(
                    "no service token: {error}"
                ))) as BoxError
            })?;
            let mut value = http::HeaderValue::try_from(format!("Bearer {token}"))?;
            value.set_sensitive(true);
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, value);
            inner.call(request).await.map_err(Into::into)
        })
    }
}
