//! Dates, JSON lists, links and the codes this service hands out.

use rand::Rng;
use tachawor_proto::common::Date;

pub use tachawor_errors::checks::is_uuid;
pub use tachawor_proto::dates::{date_str, millis, timestamp};

/// The date a `YYYY-MM-DD` text holds (zeros when it holds none).
pub fn date_from_str(s: &str) -> Date {
    tachawor_proto::dates::date_from_str(s).unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

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
