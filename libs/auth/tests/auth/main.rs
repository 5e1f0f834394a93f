//! One test binary for the crate; each module covers one part.

mod caller_over_grpc;
mod helpers;
mod interceptor;
mod key_refresh;
mod over_tls;
mod service_token;
mod tokens;
