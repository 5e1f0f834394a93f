//! A consultation's fields as a form takes them (its texts in Arabic, French and optionally
//! Tamazight, its audience, provinces and participation rule) and the choices it offers: the
//! form by which an instance's member proposes a consultation.

use serde::Deserialize;
use tachawor_proto::{
    common::LocalizedText,
    consultation::{Audience, Participation},
};
use tachawor_region::Region;

use crate::{
    i18n::{Lang, Tr},
    view::{Choice, province_choices},
};

pub const AUDIENCES: &[&str] = &["public", "associations", "instance_members"];
/// `default` is the region's rule.
pub const PARTICIPATIONS: &[&str] = &["default", "any_account", "verified_only"];

/// The page's field for each field the consultation service names.
pub const FIELDS: &[(&str, &str)] = &[
    ("title.ar", "title_ar"),
    ("title.fr", "title_fr"),
    ("title.en", "title_fr"),
    ("body.ar", "body_ar"),
    ("body.fr", "body_fr"),
    ("body.en", "body_fr"),
    ("title.zgh", "title_zgh"),
    ("body.zgh", "body_zgh"),
    ("province_codes", "provinces"),
];

#[derive(Debug, Default, Deserialize)]
pub struct ConsultationFields {
    #[serde(default)]
    pub title_ar: String,
    #[serde(default)]
    pub title_fr: String,
    /// Optional, in Tifinagh.
    #[serde(default)]
    pub title_zgh: String,
    #[serde(default)]
    pub body_ar: String,
    #[serde(default)]
    pub body_fr: String,
    #[serde(default)]
    pub body_zgh: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub provinces: Vec<String>,
    /// `default` (the region's), `any_account` or `verified_only`.
    #[serde(default)]
    pub participation: String,
}

/// Texts typed on a form, trimmed, as the services take them (an empty Tamazight: none).
pub fn localized(ar: &str, fr: &str, zgh: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: ar.trim().to_string(),
        fr: fr.trim().to_string(),
        en: String::new(),
        zgh: zgh.trim().to_string(),
    })
}

impl ConsultationFields {
    pub fn title(&self) -> Option<LocalizedText> {
        localized(&self.title_ar, &self.title_fr, &self.title_zgh)
    }

    pub fn body(&self) -> Option<LocalizedText> {
        localized(&self.body_ar, &self.body_fr, &self.body_zgh)
    }

    pub fn audience(&self) -> i32 {
        audience_of(&self.audience)
    }

    pub fn participation(&self) -> i32 {
        participation_of(&self.participation)
    }
}

/// `public` → `AUDIENCE_PUBLIC`; unknown codes are unspecified (the service refuses them).
pub fn audience_of(code: &str) -> i32 {
    Audience::from_str_name(&format!("AUDIENCE_{}", code.to_ascii_uppercase())).unwrap_or_default()
        as i32
}

/// `verified_only` → `PARTICIPATION_VERIFIED_ONLY`; `default` and unknown codes are unspecified
/// (the region's rule).
pub fn participation_of(code: &str) -> i32 {
    Participation::from_str_name(&format!("PARTICIPATION_{}", code.to_ascii_uppercase()))
        .unwrap_or_default() as i32
}

/// One choice a code, labelled by the message `{prefix}-{code}`.
pub fn choices(tr: Tr, prefix: &str, codes: &[&str], chosen: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|s| Choice {
            value: (*s).to_string(),
            label: tr.t(&format!("{prefix}-{s}")),
            selected: *s == chosen,
        })
        .collect()
}

pub fn audiences(tr: Tr, chosen: &str) -> Vec<Choice> {
    choices(tr, "consultation-audience", AUDIENCES, chosen)
}

pub fn participations(tr: Tr, chosen: &str) -> Vec<Choice> {
    choices(
        tr,
        "staff-consultation-participation",
        PARTICIPATIONS,
        chosen,
    )
}

/// The region's provinces as checkboxes, those `selected` checked.
pub fn provinces(region: &Region, lang: Lang, selected: &[String]) -> Vec<Choice> {
    province_choices(region, lang, "")
        .into_iter()
        .map(|c| Choice {
            selected: selected.contains(&c.value),
            ..c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_the_contract_values() {
        assert_eq!(
            audience_of("instance_members"),
            Audience::InstanceMembers as i32
        );
        assert_eq!(audience_of("everyone"), 0);
        assert_eq!(
            participation_of("verified_only"),
            Participation::VerifiedOnly as i32
        );
        assert_eq!(participation_of("default"), 0);
        let title = localized(" عنوان ", "Titre", "").unwrap();
        assert_eq!((title.ar.as_str(), title.zgh.as_str()), ("عنوان", ""));
    }
}
