//! The identity service's settings: `config/default.toml`, then a file, then the environment.

use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;
use tachawor_config::SecretString;
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
    pub region: RegionSettings,
    pub tokens: TokenSettings,
    pub passwords: PasswordSettings,
    pub login_limits: LoginLimits,
    pub secrets: Secrets,
    pub bootstrap: Bootstrap,
    /// Client id → secret of the services allowed to obtain a service token.
    #[serde(default)]
    pub service_clients: BTreeMap<String, SecretString>,
}

impl Settings {
    pub fn load(file: Option<&Path>) -> Result<Self, tachawor_config::ConfigError> {
        tachawor_config::load(DEFAULTS, file)
    }

    /// As [`Settings::load`], with values a host program (the all-in-one) imposes under the
    /// file and the environment.
    pub fn load_with(
        file: Option<&Path>,
        embedded: std::collections::HashMap<String, String>,
    ) -> Result<Self, tachawor_config::ConfigError> {
        tachawor_config::load_with(DEFAULTS, &embedded, file)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct RegionSettings {
    /// Path of the region's reference data file.
    pub file: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TokenSettings {
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub service_token_ttl_secs: i64,
    pub signing_key_rotation_secs: i64,
    /// How long a new key is published before it signs; more than the verifiers' key refresh.
    pub signing_key_prepublish_secs: i64,
}

/// argon2id cost parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct PasswordSettings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub min_length: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LoginLimits {
    pub window_secs: i64,
    pub max_failures_per_identifier: i64,
    pub max_failures_per_peer: i64,
}

/// Keys that protect personal data and signing keys at rest; base64 of 32 bytes each.
#[derive(Debug, Clone, Deserialize)]
pub struct Secrets {
    pub cin_encryption_key: SecretString,
    pub cin_hmac_key: SecretString,
    pub signing_key_encryption_key: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Bootstrap {
    #[serde(default)]
    pub admin_email: String,
    pub admin_password: SecretString,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_hold_no_secret() {
        let s: Settings = tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete");
        assert_eq!(s.tokens.access_ttl_secs, 900);
        assert_eq!(s.passwords.memory_kib, 19456);
        use tachawor_config::ExposeSecret;
        assert!(s.secrets.cin_encryption_key.expose_secret().is_empty());
        assert!(s.service_clients.is_empty());
    }
}
