//! Who takes part: the caller's eligibility from identity, reduced to what rules and events
//! need (residence province, kind of actor, associations represented, instances sat on).

use tachawor_auth::AccountCaller;
use tachawor_errors::Error;
use tachawor_proto::identity::{AssociationEligibility, AssociationStatus, GetEligibilityResponse};

use crate::context::{Call, Context};

pub(crate) struct Participant {
    pub caller: AccountCaller,
    pub eligibility: GetEligibilityResponse,
}

impl Participant {
    /// The signed-in caller and what identity says of them now. A deleted account is refused
    /// even while its last token lives, so nothing new is written under it after its erasure.
    pub async fn of(ctx: &Context, call: &Call) -> Result<Self, Error> {
        let caller = call.account()?;
        let eligibility = ctx.identity.get(&caller.account_id).await?;
        if !eligibility.active {
            return Err(Error::Unauthenticated(
                "this account no longer exists".into(),
            ));
        }
        Ok(Self {
            caller,
            eligibility,
        })
    }

    pub fn id(&self) -> &str {
        &self.caller.account_id
    }

    pub fn province(&self) -> &str {
        &self.eligibility.residence_province_code
    }

    pub fn actor_kind(&self) -> i32 {
        self.eligibility.actor_kind
    }

    /// A representative of `association_id`, verified by staff (a pending or suspended
    /// association confers nothing).
    pub fn represents(&self, association_id: &str) -> bool {
        self.verified_associations()
            .any(|a| a.association_id == association_id)
    }

    /// A representative of at least one verified association.
    pub fn represents_any(&self) -> bool {
        self.verified_associations().next().is_some()
    }

    fn verified_associations(&self) -> impl Iterator<Item = &AssociationEligibility> {
        self.eligibility
            .associations
            .iter()
            .filter(|a| a.status == AssociationStatus::Verified as i32)
    }

    /// A member of `instance_id` (from identity's memberships, or the token's scope).
    pub fn sits_on(&self, instance_id: &str) -> bool {
        self.eligibility
            .memberships
            .iter()
            .any(|m| m.instance_id == instance_id)
            || self
                .caller
                .has_scope(&tachawor_auth::instance_scope(instance_id))
    }

    /// A member of `instance_id` today by identity's memberships alone: what a vote needs,
    /// since a token keeps the scope of a membership ended since it was issued.
    pub fn member_now(&self, instance_id: &str) -> bool {
        self.eligibility
            .memberships
            .iter()
            .any(|m| m.instance_id == instance_id)
    }

    pub fn sits_on_any(&self) -> bool {
        !self.eligibility.memberships.is_empty()
    }
}
