//! Input checks shared by several RPCs; callers record violations with
//! `tachawor_errors::Violations` so every bad field is reported at once.

use tachawor_errors::Violations;
use tachawor_proto::common::LocalizedText;

pub use tachawor_errors::checks::{Tamazight, is_slug, is_tifinagh, is_uuid, tamazight};

/// Free text of 1 to `max` characters (trimmed) with no control characters but line breaks.
pub fn is_text(s: &str, max: usize) -> bool {
    tachawor_errors::checks::is_text(s, 1, max)
}

/// Optional text: empty, or as [`is_text`].
pub fn is_optional_text(s: &str, max: usize) -> bool {
    s.trim().is_empty() || is_text(s, max)
}

pub fn uuid(v: &mut Violations, field: &str, s: &str) {
    v.check(is_uuid(s), field, "must be a UUID");
}

pub fn optional_uuid(v: &mut Violations, field: &str, s: &str) {
    v.check(s.is_empty() || is_uuid(s), field, "must be a UUID when set");
}

/// Text in the platform's languages: Arabic and French required, English optional, Tamazight
/// optional in Tifinagh.
pub fn localized(v: &mut Violations, field: &str, text: Option<&LocalizedText>, max: usize) {
    let empty = LocalizedText::default();
    let t = text.unwrap_or(&empty);
    let described = format!("is required (at most {max} characters)");
    v.check(is_text(&t.ar, max), &format!("{field}.ar"), &described);
    v.check(is_text(&t.fr, max), &format!("{field}.fr"), &described);
    v.check(
        is_optional_text(&t.en, max),
        &format!("{field}.en"),
        &format!("at most {max} characters"),
    );
    tamazight(v, field, &t.zgh, max, Tamazight::Kept);
}

pub fn trimmed(t: Option<LocalizedText>) -> LocalizedText {
    let t = t.unwrap_or_default();
    LocalizedText {
        ar: t.ar.trim().to_string(),
        fr: t.fr.trim().to_string(),
        en: t.en.trim().to_string(),
        zgh: t.zgh.trim().to_string(),
    }
}

/// A page of a list, its problems added to `v`.
pub fn page(
    v: &mut Violations,
    request: Option<&tachawor_proto::common::PageRequest>,
) -> tachawor_proto::paging::Page {
    match tachawor_proto::paging::Page::from_request(request, 50, 200) {
        Ok(p) => p,
        Err(e) => {
            v.add(e.field, e.description);
            tachawor_proto::paging::Page::from_request(None, 50, 200).expect("default page")
        }
    }
}

/// Records the idempotency key's problems.
pub fn idempotency_key(v: &mut Violations, key: &str) {
    tachawor_runtime::idempotency::check_key(v, "idempotency_key", key);
}

/// Ends validation and hands back the value parsed alongside it. The value is missing only when
/// its own check failed, which `v` already reports; the field error is that same report.
pub fn finish_with<T>(
    v: Violations,
    parsed: Option<T>,
    field: &str,
    description: &str,
) -> Result<T, tachawor_errors::Error> {
    v.finish()?;
    parsed.ok_or_else(|| tachawor_errors::Error::field(field, description))
}
