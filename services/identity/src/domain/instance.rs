//! The rules of a consultative instance's memberships.

use tachawor_proto::identity::{InstanceLevel, MemberRole};

use super::{association, rule::Rule};

/// A member's role as requested: a known role, never unspecified.
pub fn member_role(value: i32) -> Option<MemberRole> {
    MemberRole::try_from(value)
        .ok()
        .filter(|r| *r != MemberRole::Unspecified)
}

/// An instance's level as requested: unspecified only where `or` stands in for it.
pub fn level(value: i32, or: Option<InstanceLevel>) -> Option<InstanceLevel> {
    match InstanceLevel::try_from(value).ok()? {
        InstanceLevel::Unspecified => or,
        level => Some(level),
    }
}

/// The level's spelling in tables and events.
pub fn level_str(level: InstanceLevel) -> &'static str {
    match level {
        InstanceLevel::Provincial => "provincial",
        InstanceLevel::Communal => "communal",
        InstanceLevel::Regional | InstanceLevel::Unspecified => "regional",
    }
}

pub fn level_from_str(s: &str) -> InstanceLevel {
    match s {
        "provincial" => InstanceLevel::Provincial,
        "communal" => InstanceLevel::Communal,
        _ => InstanceLevel::Regional,
    }
}

/// What is wrong with `province_code` for an instance of `level`, given whether the region has
/// that province: provincial and communal instances sit in one of the region's provinces, a
/// regional one in none.
pub fn province_problem(
    level: InstanceLevel,
    province_code: &str,
    known: bool,
) -> Option<&'static str> {
    match level {
        InstanceLevel::Regional | InstanceLevel::Unspecified if !province_code.is_empty() => {
            Some("must be empty for a regional instance")
        }
        InstanceLevel::Provincial | InstanceLevel::Communal if province_code.is_empty() => {
            Some("is required for a provincial or communal instance")
        }
        InstanceLevel::Provincial | InstanceLevel::Communal if !known => {
            Some("is not a province of this region")
        }
        _ => None,
    }
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
    fn levels_are_spelled_and_default_only_where_asked() {
        for each in [
            InstanceLevel::Regional,
            InstanceLevel::Provincial,
            InstanceLevel::Communal,
        ] {
            assert_eq!(level_from_str(level_str(each)), each);
            assert_eq!(level(each as i32, None), Some(each));
        }
        assert_eq!(level(0, None), None);
        assert_eq!(
            level(0, Some(InstanceLevel::Regional)),
            Some(InstanceLevel::Regional)
        );
        assert_eq!(level(9, Some(InstanceLevel::Regional)), None);
    }

    #[test]
    fn provinces_go_with_provincial_and_communal_instances_only() {
        use InstanceLevel::*;
        assert_eq!(province_problem(Regional, "", false), None);
        assert!(province_problem(Regional, "tarfaya", true).is_some());
        for level in [Provincial, Communal] {
            assert_eq!(province_problem(level, "tarfaya", true), None);
            assert!(province_problem(level, "", false).is_some());
            assert!(province_problem(level, "atlantis", false).is_some());
        }
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
