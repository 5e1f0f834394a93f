//! Access tokens, their local verification, and the caller's identity in gRPC handlers.
//!
//! Identity signs short-lived access tokens (JWT, `typ: at+jwt`, EdDSA over Ed25519, with a
//! `kid`) and publishes the public keys with `IdentityService/GetKeySet`. Every other service
//! verifies tokens locally against that key set, which it refreshes in the background.
//!
//! # Layout
//!
//! - [`role`] — the five roles, their names and proto values.
//! - [`claims`] — what a token says (`Claims`), and scope names.
//! - [`signing`] — identity's private key (`SigningKey`): signs tokens, publishes its public half.
//! - [`verifier`] — `Verifier` and its settings: checks a token against the key set.
//! - [`key_refresh`] — `KeySource`, `GrpcKeySource`, `start_key_refresh`: keeps the key set fresh.
//! - [`caller`] — `Caller`: who is calling, and the checks handlers make
//!   (`Caller::of(&request).require_any(&[Role::CouncilStaff])?`).
//! - [`interceptor`] — `AuthInterceptor` (server: token to `Caller`, and the client address a
//!   trusted front reports) and `BearerInterceptor` (client: a fixed token).
//! - [`call`] — `Call`: the caller and the client's address, as a handler sees them.
//! - [`service_token`] — `ServiceTokenSource` and `ServiceAuthChannel`: a service's own token for
//!   calling the others.
//! - [`error`] — `AuthError`.

pub mod call;
pub mod caller;
pub mod claims;
pub mod eligibility;
pub mod error;
pub mod interceptor;
pub mod key_refresh;
pub mod role;
pub mod service_token;
pub mod signing;
pub mod verifier;

pub use call::{CLIENT_ADDRESS, Call, ClientAddress};
pub use caller::{AccountCaller, Caller, ServiceCaller};
pub use claims::{ACCESS_TOKEN_TYPE, Claims, SubjectKind, association_scope, instance_scope};
pub use eligibility::{
    EligibilityClient, IdentityClientSettings, ServiceIdentityClient, service_identity_client,
};
pub use error::AuthError;
pub use interceptor::{AuthInterceptor, BearerInterceptor};
pub use key_refresh::{BoxFuture, GrpcKeySource, KeySource, remote_verifier, start_key_refresh};
pub use role::{Role, STAFF, STAFF_READ, UnknownRole};
pub use service_token::{IssuedToken, ServiceAuthChannel, ServiceTokenSource, TokenIssuer};
pub use signing::SigningKey;
pub use verifier::{Verifier, VerifierSettings};
