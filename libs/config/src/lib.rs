//! Layered configuration: built-in defaults, then an optional file, then environment variables.
//!
//! Every Tachawor binary loads its settings the same way:
//!
//! 1. the defaults compiled into the binary (a TOML string),
//! 2. a TOML file, when one is named (`--config` or `TACHAWOR_CONFIG`),

//!
//! Secrets are [`SecretString`]s: they deserialize from any layer, and their `Debug` prints
//! `[REDACTED]` so a settings dump never leaks them.

use std::{collections::HashMap, path::Path};

pub use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

/// Prefix of the environment variables that override settings.
pub const ENV_PREFIX: &str = "TACHAWOR";

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(#[from] config::ConfigError);

/// Loads settings from `defaults`, then `file` if given, then the process environment.
pub fn load<T: DeserializeOwned>(defaults: &str, file: Option<&Path>) -> Result<T, ConfigError> {
    load_layers(defaults, &HashMap::new(), file, None)
}

/// As [`load`], with values a host program imposes (dotted keys, `"database.url"`) layered
/// just above the defaults: a file and the environment still override them. The all-in-one
/// uses it to put each service on its SQLite file and port.
pub fn load_with<T: DeserializeOwned>(
    defaults: &str,
    embedded: &HashMap<String, String>,
    file: Option<&Path>,
) -> Result<T, ConfigError> {
    load_layers(defaults, embedded, file, None)
}

/// As [`load`], with the environment given explicitly (tests, or a binary that filters it).
pub fn load_from<T: DeserializeOwned>(
    defaults: &str,
    file: Option<&Path>,
    env: Option<HashMap<String, String>>,
) -> Result<T, ConfigError> {
    load_layers(defaults, &HashMap::new(), file, env)
}

/// A list setting that an environment variable can also give, comma-separated
/// (`TACHAWOR__SERVER__TRUSTED_PROXIES=10.0.0.0/8,fd00::/8`): use with
/// `#[serde(deserialize_with = "tachawor_config::list")]`.
pub fn list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<String>),
        One(String),
    }
    Ok(
        match <OneOrMany as serde::Deserialize>::deserialize(deserializer)? {
            OneOrMany::Many(items) => items,
            OneOrMany::One(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        },
    )
}

fn environment(source: Option<HashMap<String, String>>) -> config::Environment {
    config::Environment::with_prefix(ENV_PREFIX)
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        .source(source)
}

fn load_layers<T: DeserializeOwned>(
    defaults: &str,
    embedded: &HashMap<String, String>,
    file: Option<&Path>,
    env: Option<HashMap<String, String>>,
) -> Result<T, ConfigError> {
    let mut builder = config::Config::builder()
        .add_source(config::File::from_str(defaults, config::FileFormat::Toml));
    if !embedded.is_empty() {
        // Spelled as environment variables so nesting and parsing follow the same rules.
        let as_env = embedded
            .iter()
            .map(|(k, v)| {
                let key = format!("{ENV_PREFIX}__{}", k.replace('.', "__").to_uppercase());
                (key, v.clone())
            })
            .collect();
        builder = builder.add_source(environment(Some(as_env)));
    }
    if let Some(path) = file {
        builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
    }
    Ok(builder
        .add_source(environment(env))
        .build()?
        .try_deserialize()?)
}

