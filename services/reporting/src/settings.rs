//! The reporting service's settings: `config/default.toml`, then a file, then the environment.

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
    pub commitments: CommitmentSettings,
    /// Verifying identity's access tokens.
    pub auth: VerifierSettings,
    pub reporting: ReportingSettings,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct CommitmentSettings {
    /// Path of the commitments file (`config/commitments/malaa0004.toml`).
    pub file: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReportingSettings {
    /// Public cells of fewer people are suppressed.
    pub min_cell_size: i64,
    /// Base of the durable consumer names.
    pub consumer_name: String,
    /// The producers whose streams are consumed.
    pub producers: Vec<String>,
    pub gauge_refresh_secs: u64,
    /// Events waiting together that each consumer applies in one transaction.
    pub apply_together: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load() {
        let s: Settings = tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete");
        assert_eq!(s.server.listen_addr.port(), 50054);
        assert_eq!(s.reporting.min_cell_size, 5);
        assert_eq!(
            s.reporting.producers,
            ["identity", "consultation", "training"]
        );
    }
}
