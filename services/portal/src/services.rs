//! The gRPC clients of the services a page reads from and writes to.
//!
//! Channels connect lazily and reconnect by themselves, so the portal starts and serves its
//! error pages even while a service is down. Every call carries a deadline. With `https://`
//! URLs the channels use mutual TLS (`services.tls`), as the services require in production.
//!
//! A call made for a signed-in person carries that person's access token ([`as_person`]);
//! sign-in and registration carry the portal's own service token and the person's address
//! ([`Services::as_front`]), which identity believes from the portal only.

use std::{net::IpAddr, time::Duration};

use secrecy::ExposeSecret;
use tachawor_auth::{CLIENT_ADDRESS, ServiceTokenSource};
use tachawor_proto::{
    consultation::consultation_service_client::ConsultationServiceClient,
    identity::identity_service_client::IdentityServiceClient,
    notification::notification_service_client::NotificationServiceClient,
    reporting::reporting_service_client::ReportingServiceClient,
    training::training_service_client::TrainingServiceClient,
};
use tachawor_server::{ClientTlsSettings, Replicas};
use tonic::metadata::MetadataValue;

use crate::{person::Session, settings::ServiceUrls};

#[derive(Clone, Debug)]
pub struct Services {
    identity: Replicas,
    consultation: Replicas,
    training: Replicas,
    reporting: Replicas,
    /// None when the region runs without the notification service.
    notification: Option<Replicas>,
    /// The portal's own token, when it has credentials.
    front: Option<ServiceTokenSource>,
    /// The largest message a document download may be.
    document_message_bytes: usize,
}

/// Channels to one address, or to several comma-separated ones (replicas reached without a
/// load-balancing Service in front of them), with reads sent again to the next replica when one
/// fails.
fn channel(urls: &str, tls: &ClientTlsSettings, timeout: Duration) -> anyhow::Result<Replicas> {
    let channels = urls
        .split(',')
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(|url| {
            Ok(tachawor_server::endpoint(url, tls)
                .map_err(|e| anyhow::anyhow!("service URL {url}: {e}"))?
                .timeout(timeout)
                .connect_timeout(timeout)
                .tcp_nodelay(true)
                .connect_lazy())
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Replicas::new(channels).ok_or_else(|| anyhow::anyhow!("a service URL is empty"))
}

/// `message` sent with the person's access token.
pub fn as_person<T>(session: &Session, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    if let Ok(value) = MetadataValue::try_from(format!("Bearer {}", session.access_token)) {
        request.metadata_mut().insert("authorization", value);
    }
    request
}

impl Services {
    pub fn connect(urls: &ServiceUrls) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(urls.call_timeout_ms);
        let identity = channel(&urls.identity_url, &urls.tls, timeout)?;
        let secret = urls.client_secret.expose_secret();
        let front = if secret.is_empty() {
            tracing::warn!(
                "services.client_secret is not set: identity will count sign-in attempts \
                 per portal replica, not per person"
            );
            None
        } else {
            Some(ServiceTokenSource::new(
                identity.clone(),
                urls.client_id.clone(),
                urls.client_secret.clone(),
            ))
        };
        Ok(Self {
            identity,
            consultation: channel(&urls.consultation_url, &urls.tls, timeout)?,
            training: channel(&urls.training_url, &urls.tls, timeout)?,
            reporting: channel(&urls.reporting_url, &urls.tls, timeout)?,
            notification: match urls.notification_url.trim() {
                "" => None,
                url => Some(channel(url, &urls.tls, timeout)?),
            },
            front,
            document_message_bytes: urls.max_document_bytes + 64 * 1024,
        })
    }

    /// `message` sent as the portal, naming the address of the person it acts for.
    pub async fn as_front<T>(&self, address: IpAddr, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        let Some(source) = &self.front else {
            return request;
        };
        match source.token().await {
            Ok(token) => {
                let metadata = request.metadata_mut();
                if let Ok(value) = MetadataValue::try_from(format!("Bearer {token}")) {
                    metadata.insert("authorization", value);
                }
                if let Ok(value) = MetadataValue::try_from(address.to_string()) {
                    metadata.insert(CLIENT_ADDRESS, value);
                }
            }
            Err(error) => tracing::error!(%error, "the portal's service token was refused"),
        }
        request
    }

    pub fn identity(&self) -> IdentityServiceClient<Replicas> {
        IdentityServiceClient::new(self.identity.clone())
    }

    pub fn consultation(&self) -> ConsultationServiceClient<Replicas> {
        ConsultationServiceClient::new(self.consultation.clone())
    }

    pub fn training(&self) -> TrainingServiceClient<Replicas> {
        TrainingServiceClient::new(self.training.clone())
    }

    /// A consultation client reading a whole document in one message.
    pub fn consultation_documents(&self) -> ConsultationServiceClient<Replicas> {
        self.consultation()
            .max_decoding_message_size(self.document_message_bytes)
    }

    /// A training client reading a whole document in one message.
    pub fn training_documents(&self) -> TrainingServiceClient<Replicas> {
        self.training()
            .max_decoding_message_size(self.document_message_bytes)
    }

    pub fn reporting(&self) -> ReportingServiceClient<Replicas> {
        ReportingServiceClient::new(self.reporting.clone())
    }

    /// The notification service, when the region runs it.
    pub fn notification(&self) -> Option<NotificationServiceClient<Replicas>> {
        self.notification
            .as_ref()
            .map(|c| NotificationServiceClient::new(c.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tachawor_testkit::{answering_replica, dead_replica};
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

    /// Ten reads through the channel to `urls`, every one answered.
    async fn every_read_answered(urls: &str) {
        let channel = channel(urls, &ClientTlsSettings::default(), Duration::from_secs(2)).unwrap();
        let mut client = HealthClient::new(channel);
        for _ in 0..10 {
            client
                .check(HealthCheckRequest::default())
                .await
                .expect("a replica that is up answers every read");
        }
    }

    #[tokio::test]
    async fn calls_reach_replicas_listed_with_commas() {
        every_read_answered(&format!(
            "{}, {}",
            answering_replica().await,
            answering_replica().await
        ))
        .await;
    }

    #[tokio::test]
    async fn reads_are_answered_while_a_listed_replica_is_down() {
        every_read_answered(&format!(
            "{},{}",
            dead_replica().await,
            answering_replica().await
        ))
        .await;
    }

    #[tokio::test]
    async fn an_empty_address_list_is_refused() {
        let refused = channel(" , ", &ClientTlsSettings::default(), Duration::from_secs(1));
        assert!(refused.is_err());
    }
}
