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
use tachawor_server::ClientTlsSettings;
use tonic::{metadata::MetadataValue, transport::Channel};

use crate::{person::Session, settings::ServiceUrls};

#[derive(Clone, Debug)]
pub struct Services {
    identity: Channel,
    consultation: Channel,
    training: Channel,
    reporting: Channel,
    /// None when the region runs without the notification service.
    notification: Option<Channel>,
    /// The portal's own token, when it has credentials.
    front: Option<ServiceTokenSource>,
    /// The largest message a document download may be.
    document_message_bytes: usize,
}

/// A channel to one address, or spreading calls over several comma-separated ones (replicas
/// reached without a load-balancing Service in front of them).
fn channel(urls: &str, tls: &ClientTlsSettings, timeout: Duration) -> anyhow::Result<Channel> {
    let mut endpoints = urls
        .split(',')
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(|url| {
            Ok(tachawor_server::endpoint(url, tls)
                .map_err(|e| anyhow::anyhow!("service URL {url}: {e}"))?
                .timeout(timeout)
                .connect_timeout(timeout)
                .tcp_nodelay(true))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    match endpoints.len() {
        0 => anyhow::bail!("a service URL is empty"),
        1 => Ok(endpoints.remove(0).connect_lazy()),
        _ => Ok(Channel::balance_list(endpoints.into_iter())),
    }
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

    pub fn identity(&self) -> IdentityServiceClient<Channel> {
        IdentityServiceClient::new(self.identity.clone())
    }

    pub fn consultation(&self) -> ConsultationServiceClient<Channel> {
        ConsultationServiceClient::new(self.consultation.clone())
    }

    pub fn training(&self) -> TrainingServiceClient<Channel> {
        TrainingServiceClient::new(self.training.clone())
    }

    /// A consultation client reading a whole document in one message.
    pub fn consultation_documents(&self) -> ConsultationServiceClient<Channel> {
        self.consultation()
            .max_decoding_message_size(self.document_message_bytes)
    }

    /// A training client reading a whole document in one message.
    pub fn training_documents(&self) -> TrainingServiceClient<Channel> {
        self.training()
            .max_decoding_message_size(self.document_message_bytes)
    }

    pub fn reporting(&self) -> ReportingServiceClient<Channel> {
        ReportingServiceClient::new(self.reporting.clone())
    }

    /// The notification service, when the region runs it.
    pub fn notification(&self) -> Option<NotificationServiceClient<Channel>> {
        self.notification
            .as_ref()
            .map(|c| NotificationServiceClient::new(c.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

    /// A replica: a gRPC health server on a random port, its address.
    async fn replica() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_, health) = tonic_health::server::health_reporter();
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(health)
                .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
        );
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn calls_reach_replicas_listed_with_commas() {
        let urls = format!("{}, {}", replica().await, replica().await);
        let channel =
            channel(&urls, &ClientTlsSettings::default(), Duration::from_secs(2)).unwrap();
        let mut client = HealthClient::new(channel);
        for _ in 0..10 {
            client
                .check(HealthCheckRequest::default())
                .await
                .expect("a replica answers");
        }
    }

    #[tokio::test]
    async fn an_empty_address_list_is_refused() {
        let refused = channel(" , ", &ClientTlsSettings::default(), Duration::from_secs(1));
        assert!(refused.is_err());
    }
}
