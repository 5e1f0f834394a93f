//! A form of one text field beside an item of a list (a reason to hide a contribution, a name
//! to approve): required on the page, then sent; what the service says is the item's outcome,
//! a sentence (its rule), or a message beside the field.

use crate::{error::PageError, form::FormErrors, i18n::Tr};

/// The field of one item: its id on the page, what was typed, the service's name for it, and
/// the messages for it missing or refused.
pub struct ItemField<'a> {
    pub id: &'a str,
    pub typed: &'a str,
    pub service: &'a str,
    pub missing: &'a str,
    pub invalid: &'a str,
}

/// What became of the form.
pub enum Sent {
    Done,
    /// A rule said no: the item changed meanwhile; nothing was written.
    Refused,
    Errors(FormErrors),
}

/// Sends `call` (made from the form, not yet sent) when the field is filled in.
pub async fn send<T>(
    tr: Tr,
    prefix: &str,
    field: ItemField<'_>,
    call: impl Future<Output = Result<T, tonic::Status>>,
) -> Result<Sent, PageError> {
    let mut errors = FormErrors::new();
    if field.typed.trim().is_empty() {
        errors.field(field.id, tr.t(field.missing));
        return Ok(Sent::Errors(errors));
    }
    match call.await {
        Ok(_) => Ok(Sent::Done),
        Err(status) if status.code() == tonic::Code::FailedPrecondition => Ok(Sent::Refused),
        Err(status) if super::answers::names(&status, field.service) => {
            errors.field(field.id, tr.t(field.invalid));
            Ok(Sent::Errors(errors))
        }
        Err(status) => Ok(Sent::Errors(FormErrors::from_status(
            &status,
            tr,
            prefix,
            &[],
        )?)),
    }
}
