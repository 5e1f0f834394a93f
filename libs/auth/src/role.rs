//! The roles an account may hold, spelled as in the design, the proto and the token.

use std::fmt;
use std::str::FromStr;

use tachawor_proto::identity;

/// What an account may do. Council staff and administrators are granted; association
/// representative and instance member follow from representations and memberships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Citizen,
    AssociationRepresentative,
    InstanceMember,
    CouncilStaff,
    Administrator,
    /// Reads what staff read (figures, lists, audit logs) and acts on nothing.
    Observer,
}

/// A role name or proto value that names no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Citizen,
        Role::AssociationRepresentative,
        Role::InstanceMember,
        Role::CouncilStaff,
        Role::Administrator,
        Role::Observer,
    ];

    /// The name carried in tokens and used in SQL.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::AssociationRepresentative => "association_representative",
            Role::InstanceMember => "instance_member",
            Role::CouncilStaff => "council_staff",
            Role::Administrator => "administrator",
            Role::Observer => "observer",
        }
    }
}

/// Council staff and administrators: who creates and steers, in every service.
pub const STAFF: &[Role] = &[Role::CouncilStaff, Role::Administrator];

/// Who reads what staff read (figures, lists, audit logs): staff, and observers who act on
/// nothing.
pub const STAFF_READ: &[Role] = &[Role::CouncilStaff, Role::Administrator, Role::Observer];

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

impl From<Role> for identity::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Citizen => identity::Role::Citizen,
            Role::AssociationRepresentative => identity::Role::AssociationRepresentative,
            Role::InstanceMember => identity::Role::InstanceMember,
            Role::CouncilStaff => identity::Role::CouncilStaff,
            Role::Administrator => identity::Role::Administrator,
            Role::Observer => identity::Role::Observer,
        }
    }
}

impl From<Role> for i32 {
    fn from(role: Role) -> Self {
        identity::Role::from(role) as i32
    }
}

impl TryFrom<identity::Role> for Role {
    type Error = UnknownRole;

    fn try_from(role: identity::Role) -> Result<Self, Self::Error> {
        match role {
            identity::Role::Unspecified => Err(UnknownRole(role.as_str_name().to_string())),
            identity::Role::Citizen => Ok(Role::Citizen),
            identity::Role::AssociationRepresentative => Ok(Role::AssociationRepresentative),
            identity::Role::InstanceMember => Ok(Role::InstanceMember),
            identity::Role::CouncilStaff => Ok(Role::CouncilStaff),
            identity::Role::Administrator => Ok(Role::Administrator),
            identity::Role::Observer => Ok(Role::Observer),
        }
    }
}

/// From the `i32` a prost message field holds.
impl TryFrom<i32> for Role {
    type Error = UnknownRole;

    fn try_from(value: i32) -> Result<Self, Self::Error> {
        identity::Role::try_from(value)
            .map_err(|_| UnknownRole(value.to_string()))
            .and_then(Role::try_from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_the_design() {
        let names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            names,
            [
                "citizen",
                "association_representative",
                "instance_member",
                "council_staff",
                "administrator",
                "observer"
            ]
        );
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert!("Administrator".parse::<Role>().is_err());
        assert!("".parse::<Role>().is_err());
    }

    #[test]
    fn proto_values_round_trip_and_unspecified_is_refused() {
        for role in Role::ALL {
            let proto = identity::Role::from(role);
            assert_eq!(Role::try_from(proto), Ok(role));
            assert_eq!(Role::try_from(i32::from(role)), Ok(role));
        }
        assert_eq!(
            i32::from(Role::CouncilStaff),
            identity::Role::CouncilStaff as i32
        );
        assert!(Role::try_from(identity::Role::Unspecified).is_err());
        assert!(Role::try_from(0).is_err());
        assert!(Role::try_from(99).is_err());
    }
}
