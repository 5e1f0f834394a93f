//! Input checks shared by several RPCs. Each returns whether the value is acceptable; callers
//! record violations with `tachawor_errors::Violations` so every bad field is reported at once.

pub use tachawor_errors::checks::{is_slug, is_uuid};
use tachawor_errors::{Error, Violations};

/// Ends a validation with the value it parsed. `value` is `None` only when its own check
/// failed, and that violation is in `v` (so every bad field is reported, in request order);
/// a missing value with no violation would be a bug in the caller, reported as internal
/// rather than a panic.
pub fn parsed<T>(v: Violations, value: Option<T>) -> Result<T, Error> {
    v.finish()?;
    value.ok_or_else(|| Error::internal(anyhow::anyhow!("a parsed value is missing")))
}

/// A plausible email address, already trimmed and lowercased by [`normalise_email`].
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && s.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

pub fn normalise_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Phone numbers are stored in E.164 form. Moroccan numbers written nationally (`06…`, `07…`,
/// `05…`) become `+212…`.
pub fn normalise_phone(s: &str) -> Option<String> {
    let compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let e164 = if let Some(rest) = compact.strip_prefix("00") {
        format!("+{rest}")
    } else if compact.starts_with('0') && compact.len() == 10 {
        format!("+212{}", &compact[1..])
    } else {
        compact
    };
    let digits = e164.strip_prefix('+')?;
    ((8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())).then_some(e164)
}

/// Whether an identifier given at login is an email (else it is treated as a phone).
pub fn looks_like_email(s: &str) -> bool {
    s.contains('@')
}

/// A consent purpose: a slug, or slugs joined by dots (`messages.email`).
pub fn is_purpose(s: &str) -> bool {
    s.len() <= 64 && s.split('.').all(is_slug)
}

pub fn is_display_name(s: &str) -> bool {
    let n = s.trim().chars().count();
    (2..=100).contains(&n) && !s.chars().any(char::is_control)
}

pub fn is_password(s: &str, min_length: usize) -> bool {
    let n = s.chars().count();
    n >= min_length && n <= 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_email("amina@example.ma"));
        assert!(!is_email("amina.example.ma"));
        assert!(!is_email("@example.ma"));
        assert!(!is_email("amina@localhost"));
        assert!(!is_email("a mina@example.ma"));
        assert_eq!(normalise_email("  Amina@Example.MA "), "amina@example.ma");
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalise_phone("06 12 34 56 78").as_deref(),
            Some("+212612345678")
        );
        assert_eq!(
            normalise_phone("+212 6-12-34-56-78").as_deref(),
            Some("+212612345678")
        );
        assert_eq!(
            normalise_phone("00212612345678").as_deref(),
            Some("+212612345678")
        );
        assert_eq!(normalise_phone("12345"), None);
        assert_eq!(normalise_phone("+2126123abc"), None);
    }

    #[test]
    fn names_passwords_slugs() {
        assert!(is_display_name("Amina"));
        assert!(is_display_name("أمينة"));
        assert!(!is_display_name("A"));
        assert!(is_password("0123456789", 10));
        assert!(!is_password("012345678", 10));
        assert!(is_slug("statistics"));
        assert!(!is_slug("Statistics"));
        assert!(!is_slug(""));
        assert!(is_purpose("statistics"));
        assert!(is_purpose("messages.email"));
        assert!(!is_purpose("messages..email"));
        assert!(!is_purpose(".messages"));
        assert!(!is_purpose("Messages.Email"));
    }
}
