//! Domain values and their spellings in SQL and in the contract.
//!
//! The database stores enums as lowercase words (`council_staff`, `verified`); these functions
//! are the one place that maps them to and from the protobuf enums.

use tachawor_proto::{
    common::{ActorKind, AgeBand, Date, Gender, Locale},
    identity::{AssociationStatus, MemberRole, Role},
};

/// Role spellings, shared with tokens' `roles` claim.
pub fn role_str(role: Role) -> Option<&'static str> {
    Some(match role {
        Role::Citizen => "citizen",
        Role::AssociationRepresentative => "association_representative",
        Role::InstanceMember => "instance_member",
        Role::CouncilStaff => "council_staff",
        Role::Administrator => "administrator",
        Role::Unspecified => return None,
    })
}

pub fn role_from_str(s: &str) -> Role {
    match s {
        "citizen" => Role::Citizen,
        "association_representative" => Role::AssociationRepresentative,
        "instance_member" => Role::InstanceMember,
        "council_staff" => Role::CouncilStaff,
        "administrator" => Role::Administrator,
        _ => Role::Unspecified,
    }
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

/// A valid calendar date as `YYYY-MM-DD` (sorts as text on both backends).
pub fn date_str(d: &Date) -> Option<String> {
    let days_in_month = match d.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&d.year) && (1..=days_in_month).contains(&d.day))
        .then(|| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
}

pub fn date_from_str(s: &str) -> Option<Date> {
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i32>().ok());
    Some(Date {
        year: parts.next()??,
        month: parts.next()??,
        day: parts.next()??,
    })
}

/// Today's date (UTC) from unix milliseconds, as `YYYY-MM-DD`.
pub fn date_of_millis(millis: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm): no calendar dependency for one conversion.
    let days = millis.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

pub fn timestamp(millis: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: millis.div_euclid(1000),
        nanos: i32::try_from(millis.rem_euclid(1000) * 1_000_000).unwrap_or(0),
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
    fn dates_are_checked() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(date_str(&d(2024, 2, 29)).as_deref(), Some("2024-02-29"));
        assert_eq!(date_str(&d(2023, 2, 29)), None);
        assert_eq!(date_str(&d(2025, 13, 1)), None);
        assert_eq!(date_str(&d(2025, 4, 31)), None);
        assert_eq!(date_from_str("2025-06-01"), Some(d(2025, 6, 1)));
    }

    #[test]
    fn millis_to_civil_date() {
        assert_eq!(date_of_millis(0), "1970-01-01");
        assert_eq!(date_of_millis(1_798_761_600_000), "2027-01-01");
        assert_eq!(date_of_millis(1_709_164_800_000), "2024-02-29");
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
