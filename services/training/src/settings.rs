//! The training service's settings: `config/default.toml`, then a file, then the environment.

use std::path::Path;

use serde::Deserialize;
use tachawor_auth::VerifierSettings;
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
    /// Verifying access tokens; `identity_url` is also where eligibility is asked.
    pub auth: VerifierSettings,
    pub identity: tachawor_auth::IdentityClientSettings,
    pub training: TrainingSettings,
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
pub struct TrainingSettings {
    pub check_in_code_ttl_secs: i64,
    pub check_in_max_failures: i64,
    /// The region's offset from UTC, for the venue's "today".
    pub utc_offset_minutes: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_hold_no_secret() {
        let s: Settings = tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete");
        assert_eq!(s.server.listen_addr.port(), 50053);
        assert_eq!(s.training.check_in_code_ttl_secs, 300);
        assert_eq!(s.identity.client_id, "training");
        use tachawor_config::ExposeSecret;
        assert!(s.identity.client_secret.expose_secret().is_empty());
    }
}
