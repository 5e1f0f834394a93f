//! The signed-in person's tokens, carried in their session cookie, and the middleware that
//! renews the access token shortly before it expires.
//!
//! Several pages loaded at once may each renew with the same refresh token; identity gives
//! each a successor within its reuse grace, so the person stays signed in whichever cookie the
//! browser keeps last.

use std::sync::{Arc, OnceLock};

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tachawor_proto::identity::{RefreshRequest, TokenPair};
use tonic::Code;

use super::cookies;
use crate::{handlers::AppState, i18n::Lang};

/// Renew this long before the access token expires, so a page's calls never carry a token that
/// lapses on the way.
const RENEW_MARGIN_SECS: i64 = 30;

/// A person's tokens. The portal forwards the access token; the services verify it.
#[derive(Clone)]
pub struct Session {
    pub access_token: String,
    refresh_token: String,
    /// Unix seconds.
    access_expires_at: i64,
    refresh_expires_at: i64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access_expires_at", &self.access_expires_at)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn from_pair(pair: TokenPair) -> Option<Self> {
        let seconds = |t: Option<prost_types::Timestamp>| t.map(|t| t.seconds);
        Some(Self {
            access_expires_at: seconds(pair.access_token_expires_at)?,
            refresh_expires_at: seconds(pair.refresh_token_expires_at)?,
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
        })
        .filter(|s| s.is_well_formed())
    }

    pub fn refresh_token(&self) -> &str {
        &self.refresh_token
    }

    /// Token characters (base64url, JWT dots) never include `~`, the cookie's separator.
    fn is_well_formed(&self) -> bool {
        let ok = |t: &str| {
            !t.is_empty()
                && t.len() <= 4096
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        ok(&self.access_token) && ok(&self.refresh_token)
    }

    /// The cookie value: `access expiry ~ refresh expiry ~ refresh token ~ access token`.
    pub fn encode(&self) -> String {
        format!(
            "{}~{}~{}~{}",
            self.access_expires_at, self.refresh_expires_at, self.refresh_token, self.access_token
        )
    }

    pub fn decode(value: &str) -> Option<Self> {
        let mut parts = value.splitn(4, '~');
        let session = Self {
            access_expires_at: parts.next()?.parse().ok()?,
            refresh_expires_at: parts.next()?.parse().ok()?,
            refresh_token: parts.next()?.to_string(),
            access_token: parts.next()?.to_string(),
        };
        session.is_well_formed().then_some(session)
    }

    fn needs_renewal(&self, now: i64) -> bool {
        self.access_expires_at - RENEW_MARGIN_SECS <= now
    }

    /// How long the cookie should live: as long as the refresh token.
    pub fn max_age(&self, now: i64) -> i64 {
        (self.refresh_expires_at - now).max(0)
    }
}

/// The form token of this request: the one the person's cookie holds, or a new one that is
/// made, and sent as a cookie, only when a page actually shows a form.
struct FormToken {
    held: Option<String>,
    made: OnceLock<String>,
}

/// Who is asking: their session if signed in, and their form token.
#[derive(Clone)]
pub struct Visitor {
    pub session: Option<Session>,
    form: Arc<FormToken>,
}

impl Visitor {
    /// The token a form carries in its hidden `csrf` field.
    pub fn form_token(&self) -> String {
        match &self.form.held {
            Some(held) => held.clone(),
            None => self.form.made.get_or_init(super::csrf::new_token).clone(),
        }
    }

    /// The token a posted form must match: only one the person's browser already held.
    pub fn expected_form_token(&self) -> Option<&str> {
        self.form.held.as_deref()
    }

