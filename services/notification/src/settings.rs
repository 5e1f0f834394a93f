//! The notification service's settings: `config/default.toml`, then a file, then the
//! environment.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Deserialize;
use tachawor_auth::{IdentityClientSettings, VerifierSettings};
use tachawor_events::EventsSettings;
use tachawor_server::ServerSettings;
use tachawor_storage::DatabaseSettings;
use tachawor_telemetry::TelemetrySettings;

/// The built-in defaults.
pub const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    #[serde(default)]
    pub events: EventsSettings,
    #[serde(default)]
    pub telemetry: TelemetrySettings,
    pub region: tachawor_region::RegionSettings,
    /// Verifying identity's access tokens.
    pub auth: VerifierSettings,
    pub notification: NotificationSettings,
    /// Asking identity where to send (`GetDeliveryContact`), as this service.
    pub identity: IdentityClientSettings,
    pub delivery: DeliverySettings,
    pub email: EmailSettings,
    pub sms: SmsSettings,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct NotificationSettings {
    /// Base of the durable consumer names.
    pub consumer_name: String,
    /// The portal's public address: links in messages start with it.
    pub portal_url: String,
    /// The language of people whose language identity does not know (`ar` or `fr`).
    pub default_language: String,
    /// The region's own wording of messages (`<lang>.ftl` files overriding built-in ones);
    /// empty: the built-in messages only.
    #[serde(default)]
    pub messages_dir: String,
}

/// The delivery worker: how often it looks, retries, rate limit and digest.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliverySettings {
    /// Whether this instance sends (a replica may be kept to serve the API only).
    pub enabled: bool,
    /// How often due messages are looked for when none were found.
    pub poll_interval_ms: u64,
    /// Rows claimed at once.
    pub batch_size: i64,
    /// How long a claimed row is held by its worker before another may take it.
    pub lease_ms: i64,
    /// A row left `sending` longer than this was abandoned by a stopped worker: dead-lettered
    /// as "outcome unknown", never sent again. Longer than any send can take.
    pub stale_sending_ms: i64,
    /// Attempts before a message failing for a passing reason is dead-lettered.
    pub max_attempts: i64,
    /// The first retry's delay, doubled at each attempt up to `retry_max_ms`, with jitter.
    pub retry_initial_ms: i64,
    pub retry_max_ms: i64,
    /// Messages per person and channel in `rate_window_ms`; over it, rows wait.
    pub rate_limit: i64,
    pub rate_window_ms: i64,
    /// From this many notifications of one person and channel due together, one message
    /// lists them all.
    pub digest_threshold: usize,
}

/// Where email goes.
#[derive(Debug, Clone, Deserialize)]
pub struct EmailSettings {
    /// `files` (an `.eml` file per message in `directory`) or `smtp`.
    pub transport: EmailTransport,
    /// The sender, e.g. `Tachawor <no-reply@region.ma>`.
    pub from: String,
    pub directory: PathBuf,
    pub smtp: SmtpSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailTransport {
    Files,
    Smtp,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `starttls` (upgrade on the submission port), `tls` (TLS from the start) or `none`.
    pub security: SmtpSecurity,
    /// Empty: no authentication.
    pub username: String,
    pub password: SecretString,
    /// Bounds one SMTP exchange.
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

/// Where SMS go.
#[derive(Debug, Clone, Deserialize)]
pub struct SmsSettings {
    /// `file` (a JSON line per message appended to `file`) or `http` (POST to `url`).
    pub transport: SmsTransport,
    pub file: PathBuf,
    /// The provider's endpoint, receiving `{"to": …, "text": …}`.
    pub url: String,
    /// Sent as `Authorization: Bearer …`; empty: none.
    pub token: SecretString,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsTransport {
    File,
    Http,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load() {
        let s: Settings = tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete");
        assert_eq!(s.server.listen_addr.port(), 50055);
        assert_eq!(s.notification.consumer_name, "notification");
        assert_eq!(s.notification.portal_url, "http://localhost:8080");
        assert_eq!(s.email.transport, EmailTransport::Files);
        assert_eq!(s.sms.transport, SmsTransport::File);
        assert_eq!(s.email.smtp.security, SmtpSecurity::Starttls);
        assert_eq!(s.identity.client_id, "notification");
    }
}
