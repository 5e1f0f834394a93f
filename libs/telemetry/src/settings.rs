//! Configuration of logs, traces and metrics.

use serde::Deserialize;

/// How log lines are written to standard output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable, one line per event: for a terminal.
    #[default]
    Pretty,
    /// One JSON object per event: for a log collector.
    Json,
}

/// Telemetry settings, usually the `[telemetry]` table of a service's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct TelemetrySettings {
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// `EnvFilter` directives (`info,sqlx=warn`). `RUST_LOG`, when set and not empty, wins.
    pub log_filter: String,
    /// OTLP/gRPC collector, e.g. `http://otel-collector:4317`. `None`: nothing is exported.
    pub otlp_endpoint: Option<String>,
    /// How often metrics are exported, in milliseconds.
    pub export_interval_ms: u64,
    /// Share of new traces kept (0.0..=1.0); a child follows its parent's decision.
    pub sample_ratio: f64,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        Self {
            log_format: LogFormat::Pretty,
            log_filter: "info".to_owned(),
            otlp_endpoint: None,
            export_interval_ms: 10_000,
            sample_ratio: 1.0,
        }
    }
}

impl TelemetrySettings {
    /// The filter directives in force: `RUST_LOG` when set and not empty, else `log_filter`.
    pub(crate) fn directives(&self) -> String {
        std::env::var("RUST_LOG")
            .ok()
            .filter(|value| !value.trim().is_empty())
            .unwrap_or_else(|| self.log_filter.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_missing_keys() {
        let settings: TelemetrySettings =
            serde_json::from_str(r#"{"log_format": "json"}"#).unwrap();
        assert_eq!(settings.log_format, LogFormat::Json);
        assert_eq!(settings.log_filter, "info");
        assert_eq!(settings.otlp_endpoint, None);
        assert_eq!(settings.export_interval_ms, 10_000);
        assert_eq!(settings.sample_ratio, 1.0);
    }

    #[test]
    fn unknown_format_is_rejected() {
        assert!(serde_json::from_str::<TelemetrySettings>(r#"{"log_format": "xml"}"#).is_err());
    }
}
