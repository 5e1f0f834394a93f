//! The rules of an account: its status, verification, granted roles and statistics consent.

use tachawor_proto::identity::Role;

use super::rule::Rule;

/// The consent purpose under which the statistical profile is stored.
pub const STATISTICS_PURPOSE: &str = "statistics";

/// Whether an account can still be used; a deleted one keeps only its pseudonymous id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Deleted,
}

impl Status {
    pub fn as_sql(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Deleted => "deleted",
        }
    }

    /// The stored status; `None` for a spelling this version does not know.
    pub fn from_sql(s: &str) -> Option<Status> {
        match s {
            "active" => Some(Status::Active),
            "deleted" => Some(Status::Deleted),
            _ => None,
        }
    }
}

/// An account is verified once.
pub fn check_unverified(verified: bool) -> Result<(), Rule> {
    if verified {
        Err(Rule::AccountAlreadyVerified)
    } else {
        Ok(())
    }
}

/// A residence is corrected on a verified account only (it was checked with the CIN), and to
/// another province than the one recorded.
pub fn check_residence_correction(
    verified: bool,
    recorded: Option<&str>,
    corrected: Option<&str>,
) -> Result<(), Rule> {
    if !verified {
        Err(Rule::AccountNotVerified)
    } else if recorded == corrected {
        Err(Rule::AccountResidenceUnchanged)
    } else {
        Ok(())
    }
}

/// The roles `caller_id` grants `account_id`: an administrator cannot drop their own
/// administrator role (there would be nobody left to give it back).
pub fn check_granted_roles(caller_id: &str, account_id: &str, roles: &[Role]) -> Result<(), Rule> {
    if caller_id == account_id && !roles.contains(&Role::Administrator) {
        Err(Rule::RolesSelfDemotion)
    } else {
        Ok(())
    }
}

/// Gender, age band and province are shared only by an account that consented to statistics.
pub fn check_profile_shared(shares_profile: bool, consented: bool) -> Result<(), Rule> {
    if shares_profile && !consented {
        Err(Rule::ConsentStatisticsRequired)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_spellings() {
        for s in [Status::Active, Status::Deleted] {
            assert_eq!(Status::from_sql(s.as_sql()), Some(s));
        }
        assert_eq!(Status::from_sql("frozen"), None);
    }

    #[test]
    fn an_account_is_verified_once() {
        assert_eq!(check_unverified(false), Ok(()));
        assert_eq!(check_unverified(true), Err(Rule::AccountAlreadyVerified));
    }

    #[test]
    fn a_verified_residence_is_corrected_to_another_province() {
        let fix = check_residence_correction;
        assert_eq!(fix(true, Some("laayoune"), Some("tarfaya")), Ok(()));
        assert_eq!(fix(true, None, Some("tarfaya")), Ok(()));
        assert_eq!(fix(true, Some("laayoune"), None), Ok(()));
        assert_eq!(
            fix(false, None, Some("tarfaya")),
            Err(Rule::AccountNotVerified)
        );
        assert_eq!(
            fix(true, Some("tarfaya"), Some("tarfaya")),
            Err(Rule::AccountResidenceUnchanged)
        );
    }

    #[test]
    fn administrators_keep_their_own_administrator_role() {
        let admin = [Role::Citizen, Role::Administrator];
        let staff = [Role::CouncilStaff];
        assert_eq!(check_granted_roles("a", "a", &admin), Ok(()));
        assert_eq!(
            check_granted_roles("a", "a", &staff),
            Err(Rule::RolesSelfDemotion)
        );
        assert_eq!(check_granted_roles("a", "b", &staff), Ok(()));
    }

    #[test]
    fn the_profile_needs_the_statistics_consent() {
        assert_eq!(check_profile_shared(true, true), Ok(()));
        assert_eq!(check_profile_shared(false, false), Ok(()));
        assert_eq!(
            check_profile_shared(true, false),
            Err(Rule::ConsentStatisticsRequired)
        );
    }
}
