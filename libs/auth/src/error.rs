//! Why a token was refused, or why keys or tokens could not be obtained.

/// Every failure of this crate. Verification failures say precisely why, for logs and tests;
/// clients only learn that their token was refused (or that it expired, so they refresh).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("malformed token: {0}")]
    Malformed(String),
    #[error("token algorithm not allowed")]
    AlgorithmNotAllowed,
    #[error("token type is not at+jwt")]
    WrongType,
    #[error("token signed by unknown key {kid:?}")]
    UnknownKey { kid: String },
    #[error("token signature invalid")]
    BadSignature,
    #[error("token expired")]
    Expired,
    #[error("token not yet valid")]
    NotYetValid,
    #[error("token issuer not accepted")]
    WrongIssuer,
    #[error("token audience not accepted")]
    WrongAudience,
    /// Key material that cannot be used: a bad PKCS#8 document, a bad published key.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    #[error("signing failed: {0}")]
    Signing(String),
    /// Identity could not be reached, or answered with an error.
    #[error("identity unavailable: {0}")]
    Unavailable(String),
    /// Identity refused this service's credentials.
    #[error("service credentials refused: {0}")]
    CredentialsRefused(String),
}

impl AuthError {
    /// True for the failures that mean "this token is not acceptable", as opposed to keys or
    /// identity being unavailable.
    pub fn is_rejection(&self) -> bool {
        !matches!(
            self,
            Self::InvalidKey(_)
                | Self::Signing(_)
                | Self::Unavailable(_)
                | Self::CredentialsRefused(_)
        )
    }
}

impl From<AuthError> for tachawor_errors::Error {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Expired => Self::Unauthenticated("access token expired".into()),
            e if e.is_rejection() => Self::Unauthenticated("invalid access token".into()),
            AuthError::Unavailable(m) => Self::Unavailable(m),
            other => Self::internal(other),
        }
    }
}

impl From<jsonwebtoken::errors::Error> for AuthError {
    fn from(error: jsonwebtoken::errors::Error) -> Self {
        use jsonwebtoken::errors::ErrorKind as K;
        match error.kind() {
            K::InvalidSignature => Self::BadSignature,
            K::InvalidIssuer => Self::WrongIssuer,
            K::InvalidAudience => Self::WrongAudience,
            K::ExpiredSignature => Self::Expired,
            K::ImmatureSignature => Self::NotYetValid,
            K::InvalidAlgorithm | K::UnsupportedAlgorithm | K::InvalidAlgorithmName => {
                Self::AlgorithmNotAllowed
            }
            K::InvalidEddsaKey | K::InvalidKeyFormat => Self::InvalidKey(error.to_string()),
            _ => Self::Malformed(error.to_string()),
        }
    }
}
