//! The portal's two cookies and how they are written.
//!
//! Both are HttpOnly (no page script can read a token) and SameSite=Lax (sent on links from
//! elsewhere, never on another site's forms). When the portal is reached over HTTPS they are
//! also Secure and take the `__Host-` prefix, so no other host or path can set them.

use axum::http::{HeaderMap, HeaderValue, header};

/// Cookie names and attributes for one deployment.
#[derive(Clone, Debug)]
pub struct CookieJar {
    secure: bool,
}

impl CookieJar {
    /// Secure cookies when people reach the portal over HTTPS (its `public_url`).
    pub fn for_public_url(public_url: &str) -> Self {
        Self {
            secure: public_url.starts_with("https://"),
        }
    }

    pub fn session_name(&self) -> &'static str {
        if self.secure {
            "__Host-tachawor-session"
        } else {
            "tachawor-session"
        }
    }

    pub fn csrf_name(&self) -> &'static str {
        if self.secure {
            "__Host-tachawor-form"
        } else {
            "tachawor-form"
        }
    }

    /// `Set-Cookie` for `name=value`, kept `max_age` seconds.
    pub fn set(&self, name: &str, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
        ))
        .expect("cookie values are URL-safe text")
    }

    /// `Set-Cookie` that removes `name`.
    pub fn clear(&self, name: &str) -> HeaderValue {
        self.set(name, "", 0)
    }
}

/// The value of cookie `name` in a request, if sent.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_https_cookies_are_secure_and_host_bound() {
        let jar = CookieJar::for_public_url("https://tachawor.example");
        assert_eq!(jar.session_name(), "__Host-tachawor-session");
        let set = jar.set(jar.session_name(), "v", 60);
        let set = set.to_str().unwrap();
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(set.contains(attribute), "{set}");
        }
    }

    #[test]
    fn over_http_cookies_stay_usable_on_localhost() {
        let jar = CookieJar::for_public_url("http://localhost:8080");
        let set = jar.set(jar.csrf_name(), "v", 60);
        let set = set.to_str().unwrap();
        assert!(set.starts_with("tachawor-form=v;"), "{set}");
        assert!(set.contains("HttpOnly") && !set.contains("Secure"), "{set}");
    }

    #[test]
    fn reads_one_cookie_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("lang=fr; tachawor-session=abc~d; x=y"),
        );
        assert_eq!(read(&headers, "tachawor-session"), Some("abc~d"));
        assert_eq!(read(&headers, "tachawor"), None);
    }
}
