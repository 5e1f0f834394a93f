//! Every rule the identity service can refuse a request by, with its id and message.
//!
//! A rule error becomes `FAILED_PRECONDITION` naming the rule id (`Error::rule`); clients and
//! tests match on the id, so the ids here are part of the contract.

use super::association;

/// A refused request: the rule it broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// An account is verified once.
    AccountAlreadyVerified,
    /// Only what was verified is corrected.
    AccountNotVerified,
    /// A correction changes the residence.
    AccountResidenceUnchanged,
    /// An association cannot move between these statuses.
    AssociationTransition {
        from: association::Status,
        to: association::Status,
    },
    /// Gender, age band and province are shared only under the statistics consent.
    ConsentStatisticsRequired,
    /// A contact is verified once.
    ContactAlreadyVerified,
    /// Only a contact the account has can be verified.
    ContactMissing,
    /// A link or code is good once, for a while, for a few tries.
    ContactSecretInvalid,
    /// A change gives a new value.
    ContactUnchanged,
    /// A reset link or code is good once, for a while, for a few tries.
    PasswordResetInvalid,
    /// A member represents only a verified association.
    InstanceAssociationVerified,
    /// A membership ends once.
    InstanceMembershipEnded,
    /// An instance has one president at a time.
    InstanceOnePresident,
    /// An administrator keeps their own administrator role.
    RolesSelfDemotion,
}

impl tachawor_errors::DomainRule for Rule {
    /// The rule's id, as clients see it.
    fn id(&self) -> &'static str {
        match self {
            Rule::AccountAlreadyVerified => "account.already_verified",
            Rule::AccountNotVerified => "account.not_verified",
            Rule::AccountResidenceUnchanged => "account.residence_unchanged",
            Rule::AssociationTransition { .. } => "association.transition",
            Rule::ConsentStatisticsRequired => "consent.statistics_required",
            Rule::ContactAlreadyVerified => "contact.already_verified",
            Rule::ContactMissing => "contact.missing",
            Rule::ContactSecretInvalid => "contact.secret_invalid",
            Rule::ContactUnchanged => "contact.unchanged",
            Rule::PasswordResetInvalid => "password.reset_invalid",
            Rule::InstanceAssociationVerified => "instance.association_verified",
            Rule::InstanceMembershipEnded => "instance.membership_ended",
            Rule::InstanceOnePresident => "instance.one_president",
            Rule::RolesSelfDemotion => "roles.self_demotion",
        }
    }

    /// What the caller is told.
    fn message(&self) -> String {
        match self {
            Rule::AccountAlreadyVerified => "this account is already verified".into(),
            Rule::AccountNotVerified => "this account is not verified".into(),
            Rule::AccountResidenceUnchanged => {
                "this is already the residence province recorded".into()
            }
            Rule::AssociationTransition { from, to } => format!(
                "an association that is {} cannot become {}",
                from.as_sql(),
                to.as_sql()
            ),
            Rule::ConsentStatisticsRequired => {
                "record a \"statistics\" consent before sharing gender, age band or province".into()
            }
            Rule::ContactAlreadyVerified => "this contact is already verified".into(),
            Rule::ContactMissing => "this account has no such contact".into(),
            // Unknown, used, expired or out of tries: the caller is not told which.
            Rule::ContactSecretInvalid => {
                "this link or code is not valid; ask for a new one".into()
            }
            Rule::ContactUnchanged => "this is already the account's contact".into(),
            Rule::PasswordResetInvalid => {
                "this reset link or code is not valid; ask for a new one".into()
            }
            Rule::InstanceAssociationVerified => {
                "a member can only represent a verified association".into()
            }
            Rule::InstanceMembershipEnded => "this membership has already ended".into(),
            Rule::InstanceOnePresident => {
                "the instance already has a president; end that membership first".into()
            }
            Rule::RolesSelfDemotion => {
                "an administrator cannot remove their own administrator role".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tachawor_errors::DomainRule;

    use tachawor_errors::Error;

    use super::*;
    use association::Status;

    #[test]
    fn a_rule_becomes_the_rule_error_with_its_id_and_message() {
        let e = Error::from(Rule::AssociationTransition {
            from: Status::Pending,
            to: Status::Pending,
        });
        let Error::FailedPrecondition { rule, message } = e else {
            panic!("expected a rule error, got {e:?}");
        };
        assert_eq!(rule, "association.transition");
        assert_eq!(
            message,
            "an association that is pending cannot become pending"
        );
    }

    #[test]
    fn ids_are_distinct() {
        let all = [
            Rule::AccountAlreadyVerified,
            Rule::AccountNotVerified,
            Rule::AccountResidenceUnchanged,
            Rule::AssociationTransition {
                from: Status::Verified,
                to: Status::Verified,
            },
            Rule::ConsentStatisticsRequired,
            Rule::ContactAlreadyVerified,
            Rule::ContactMissing,
            Rule::ContactSecretInvalid,
            Rule::ContactUnchanged,
            Rule::PasswordResetInvalid,
            Rule::InstanceAssociationVerified,
            Rule::InstanceMembershipEnded,
            Rule::InstanceOnePresident,
            Rule::RolesSelfDemotion,
        ];
        let mut ids: Vec<_> = all.iter().map(Rule::id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
    }
}
