//! Spellings of the statistical attributes and months, as stored and shown.

use tachawor_proto::common::{ActorKind, AgeBand, Gender};

/// `GENDER_FEMALE` → `female`; unspecified → `None`.
fn spelled(name: &str, prefix: &str) -> Option<String> {
    let rest = name.strip_prefix(prefix)?;
    (rest != "UNSPECIFIED").then(|| rest.to_ascii_lowercase())
}

pub(crate) fn gender(value: i32) -> Option<String> {
    Gender::try_from(value)
        .ok()
        .and_then(|g| spelled(g.as_str_name(), "GENDER_"))
}

pub(crate) fn age_band(value: i32) -> Option<String> {
    AgeBand::try_from(value)
        .ok()
        .and_then(|a| spelled(a.as_str_name(), "AGE_BAND_"))
}

pub(crate) fn actor_kind(value: i32) -> Option<String> {
    ActorKind::try_from(value)
        .ok()
        .and_then(|a| spelled(a.as_str_name(), "ACTOR_KIND_"))
}

/// `None` for an empty string.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The UTC month of an instant, `YYYY-MM`.
pub(crate) fn month_of_millis(millis: i64) -> String {
    tachawor_proto::dates::date_of_millis(millis)[..7].to_string()
}

/// `YYYY-MM` with a real month.
pub(crate) fn is_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(s[5..].parse::<u32>(), Ok(1..=12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(gender(Gender::Female as i32).as_deref(), Some("female"));
        assert_eq!(gender(0), None);
        assert_eq!(
            age_band(AgeBand::AgeBand1824 as i32).as_deref(),
            Some("18_24")
        );
        assert_eq!(
            age_band(AgeBand::AgeBand65Plus as i32).as_deref(),
            Some("65_plus")
        );
        assert_eq!(
            actor_kind(ActorKind::AssociationRepresentative as i32).as_deref(),
            Some("association_representative")
        );
        assert_eq!(actor_kind(99), None);
    }

    #[test]
    fn months() {
        assert_eq!(month_of_millis(0), "1970-01");
        assert!(is_month("2026-12"));
        assert!(!is_month("2026-13"));
        assert!(!is_month("2026-1"));
        assert!(!is_month("26-12-1"));
    }
}
