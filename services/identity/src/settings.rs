//! The identity service's settings: `config/default.toml`, then a file, then the environment.

use std::collections::BTreeMap;

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
    pub region: tachawor_region::RegionSettings,
    pub tokens: TokenSettings,
    pub passwords: PasswordSettings,
    pub login_limits: LoginLimits,
    pub register_limits: RegisterLimits,
    #[serde(default)]
    pub client_address: ClientAddressSettings,
    #[serde(default)]
    pub contacts: ContactSettings,
    pub secrets: Secrets,
    pub bootstrap: Bootstrap,
    /// Client id → secret of the services allowed to obtain a service token.
    #[serde(default)]
    pub service_clients: BTreeMap<String, SecretString>,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct TokenSettings {
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// How long a refresh token just used may be presented again and still open the session:
    /// a browser loading several pages at once sends the same token from each. Past this, a
    /// second use is reuse and ends the session family.
    #[serde(default = "default_refresh_reuse_grace_secs")]
    pub refresh_reuse_grace_secs: i64,
    pub service_token_ttl_secs: i64,
    pub signing_key_rotation_secs: i64,
    /// How long a new key is published before it signs; more than the verifiers' key refresh.
    pub signing_key_prepublish_secs: i64,
}

/// argon2id cost parameters, and how many hashes may run at once.
#[derive(Debug, Clone, Deserialize)]
pub struct PasswordSettings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub min_length: usize,
    /// Memory the hashes in progress may hold together (each holds `memory_kib`).
    pub memory_budget_mib: u32,
    /// Hashes at once; 0 derives it from the budget, and no more than the CPUs.
    pub max_concurrent: usize,
    /// How long a call waits for its turn before `RESOURCE_EXHAUSTED`.
    pub queue_wait_ms: u64,
}

impl PasswordSettings {
    /// How many hashes may run at once.
    pub fn concurrency(&self) -> usize {
        if self.max_concurrent > 0 {
            return self.max_concurrent;
        }
        let per_hash_mib = (self.memory_kib as usize).div_ceil(1024).max(1);
        let by_memory = (self.memory_budget_mib as usize / per_hash_mib).max(1);
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        by_memory.min(cpus)
    }
}

/// Login attempts, reserved before the password is checked.
#[derive(Debug, Clone, Deserialize)]
pub struct LoginLimits {
    /// A run of attempts for one identifier is forgotten after this long without one; also
    /// the window of the per-client count.
    pub window_secs: i64,
    /// Attempts for one identifier checked without delay; after them each further attempt
    /// waits `delay_base_ms`, doubling with each attempt up to `delay_max_secs`.
    pub max_failures_per_identifier: i64,
    pub delay_base_ms: i64,
    pub delay_max_secs: i64,
    /// Failed attempts from one client address (IPv6: its /64) within the window.
    pub max_failures_per_peer: i64,
}

/// Registrations allowed per client address (IPv6: its /64) and overall.
#[derive(Debug, Clone, Deserialize)]
pub struct RegisterLimits {
    pub window_secs: i64,
    pub max_per_peer: i64,
    pub max_total: i64,
}

/// Who may report the address of the person it calls for (`x-tachawor-client-address`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClientAddressSettings {
    /// Client ids of services (with a service token) whose reported address is believed.
    #[serde(default)]
    pub trusted_fronts: Vec<String>,
}

/// Verifying contacts and resetting passwords: how long a secret lives, how often one may be
/// asked for, and who may read it to send it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ContactSettings {
    /// Lifetime of an emailed link verifying the address.
    pub email_link_ttl_secs: i64,
    /// Lifetime of a texted code verifying the phone.
    pub phone_code_ttl_secs: i64,
    /// Lifetime of an emailed password reset link.
    pub reset_link_ttl_secs: i64,
    /// Lifetime of a texted password reset code.
    pub reset_code_ttl_secs: i64,
    /// Wrong tries a texted code survives; the next wrong one kills it.
    pub max_code_attempts: i64,
    /// The window of the counts below.
    pub window_secs: i64,
    /// RequestContactVerification calls per account per window.
    pub max_verifications_per_account: i64,
    /// Password reset messages per identifier per window; further requests send nothing.
    pub max_resets_per_identifier: i64,
    /// RequestPasswordReset calls per client address (IPv6: its /64) per window.
    pub max_resets_per_peer: i64,
    /// The client id of the service that sends messages (GetDeliveryContact's only caller).
    pub delivery_client: String,
}

impl Default for ContactSettings {
    fn default() -> Self {
        Self {
            email_link_ttl_secs: 48 * 3600,
            phone_code_ttl_secs: 15 * 60,
            reset_link_ttl_secs: 30 * 60,
            reset_code_ttl_secs: 15 * 60,
            max_code_attempts: 5,
            window_secs: 3600,
            max_verifications_per_account: 5,
            max_resets_per_identifier: 3,
            max_resets_per_peer: 30,
            delivery_client: "notification".into(),
        }
    }
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

fn default_refresh_reuse_grace_secs() -> i64 {
    20
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
        assert_eq!(s.client_address.trusted_fronts, vec!["portal".to_string()]);
        assert_eq!(s.contacts.email_link_ttl_secs, 48 * 3600);
        assert_eq!(s.contacts.reset_link_ttl_secs, 30 * 60);
        assert_eq!(s.contacts.delivery_client, "notification");
    }

    #[test]
    fn hash_concurrency_follows_the_memory_budget() {
        let s: Settings = tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete");
        let mut p = s.passwords;
        p.memory_budget_mib = 19;
        assert_eq!(p.concurrency(), 1, "one 19 MiB hash fits in 19 MiB");
        p.memory_budget_mib = 5;
        assert_eq!(p.concurrency(), 1, "always at least one");
        p.memory_budget_mib = 10_000;
        let cpus = std::thread::available_parallelism().unwrap().get();
        assert_eq!(p.concurrency(), cpus, "no more than the CPUs");
        p.max_concurrent = 3;
        assert_eq!(p.concurrency(), 3, "an explicit count wins");
    }
}
