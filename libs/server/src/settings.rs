//! Configuration of a service's gRPC server.

use std::net::{Ipv4Addr, SocketAddr};

use serde::Deserialize;

use crate::{cache::CacheSettings, tls::ServerTlsSettings};

/// Server settings, usually the `[server]` table of a service's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    /// Where the service listens; each service sets its own default port.
    pub listen_addr: SocketAddr,
    /// Longest a call may take before it is cancelled (the caller sees CANCELLED). A shorter
    /// `grpc-timeout` sent by the caller wins.
    pub request_timeout_ms: u64,
    /// Calls in progress at once on one connection; further calls wait.
    pub concurrency_limit: usize,
    /// HTTP/2 streams (calls) a client may open at once on one connection; the client holds
    /// back the rest. Bounds what waits behind `concurrency_limit`.
    pub max_concurrent_streams: u32,
    /// Calls in progress at once across all connections; a call over it is refused at once
    /// with RESOURCE_EXHAUSTED. Health checks are exempt. 0 means no limit.
    pub max_concurrent_calls: usize,
    /// Largest encoded message accepted or sent; services apply it to their generated server.
    pub max_message_bytes: usize,
    /// How long in-flight calls may drain after shutdown begins.
    pub shutdown_grace_ms: u64,
    /// How often the health probes run.
    pub health_check_interval_ms: u64,
    /// TLS (`[server.tls]`); plaintext unless a certificate is set.
    pub tls: ServerTlsSettings,
    /// A second, plaintext listener serving only `grpc.health.v1`, for probes that cannot
    /// speak TLS (the kubelet's gRPC probe). Unset: none.
    pub health_listen_addr: Option<SocketAddr>,
    /// The cache of answers to anonymous public reads (`[server.cache]`).
    pub cache: CacheSettings,
    /// Benchmarks only: mounts `tachawor.bench.Replay`, which answers recorded bytes, as the
    /// limit a public read is measured against. Never set in production.
    pub replay_for_benchmarks: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen_addr: SocketAddr::from((Ipv4Addr::UNSPECIFIED, 50051)),
            request_timeout_ms: 30_000,
            concurrency_limit: 256,
            max_concurrent_streams: 256,
            max_concurrent_calls: 512,
            max_message_bytes: 4 * 1024 * 1024,
            shutdown_grace_ms: 10_000,
            health_check_interval_ms: 2_000,
            tls: ServerTlsSettings::default(),
            health_listen_addr: None,
            cache: CacheSettings::default(),
            replay_for_benchmarks: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_take_their_defaults() {
        let settings: ServerSettings =
            serde_json::from_str(r#"{"listen_addr": "127.0.0.1:50061"}"#).unwrap();
        assert_eq!(settings.listen_addr, "127.0.0.1:50061".parse().unwrap());
        assert_eq!(settings.request_timeout_ms, 30_000);
        assert_eq!(settings.concurrency_limit, 256);
        assert_eq!(settings.max_message_bytes, 4_194_304);
        assert_eq!(settings.shutdown_grace_ms, 10_000);
        assert_eq!(settings.health_check_interval_ms, 2_000);
        assert_eq!(settings.max_concurrent_streams, 256);
        assert_eq!(settings.max_concurrent_calls, 512);
        assert!(!settings.tls.enabled());
        assert_eq!(settings.health_listen_addr, None);
        assert_eq!(settings.cache.ttl_ms, 1_000);
        assert_eq!(settings.cache.max_entries, 1_024);
        assert_eq!(settings.cache.max_bytes, 16 * 1024 * 1024);
        assert!(!settings.replay_for_benchmarks);
        assert_eq!(
            ServerSettings::default().listen_addr,
            "0.0.0.0:50051".parse().unwrap()
        );
    }
}
