//! A rendered page: its template, status and cache policy, and the frame every page shares.

use askama::Template;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{
    error::PageError,
    i18n::{Lang, Tr},
};

/// How long browsers and shared caches may keep a response. Every response states one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CachePolicy {
    /// Personal pages, forms, errors: never stored.
    NoStore,
    /// Public pages: shared caches may keep them this many seconds.
    Public { max_age: u32 },
    /// Files whose URL changes with their content.
    Immutable,
}

impl CachePolicy {
    pub fn header_value(self) -> HeaderValue {
        match self {
            CachePolicy::NoStore => HeaderValue::from_static("no-store"),
            CachePolicy::Public { max_age } => {
                HeaderValue::from_str(&format!("public, max-age={max_age}"))
                    .expect("a number is a valid header value")
            }
            CachePolicy::Immutable => {
                HeaderValue::from_static("public, max-age=31536000, immutable")
            }
        }
    }
}

/// Renders `template` as an HTML response.
pub fn html(
    template: &impl Template,
    status: StatusCode,
    policy: CachePolicy,
    lang: Lang,
) -> Result<Response, PageError> {
    let body = template.render().map_err(|e| {
        tracing::error!(error = %e, "a template failed to render");
        PageError::internal(lang)
    })?;
    Ok(with_policy(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
        policy,
    ))
}

/// A JSON response.
pub fn json(value: &impl serde::Serialize, policy: CachePolicy) -> Response {
    with_policy(axum::Json(value).into_response(), policy)
}

pub fn with_policy(mut response: Response, policy: CachePolicy) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, policy.header_value());
    response
}

/// The part of the site a page belongs to, marked `aria-current` in the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Consultations,
    Petitions,
    Opinions,
    Forum,
    Training,
    Transparency,
    Verify,
    /// News and plain-language pages.
    News,
    /// Signing in, registering and the person's own pages.
    Account,
    /// The signed-in person's inbox and its preferences.
    Inbox,
    /// The staff console.
    Staff,
    None,
}

/// The inbox's link in the site's navigation.
pub struct InboxLink {
    /// The unread count as text, "3 unread"; empty when nothing is unread or when the
    /// notification service did not answer in time (the page is shown without the count).
    pub unread_label: String,
}

/// What the layout of every page needs: the language, the title, where the page sits and the
/// same page in the other language.
pub struct Frame {
    pub tr: Tr,
    /// The page's own title; the layout appends the site's name.
    pub title: String,
    /// Set when the page shows a form's errors: the title starts with "Error:".
    pub has_errors: bool,
    pub section: Section,
    /// Whether the site's navigation links to the staff console: only on pages made for a
    /// person whose token names a staff role (never on public pages, which caches share).
    pub show_staff: bool,
    /// The inbox's link in the site's navigation, with the unread count when it could be read:
    /// only on pages made for a signed-in person, when the region runs notification.
    pub inbox: Option<InboxLink>,
    /// The path after the language, so the language link keeps the page.
    rest: String,
}

impl Frame {
    pub fn new(lang: Lang, title: String, section: Section, rest: &str) -> Self {
        Self {
            tr: Tr::new(lang),
            title,
            has_errors: false,
            section,
            show_staff: false,
            inbox: None,
            rest: rest.trim_start_matches('/').to_string(),
        }
    }

    /// Marks a form page that shows `errors`: its title then starts with "Error:".
    pub fn with_errors(mut self, errors: &crate::form::FormErrors) -> Self {
        self.has_errors = errors.has_errors();
        self
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }

    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }

    /// The `<title>`: "Error: " first when the page shows errors, then the page, then the site.
    pub fn document_title(&self) -> String {
        let title = self.tr.with("page-title", &[("page", self.title.clone())]);
        if self.has_errors {
            format!("{} {title}", self.tr.t("error-prefix"))
        } else {
            title
        }
    }

    /// A path of this site in the page's language.
    pub fn href(&self, rest: &str) -> String {
        format!("/{}/{}", self.lang(), rest.trim_start_matches('/'))
    }

    pub fn other_lang(&self) -> &'static str {
        self.tr.lang.other().code()
    }

    pub fn other_lang_href(&self) -> String {
        self.same_page_href(self.other_lang())
    }

    /// This page in the language `code`.
    pub fn same_page_href(&self, code: &str) -> String {
        format!("/{code}/{}", self.rest)
    }

    pub fn stylesheet(&self) -> &'static str {
        crate::handlers::assets::STYLESHEET_PATH.as_str()
    }

    /// `aria-current="page"` belongs on the navigation item of this page's section.
    pub fn is(&self, section: &str) -> bool {
        let current = match self.section {
            Section::Home => "home",
            Section::Consultations => "consultations",
            Section::Petitions => "petitions",
            Section::Opinions => "opinions",
            Section::Forum => "forum",
            Section::Training => "training",
            Section::Transparency => "transparency",
            Section::Verify => "verify",
            Section::News => "news",
            Section::Account => "account",
            Section::Inbox => "inbox",
            Section::Staff => "staff",
            Section::None => "",
        };
        current == section
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_link_keeps_the_page() {
        let frame = Frame::new(Lang::Ar, "x".into(), Section::Petitions, "/petitions/p1");
        assert_eq!(frame.other_lang_href(), "/fr/petitions/p1");
        assert_eq!(frame.href("petitions"), "/ar/petitions");
        assert!(frame.is("petitions") && !frame.is("home"));
    }

    #[test]
    fn titles_say_error_first() {
        let mut frame = Frame::new(Lang::Fr, "Pétitions".into(), Section::Petitions, "");
        assert!(frame.document_title().contains("Pétitions"));
        assert!(!frame.document_title().starts_with("Erreur"));
        frame.has_errors = true;
        assert!(frame.document_title().starts_with("Erreur :"));
    }

    #[test]
    fn policies_spell_their_headers() {
        assert_eq!(CachePolicy::NoStore.header_value(), "no-store");
        assert_eq!(
            CachePolicy::Public { max_age: 30 }.header_value(),
            "public, max-age=30"
        );
    }
}
