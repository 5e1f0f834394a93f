//! What can go wrong talking to the bus.

/// An error of the bus, the relay or a consumer. Never carries an event's payload.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    #[error("invalid events configuration: {0}")]
    Config(String),
    #[error("could not connect to NATS")]
    Connect(#[source] async_nats::ConnectError),
    #[error("JetStream {operation} failed")]
    JetStream {
        operation: &'static str,
        #[source]
        source: async_nats::Error,
    },
    #[error("no stream captures subject {0}")]
    StreamNotFound(String),
    #[error("the broker did not acknowledge the publish")]
    NotAcknowledged(#[source] async_nats::Error),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] tachawor_storage::StorageError),
    #[error("undecodable event envelope")]
    Decode(#[from] prost::DecodeError),
}

impl EventsError {
    pub(crate) fn jetstream(operation: &'static str, source: impl Into<async_nats::Error>) -> Self {
        Self::JetStream {
            operation,
            source: source.into(),
        }
    }
}

/// An error and its causes on one line, for logs: `a: b: c`.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
