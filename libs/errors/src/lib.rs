//! One mapping from service errors to gRPC statuses.
//!
//! Services return [`Error`]; its `From` impl into [`tonic::Status`] is the only place a status
//! code is chosen. Bad input lists every offending field (google.rpc.BadRequest), a broken rule is
//! named (google.rpc.PreconditionFailure), a unique violation becomes `ALREADY_EXISTS`, and an
//! internal error is logged with its cause chain and answered without detail.

pub mod checks;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// An input field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    /// The field's path in the request, for example `profile.province_code`.
    pub field: String,
    pub description: String,
}

/// Everything an RPC can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid argument: {}", describe(.0))]
    InvalidArgument(Vec<FieldViolation>),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0} not found")]
    NotFound(String),
    /// A domain rule forbids the operation now; `rule` is a stable identifier clients can match.
    #[error("{rule}: {message}")]
    FailedPrecondition { rule: String, message: String },
    #[error("{0}")]
    AlreadyExists(String),
    #[error("{0}")]
    Aborted(String),
    #[error("{0}")]
    ResourceExhausted(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// A service's rules: each refusal has a stable id (the `rule` a client reads in the
/// FAILED_PRECONDITION status, such as `petition.not_collecting`) and a message for a person.
/// Every service lists its own in one enum that implements this, and `?` turns it into
/// [`Error::FailedPrecondition`].
pub trait DomainRule {
    fn id(&self) -> &'static str;
    fn message(&self) -> String;
}

impl<R: DomainRule> From<R> for Error {
    fn from(rule: R) -> Self {
        Error::rule(rule.id(), rule.message())
    }
}

/// The most bytes of a status message: a message echoing client input stays small whatever the
/// input (it travels in a header, and into logs).
pub const MAX_MESSAGE_BYTES: usize = 1024;
/// The most bytes of a violation's field or description.
pub const MAX_VIOLATION_BYTES: usize = 256;
/// The most violations one error lists; the others are counted in the message.
pub const MAX_VIOLATIONS: usize = 20;

/// `s` cut to at most `max` bytes on a character boundary, marked with `…` when cut.
pub fn bounded(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn describe(violations: &[FieldViolation]) -> String {
    violations
        .iter()
        .map(|v| format!("{}: {}", v.field, v.description))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }
    pub fn rule(rule: impl Into<String>, message: impl Into<String>) -> Self {
        Self::FailedPrecondition {
            rule: rule.into(),
            message: message.into(),
        }
    }
    pub fn field(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self::InvalidArgument(vec![FieldViolation {
            field: field.into(),
            description: description.into(),
        }])
    }
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }
    /// The gRPC code this error is answered with.
    pub fn code(&self) -> Code {
        match self {
            Self::InvalidArgument(_) => Code::InvalidArgument,
            Self::Unauthenticated(_) => Code::Unauthenticated,
            Self::PermissionDenied(_) => Code::PermissionDenied,
            Self::NotFound(_) => Code::NotFound,
            Self::FailedPrecondition { .. } => Code::FailedPrecondition,
            Self::AlreadyExists(_) => Code::AlreadyExists,
            Self::Aborted(_) => Code::Aborted,
            Self::ResourceExhausted(_) => Code::ResourceExhausted,
            Self::Unavailable(_) => Code::Unavailable,
            Self::Internal(_) => Code::Internal,
        }
    }
}

impl From<Error> for Status {
    fn from(error: Error) -> Self {
        let code = error.code();
        match error {
            Error::InvalidArgument(mut violations) => {
                let omitted = violations.len().saturating_sub(MAX_VIOLATIONS);
                violations.truncate(MAX_VIOLATIONS);
                for v in &mut violations {
                    v.field = bounded(&v.field, MAX_VIOLATION_BYTES);
                    v.description = bounded(&v.description, MAX_VIOLATION_BYTES);
                }
                let mut details = ErrorDetails::new();
                for v in &violations {
                    details.add_bad_request_violation(v.field.clone(), v.description.clone());
                }
                let mut message = format!("invalid argument: {}", describe(&violations));
                if omitted > 0 {
                    message = format!("{}; and {omitted} more", bounded(&message, 960));
                }
                Status::with_error_details(code, bounded(&message, MAX_MESSAGE_BYTES), details)
            }
            Error::FailedPrecondition { rule, message } => {
                let (rule, message) = (
                    bounded(&rule, MAX_VIOLATION_BYTES),
                    bounded(&message, MAX_MESSAGE_BYTES),
                );
                let mut details = ErrorDetails::new();
                details.add_precondition_failure_violation("RULE", rule.clone(), message.clone());
                Status::with_error_details(
                    code,
                    bounded(&format!("{rule}: {message}"), MAX_MESSAGE_BYTES),
                    details,
                )
            }
            Error::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
                Status::internal("internal error")
            }
            other => Status::new(code, bounded(&other.to_string(), MAX_MESSAGE_BYTES)),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Error::NotFound("record".into()),
            sqlx::Error::Database(db) if is_unique_violation(db.as_ref()) => {
                Error::AlreadyExists("already exists".into())
            }
            sqlx::Error::Database(db) if is_serialization_failure(db.as_ref()) => {
                Error::Aborted("concurrent update, retry".into())
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(error = %error, "database unavailable");
                Error::Unavailable("database unavailable, retry later".into())
            }
            _ => Error::Internal(error.into()),
        }
    }
}

