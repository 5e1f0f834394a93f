//! What an access token says about its bearer.

use serde::{Deserialize, Serialize};

/// The JOSE `typ` of access tokens (RFC 9068), so no other JWT can pass for one.
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// Who a token was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A person's account; `sub` is the account id.
    Account,
    /// Another Tachawor service; `sub` is its client id.
    Service,
}

/// The claims of an access token. Every field is required when verifying.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    /// Unix seconds.
    pub exp: i64,
    /// Unix seconds.
    pub nbf: i64,
    /// Unix seconds.
    pub iat: i64,
    pub jti: String,
    pub kind: SubjectKind,
    /// Role names (`Role::as_str`); names this version does not know are ignored.
    pub roles: Vec<String>,
    /// What the roles apply to: `instance:<uuid>`, `association:<uuid>`.
    pub scopes: Vec<String>,
}

/// The scope naming membership of a consultative instance.
pub fn instance_scope(instance_id: &str) -> String {
    format!("instance:{instance_id}")
}

/// The scope naming representation of an association.
pub fn association_scope(association_id: &str) -> String {
    format!("association:{association_id}")
}
