//! One module per area of the site. Each handler makes its gRPC calls concurrently, turns the
//! answers into views and renders one template.

pub mod account;
pub mod api;
pub mod api_deliberation;
pub mod assets;
pub mod associations;
pub mod calendar;
pub mod consultation_form;
pub mod consultations;
pub mod documents;
pub mod follow;
pub mod forum;
pub mod home;
pub mod inbox;
pub mod language;
pub mod news;
pub mod opinions;
pub mod password_reset;
pub mod petition_forms;
pub mod petitions;
pub mod reads;
pub mod sign_in;
pub mod staff;
pub mod take_part;
pub mod training;
pub mod training_forms;
pub mod transparency;
pub mod verify;

use std::sync::Arc;

use serde::Deserialize;
use tachawor_proto::common::PageRequest;
use tachawor_region::Region;

use crate::{
    error::PageError, i18n::Lang, page::CachePolicy, person::cookies::CookieJar,
    services::Services, settings::Settings,
};

/// What every handler reaches.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub region: Arc<Region>,
    pub settings: Arc<Settings>,
    pub cookies: CookieJar,
}

impl AppState {
    /// The policy of a public page or its JSON twin.
    pub fn public(&self) -> CachePolicy {
        CachePolicy::Public {
            max_age: self.settings.pages.public_max_age_secs,
        }
    }

    /// The first page, or the page a list's "next" link names.
    pub fn page(&self, token: Option<String>) -> Option<PageRequest> {
        Some(PageRequest {
            page_size: self.settings.pages.page_size,
            page_token: token.unwrap_or_default(),
        })
    }
}

/// Now, in unix milliseconds: the "as of" of a page.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The language of a page's URL; any other first segment is a page that does not exist.
pub fn lang_of(code: &str) -> Result<Lang, PageError> {
    Lang::parse(code).ok_or_else(|| PageError::not_found(Lang::Ar))
}

/// `?page=` on list pages: the token of the page to show.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

impl PageQuery {
    /// Page tokens are short opaque strings; anything else is refused before a service sees it.
    pub fn token(self, lang: Lang) -> Result<Option<String>, PageError> {
        match self.page {
            Some(t) if t.len() > 200 => {
                Err(PageError::new(crate::error::ErrorKind::BadRequest, lang))
            }
            other => Ok(other.filter(|t| !t.is_empty())),
        }
    }

    pub fn is_first(&self) -> bool {
        self.page.as_deref().unwrap_or_default().is_empty()
    }
}

/// A list page's links to its first and its next page.
pub struct Listing {
    pub next: Option<String>,
    pub first: Option<String>,
}

impl Listing {
    /// The frame of the list page `rest` titled by the message `title`, and its links;
    /// `next_token` is the service's token of the page after this one.
    pub fn new(
        lang: Lang,
        title: &str,
        section: crate::page::Section,
        rest: &str,
        is_first: bool,
        next_token: &str,
    ) -> (crate::page::Frame, Self) {
        let frame =
            crate::page::Frame::new(lang, crate::i18n::Tr::new(lang).t(title), section, rest);
        let base = frame.href(rest);
        let listing = Self {
            next: next_link(&base, next_token),
            first: (!is_first).then_some(base),
        };
        (frame, listing)
    }
}

/// The link to the next page of a list, when there is one.
pub fn next_link(base: &str, token: &str) -> Option<String> {
    (!token.is_empty()).then(|| format!("{base}?page={}", encode_query(token)))
}

/// Percent-encodes a query value (page tokens are URL-safe base64, but a service may change).
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_encode_their_token() {
        assert_eq!(next_link("/ar/petitions", ""), None);
        assert_eq!(
            next_link("/ar/petitions", "a+b/c=").as_deref(),
            Some("/ar/petitions?page=a%2Bb%2Fc%3D")
        );
    }
}
