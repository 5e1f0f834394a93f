//! The person behind a request: their session cookie (refreshed when its access token is about
//! to expire), the form token that proves a form came from the portal, their address, and the
//! roles their token names (which decide what pages show, never what is allowed).
//!
//! Nothing here is stored by the portal: the session lives in the person's HttpOnly cookie and
//! is checked by the services on every call, so any replica serves any request.

pub mod address;
pub mod cookies;
pub mod csrf;
pub mod multipart;
pub mod roles;
pub mod session;

pub use csrf::{Posted, RawPost};
pub use multipart::MultipartPost;
pub use session::{Session, SignedIn, Visitor};
