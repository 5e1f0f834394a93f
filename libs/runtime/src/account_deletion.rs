//! Reading identity's `identity.account.deleted`, as every service that erases a deleted
//! person's data does (consultation and training): one durable consumer per service on
//! identity's stream, `<service>-identity`, which its NATS user may read.

use tachawor_events::{ConsumerSettings, Envelope, HandlerError, decode_payload};
use tachawor_proto::{catalogue, events::AccountDeleted};

/// The type string consumers subscribe to.
pub const ACCOUNT_DELETED: &str = catalogue::ACCOUNT_DELETED.name();

/// The durable consumer of `service` that reads deletions only.
pub fn consumer_settings(service: &str) -> ConsumerSettings {
    ConsumerSettings::new(&format!("{service}-identity"), &[ACCOUNT_DELETED])
}

/// The deleted account's id when `envelope` is a deletion, `None` for any other event; a
/// deletion that cannot be read, or names no account, is poison (dead-lettered, not retried).
pub fn deleted_account(envelope: &Envelope) -> Result<Option<String>, HandlerError> {
    if envelope.r#type != ACCOUNT_DELETED {
        return Ok(None);
    }
    let deleted: AccountDeleted = decode_payload(envelope)
        .map_err(|e| HandlerError::Poison(format!("{ACCOUNT_DELETED}: {e}")))?;
    if uuid::Uuid::parse_str(&deleted.account_id).is_err() {
        return Err(HandlerError::Poison(format!(
            "{ACCOUNT_DELETED} without an account id"
        )));
    }
    Ok(Some(deleted.account_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_reads_deletions_through_its_own_consumer() {
        let settings = consumer_settings("training");
        assert_eq!(settings.durable_name, "training-identity");
    }
}
