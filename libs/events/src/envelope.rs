//! The one envelope every event travels in, and its typed payload.

use prost::Name;
use tachawor_proto::{
    catalogue::Event,
    events::{Envelope, TraceContext},
};

/// Domain of every payload's `type_url`, as protobuf's `Any` expects.
const TYPE_URL_DOMAIN: &str = "type.googleapis.com";

/// The `type_url` a payload of type `M` carries.
pub fn type_url<M: Name>() -> String {
    format!("{TYPE_URL_DOMAIN}/{}", M::full_name())
}

/// Why a payload could not be read from an envelope.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("envelope has no payload")]
    Missing,
    #[error("payload is {actual}, not {expected}")]
    WrongType { expected: String, actual: String },
    #[error("undecodable payload")]
    Decode(#[from] prost::DecodeError),
}

/// Decodes an envelope's payload as `M`, checking its type first.
pub fn decode_payload<M: Name + Default>(envelope: &Envelope) -> Result<M, PayloadError> {
    let any = envelope.payload.as_ref().ok_or(PayloadError::Missing)?;
    let expected = type_url::<M>();
    if any.type_url != expected {
        return Err(PayloadError::WrongType {
            expected,
            actual: any.type_url.clone(),
        });
    }
    Ok(M::decode(any.value.as_slice())?)
}

/// An envelope's payload, read as the catalogue asks.
struct Payload<'a>(&'a Envelope);

impl tachawor_proto::catalogue::PayloadDecoder for Payload<'_> {
    type Error = PayloadError;
    fn decode<M: Name + Default>(&self) -> Result<M, PayloadError> {
        decode_payload(self.0)
    }
}

/// The envelope's event as the catalogue's [`Event`]: `Ok(None)` for a type this version does
/// not know, an error for a known type whose payload is missing, of another message or
/// unreadable.
pub fn decode_event(envelope: &Envelope) -> Result<Option<Event>, PayloadError> {
    Event::decode(&envelope.r#type, &Payload(envelope))
}

/// The parts of an envelope that come from the producer rather than the event.
pub(crate) struct EnvelopeParts<'a> {
    pub event_id: uuid::Uuid,
    pub event_type: &'a str,
    pub occurred_at_millis: i64,
    pub producer: &'a str,
    pub region: &'a str,
    pub trace_context: TraceContext,
    pub aggregate_id: &'a str,
}

pub(crate) fn build<M: Name>(parts: EnvelopeParts<'_>, payload: &M) -> Envelope {
    Envelope {
        event_id: parts.event_id.to_string(),
        r#type: parts.event_type.to_string(),
        occurred_at: Some(timestamp(parts.occurred_at_millis)),
        producer: parts.producer.to_string(),
        region: parts.region.to_string(),
        trace_context: Some(parts.trace_context),
        aggregate_id: parts.aggregate_id.to_string(),
        payload: Some(prost_types::Any {
            type_url: type_url::<M>(),
            value: payload.encode_to_vec(),
        }),
    }
}

pub(crate) fn timestamp(millis: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: millis.div_euclid(1_000),
        // Always in 0..1_000_000_000, so the cast cannot truncate.
        nanos: (millis.rem_euclid(1_000) * 1_000_000) as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, PartialEq, prost::Message)]
    struct Sample {
        #[prost(string, tag = "1")]
        account_id: String,
    }
    impl Name for Sample {
        const PACKAGE: &'static str = "tachawor.test.v1";
        const NAME: &'static str = "Sample";
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct Other {}
    impl Name for Other {
        const PACKAGE: &'static str = "tachawor.test.v1";
        const NAME: &'static str = "Other";
    }

    fn envelope() -> Envelope {
        build(
            EnvelopeParts {
                event_id: uuid::Uuid::now_v7(),
                event_type: "identity.account.registered",
                occurred_at_millis: 1_764_230_400_123,
                producer: "identity",
                region: "laayoune-sakia-el-hamra",
                trace_context: TraceContext::default(),
                aggregate_id: "a-1",
            },
            &Sample {
                account_id: "a-1".into(),
            },
        )
    }

    #[test]
    fn payload_is_an_any_with_the_google_type_url() {
        let e = envelope();
        let any = e.payload.as_ref().unwrap();
        assert_eq!(any.type_url, "type.googleapis.com/tachawor.test.v1.Sample");
        let sample: Sample = decode_payload(&e).unwrap();
        assert_eq!(sample.account_id, "a-1");
        assert!(matches!(
            decode_payload::<Other>(&e),
            Err(PayloadError::WrongType { .. })
        ));
    }

    #[test]
    fn contract_messages_get_their_full_protobuf_name() {
        assert_eq!(
            type_url::<tachawor_proto::events::AccountRegistered>(),
            "type.googleapis.com/tachawor.events.v1.AccountRegistered"
        );
    }

    #[test]
    fn occurred_at_keeps_milliseconds() {
        let ts = envelope().occurred_at.unwrap();
        assert_eq!(ts.seconds, 1_764_230_400);
        assert_eq!(ts.nanos, 123_000_000);
        assert_eq!(timestamp(-1).seconds, -1);
        assert_eq!(timestamp(-1).nanos, 999_000_000);
    }
}
