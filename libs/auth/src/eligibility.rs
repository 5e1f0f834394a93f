//! Asking identity whether an account may act: its internal `GetEligibility`, called with this
//! service's own token. The answer holds no personal data.

use std::{sync::Arc, time::Duration};

use secrecy::SecretString;
use serde::Deserialize;
use tachawor_errors::Error;
use tachawor_proto::identity::{
    GetEligibilityRequest, GetEligibilityResponse, identity_service_client::IdentityServiceClient,
};
use tachawor_storage::Clock;
use tonic::transport::Channel;

use crate::{ServiceAuthChannel, ServiceTokenSource};

/// The `[identity]` section of a service that asks identity about accounts.
#[derive(Debug, Clone, Deserialize)]
pub struct IdentityClientSettings {
    /// identity's gRPC address, e.g. `http://identity:50051`.
    pub url: String,
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

/// A client of identity's internal RPCs, authenticated as this service.
#[derive(Clone)]
pub struct EligibilityClient {
    client: IdentityServiceClient<ServiceAuthChannel<Channel>>,
    timeout: Duration,
}

impl EligibilityClient {
    /// Connects lazily: identity may start after this service.
    pub fn new(settings: &IdentityClientSettings, clock: Arc<dyn Clock>) -> Result<Self, Error> {
        let channel = Channel::from_shared(settings.url.clone())
            .map_err(|_| Error::internal(anyhow::anyhow!("identity.url is not a URL")))?
            .connect_lazy();
        let source = ServiceTokenSource::with_clock(
            channel.clone(),
            settings.client_id.clone(),
            settings.client_secret.clone(),
            clock,
        );
        Ok(Self {
            client: IdentityServiceClient::new(ServiceAuthChannel::new(channel, source)),
            timeout: Duration::from_millis(settings.timeout_ms),
        })
    }

    /// What identity knows of `account_id`. An unknown account is `UNAUTHENTICATED` (its token
    /// outlived it); identity unreachable or slow is `UNAVAILABLE`, worth a retry.
    pub async fn get(&self, account_id: &str) -> Result<GetEligibilityResponse, Error> {
        let mut client = self.client.clone();
        let call = client.get_eligibility(GetEligibilityRequest {
            account_id: account_id.to_string(),
        });
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(answer)) => Ok(answer.into_inner()),
            Ok(Err(status)) if status.code() == tonic::Code::NotFound => Err(
                Error::Unauthenticated("this account no longer exists".into()),
            ),
            Ok(Err(status)) => {
                tracing::warn!(code = ?status.code(), "identity's eligibility unavailable");
                Err(Error::Unavailable(
                    "identity could not be asked about this account, retry later".into(),
                ))
            }
            Err(_) => Err(Error::Unavailable(
                "identity did not answer in time, retry later".into(),
            )),
        }
    }
}
