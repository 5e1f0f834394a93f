//! Domain values and their spellings in SQL and in the contract, dates and the venue's day.
//!
//! The database stores enums as lowercase words (`training_session`, `waitlisted`); these
//! functions are the one place that maps them to and from the protobuf enums.

use rand::Rng;
use tachawor_proto::{
    common::Date,
    training::{Audience, Eligibility, RegistrationStatus, SessionKind, SessionStatus},
};

pub fn audience_str(a: Audience) -> Option<&'static str> {
    Some(match a {
        Audience::InstanceMembers => "instance_members",
        Audience::Associations => "associations",
        Audience::Youth => "youth",
        Audience::Women => "women",
        Audience::Staff => "staff",
        Audience::Public => "public",
        Audience::Unspecified => return None,
    })
}

pub fn audience_from_str(s: &str) -> Audience {
    match s {
        "instance_members" => Audience::InstanceMembers,
        "associations" => Audience::Associations,
        "youth" => Audience::Youth,
        "women" => Audience::Women,
        "staff" => Audience::Staff,
        "public" => Audience::Public,
        _ => Audience::Unspecified,
    }
}

pub fn kind_str(k: SessionKind) -> Option<&'static str> {
    Some(match k {
        SessionKind::TrainingSession => "training_session",
        SessionKind::RegionalMeeting => "regional_meeting",
        SessionKind::Forum => "forum",
        SessionKind::Unspecified => return None,
    })
}

pub fn kind_from_str(s: &str) -> SessionKind {
    match s {
        "training_session" => SessionKind::TrainingSession,
        "regional_meeting" => SessionKind::RegionalMeeting,
        "forum" => SessionKind::Forum,
        _ => SessionKind::Unspecified,
    }
}

pub fn eligibility_str(e: Eligibility) -> Option<&'static str> {
    Some(match e {
        Eligibility::Open => "open",
        Eligibility::InstanceMembers => "instance_members",
        Eligibility::AssociationRepresentatives => "association_representatives",
        Eligibility::CivilSociety => "civil_society",
        Eligibility::Unspecified => return None,
    })
}

pub fn eligibility_from_str(s: &str) -> Eligibility {
    match s {
        "open" => Eligibility::Open,
        "instance_members" => Eligibility::InstanceMembers,
        "association_representatives" => Eligibility::AssociationRepresentatives,
        "civil_society" => Eligibility::CivilSociety,
        _ => Eligibility::Unspecified,
    }
}

pub fn session_status_str(s: SessionStatus) -> Option<&'static str> {
    Some(match s {
        SessionStatus::Scheduled => "scheduled",
        SessionStatus::Held => "held",
        SessionStatus::Cancelled => "cancelled",
        SessionStatus::Unspecified => return None,
    })
}

pub fn session_status_from_str(s: &str) -> SessionStatus {
    match s {
        "scheduled" => SessionStatus::Scheduled,
        "held" => SessionStatus::Held,
        "cancelled" => SessionStatus::Cancelled,
        _ => SessionStatus::Unspecified,
    }
}

pub const CONFIRMED: &str = "confirmed";
pub const WAITLISTED: &str = "waitlisted";
pub const CANCELLED: &str = "cancelled";

pub fn registration_status_str(s: RegistrationStatus) -> Option<&'static str> {
    Some(match s {
        RegistrationStatus::Confirmed => CONFIRMED,
        RegistrationStatus::Waitlisted => WAITLISTED,
        RegistrationStatus::Cancelled => CANCELLED,
        RegistrationStatus::Unspecified => return None,
    })
}

pub fn registration_status_from_str(s: &str) -> RegistrationStatus {
    match s {
        CONFIRMED => RegistrationStatus::Confirmed,
        WAITLISTED => RegistrationStatus::Waitlisted,
        CANCELLED => RegistrationStatus::Cancelled,
        _ => RegistrationStatus::Unspecified,
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
    ((2000..=2200).contains(&d.year) && (1..=days_in_month).contains(&d.day))
        .then(|| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
}

pub fn date_from_str(s: &str) -> Date {
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i32>().unwrap_or(0));
    Date {
        year: parts.next().unwrap_or(0),
        month: parts.next().unwrap_or(0),
        day: parts.next().unwrap_or(0),
    }
}

/// The calendar day at `millis` in a zone `offset_minutes` from UTC, as `YYYY-MM-DD`.
pub fn local_day(millis: i64, offset_minutes: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm): no calendar dependency for one conversion.
    let days = (millis + offset_minutes * 60_000).div_euclid(86_400_000);
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

pub fn millis(t: &prost_types::Timestamp) -> i64 {
    t.seconds
        .saturating_mul(1000)
        .saturating_add(i64::from(t.nanos) / 1_000_000)
}

pub fn to_json(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}

pub fn from_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// A check-in code: 6 digits.
pub fn check_in_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// A certificate's public verification code: 15 characters from an alphabet without look-alikes,
/// in groups of five (about 75 bits).
pub fn verification_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..15)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether `url` is an http(s) link without spaces.
pub fn is_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > 10
        && url.len() <= 500
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::try_parse(s).is_ok() && s.len() == 36
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_days_follow_the_offset() {
        // 2026-01-01T23:30:00Z is already 2 January at UTC+1.
        let millis = 1_767_310_200_000;
        assert_eq!(local_day(millis, 0), "2026-01-01");
        assert_eq!(local_day(millis, 60), "2026-01-02");
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            date_str(&Date {
                year: 2026,
                month: 2,
                day: 28
            })
            .as_deref(),
            Some("2026-02-28")
        );
        assert!(
            date_str(&Date {
                year: 2026,
                month: 2,
                day: 29
            })
            .is_none()
        );
        assert!(date_str(&Date::default()).is_none());
        assert_eq!(
            date_from_str("2026-03-04"),
            Date {
                year: 2026,
                month: 3,
                day: 4
            }
        );
    }

    #[test]
    fn codes_have_their_shape() {
        let code = check_in_code();
        assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));
        let v = verification_code();
        assert_eq!(v.len(), 17);
        assert_eq!(v.matches('-').count(), 2);
    }
}
