//! The training service's settings: `config/default.toml`, then a file, then the environment.

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
    pub region: tachawor_region::RegionSettings,
    /// Verifying access tokens; `identity_url` is also where eligibility is asked.
    pub auth: VerifierSettings,
    pub identity: tachawor_auth::IdentityClientSettings,
    pub training: TrainingSettings,
    /// Where sessions' material is kept, and what is accepted.
    #[serde(default)]
    pub documents: tachawor_documents::DocumentSettings,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct TrainingSettings {
    pub check_in_code_ttl_secs: i64,
    pub check_in_max_failures: i64,
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
