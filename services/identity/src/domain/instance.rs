//! The rules of a consultative instance's memberships.

use tachawor_proto::identity::MemberRole;

use super::{association, rule::Rule};

/// A member's role as requested: a known role, never unspecified.
pub fn member_role(value: i32) -> Option<MemberRole> {
    MemberRole::try_from(value)
        .ok()
        .filter(|r| *r != MemberRole::Unspecified)
}

/// Whether a new membership with `role` must check for a sitting holder: an instance has one
/// president at a time.
pub fn is_sole(role: MemberRole) -> bool {
    role == MemberRole::President
}

/// A new membership with `role`, given whether its sole holder is already sitting.
pub fn check_one_president(role: MemberRole, holder_sitting: bool) -> Result<(), Rule> {
    if is_sole(role) && holder_sitting {
        Err(Rule::InstanceOnePresident)
    } else {
        Ok(())
    }
}

/// A member who represents an association represents a verified one.
pub fn check_represented(association: Option<association::Status>) -> Result<(), Rule> {
    if association == Some(association::Status::Verified) {
        Ok(())
    } else {
        Err(Rule::InstanceAssociationVerified)
    }
}

/// A membership ends once: `ended_on` is when it ended, if it has.
pub fn check_can_end(ended_on: Option<&str>) -> Result<(), Rule> {
    match ended_on {
        Some(_) => Err(Rule::InstanceMembershipEnded),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use association::Status;

    #[test]
    fn roles_must_be_known_and_specified() {
        assert_eq!(
            member_role(MemberRole::President as i32),
            Some(MemberRole::President)
        );
        assert_eq!(
            member_role(MemberRole::Member as i32),
            Some(MemberRole::Member)
        );
        assert_eq!(member_role(MemberRole::Unspecified as i32), None);
        assert_eq!(member_role(99), None);
    }

    #[test]
    fn one_president_at_a_time() {
        assert_eq!(check_one_president(MemberRole::President, false), Ok(()));
        assert_eq!(
            check_one_president(MemberRole::President, true),
            Err(Rule::InstanceOnePresident)
        );
        assert_eq!(check_one_president(MemberRole::Member, true), Ok(()));
        assert!(is_sole(MemberRole::President));
        assert!(!is_sole(MemberRole::VicePresident));
    }

    #[test]
    fn members_represent_only_verified_associations() {
        assert_eq!(check_represented(Some(Status::Verified)), Ok(()));
        for refused in [Some(Status::Pending), Some(Status::Suspended), None] {
            assert_eq!(
                check_represented(refused),
                Err(Rule::InstanceAssociationVerified)
            );
        }
    }

    #[test]
    fn a_membership_ends_once() {
        assert_eq!(check_can_end(None), Ok(()));
        assert_eq!(
            check_can_end(Some("2026-01-31")),
            Err(Rule::InstanceMembershipEnded)
        );
    }
}
