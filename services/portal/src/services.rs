//! The gRPC clients of the services a page reads from.
//!
//! Channels connect lazily and reconnect by themselves, so the portal starts and serves its
//! error pages even while a service is down. Every call carries a deadline. With `https://`
//! URLs the channels use mutual TLS (`services.tls`), as the services require in production.

use std::time::Duration;

use tachawor_proto::{
    consultation::consultation_service_client::ConsultationServiceClient,
    identity::identity_service_client::IdentityServiceClient,
    reporting::reporting_service_client::ReportingServiceClient,
    training::training_service_client::TrainingServiceClient,
};
use tachawor_server::ClientTlsSettings;
use tonic::transport::Channel;

use crate::settings::ServiceUrls;

#[derive(Clone, Debug)]
pub struct Services {
    identity: Channel,
    consultation: Channel,
    training: Channel,
    reporting: Channel,
}

fn channel(url: &str, tls: &ClientTlsSettings, timeout: Duration) -> anyhow::Result<Channel> {
    Ok(tachawor_server::endpoint(url, tls)
        .map_err(|e| anyhow::anyhow!("service URL {url}: {e}"))?
        .timeout(timeout)
        .connect_timeout(timeout)
        .tcp_nodelay(true)
        .connect_lazy())
}

impl Services {
    pub fn connect(urls: &ServiceUrls) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(urls.call_timeout_ms);
        Ok(Self {
            identity: channel(&urls.identity_url, &urls.tls, timeout)?,
            consultation: channel(&urls.consultation_url, &urls.tls, timeout)?,
            training: channel(&urls.training_url, &urls.tls, timeout)?,
            reporting: channel(&urls.reporting_url, &urls.tls, timeout)?,
        })
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

    pub fn reporting(&self) -> ReportingServiceClient<Channel> {
        ReportingServiceClient::new(self.reporting.clone())
    }
}
