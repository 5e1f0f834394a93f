//! Who may register: identity's `GetEligibility`, called with this service's token.
//!
//! The answer also gives the statistical attributes events carry (residence province, kind of
//! actor); identity has no name in it, by design. The one name training asks for, apart, is the
//! verified legal name printed on a certificate.

use tachawor_auth::EligibilityClient;
use tachawor_errors::Error;
use tachawor_proto::{
    common::ActorKind,
    identity::{AssociationStatus, Role},
    training::Eligibility as Rule,
};

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

/// Identity's internal API, behind this service's token.
#[derive(Clone)]
pub struct Eligibility {
    client: EligibilityClient,
}

impl Eligibility {
    pub fn new(client: EligibilityClient) -> Self {
        Self { client }
    }

    /// The legal name identity recorded at verification, for a certificate; empty if none.
    pub async fn verified_name(&self, account_id: &str) -> Result<String, Error> {
        self.client.verified_name(account_id).await
    }

    pub async fn of(&self, account_id: &str) -> Result<Participant, Error> {
        let answer = self.client.get(account_id).await?;
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
                .any(|a| a.status == AssociationStatus::Verified as i32),
        })
    }
}
