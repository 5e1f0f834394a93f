//! gRPC interceptors: the server side establishes the [`Caller`], the client side presents a
//! token.

use std::{collections::BTreeSet, net::IpAddr, sync::Arc};

use tonic::metadata::{AsciiMetadataValue, MetadataValue};
use tonic::service::Interceptor;
use tonic::{Request, Status};

use crate::call::{CLIENT_ADDRESS, ClientAddress};
use crate::caller::Caller;
use crate::error::AuthError;
use crate::verifier::Verifier;

/// The metadata key carrying `Bearer <token>`.
pub const AUTHORIZATION: &str = "authorization";

/// Server interceptor: verifies `authorization: Bearer <jwt>` and records the [`Caller`] in the
/// request's extensions. No header means [`Caller::Anonymous`] (each handler decides whether
/// that is enough); a header that does not hold a valid token is `UNAUTHENTICATED` at once.
///
/// A service listed with [`AuthInterceptor::trusting_fronts`] (the portal, through which every
/// person reaches the platform) may name the person's address in `x-tachawor-client-address`;
/// it is recorded as a [`ClientAddress`] so per-client limits key on the person, not on the
/// front. The header from anyone else is ignored.
#[derive(Clone, Debug)]
pub struct AuthInterceptor {
    verifier: Verifier,
    trusted_fronts: Arc<BTreeSet<String>>,
}

impl AuthInterceptor {
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            trusted_fronts: Arc::default(),
        }
    }

    /// Services (by client id) whose `x-tachawor-client-address` is believed.
    pub fn trusting_fronts<S: AsRef<str>>(
        mut self,
        client_ids: impl IntoIterator<Item = S>,
    ) -> Self {
        self.trusted_fronts = Arc::new(
            client_ids
                .into_iter()
                .map(|id| id.as_ref().to_string())
                .collect(),
        );
        self
    }

    /// The address a trusted front reported, when `caller` is one and sent a valid address.
    fn reported_address(&self, caller: &Caller, request: &Request<()>) -> Option<IpAddr> {
        let Caller::Service(service) = caller else {
            return None;
        };
        if !self.trusted_fronts.contains(&service.name) {
            return None;
        }
        request
            .metadata()
            .get(CLIENT_ADDRESS)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    fn caller(&self, request: &Request<()>) -> Result<Caller, AuthError> {
        let Some(value) = request.metadata().get(AUTHORIZATION) else {
            return Ok(Caller::Anonymous);
        };
        let value = value
            .to_str()
            .map_err(|_| AuthError::Malformed("authorization is not ASCII".into()))?;
        let token = bearer_token(value)
            .ok_or_else(|| AuthError::Malformed("authorization is not a bearer token".into()))?;
        Ok(Caller::from_claims(self.verifier.verify(token)?))
    }
}

impl Interceptor for AuthInterceptor {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        match self.caller(&request) {
            Ok(caller) => {
                if let Some(address) = self.reported_address(&caller, &request) {
                    request.extensions_mut().insert(ClientAddress(address));
                }
                request.extensions_mut().insert(caller);
                Ok(request)
            }
            Err(error) => {
                tracing::debug!(%error, "bearer token refused");
                Err(tachawor_errors::Error::from(error).into())
            }
        }
    }
}

/// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 6750).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim_start();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `Bearer <token>` as a metadata value.
pub(crate) fn bearer_value(token: &str) -> Result<AsciiMetadataValue, AuthError> {
    MetadataValue::try_from(format!("Bearer {token}"))
        .map_err(|_| AuthError::Malformed("token is not a valid header value".into()))
}

/// Client interceptor presenting a fixed token: for tests, and for clients acting for a person
/// whose token they hold.
#[derive(Clone)]
pub struct BearerInterceptor {
    value: AsciiMetadataValue,
}

impl BearerInterceptor {
    pub fn new(token: &str) -> Result<Self, AuthError> {
        let mut value = bearer_value(token)?;
        value.set_sensitive(true);
        Ok(Self { value })
    }
}

impl std::fmt::Debug for BearerInterceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerInterceptor([REDACTED])")
    }
}

impl Interceptor for BearerInterceptor {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert(AUTHORIZATION, self.value.clone());
        Ok(request)
    }
}
