//! Who may register: identity's `GetEligibility`, called with this service's token.
//!
//! The answer also gives the statistical attributes events carry (residence province, kind of
//! actor); identity has no name in it, by design.

use std::time::Duration;

use tachawor_auth::ServiceAuthChannel;
use tachawor_errors::Error;
use tachawor_proto::{
    common::ActorKind,
    identity::{
        AssociationStatus, GetEligibilityRequest, Role,
        identity_service_client::IdentityServiceClient,
    },
    training::Eligibility as Rule,
};
use tonic::transport::Channel;

/// Bounds one eligibility call, so a slow identity cannot hold registrations forever.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// What training keeps of an account's eligibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub account_id: String,
    pub active: bool,
    pub province_code: String,
    pub actor_kind: ActorKind,
    pub instance_member: bool,
    pub association_representative: bool,
}

impl Participant {
    /// Whether this person may register for a session open to `rule`.
    pub fn may_register(&self, rule: Rule) -> bool {
        self.active
            && match rule {
                Rule::Open | Rule::Unspecified => true,
                Rule::InstanceMembers => self.instance_member,
                Rule::AssociationRepresentatives => self.association_representative,
                Rule::CivilSociety => self.instance_member || self.association_representative,
            }
    }
}

/// Identity's internal API, behind a service token.
#[derive(Clone)]
pub struct Eligibility {
    client: IdentityServiceClient<ServiceAuthChannel<Channel>>,
}

impl Eligibility {
    pub fn new(channel: ServiceAuthChannel<Channel>) -> Self {
        Self {
            client: IdentityServiceClient::new(channel),
        }
    }

    pub async fn of(&self, account_id: &str) -> Result<Participant, Error> {
        let mut client = self.client.clone();
        let call = client.get_eligibility(GetEligibilityRequest {
            account_id: account_id.to_string(),
        });
        let answer = match tokio::time::timeout(CALL_TIMEOUT, call).await {
            Ok(Ok(answer)) => answer.into_inner(),
            Ok(Err(status)) if status.code() == tonic::Code::NotFound => {
                return Err(Error::Unauthenticated(
                    "this account no longer exists".into(),
                ));
            }
            Ok(Err(status)) => {
                tracing::warn!(code = ?status.code(), "eligibility unavailable");
                return Err(Error::Unavailable(
                    "identity could not be asked about eligibility, retry later".into(),
                ));
            }
            Err(_) => {
                return Err(Error::Unavailable(
                    "identity did not answer about eligibility in time, retry later".into(),
                ));
            }
        };
        let has = |role: Role| answer.roles.contains(&(role as i32));
        Ok(Participant {
            account_id: answer.account_id,
            active: answer.active,
            province_code: answer.residence_province_code,
            actor_kind: ActorKind::try_from(answer.actor_kind).unwrap_or(ActorKind::Unspecified),
            instance_member: !answer.memberships.is_empty() || has(Role::InstanceMember),
            association_representative: answer
                .associations
                .iter()
                .any(|a| a.status != AssociationStatus::Suspended as i32),
        })
    }
}