/// PostgreSQL `23505`; SQLite extended codes 2067 (UNIQUE) and 1555 (PRIMARY KEY).
pub fn is_unique_violation(error: &dyn sqlx::error::DatabaseError) -> bool {
    matches!(
        error.code().as_deref(),
        Some("23505") | Some("2067") | Some("1555")
    ) || error.kind() == sqlx::error::ErrorKind::UniqueViolation
}

/// PostgreSQL serialization failure or deadlock; SQLite busy.
fn is_serialization_failure(error: &dyn sqlx::error::DatabaseError) -> bool {
    matches!(
        error.code().as_deref(),
        Some("40001") | Some("40P01") | Some("5") | Some("517")
    )
}

/// Collects field violations so a request reports every bad field at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }
    /// Records a violation of `field` when `ok` is false.
    pub fn check(&mut self, ok: bool, field: &str, description: &str) -> &mut Self {
        if !ok {
            self.add(field, description);
        }
        self
    }
    pub fn add(&mut self, field: &str, description: impl Into<String>) -> &mut Self {
        self.0.push(FieldViolation {
            field: field.to_string(),
            description: description.into(),
        });
        self
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when nothing was recorded, else `INVALID_ARGUMENT` with every violation.
    pub fn finish(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidArgument(self.0))
        }
    }
}

/// The violated fields named in a status, for tests and clients.
pub fn violated_fields(status: &Status) -> Vec<String> {
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default()
}

/// The rule named in a `FAILED_PRECONDITION` status.
pub fn violated_rule(status: &Status) -> Option<String> {
    status
        .get_details_precondition_failure()
        .and_then(|p| p.violations.into_iter().next())
        .map(|v| v.subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_argument_lists_every_field() {
        let mut v = Violations::new();
        v.check(false, "email", "must be an email address")
            .check(true, "phone", "unused")
            .check(false, "password", "at least 10 characters");
        let status = Status::from(v.finish().unwrap_err());
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(violated_fields(&status), vec!["email", "password"]);
        assert!(status.message().contains("email: must be an email address"));
    }

    #[test]
    fn messages_and_violations_are_bounded_whatever_the_input() {
        let echoed = "é".repeat(100_000);
        let mut v = Violations::new();
        for i in 0..1000 {
            v.add(&format!("names[{i}]{echoed}"), format!("unknown: {echoed}"));
        }
        let status = Status::from(v.finish().unwrap_err());
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(
            status.message().len() <= MAX_MESSAGE_BYTES,
            "{}",
            status.message().len()
        );
        assert!(
            status.message().ends_with("and 980 more"),
            "{}",
            status.message()
        );
        let details = status.get_details_bad_request().unwrap().field_violations;
        assert_eq!(details.len(), MAX_VIOLATIONS);
        for d in &details {
            assert!(
                d.field.len() <= MAX_VIOLATION_BYTES && d.description.len() <= MAX_VIOLATION_BYTES
            );
            assert!(d.description.ends_with('…'));
        }
        assert!(details[3].field.starts_with("names[3]"));

        for error in [
            Error::rule("some.rule", echoed.clone()),
            Error::not_found(echoed.clone()),
            Error::AlreadyExists(echoed.clone()),
        ] {
            let status = Status::from(error);
            assert!(
                status.message().len() <= MAX_MESSAGE_BYTES,
                "{:?}",
                status.code()
            );
        }
        // Short texts are left alone.
        assert_eq!(bounded("petition", 8), "petition");
        assert_eq!(bounded("pétition", 6), "pé…");
        assert_eq!(bounded("pétition", 5), "p…");
    }

    #[test]
    fn no_violations_is_ok() {
        let mut v = Violations::new();
        v.check(true, "email", "x");
        assert!(v.finish().is_ok());
    }

    #[test]
    fn failed_precondition_names_the_rule() {
        let status = Status::from(Error::rule("petition.min_signatures", "needs 300"));
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(
            violated_rule(&status).as_deref(),
            Some("petition.min_signatures")
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let status = Status::from(Error::internal(anyhow::anyhow!("password=hunter2 leaked")));
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("hunter2"));
    }

    #[test]
    fn each_variant_has_its_code() {
        assert_eq!(Error::not_found("account").code(), Code::NotFound);
        assert_eq!(Error::AlreadyExists("x".into()).code(), Code::AlreadyExists);
        assert_eq!(Error::Aborted("x".into()).code(), Code::Aborted);
        assert_eq!(
            Error::ResourceExhausted("x".into()).code(),
            Code::ResourceExhausted
        );
        assert_eq!(
            Error::Unauthenticated("x".into()).code(),
            Code::Unauthenticated
        );
        assert_eq!(
            Error::PermissionDenied("x".into()).code(),
            Code::PermissionDenied
        );
        assert_eq!(Error::Unavailable("x".into()).code(), Code::Unavailable);
    }
}
