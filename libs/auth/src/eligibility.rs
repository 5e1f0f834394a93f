//! Asking identity whether an account may act: its internal `BatchGetEligibility`, called with
//! this service's own token. The answer holds no personal data.
//!
//! Concurrent lookups are coalesced: one call to identity is in flight at a time, and the
//! lookups that arrive meanwhile go together in the next one (at most [`MAX_BATCH`]). A lone
//! lookup goes at once; a rush of registrations costs identity a few calls, not one each.

use std::{collections::HashMap, sync::Arc, time::Duration};

use secrecy::SecretString;
use serde::Deserialize;
use tachawor_coalesce::Coalescer;
use tachawor_errors::Error;
use tachawor_proto::identity::{
    BatchGetEligibilityRequest, GetEligibilityResponse, GetVerifiedNameRequest,
    identity_service_client::IdentityServiceClient,
};
use tachawor_server::ClientTlsSettings;
use tachawor_storage::Clock;
use tachawor_telemetry::grpc::{GrpcClientLayer, GrpcClientService};
use tokio::sync::oneshot;
use tonic::transport::Channel;
use tower::Layer;
use tracing::Instrument;

use crate::{ServiceAuthChannel, ServiceTokenSource};

/// The `[identity]` section of a service that asks identity about accounts.
#[derive(Debug, Clone, Deserialize)]
pub struct IdentityClientSettings {
    /// identity's gRPC address, e.g. `http://identity:50051`; `https://` calls it over TLS.
    pub url: String,
    /// TLS for `url` (`[identity.tls]`): the CA identity's certificate must chain to, and this
    /// service's certificate when identity requires one. Service tokens travel on this channel.
    #[serde(default)]
    pub tls: ClientTlsSettings,
    /// This service's client id and secret, as registered in identity's `service_clients`.
    pub client_id: String,
    pub client_secret: SecretString,
    /// Bounds one call, so a slow identity cannot hold a request for long.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_timeout_ms() -> u64 {
    5_000
}

/// The most accounts asked about in one call (identity accepts up to 100).
const MAX_BATCH: usize = 100;

/// identity's client, authenticated as this service and traced.
pub type ServiceIdentityClient =
    IdentityServiceClient<ServiceAuthChannel<GrpcClientService<Channel>>>;
type Client = ServiceIdentityClient;

/// A client of identity's internal RPCs, authenticated as this service with a token from
/// `IssueServiceToken`, each call traced. Connects lazily: identity may start after this
/// service.
pub fn service_identity_client(
    settings: &IdentityClientSettings,
    clock: Arc<dyn Clock>,
) -> Result<ServiceIdentityClient, Error> {
    let channel = tachawor_server::endpoint(&settings.url, &settings.tls)
        .map_err(|e| Error::internal(anyhow::anyhow!("identity.url or identity.tls: {e}")))?
        .connect_lazy();
    let source = ServiceTokenSource::with_clock(
        channel.clone(),
        settings.client_id.clone(),
        settings.client_secret.clone(),
        clock,
    );
    // Each call to identity gets a client span and carries the trace context.
    let traced = GrpcClientLayer::new().layer(channel);
    Ok(IdentityServiceClient::new(ServiceAuthChannel::new(
        traced, source,
    )))
}
type Answer = Result<GetEligibilityResponse, Error>;
/// One lookup waiting for the next call: the account and where to answer.
/// Also the asker's span: the call to identity is traced under the first asker's span, and
/// linked from the others'.
type Lookup = (String, tracing::Span, oneshot::Sender<Answer>);

/// A client of identity's internal RPCs, authenticated as this service.
#[derive(Clone)]
pub struct EligibilityClient {
    lookups: Coalescer<(), Lookup>,
    /// For the rare calls that are not coalesced (a verified name, for a certificate).
    client: Client,
    timeout: Duration,
}

impl EligibilityClient {
    /// Connects lazily: identity may start after this service.
    pub fn new(settings: &IdentityClientSettings, clock: Arc<dyn Clock>) -> Result<Self, Error> {
        let client = service_identity_client(settings, clock)?;
        let timeout = Duration::from_millis(settings.timeout_ms);
        let batched = client.clone();
        Ok(Self {
            lookups: Coalescer::new(MAX_BATCH, move |(), batch| {
                Box::pin(ask(batched.clone(), timeout, batch))
            }),
            client,
            timeout,
        })
    }

    /// The legal name staff recorded when they verified `account_id` (identity's
    /// `GetVerifiedName`); empty when there is none or the account is gone. Personal data: never log it.
    pub async fn verified_name(&self, account_id: &str) -> Result<String, Error> {
        let mut client = self.client.clone();
        let call = client.get_verified_name(GetVerifiedNameRequest {
            account_id: account_id.to_string(),
        });
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(answer)) => Ok(answer.into_inner().legal_name),
            // An account that no longer exists has no name.
            Ok(Err(status)) if status.code() == tonic::Code::NotFound => Ok(String::new()),
            Ok(Err(status)) => {
                tracing::warn!(code = ?status.code(), "identity's verified name unavailable");
                Err(Error::Unavailable(
                    "identity could not be asked about this account, retry later".into(),
                ))
            }
            Err(_) => Err(Error::Unavailable(
                "identity did not answer in time, retry later".into(),
            )),
        }
    }

    /// What identity knows of `account_id`. An unknown account is `UNAUTHENTICATED` (its token
    /// outlived it); identity unreachable or slow is `UNAVAILABLE`, worth a retry.
    pub async fn get(&self, account_id: &str) -> Answer {
        let (reply, answer) = oneshot::channel();
        let asker = tracing::Span::current();
        self.lookups
            .push((), (account_id.to_string(), asker, reply));
        answer.await.unwrap_or_else(|_| {
            Err(Error::Unavailable(
                "the question to identity was interrupted, retry".into(),
            ))
        })
    }
}

/// Asks identity about a batch of lookups in one call and answers each.
async fn ask(mut client: Client, timeout: Duration, batch: Vec<Lookup>) {
    let span = tracing::info_span!(
        parent: batch.first().and_then(|(_, asker, _)| asker.id()),
        "eligibility lookups",
        lookups = batch.len()
    );
    for (_, asker, _) in batch.iter().skip(1) {
        span.follows_from(asker.id());
    }
    let account_ids = batch.iter().map(|(id, _, _)| id.clone()).collect();
    let call = client
        .batch_get_eligibility(BatchGetEligibilityRequest { account_ids })
        .instrument(span);
    let failed = |e: fn() -> Error, batch: Vec<Lookup>| {
        for (_, _, reply) in batch {
            let _ = reply.send(Err(e()));
        }
    };
    match tokio::time::timeout(timeout, call).await {
        Ok(Ok(answer)) => {
            let found: HashMap<String, GetEligibilityResponse> = answer
                .into_inner()
                .eligibilities
                .into_iter()
                .map(|e| (e.account_id.clone(), e))
                .collect();
            for (id, _, reply) in batch {
                let _ =
                    reply.send(found.get(&id).cloned().ok_or_else(|| {
                        Error::Unauthenticated("this account no longer exists".into())
                    }));
            }
        }
        Ok(Err(status)) => {
            tracing::warn!(code = ?status.code(), size = batch.len(), "identity's eligibility unavailable");
            failed(
                || {
                    Error::Unavailable(
                        "identity could not be asked about this account, retry later".into(),
                    )
                },
                batch,
            );
        }
        Err(_) => failed(
            || Error::Unavailable("identity did not answer in time, retry later".into()),
            batch,
        ),
    }
}
