//! News items and plain-language pages: their languages, checks and publication states.

use super::Rule;

/// The languages an article may be written in, in the order they are shown: the interface's
/// (Arabic, French) and Tamazight (`zgh`, in Tifinagh script), a content language only.
pub const LANGUAGES: &[&str] = &["ar", "fr", "zgh"];

/// The interface's languages: an article lacking one of these says so.
pub const INTERFACE_LANGUAGES: &[&str] = &["ar", "fr"];

/// Tamazight, whose texts must be in Tifinagh script.
pub const TAMAZIGHT: &str = "zgh";

pub const SLUG_MIN: usize = 3;
pub const SLUG_MAX: usize = 80;
pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 500;
pub const BODY_MAX: usize = 20_000;

/// Lowercase ASCII letters and digits in words joined by single hyphens: safe in a URL as is.
pub fn is_slug(s: &str) -> bool {
    (SLUG_MIN..=SLUG_MAX).contains(&s.len())
        && s.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    News,
    Page,
}

impl Kind {
    pub fn as_sql(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Page => "page",
        }
    }

    pub fn from_sql(s: &str) -> Option<Self> {
        match s {
            "news" => Some(Kind::News),
            "page" => Some(Kind::Page),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
    Unpublished,
}

impl Status {
    pub fn as_sql(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn from_sql(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Status::Draft),
            "published" => Some(Status::Published),
            "unpublished" => Some(Status::Unpublished),
            _ => None,
        }
    }

    /// A draft or an unpublished article may be published.
    pub fn publish(self) -> Result<Status, Rule> {
        match self {
            Status::Published => Err(Rule::ArticleAlreadyPublished),
            _ => Ok(Status::Published),
        }
    }

    pub fn unpublish(self) -> Result<Status, Rule> {
        match self {
            Status::Published => Ok(Status::Unpublished),
            _ => Err(Rule::ArticleNotPublished),
        }
    }
}

/// The interface's languages an article has no version in, in the platform's order.
pub fn missing_languages<'a>(present: impl IntoIterator<Item = &'a str> + Clone) -> Vec<String> {
    INTERFACE_LANGUAGES
        .iter()
        .filter(|l| !present.clone().into_iter().any(|p| p == **l))
        .map(|l| l.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        for good in ["how-to-take-part", "law-111-14", "abc"] {
            assert!(is_slug(good), "{good}");
        }
        let long = "a".repeat(81);
        for bad in [
            "ab",
            "How-To",
            "a--b",
            "-ab",
            "ab-",
            "a_b",
            "مشاركة",
            "a b",
            long.as_str(),
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn publication_moves_between_published_and_not() {
        assert_eq!(Status::Draft.publish(), Ok(Status::Published));
        assert_eq!(Status::Unpublished.publish(), Ok(Status::Published));
        assert_eq!(
            Status::Published.publish(),
            Err(Rule::ArticleAlreadyPublished)
        );
        assert_eq!(Status::Published.unpublish(), Ok(Status::Unpublished));
        assert_eq!(Status::Draft.unpublish(), Err(Rule::ArticleNotPublished));
    }

    #[test]
    fn a_missing_language_is_named() {
        assert_eq!(missing_languages(["fr"]), ["ar"]);
        assert!(missing_languages(["fr", "ar"]).is_empty());
        assert_eq!(missing_languages(["zgh"]), ["ar", "fr"]);
        assert!(missing_languages(["zgh", "fr", "ar"]).is_empty());
    }
}
