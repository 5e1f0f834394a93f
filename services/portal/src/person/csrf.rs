//! Form tokens: every form carries a hidden `csrf` field equal to the person's form cookie
//! (the double-submit pattern). Another site can make a browser post to the portal, but it can
//! neither read that cookie nor, thanks to the `__Host-` prefix over HTTPS, set it.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::header,
};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, de::DeserializeOwned};

use super::session::Visitor;
use crate::{
    error::{ErrorKind, PageError},
    i18n::Lang,
};

/// A form token stays valid this long; after that a form left open is refused with a page that
/// says to load it again.
pub const TOKEN_LIFE_SECS: i64 = 12 * 3600;

const TOKEN_BYTES: usize = 32;

pub fn new_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether a cookie value can be a token this portal made.
pub fn is_token(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `sent` is the visitor's form token.
fn csrf_matches(visitor: &Visitor, sent: &str) -> bool {
    visitor
        .expected_form_token()
        .is_some_and(|expected| same(expected.as_bytes(), sent.as_bytes()))
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf: String,
}

/// A post before its fields are read: the page's language, who posted it, whether the browser
/// marks it as coming from another site, its content type and its body. Posts of any encoding
/// ([`Posted`], the imports desk's file upload) start from it.
pub struct RawPost {
    pub lang: Lang,
    pub visitor: Visitor,
    cross_site: bool,
    pub content_type: String,
    pub bytes: Bytes,
}

impl RawPost {
    pub async fn read<S: Send + Sync>(request: Request, state: &S) -> Result<Self, PageError> {
        let lang = Lang::of_path(request.uri().path());
        let (mut parts, body) = request.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| PageError::internal(lang))?;
        // Browsers say when a request comes from another site; such a post is never genuine.
        let cross_site = parts
            .headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"cross-site");
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError::new(ErrorKind::BadRequest, lang))?;
        Ok(Self {
            lang,
            visitor,
            cross_site,
            content_type,
            bytes,
        })
    }

    /// Refuses the post (a page saying the form expired) unless it comes from this site with
    /// `sent`, the visitor's form token.
    pub fn check_token(&self, sent: &str) -> Result<(), PageError> {
        if self.cross_site || !csrf_matches(&self.visitor, sent) {
            return Err(PageError::new(ErrorKind::FormExpired, self.lang));
        }
        Ok(())
    }
}

/// A posted form whose token matched: the fields as `T`, who posted it, and the page language.
pub struct Posted<T> {
    pub form: T,
    pub visitor: Visitor,
    pub lang: Lang,
}

impl<S, T> FromRequest<S> for Posted<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let post = RawPost::read(request, state).await?;
        let sent = serde_html_form::from_bytes::<TokenField>(&post.bytes)
            .map(|f| f.csrf)
            .unwrap_or_default();
        post.check_token(&sent)?;
        if !post
            .content_type
            .starts_with("application/x-www-form-urlencoded")
        {
            return Err(PageError::new(ErrorKind::BadRequest, post.lang));
        }
        let form = serde_html_form::from_bytes::<T>(&post.bytes)
            .map_err(|_| PageError::new(ErrorKind::BadRequest, post.lang))?;
        Ok(Self {
            form,
            visitor: post.visitor,
            lang: post.lang,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_recognised() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_token(&a) && is_token(&b));
        assert!(!is_token("short") && !is_token(&format!("{}!", &a[..42])));
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
