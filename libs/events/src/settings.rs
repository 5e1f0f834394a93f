//! The `[events]` section every service reads. Every key has a default, so the section may be
//! omitted entirely.

use std::path::PathBuf;

use serde::Deserialize;
pub use tachawor_config::{ExposeSecret, SecretString};

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
    /// One server, or several of one cluster separated by commas.
    pub nats_url: String,
    /// First token of every subject and of every stream name; tests use a random one so they
    /// never see each other's events.
    pub subject_prefix: String,
    pub stream_max_age_days: u64,
    /// `-1` for no limit.
    pub stream_max_bytes: i64,
    /// How long JetStream remembers a `Nats-Msg-Id`; a publish retried within it is stored once.
    pub duplicate_window_secs: u64,
    /// Copies of each stream a NATS cluster keeps (1, 3 or 5): with 3, a node may go away
    /// without losing or refusing an acknowledged event. Applied by whoever creates the stream.
    pub stream_replicas: usize,
    /// Bound on every JetStream request and publish acknowledgement.
    pub request_timeout_ms: u64,
    /// Whether this process creates its producer's stream (and a consumer's missing stream).
    /// `false` under least privilege: the service's NATS user may not manage streams, and
    /// `<binary> streams`, run with an admin identity, creates them before it starts.
    pub manage_streams: bool,
    /// Subject prefix of the replies this process receives (publish acknowledgements, pulled
    /// messages). A NATS user allowed to subscribe only to its own prefix
    /// (`_INBOX_identity.>`) cannot read the replies meant for another service.
    pub inbox_prefix: String,
    /// Who this process is to NATS. At most one of `credentials_file`, `nkey_seed_file` /
    /// `nkey_seed`, `user` + `password`, `token`; none connects anonymously.
    pub auth: NatsAuth,
    pub tls: NatsTls,
    pub relay: RelaySettings,
}

/// `[events.auth]`: the identity this process connects to NATS with. Secrets are redacted from
/// `Debug`; files are read at connection time.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NatsAuth {
    /// A `.creds` file: a user JWT and its nkey seed (NATS decentralised authentication).
    pub credentials_file: Option<PathBuf>,
    /// A file holding a user nkey seed (`SU…`), for a server that lists users by public nkey.
    pub nkey_seed_file: Option<PathBuf>,
    /// The same seed given directly (an environment variable from a secret).
    pub nkey_seed: Option<SecretString>,
    pub user: Option<String>,
    pub password: Option<SecretString>,
    pub token: Option<SecretString>,
}

/// `[events.tls]`: TLS to NATS. Without `ca_file` the system's roots are trusted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NatsTls {
    /// Refuse to talk to a server that does not offer TLS.
    pub required: bool,
    /// PEM certificates of the authorities the server's certificate must chain to.
    pub ca_file: Option<PathBuf>,
    /// A client certificate (PEM) and its key, for a server that verifies clients.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
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
            stream_replicas: 1,
            request_timeout_ms: 5_000,
            manage_streams: true,
            inbox_prefix: "_INBOX".to_string(),
            auth: NatsAuth::default(),
            tls: NatsTls::default(),
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
        assert_eq!(s.events.stream_replicas, 1);
        assert_eq!(s.events.relay.batch_size, 100);
        assert_eq!(s.events.relay.poll_interval_ms, 200);
        assert_eq!(s.events.relay.max_in_flight, 64);
        assert_eq!(s.events.relay.retention_hours, 168);
        assert!(s.events.manage_streams);
        assert_eq!(s.events.inbox_prefix, "_INBOX");
        assert!(s.events.auth.user.is_none() && s.events.auth.credentials_file.is_none());
        assert!(!s.events.tls.required);
    }

    #[test]
    fn the_generated_manifests_settings_are_understood() {
        // As deploy/generate.py writes them into each service's ConfigMap.
        let file = "[events]\nbus = \"nats\"\nnats_url = \"nats://nats:4222\"\n\
                    manage_streams = false\ninbox_prefix = \"_INBOX_identity\"\n\
                    auth.nkey_seed_file = \"/etc/tachawor/nats/nkey.seed\"\n\
                    tls.required = true\ntls.ca_file = \"/etc/tachawor/nats-ca/ca.crt\"\n";
        let s: ServiceSettings =
            tachawor_config::load_from(file, None, Some(HashMap::new())).unwrap();
        assert!(!s.events.manage_streams);
        assert_eq!(s.events.inbox_prefix, "_INBOX_identity");
        assert_eq!(
            s.events.auth.nkey_seed_file.as_deref(),
            Some(std::path::Path::new("/etc/tachawor/nats/nkey.seed"))
        );
        assert!(s.events.tls.required);
        assert!(s.events.tls.ca_file.is_some());
    }

    #[test]
    fn credentials_and_tls_are_read_and_secrets_never_printed() {
        let file = "[events.auth]\nuser = \"identity\"\n[events.tls]\nrequired = true\n\
                    ca_file = \"/etc/nats/ca.pem\"\n";
        let env = HashMap::from([
            (
                "TACHAWOR__EVENTS__AUTH__PASSWORD".to_string(),
                "s3cret-pass".to_string(),
            ),
            (
                "TACHAWOR__EVENTS__AUTH__NKEY_SEED".to_string(),
                "SUAIO3FHUX5PNV2LQIIP7TZ3N4L7TX3W53MQGEIVYFIGA635OZCKEYHFLM".to_string(),
            ),
            (
                "TACHAWOR__EVENTS__MANAGE_STREAMS".to_string(),
                "false".to_string(),
            ),
        ]);
        let s: ServiceSettings = tachawor_config::load_from(file, None, Some(env)).unwrap();
        assert_eq!(s.events.auth.user.as_deref(), Some("identity"));
        assert!(s.events.auth.password.is_some());
        assert!(s.events.tls.required);
        assert_eq!(
            s.events.tls.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/nats/ca.pem"))
        );
        assert!(!s.events.manage_streams);
        let printed = format!("{:?}", s.events);
        assert!(!printed.contains("s3cret-pass"), "{printed}");
        assert!(!printed.contains("SUAIO3"), "{printed}");
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
