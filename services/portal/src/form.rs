//! A form's errors as a person reads them: a summary at the top linking to each field, and
//! the same message beside the field (the GOV.UK and DSFR pattern).
//!
//! Services name the fields they refuse and the rules a request broke, in English for
//! programs; the portal turns each into a sentence of the page's language, most specific
//! message first: `<form>-<field>-invalid`, then `field-<field>-invalid`, then a general one.

use axum::http::StatusCode;
use tonic::Code;

use crate::{error::PageError, i18n::Tr};

/// One message, and the field (its `id` on the page) it belongs to, if any.
#[derive(Clone, Debug)]
pub struct FormError {
    pub field: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct FormErrors(Vec<FormError>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        !self.0.is_empty()
    }

    /// The status of a form page: 422 when it shows errors.
    pub fn status(&self) -> StatusCode {
        if self.has_errors() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    pub fn items(&self) -> &[FormError] {
        &self.0
    }

    /// Adds `message` beside `field`, once per field.
    pub fn field(&mut self, field: &str, message: String) -> &mut Self {
        if self.get(field).is_none() {
            self.0.push(FormError {
                field: Some(field.to_string()),
                message,
            });
        }
        self
    }

    /// Adds a message about the whole form.
    pub fn general(&mut self, message: String) -> &mut Self {
        self.0.push(FormError {
            field: None,
            message,
        });
        self
    }

    /// Requires `value` to be filled in, with the form's own message for an empty `field`.
    pub fn require(&mut self, tr: Tr, form: &str, field: &str, value: &str) -> &mut Self {
        if value.trim().is_empty() {
            let message = tr.first_of(&[
                &format!("{form}-{field}-missing"),
                &format!("field-{field}-missing"),
                "field-missing",
            ]);
            self.field(field, message);
        }
        self
    }

    /// The message beside `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field.as_deref() == Some(field))
            .map(|e| e.message.as_str())
    }

    /// What a service's refusal of form `form` means for the person. Refusals a person can fix
    /// become messages; anything else (unavailable, not found, signed out) is a page error.
    /// `fields` maps a service's field name to the page's when they differ.
    pub fn from_status(
        status: &tonic::Status,
        tr: Tr,
        form: &str,
        fields: &[(&str, &str)],
    ) -> Result<Self, PageError> {
        Self::from_status_beside(status, tr, form, fields, &[])
    }

    /// As [`Self::from_status`], with the rules a field's value breaks (`rules` maps a rule as
    /// message ids spell it to the page's field) shown beside that field.
    pub fn from_status_beside(
        status: &tonic::Status,
        tr: Tr,
        form: &str,
        fields: &[(&str, &str)],
        rules: &[(&str, &str)],
    ) -> Result<Self, PageError> {
        let mut errors = Self::new();
        match status.code() {
            Code::InvalidArgument => {
                let named = tachawor_errors::violated_fields(status);
                for service_field in &named {
                    // `answers[2].choice` is reported on the page's field for answer 2.
                    let field = fields
                        .iter()
                        .find(|(from, _)| service_field.starts_with(from))
                        .map_or(service_field.as_str(), |(_, to)| to);
                    let message = tr.first_of(&[
                        &format!("{form}-{field}-invalid"),
                        &format!("field-{field}-invalid"),
                        "field-invalid",
                    ]);
                    errors.field(field, message);
                }
                if named.is_empty() {
                    errors.general(tr.t("form-invalid"));
                }
            }
            Code::FailedPrecondition => {
                let rule = broken_rule(status).unwrap_or_default();
                let message = tr.first_of(&[
                    &format!("{form}-rule-{rule}"),
                    &format!("rule-{rule}"),
                    "rule-broken",
                ]);
                match rules.iter().find(|(r, _)| *r == rule) {
                    Some((_, field)) => errors.field(field, message),
                    None => errors.general(message),
                };
            }
            Code::AlreadyExists => {
                errors.general(
                    tr.first_of(&[&format!("{form}-already-exists"), "form-already-exists"]),
                );
            }
            Code::ResourceExhausted => {
                errors.general(tr.t("form-too-many"));
            }
            _ => return Err(PageError::from_status(status, tr.lang)),
        }
        Ok(errors)
    }
}

/// The rule a `FAILED_PRECONDITION` names, as message ids spell it (`_` and `.` as `-`).
pub fn broken_rule(status: &tonic::Status) -> Option<String> {
    if status.code() != Code::FailedPrecondition {
        return None;
    }
    tachawor_errors::violated_rule(status).map(|r| r.replace(['_', '.'], "-"))
}

/// A key a form carries so the service takes it once however often it is posted (a double
/// click, a retry): made when the form is shown.
pub fn idempotency_key() -> String {
    crate::person::csrf::new_token()
}

/// The key a posted form carried, when it is one this portal could have made; else a new one
/// (the post is then taken as a first).
pub fn posted_key(sent: &str) -> String {
    if crate::person::csrf::is_token(sent) {
        sent.to_string()
    } else {
        idempotency_key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn refused_fields_get_a_message_in_the_page_language() {
        let mut v = tachawor_errors::Violations::new();
        v.check(false, "password", "too short");
        let status = tonic::Status::from(v.finish().unwrap_err());
        let errors = FormErrors::from_status(&status, Tr::new(Lang::Fr), "register", &[]).unwrap();
        let message = errors.get("password").unwrap();
        assert!(
            !message.contains("too short") && !message.contains("invalid"),
            "{message}"
        );
    }

    #[test]
    fn a_broken_rule_is_a_sentence_and_an_outage_is_a_page() {
        let status = tonic::Status::from(tachawor_errors::Error::rule("some_new_rule", "text"));
        let errors = FormErrors::from_status(&status, Tr::new(Lang::Ar), "x", &[]).unwrap();
        assert_eq!(errors.items().len(), 1);
        assert!(errors.items()[0].field.is_none());
        assert!(
            FormErrors::from_status(
                &tonic::Status::unavailable("down"),
                Tr::new(Lang::Ar),
                "x",
                &[]
            )
            .is_err()
        );
    }
}
