//! Events made as their producers would make them, for tests and benchmarks that publish or
//! apply them directly.

use tachawor_events::{Envelope, type_url};

/// An envelope of `payload` under a fresh event id (UUIDv7), `occurred_at` = `at` (unix ms),
/// the producer being the first token of `event_type`.
pub fn envelope<M: prost::Name>(event_type: &str, at: i64, payload: &M) -> Envelope {
    Envelope {
        event_id: uuid::Uuid::now_v7().to_string(),
        r#type: event_type.into(),
        occurred_at: Some(tachawor_proto::dates::timestamp(at)),
        producer: event_type.split('.').next().unwrap_or_default().into(),
        region: "laayoune-sakia-el-hamra".into(),
        trace_context: None,
        aggregate_id: String::new(),
        payload: Some(prost_types::Any {
            type_url: type_url::<M>(),
            value: prost::Message::encode_to_vec(payload),
        }),
    }
}
