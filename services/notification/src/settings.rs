//! The notification service's settings: `config/default.toml`, then a file, then the
//! environment.

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
    /// Verifying identity's access tokens.
    pub auth: VerifierSettings,
    pub notification: NotificationSettings,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct NotificationSettings {
    /// Base of the durable consumer names.
    pub consumer_name: String,
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
    }
}
