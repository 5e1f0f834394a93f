//! What a failed page becomes: a page in the visitor's language with the right status, or a
//! JSON error for the API. Never a trace, an internal message or an English status code.

use askama::Template;
use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use tonic::Code;

use crate::{
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, with_policy},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    BadRequest,
    /// A form whose token did not match: left open too long, or posted from elsewhere.
    FormExpired,
    /// The person's session ended (signed out elsewhere, account deleted).
    SignedOut,
    /// Signed in, but this is not theirs to do.
    Forbidden,
    Unavailable,
    Internal,
}

impl ErrorKind {
    fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::FormExpired | ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::SignedOut => StatusCode::UNAUTHORIZED,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message_prefix(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "error-not-found",
            ErrorKind::BadRequest => "error-bad-request",
            ErrorKind::FormExpired => "error-form-expired",
            ErrorKind::SignedOut => "error-signed-out",
            ErrorKind::Forbidden => "error-forbidden",
            ErrorKind::Unavailable => "error-unavailable",
            ErrorKind::Internal => "error-internal",
        }
    }

    fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::FormExpired => "form_expired",
            ErrorKind::SignedOut => "signed_out",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }
}

/// How the caller asked for the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

#[derive(Debug)]
pub struct PageError {
    pub kind: ErrorKind,
    lang: Lang,
    format: Format,
}

impl PageError {
    pub fn new(kind: ErrorKind, lang: Lang) -> Self {
        Self {
            kind,
            lang,
            format: Format::Html,
        }
    }

    pub fn not_found(lang: Lang) -> Self {
        Self::new(ErrorKind::NotFound, lang)
    }

    pub fn internal(lang: Lang) -> Self {
        Self::new(ErrorKind::Internal, lang)
    }

    pub fn json(mut self) -> Self {
        self.format = Format::Json;
        self
    }

    /// A failed lookup of the thing a URL names: an id the service refuses as malformed names
    /// nothing, so the page does not exist.
    pub fn from_lookup(status: &tonic::Status, lang: Lang) -> Self {
        if status.code() == Code::InvalidArgument {
            Self::not_found(lang)
        } else {
            Self::from_status(status, lang)
        }
    }

    /// A service's answer as a visitor should see it; the status is logged (service messages
    /// carry no personal data), never shown.
    pub fn from_status(status: &tonic::Status, lang: Lang) -> Self {
        let kind = match status.code() {
            Code::NotFound => ErrorKind::NotFound,
            Code::InvalidArgument | Code::OutOfRange => ErrorKind::BadRequest,
            Code::Unauthenticated => ErrorKind::SignedOut,
            Code::PermissionDenied => ErrorKind::Forbidden,
            Code::Unavailable | Code::DeadlineExceeded | Code::ResourceExhausted => {
                ErrorKind::Unavailable
            }
            _ => ErrorKind::Internal,
        };
        if matches!(kind, ErrorKind::Unavailable | ErrorKind::Internal) {
            tracing::warn!(code = ?status.code(), message = status.message(), "a service call failed");
        }
        Self::new(kind, lang)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    body: String,
    signed_out: bool,
}

#[derive(serde::Serialize)]
struct JsonError {
    error: JsonErrorBody,
}

#[derive(serde::Serialize)]
struct JsonErrorBody {
    code: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let tr = Tr::new(self.lang);
        let prefix = self.kind.message_prefix();
        let title = tr.t(&format!("{prefix}-title"));
        let body = tr.t(&format!("{prefix}-body"));
        let status = self.kind.status();
        let response = match self.format {
            Format::Json => (
                status,
                axum::Json(JsonError {
                    error: JsonErrorBody {
                        code: self.kind.code(),
                        message: title,
                    },
                }),
            )
                .into_response(),
            Format::Html => {
                let page = ErrorPage {
                    frame: Frame::new(self.lang, title, Section::None, ""),
                    body,
                    signed_out: self.kind == ErrorKind::SignedOut,
                };
                match page.render() {
                    Ok(html) => (
                        status,
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        html,
                    )
                        .into_response(),
                    Err(_) => status.into_response(),
                }
            }
        };
        with_policy(response, CachePolicy::NoStore)
    }
}
