//! The Regional Forum's date rules: an edition's year and its days.

/// Years an edition may bear.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

/// An edition's first and last days (`YYYY-MM-DD`), the last not before the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionDates {
    pub starts_on: String,
    pub ends_on: String,
}

impl EditionDates {
    /// Both days, given as valid dates, in order; `None` otherwise.
    pub fn parse(starts_on: Option<String>, ends_on: Option<String>) -> Option<EditionDates> {
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if ends_on >= starts_on => {
                Some(EditionDates { starts_on, ends_on })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edition_ends_on_or_after_its_first_day() {
        let d = |s: &str| Some(s.to_string());
        assert_eq!(
            EditionDates::parse(d("2026-05-01"), d("2026-05-01")),
            Some(EditionDates {
                starts_on: "2026-05-01".into(),
                ends_on: "2026-05-01".into()
            })
        );
        assert!(EditionDates::parse(d("2026-05-02"), d("2026-05-01")).is_none());
        assert!(EditionDates::parse(None, d("2026-05-01")).is_none());
        assert!(EditionDates::parse(d("2026-05-01"), None).is_none());
        assert!(YEARS.contains(&2026));
        assert!(!YEARS.contains(&1999));
    }
}
