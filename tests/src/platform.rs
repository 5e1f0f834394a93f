//! Where the services listen, how the administrator signs in, and the clock they share.

use std::sync::Arc;

use tachawor_proto::{
    consultation::consultation_service_client::ConsultationServiceClient,
    identity::identity_service_client::IdentityServiceClient,
    notification::notification_service_client::NotificationServiceClient,
    reporting::reporting_service_client::ReportingServiceClient,
    training::training_service_client::TrainingServiceClient,
};
use tachawor_storage::{Clock, ManualClock};
use tachawor_testkit::Bearer;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

type Authed = InterceptedService<Channel, Bearer>;
pub type IdentityClient = IdentityServiceClient<Authed>;
pub type ConsultationClient = ConsultationServiceClient<Authed>;
pub type TrainingClient = TrainingServiceClient<Authed>;
pub type ReportingClient = ReportingServiceClient<Authed>;
pub type NotificationClient = NotificationServiceClient<Authed>;

/// A running platform, however it was started.
pub struct Platform {
    pub identity: Channel,
    pub consultation: Channel,
    pub training: Channel,
    pub reporting: Channel,
    pub notification: Channel,
    /// The web portal, reading from the services above.
    pub portal: std::net::SocketAddr,
    pub admin_email: String,
    pub admin_password: String,
    /// The clock the services read.
    pub clock: Arc<dyn Clock>,
    /// The same clock when the test may move it.
    pub manual: Option<ManualClock>,
}

impl Platform {
    pub fn identity_as(&self, token: &str) -> IdentityClient {
        IdentityServiceClient::with_interceptor(self.identity.clone(), bearer(token))
    }

    pub fn consultation_as(&self, token: &str) -> ConsultationClient {
        ConsultationServiceClient::with_interceptor(self.consultation.clone(), bearer(token))
    }

    pub fn training_as(&self, token: &str) -> TrainingClient {
        TrainingServiceClient::with_interceptor(self.training.clone(), bearer(token))
    }

    pub fn reporting_as(&self, token: &str) -> ReportingClient {
        ReportingServiceClient::with_interceptor(self.reporting.clone(), bearer(token))
    }

    pub fn notification_as(&self, token: &str) -> NotificationClient {
        NotificationServiceClient::with_interceptor(self.notification.clone(), bearer(token))
    }

    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    /// Brings a shared manual clock forward to today (never back). The portal judges what is
    /// open, and how long a session cookie lives, by its own clock: the services' must agree.
    pub fn clock_to_today(&self) {
        if let Some(clock) = &self.manual {
            let today = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_millis();
            clock.set(
                i64::try_from(today)
                    .expect("a time in range")
                    .max(self.now()),
            );
        }
    }

    /// The UTC month (`YYYY-MM`) of now, as reporting files what happens now.
    pub fn month(&self) -> String {
        tachawor_proto::dates::date_of_millis(self.now())[..7].to_string()
    }
}

/// No token when empty.
fn bearer(token: &str) -> Bearer {
    if token.is_empty() {
        Bearer::default()
    } else {
        Bearer::new(token)
    }
}
