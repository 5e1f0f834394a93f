//! The `[events]` section every service reads. Every key has a default, so the section may be
//! omitted entirely.

use serde::Deserialize;

/// Which broker carries the events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BusKind {
    /// NATS JetStream at `nats_url`: standalone services.
    #[default]
    Nats,
    /// Tables in a local database, shared by the services of one process: the all-in-one.
    InProcess,
}

/// `[events]`: where events go and how long the broker keeps them.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct EventsSettings {
    pub bus: BusKind,
    pub nats_url: String,
    /// First token of every subject and of every stream name; tests use a random one so they
    /// never see each other's events.
    pub subject_prefix: String,
    pub stream_max_age_days: u64,
    /// `-1` for no limit.
    pub stream_max_bytes: i64,
    /// How long JetStream remembers a `Nats-Msg-Id`; a publish retried within it is stored once.
    pub duplicate_window_secs: u64,
    /// Bound on every JetStream request and publish acknowledgement.
    pub request_timeout_ms: u64,
    pub relay: RelaySettings,
}

impl Default for EventsSettings {
    fn default() -> Self {
        Self {
            bus: BusKind::Nats,
            nats_url: "nats://127.0.0.1:4222".to_string(),
            subject_prefix: "tachawor".to_string(),
            stream_max_age_days: 365,
            stream_max_bytes: -1,
            duplicate_window_secs: 120,
            request_timeout_ms: 5_000,
            relay: RelaySettings::default(),
        }
    }
}

/// `[events.relay]`: how the outbox relay drains the outbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct RelaySettings {
    /// Rows claimed per round.
    pub batch_size: i64,
    /// Pause between rounds when the outbox is empty; a commit's `notify` cuts it short.
    pub poll_interval_ms: u64,
    /// Publishes awaiting their acknowledgement at once.
    pub max_in_flight: usize,
    /// How long published rows are kept, so a range can be published again.
    pub retention_hours: u64,
    /// Ceiling of the back-off while the broker is unreachable.
    pub max_backoff_ms: u64,
    /// How long `shutdown` keeps publishing what is pending.
    pub shutdown_timeout_ms: u64,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            batch_size: 100,
            poll_interval_ms: 200,
            max_in_flight: 64,
            retention_hours: 168,
            max_backoff_ms: 5_000,
            shutdown_timeout_ms: 5_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Debug, Deserialize)]
    struct ServiceSettings {
        #[serde(default)]
        events: EventsSettings,
    }

    #[test]
    fn the_section_may_be_omitted() {
        let s: ServiceSettings =
            tachawor_config::load_from("", None, Some(HashMap::new())).unwrap();
        assert_eq!(s.events.bus, BusKind::Nats);
        assert_eq!(s.events.nats_url, "nats://127.0.0.1:4222");
        assert_eq!(s.events.subject_prefix, "tachawor");
        assert_eq!(s.events.stream_max_age_days, 365);
        assert_eq!(s.events.stream_max_bytes, -1);
        assert_eq!(s.events.duplicate_window_secs, 120);
        assert_eq!(s.events.relay.batch_size, 100);
        assert_eq!(s.events.relay.poll_interval_ms, 200);
        assert_eq!(s.events.relay.max_in_flight, 64);
        assert_eq!(s.events.relay.retention_hours, 168);
    }

    #[test]
    fn keys_are_read_from_file_and_environment() {
        let defaults = "[events]\nbus = \"in_process\"\n[events.relay]\nbatch_size = 7\n";
        let env = HashMap::from([
            (
                "TACHAWOR__EVENTS__SUBJECT_PREFIX".to_string(),
                "t1".to_string(),
            ),
            (
                "TACHAWOR__EVENTS__RELAY__MAX_IN_FLIGHT".to_string(),
                "3".to_string(),
            ),
        ]);
        let s: ServiceSettings = tachawor_config::load_from(defaults, None, Some(env)).unwrap();
        assert_eq!(s.events.bus, BusKind::InProcess);
        assert_eq!(s.events.subject_prefix, "t1");
        assert_eq!(s.events.relay.batch_size, 7);
        assert_eq!(s.events.relay.max_in_flight, 3);
        assert_eq!(
            s.events.relay.retention_hours, 168,
            "unset keys keep their default"
        );
    }
}
