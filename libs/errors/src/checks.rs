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

/// Tamazight as Morocco writes it: Tifinagh letters (U+2D30–U+2D7F), with spaces, line
/// breaks, digits and the punctuation any script shares; at least one Tifinagh letter. Latin or
/// Arabic letters are refused, so a text given as Tamazight is not another language's by mistake.
pub fn is_tifinagh(s: &str) -> bool {
    let tifinagh = |c: char| ('\u{2D30}'..='\u{2D7F}').contains(&c);
    s.chars().any(tifinagh)
        && s.chars().all(|c| {
            tifinagh(c)
                || c.is_whitespace()
                || c.is_ascii_digit()
                || c.is_ascii_punctuation()
                || matches!(
                    c,
                    '«' | '»'
                        | '–'
                        | '—'
                        | '…'
                        | '‘'
                        | '’'
                        | '“'
                        | '”'
                        | '·'
                        | '\u{200C}'
                        | '\u{200D}'
                )
        })
}

/// Whether a service keeps a text's Tamazight version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamazight {
    /// Optional, at most the text's length, in Tifinagh.
    Kept,
    /// Refused when given, so that nothing a person wrote is silently dropped.
    NotKept,
}

/// Checks the Tamazight version (`<field>.zgh`) of a text given in several languages.
pub fn tamazight(v: &mut crate::Violations, field: &str, zgh: &str, max: usize, kept: Tamazight) {
    let field = format!("{field}.zgh");
    let empty = zgh.trim().is_empty();
    match kept {
        Tamazight::NotKept => v.check(
            empty,
            &field,
            "is not kept for this text (Tamazight is kept for consultations and the Forum)",
        ),
        Tamazight::Kept => v.check(
            empty || (is_text(zgh, 1, max) && is_tifinagh(zgh)),
            &field,
            &format!("must be in Tifinagh script, at most {max} characters"),
        ),
    };
}

/// An idempotency key: empty (none) or up to 64 printable ASCII characters.
pub fn is_idempotency_key(s: &str) -> bool {
    s.len() <= 64 && s.chars().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tamazight_is_checked_where_kept_and_refused_elsewhere() {
        let field_of = |zgh: &str, max: usize, kept: Tamazight| {
            let mut v = crate::Violations::new();
            tamazight(&mut v, "title", zgh, max, kept);
            v.finish().err().map(|e| format!("{e:?}"))
        };
        assert!(field_of("", 10, Tamazight::Kept).is_none());
        assert!(field_of("ⴰⵎⴰⵏ", 10, Tamazight::Kept).is_none());
        assert!(
            field_of("aman", 10, Tamazight::Kept)
                .unwrap()
                .contains("title.zgh")
        );
        assert!(field_of("ⴰⵎⴰⵏ ⴰⵎⴰⵏ ⴰⵎⴰⵏ", 10, Tamazight::Kept).is_some());
        assert!(field_of("", 10, Tamazight::NotKept).is_none());
        assert!(
            field_of("ⴰⵎⴰⵏ", 10, Tamazight::NotKept)
                .unwrap()
                .contains("title.zgh")
        );
    }

    #[test]
    fn tifinagh_is_tamazight_letters_with_shared_digits_and_punctuation() {
        assert!(is_tifinagh("ⴰⵙⵓⵔⵙ ⵏ ⵜⵎⵓⵏⵜ"));
        assert!(is_tifinagh(
            "ⴰⵙⴳⴳⵯⴰⵙ 2026: ⴰⵖⴰⵡⴰⵙ «ⴰⵎⴰⵢⵏⵓ»!\nⵜⴰⵎⴰⵡⵉⵏ ⵏ ⵜⵙⵏⴰⵡⵉⵏ."
        ));
        // The labio-velarization mark (U+2D6F) and the joiner (U+2D7F) are Tifinagh too.
        assert!(is_tifinagh("ⴳⵯ ⵣ⵿ⵣ"));
        assert!(!is_tifinagh("Tamazight"));
        assert!(!is_tifinagh("ⴰⵙⵓⵔⵙ Tamazight"));
        assert!(!is_tifinagh("ⴰⵙⵓⵔⵙ الأمازيغية"));
        assert!(!is_tifinagh("2026 !"));
        assert!(!is_tifinagh(""));
    }

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
