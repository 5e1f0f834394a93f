//! Domain values and their spellings in SQL and in the contract, and the rules of each
//! aggregate.
//!
//! The database stores enums as lowercase words (`council_staff`, `verified`); these functions
//! are the one place that maps them to and from the protobuf enums. The submodules hold each
//! aggregate's statuses and rules, free of the database so they are tested on their own:
//! [`account`], [`association`], [`instance`], and [`rule`], everything the service refuses.

pub mod account;
pub mod association;
pub mod contact;
pub mod instance;
pub mod rule;

pub use tachawor_proto::dates::{date_from_str, date_str, timestamp};
use tachawor_proto::{
    common::{ActorKind, AgeBand, Gender, Locale},
    identity::{AssociationStatus, MemberRole, Role},
};

/// Role spellings, shared with tokens' `roles` claim (the auth library owns them).
pub fn role_str(role: Role) -> Option<&'static str> {
    tachawor_auth::Role::try_from(role)
        .ok()
        .map(tachawor_auth::Role::as_str)
}

pub fn role_from_str(s: &str) -> Role {
    s.parse::<tachawor_auth::Role>()
        .map(Role::from)
        .unwrap_or(Role::Unspecified)
}

/// Roles that are granted; the others follow from representations and memberships.
pub fn is_grantable(role: Role) -> bool {
    matches!(
        role,
        Role::Citizen | Role::CouncilStaff | Role::Administrator
    )
}

/// The kind of actor an account counts as in statistics, from its roles.
pub fn actor_kind(roles: &[Role]) -> ActorKind {
    if roles.contains(&Role::CouncilStaff) || roles.contains(&Role::Administrator) {
        ActorKind::CouncilStaff
    } else if roles.contains(&Role::InstanceMember) {
        ActorKind::InstanceMember
    } else if roles.contains(&Role::AssociationRepresentative) {
        ActorKind::AssociationRepresentative
    } else {
        ActorKind::Citizen
    }
}

pub fn locale_str(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "fr",
        Locale::En => "en",
        // Arabic is the default.
        Locale::Ar | Locale::Unspecified => "ar",
    }
}

pub fn locale_from_str(s: &str) -> Locale {
    match s {
        "fr" => Locale::Fr,
        "en" => Locale::En,
        _ => Locale::Ar,
    }
}

pub fn gender_str(g: Gender) -> Option<&'static str> {
    match g {
        Gender::Female => Some("female"),
        Gender::Male => Some("male"),
        Gender::Unspecified => None,
    }
}

pub fn gender_from_str(s: Option<&str>) -> Gender {
    match s {
        Some("female") => Gender::Female,
        Some("male") => Gender::Male,
        _ => Gender::Unspecified,
    }
}

pub fn age_band_str(a: AgeBand) -> Option<&'static str> {
    Some(match a {
        AgeBand::Under18 => "under_18",
        AgeBand::AgeBand1824 => "18_24",
        AgeBand::AgeBand2534 => "25_34",
        AgeBand::AgeBand3544 => "35_44",
        AgeBand::AgeBand4554 => "45_54",
        AgeBand::AgeBand5564 => "55_64",
        AgeBand::AgeBand65Plus => "65_plus",
        AgeBand::Unspecified => return None,
    })
}

pub fn age_band_from_str(s: Option<&str>) -> AgeBand {
    match s {
        Some("under_18") => AgeBand::Under18,
        Some("18_24") => AgeBand::AgeBand1824,
        Some("25_34") => AgeBand::AgeBand2534,
        Some("35_44") => AgeBand::AgeBand3544,
        Some("45_54") => AgeBand::AgeBand4554,
        Some("55_64") => AgeBand::AgeBand5564,
        Some("65_plus") => AgeBand::AgeBand65Plus,
        _ => AgeBand::Unspecified,
    }
}

pub fn association_status_str(s: AssociationStatus) -> Option<&'static str> {
    Some(match s {
        AssociationStatus::Pending => "pending",
        AssociationStatus::Verified => "verified",
        AssociationStatus::Suspended => "suspended",
        AssociationStatus::Unspecified => return None,
    })
}

pub fn association_status_from_str(s: &str) -> AssociationStatus {
    match s {
        "pending" => AssociationStatus::Pending,
        "verified" => AssociationStatus::Verified,
        "suspended" => AssociationStatus::Suspended,
        _ => AssociationStatus::Unspecified,
    }
}

pub fn member_role_str(r: MemberRole) -> Option<&'static str> {
    Some(match r {
        MemberRole::President => "president",
        MemberRole::VicePresident => "vice_president",
        MemberRole::Rapporteur => "rapporteur",
        MemberRole::Member => "member",
        MemberRole::Unspecified => return None,
    })
}

pub fn member_role_from_str(s: &str) -> MemberRole {
    match s {
        "president" => MemberRole::President,
        "vice_president" => MemberRole::VicePresident,
        "rapporteur" => MemberRole::Rapporteur,
        "member" => MemberRole::Member,
        _ => MemberRole::Unspecified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_spellings() {
        for r in [
            Role::Citizen,
            Role::AssociationRepresentative,
            Role::InstanceMember,
            Role::CouncilStaff,
            Role::Administrator,
        ] {
            assert_eq!(role_from_str(role_str(r).unwrap()), r);
        }
        for a in [
            AgeBand::Under18,
            AgeBand::AgeBand3544,
            AgeBand::AgeBand65Plus,
        ] {
            assert_eq!(age_band_from_str(age_band_str(a)), a);
        }
        for m in [MemberRole::President, MemberRole::Rapporteur] {
            assert_eq!(member_role_from_str(member_role_str(m).unwrap()), m);
        }
        assert_eq!(locale_str(Locale::Unspecified), "ar");
    }

    #[test]
    fn actor_kind_prefers_the_most_specific_role() {
        assert_eq!(actor_kind(&[Role::Citizen]), ActorKind::Citizen);
        assert_eq!(
            actor_kind(&[Role::Citizen, Role::AssociationRepresentative]),
            ActorKind::AssociationRepresentative
        );
        assert_eq!(
            actor_kind(&[Role::AssociationRepresentative, Role::InstanceMember]),
            ActorKind::InstanceMember
        );
    }
}
