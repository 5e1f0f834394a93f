//! Small input checks every service uses with [`crate::Violations`].

/// A UUID in any of its usual spellings.
pub fn is_uuid(s: &str) -> bool {
    s.len() <= 45 && uuid_like(s)
}

fn uuid_like(s: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    hex.len() == 32
        && hex.chars().all(|c| c.is_ascii_hexdigit())
        && (s.len() == 32 || (s.len() == 36 && [8, 13, 18, 23].iter().all(|&i| &s[i..=i] == "-")))
}

/// An identifier of any aggregate: UUIDs and key ids.
pub fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Short machine words: consent purposes, kinds, fields of activity.
pub fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Text a person wrote: within `min..=max` characters once trimmed, with no control characters
/// but line breaks and tabs.
pub fn is_text(s: &str, min: usize, max: usize) -> bool {
    let n = s.trim().chars().count();
    (min..=max).contains(&n)
        && !s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// An idempotency key: empty (none) or up to 64 printable ASCII characters.
pub fn is_idempotency_key(s: &str) -> bool {
    s.len() <= 64 && s.chars().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("0192f3a4-5b6c-7d8e-9f00-112233445566"));
        assert!(is_uuid("0192f3a45b6c7d8e9f00112233445566"));
        assert!(!is_uuid("0192f3a4-5b6c-7d8e-9f00-11223344556"));
        assert!(!is_uuid("not-a-uuid"));
        assert!(!is_uuid("0192f3a4-5b6c-7d8e-9f00-11223344556g"));
    }

    #[test]
    fn ids_slugs_texts_keys() {
        assert!(is_id("abc_DEF-123"));
        assert!(!is_id("%%"));
        assert!(is_slug("statistics"));
        assert!(!is_slug("Statistics"));
        assert!(is_text("  hello\nworld ", 2, 20));
        assert!(!is_text("a\u{0007}b", 1, 20));
        assert!(!is_text(" ", 1, 20));
        assert!(is_idempotency_key(""));
        assert!(is_idempotency_key("retry-7f3a"));
        assert!(!is_idempotency_key("has space"));
    }
}
