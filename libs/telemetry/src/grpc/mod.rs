//! gRPC instrumentation: tower layers for the server and for client channels.
//!
//! Both record one span per call (named `<package.Service>/<Method>`, with the `rpc.*`
//! attributes) and a duration histogram, and both follow the call until its response body
//! ends, so the status of a streaming or unary call comes from the trailers.

mod call;
mod client;
mod server;

pub use call::{ObservedBody, ObservedFuture};
pub use client::{GrpcClientLayer, GrpcClientService, TraceContextInterceptor};
pub use server::{GrpcServerLayer, GrpcServerService};

/// Splits `/package.Service/Method` into its service and method; `None` for anything else.
pub(crate) fn parse_path(path: &str) -> Option<(&str, &str)> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    if service.is_empty() || method.is_empty() || method.contains('/') {
        return None;
    }
    Some((service, method))
}

#[cfg(test)]
mod tests {
    use super::parse_path;

    #[test]
    fn grpc_paths_split_into_service_and_method() {
        assert_eq!(
            parse_path("/tachawor.identity.v1.IdentityService/Register"),
            Some(("tachawor.identity.v1.IdentityService", "Register"))
        );
        assert_eq!(parse_path("/"), None);
        assert_eq!(parse_path("/only-service"), None);
        assert_eq!(parse_path("/a/b/c"), None);
        assert_eq!(parse_path("//Method"), None);
    }
}
