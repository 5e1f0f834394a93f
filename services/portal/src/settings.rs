//! The portal's settings: `config/default.toml`, then a file, then the environment.

use std::net::SocketAddr;

use serde::Deserialize;
use tachawor_telemetry::TelemetrySettings;

/// The built-in defaults.
pub const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub services: ServiceUrls,
    pub region: tachawor_region::RegionSettings,
    pub pages: PageSettings,
    #[serde(default)]
    pub telemetry: TelemetrySettings,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub listen_addr: SocketAddr,
    /// The address people reach the portal at.
    pub public_url: String,
    pub request_timeout_ms: u64,
    /// Proxies (networks) whose `X-Forwarded-For` names the person's address: the ingress.
    #[serde(default, deserialize_with = "tachawor_config::list")]
    pub trusted_proxies: Vec<String>,
}

/// Where each service answers gRPC.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceUrls {
    pub identity_url: String,
    pub consultation_url: String,
    pub training_url: String,
    pub reporting_url: String,
    /// The notification service, for the inbox and its preferences. Empty when the region runs
    /// the portal without it: the inbox pages then do not exist and no page links to them.
    #[serde(default)]
    pub notification_url: String,
    pub call_timeout_ms: u64,
    /// The largest document the services accept (their `documents.max_bytes`): a download
    /// comes in one message, so the portal's clients read messages that large.
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: usize,
    /// The portal's credentials at identity: its service token lets identity believe the
    /// person's address the portal reports, so sign-in limits apply per person.
    pub client_id: String,
    pub client_secret: secrecy::SecretString,
    /// The platform CA and the portal's own certificate, for `https://` URLs (mutual TLS).
    #[serde(default)]
    pub tls: tachawor_server::ClientTlsSettings,
}

fn default_max_document_bytes() -> usize {
    10 * 1024 * 1024
}

#[derive(Debug, Clone, Deserialize)]
pub struct PageSettings {
    pub page_size: i32,
    pub public_max_age_secs: u32,
    /// How long this replica keeps a public page for every anonymous reader; 0 turns it off.
    pub cache_ttl_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load() {
        let s: Settings = tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete");
        assert_eq!(s.server.listen_addr.port(), 8080);
        assert_eq!(s.pages.page_size, 20);
        assert!(s.services.consultation_url.ends_with(":50052"));
        assert!(
            s.services.notification_url.is_empty(),
            "notification is optional and off unless its address is set"
        );
    }
}