/// A service's `Settings::load` and `Settings::load_with` over its built-in defaults:
/// `tachawor_config::settings_loading!(Settings, DEFAULTS);`.
#[macro_export]
macro_rules! settings_loading {
    ($settings:ty, $defaults:expr) => {
        impl $settings {
            /// The defaults, then `file` if given, then the environment.
            pub fn load(file: Option<&::std::path::Path>) -> Result<Self, $crate::ConfigError> {
                $crate::load($defaults, file)
            }

            /// As [`Self::load`], with values a host program (the all-in-one) imposes under
            /// the file and the environment.
            pub fn load_with(
                file: Option<&::std::path::Path>,
                embedded: ::std::collections::HashMap<String, String>,
            ) -> Result<Self, $crate::ConfigError> {
                $crate::load_with($defaults, &embedded, file)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::HashMap;

    #[derive(Debug, Deserialize)]
    struct Settings {
        server: Server,
        database: Database,
    }
    #[derive(Debug, Deserialize)]
    struct Server {
        port: u16,
        host: String,
    }
    #[derive(Debug, Deserialize)]
    struct Database {
        url: SecretString,
    }

    #[derive(Debug, Deserialize)]
    struct Listed {
        networks: Networks,
    }
    #[derive(Debug, Deserialize)]
    struct Networks {
        #[serde(deserialize_with = "crate::list")]
        allowed: Vec<String>,
    }

    #[test]
    fn a_list_comes_from_a_file_or_from_one_comma_separated_variable() {
        let defaults = "[networks]\nallowed = [\"10.0.0.0/8\"]\n";
        let from_file: Listed = load_from(defaults, None, Some(HashMap::new())).unwrap();
        assert_eq!(from_file.networks.allowed, vec!["10.0.0.0/8"]);
        let env = HashMap::from([(
            "TACHAWOR__NETWORKS__ALLOWED".to_string(),
            "127.0.0.1, fd00::/8".to_string(),
        )]);
        let from_env: Listed = load_from(defaults, None, Some(env)).unwrap();
        assert_eq!(from_env.networks.allowed, vec!["127.0.0.1", "fd00::/8"]);
    }

    const DEFAULTS: &str = r#"
        [server]
        port = 50051
        host = "127.0.0.1"
        [database]
        url = "sqlite://data/identity.db"
    "#;

    fn env(pairs: &[(&str, &str)]) -> Option<HashMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn defaults_apply_when_nothing_overrides_them() {
        let s: Settings = load_from(DEFAULTS, None, env(&[])).unwrap();
        assert_eq!(s.server.port, 50051);
        assert_eq!(s.database.url.expose_secret(), "sqlite://data/identity.db");
    }

    #[test]
    fn file_overrides_defaults_and_environment_overrides_file() {
        let dir = std::env::temp_dir().join(format!("tachawor-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("settings.toml");
        std::fs::write(&file, "[server]\nport = 6000\nhost = \"0.0.0.0\"\n").unwrap();
        let s: Settings = load_from(
            DEFAULTS,
            Some(&file),
            env(&[("TACHAWOR__SERVER__PORT", "7000")]),
        )
        .unwrap();
        assert_eq!(s.server.port, 7000, "environment wins over the file");
        assert_eq!(s.server.host, "0.0.0.0", "the file wins over defaults");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s: Settings = load_from(
            DEFAULTS,
            None,
            env(&[(
                "TACHAWOR__DATABASE__URL",
                "postgres://u:hunter2@db/identity",
            )]),
        )
        .unwrap();
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"), "secret leaked: {printed}");
        assert!(printed.contains("REDACTED"));
        assert_eq!(
            s.database.url.expose_secret(),
            "postgres://u:hunter2@db/identity"
        );
    }

    #[test]
    fn embedded_values_sit_between_defaults_and_the_file() {
        let embedded = HashMap::from([
            ("server.port".to_string(), "50099".to_string()),
            (
                "database.url".to_string(),
                "sqlite://embedded.db".to_string(),
            ),
        ]);
        let s: Settings = load_layers(DEFAULTS, &embedded, None, env(&[])).unwrap();
        assert_eq!(s.server.port, 50099);
        assert_eq!(s.database.url.expose_secret(), "sqlite://embedded.db");
        let s: Settings = load_layers(
            DEFAULTS,
            &embedded,
            None,
            env(&[("TACHAWOR__SERVER__PORT", "7001")]),
        )
        .unwrap();
        assert_eq!(
            s.server.port, 7001,
            "the environment wins over embedded values"
        );
    }

    #[test]
    fn a_malformed_value_is_an_error_not_a_default() {
        let r: Result<Settings, _> = load_from(
            DEFAULTS,
            None,
            env(&[("TACHAWOR__SERVER__PORT", "not-a-port")]),
        );
        assert!(r.is_err());
    }
}
