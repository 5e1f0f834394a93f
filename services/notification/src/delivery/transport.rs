//! How a failed send is classified: a passing failure is retried, a permanent one is not.
//! Reasons name the failure (a status code, a timeout), never the address or the message.

/// Why a message did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth another try later: connection refused, SMTP 4xx, HTTP 5xx, a timeout.
    Transient(String),
    /// Will fail the same way again: SMTP 5xx, HTTP 4xx, an address that cannot be written.
    Permanent(String),
}

impl SendError {
    pub fn reason(&self) -> &str {
        match self {
            SendError::Transient(r) | SendError::Permanent(r) => r,
        }
    }
}