    pub fn is_signed_in(&self) -> bool {
        self.session.is_some()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A signed-in person; anyone else is sent to sign in and brought back.
pub struct SignedIn {
    pub session: Session,
    pub visitor: Visitor,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match visitor.session.clone() {
            Some(session) => Ok(Self { session, visitor }),
            None => Err(to_sign_in(&parts.uri).into_response()),
        }
    }
}

/// The sign-in page of the URL's language, returning to `uri` afterwards.
pub fn to_sign_in(uri: &axum::http::Uri) -> Redirect {
    let lang = Lang::of_path(uri.path());
    let back = uri.path_and_query().map_or("/", |p| p.as_str());
    Redirect::to(&format!(
        "/{}/sign-in?next={}",
        lang.code(),
        crate::handlers::encode_query(back)
    ))
}

fn now_secs() -> i64 {
    crate::handlers::now_millis() / 1000
}

/// What renewing a session came to.
enum Renewal {
    Renewed(Session),
    /// Identity refused the refresh token: the person is signed out.
    Ended,
    /// Identity could not be reached: keep the cookie, the page's calls say what failed.
    Unavailable,
}

async fn renew(state: &AppState, session: &Session) -> Renewal {
    let request = RefreshRequest {
        refresh_token: session.refresh_token.clone(),
    };
    match state.services.identity().refresh(request).await {
        Ok(response) => response
            .into_inner()
            .tokens
            .and_then(Session::from_pair)
            .map_or(Renewal::Ended, Renewal::Renewed),
        Err(status) if status.code() == Code::Unauthenticated => Renewal::Ended,
        Err(status) => {
            tracing::warn!(code = ?status.code(), "session renewal failed");
            Renewal::Unavailable
        }
    }
}

/// Reads the session and form cookies into a [`Visitor`], renewing the session when due, and
/// writes back whatever changed.
pub async fn middleware(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let jar = &state.cookies;
    let now = now_secs();
    let mut set_cookies = Vec::new();
    let mut session =
        cookies::read(request.headers(), jar.session_name()).and_then(Session::decode);
    if let Some(current) = session.clone().filter(|s| s.needs_renewal(now)) {
        match renew(&state, &current).await {
            Renewal::Renewed(next) => {
                set_cookies.push(jar.set(jar.session_name(), &next.encode(), next.max_age(now)));
                session = Some(next);
            }
            Renewal::Ended => {
                set_cookies.push(jar.clear(jar.session_name()));
                session = None;
            }
            Renewal::Unavailable => {}
        }
    }
    let held = cookies::read(request.headers(), jar.csrf_name())
        .filter(|v| super::csrf::is_token(v))
        .map(str::to_string);
    let form = Arc::new(FormToken {
        held,
        made: OnceLock::new(),
    });
    request.extensions_mut().insert(Visitor {
        session,
        form: form.clone(),
    });
    let mut response = next.run(request).await;
    if let Some(made) = form.made.get() {
        set_cookies.push(jar.set(jar.csrf_name(), made, super::csrf::TOKEN_LIFE_SECS));
    }
    for cookie in set_cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> TokenPair {
        TokenPair {
            access_token: "eyJh.eyJz.c2ln".into(),
            access_token_expires_at: Some(prost_types::Timestamp {
                seconds: 1_000,
                nanos: 0,
            }),
            refresh_token: "r3fr-sh_T".into(),
            refresh_token_expires_at: Some(prost_types::Timestamp {
                seconds: 9_000,
                nanos: 0,
            }),
        }
    }

    #[test]
    fn a_session_round_trips_through_its_cookie() {
        let session = Session::from_pair(pair()).unwrap();
        let back = Session::decode(&session.encode()).unwrap();
        assert_eq!(back.access_token, "eyJh.eyJz.c2ln");
        assert_eq!(back.refresh_token(), "r3fr-sh_T");
        assert_eq!(back.max_age(1_000), 8_000);
        assert!(back.needs_renewal(975) && !back.needs_renewal(900));
    }

    #[test]
    fn a_tampered_cookie_is_no_session() {
        assert!(Session::decode("1~2~r~a;b").is_none());
        assert!(Session::decode("x~2~r~a").is_none());
        assert!(Session::decode("1~2~~a").is_none());
        assert!(Session::decode("").is_none());
    }

    #[test]
    fn debug_shows_no_token() {
        let shown = format!("{:?}", Session::from_pair(pair()).unwrap());
        assert!(
            !shown.contains("eyJh") && !shown.contains("r3fr"),
            "{shown}"
        );
    }
}
