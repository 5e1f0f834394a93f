//! Secrets for the all-in-one: generated on first start, kept in the data directory (readable
//! by its owner only), so `make run` needs no configuration. A deployment on Kubernetes sets
//! the CIN and signing keys from a Secret instead: a key given in the environment is never
//! generated nor written to the data volume, where a copy of the data would carry it.

use std::{collections::HashMap, io::Write, path::Path};

use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const SECRETS_FILE: &str = "secrets.toml";
pub const ADMIN_PASSWORD_FILE: &str = "admin-password.txt";

/// The services that call identity with a service token.
const SERVICE_CLIENTS: [&str; 5] = [
    "consultation",
    "training",
    "reporting",
    "portal",
    "notification",
];

/// The keys identity needs: their setting, and the environment variable that sets them.
const KEYS: [(&str, &str); 3] = [
    (
        "secrets.cin_encryption_key",
        "TACHAWOR__SECRETS__CIN_ENCRYPTION_KEY",
    ),
    ("secrets.cin_hmac_key", "TACHAWOR__SECRETS__CIN_HMAC_KEY"),
    (
        "secrets.signing_key_encryption_key",
        "TACHAWOR__SECRETS__SIGNING_KEY_ENCRYPTION_KEY",
    ),
];

#[derive(Serialize, Deserialize)]
struct Stored {
    /// Empty (and not written) when the environment gives the key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    cin_encryption_key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    cin_hmac_key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    signing_key_encryption_key: String,
    /// Each service's client secret at identity is derived from it.
    service_client_key: String,
    admin_email: String,
    admin_password: String,
}

pub struct Secrets {
    cin_encryption_key: SecretString,
    cin_hmac_key: SecretString,
    signing_key_encryption_key: SecretString,
    service_client_key: SecretString,
    pub admin_email: String,
    pub admin_password: SecretString,
}

fn random_key() -> String {
    base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    crate::files::create_private(path)?.write_all(contents.as_bytes())
}

pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Secrets> {
    load_or_create_with(data_dir, |var| std::env::var_os(var).is_some())
}

/// As [`load_or_create`]; `given` tells whether the environment sets a variable.
fn load_or_create_with(data_dir: &Path, given: impl Fn(&str) -> bool) -> anyhow::Result<Secrets> {
    let path = data_dir.join(SECRETS_FILE);
    let key = |i: usize| {
        if given(KEYS[i].1) {
            String::new()
        } else {
            random_key()
        }
    };
    if !path.exists() {
        let password =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>());
        let stored = Stored {
            cin_encryption_key: key(0),
            cin_hmac_key: key(1),
            signing_key_encryption_key: key(2),
            service_client_key: random_key(),
            admin_email: "admin@tachawor.local".into(),
            admin_password: password.clone(),
        };
        write_private(&path, &toml::to_string(&stored)?)?;
        write_private(
            &data_dir.join(ADMIN_PASSWORD_FILE),
            &format!("{password}\n"),
        )?;
    }
    let stored: Stored = toml::from_str(&std::fs::read_to_string(&path)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let kept = [
        &stored.cin_encryption_key,
        &stored.cin_hmac_key,
        &stored.signing_key_encryption_key,
    ];
    for ((setting, var), value) in KEYS.iter().zip(kept) {
        // Generating it now would not read what was written under the key that was given.
        anyhow::ensure!(
            !value.is_empty() || given(var),
            "{setting} is set neither by {var} nor in {}",
            path.display()
        );
    }
    Ok(Secrets {
        cin_encryption_key: stored.cin_encryption_key.into(),
        cin_hmac_key: stored.cin_hmac_key.into(),
        signing_key_encryption_key: stored.signing_key_encryption_key.into(),
        service_client_key: stored.service_client_key.into(),
        admin_email: stored.admin_email,
        admin_password: stored.admin_password.into(),
    })
}

impl Secrets {
    /// A service's client secret at identity, derived so it needs no storage of its own.
    pub fn service_secret(&self, client_id: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(
            self.service_client_key.expose_secret().as_bytes(),
        )
        .expect("HMAC takes any key size");
        mac.update(client_id.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Identity's secrets, and every calling service's client secret.
    pub fn identity_overrides(&self) -> HashMap<String, String> {
        let kept = [
            &self.cin_encryption_key,
            &self.cin_hmac_key,
            &self.signing_key_encryption_key,
        ];
        // A key the environment gives is left to it (it overrides these values anyway).
        let mut values: HashMap<String, String> = KEYS
            .iter()
            .zip(kept)
            .filter(|(_, value)| !value.expose_secret().is_empty())
            .map(|((setting, _), value)| (setting.to_string(), value.expose_secret().to_string()))
            .collect();
        for client in SERVICE_CLIENTS {
            values.insert(
                format!("service_clients.{client}"),
                self.service_secret(client),
            );
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tachawor-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn keys_given_by_the_environment_are_not_written_to_the_data_directory() {
        let data = dir("secrets-given");
        let secrets = load_or_create_with(&data, |_| true).unwrap();
        let file = std::fs::read_to_string(data.join(SECRETS_FILE)).unwrap();
        for (setting, _) in KEYS {
            let field = setting.trim_start_matches("secrets.");
            assert!(!file.contains(field), "{field} written: {file}");
            assert!(!secrets.identity_overrides().contains_key(setting));
        }
        assert!(file.contains("admin_password"));
        // Later started without them: refused rather than new keys made up.
        let err = load_or_create_with(&data, |_| false).err().unwrap();
        assert!(
            err.to_string()
                .contains("TACHAWOR__SECRETS__CIN_ENCRYPTION_KEY"),
            "{err}"
        );
        std::fs::remove_dir_all(&data).unwrap();
    }

    #[test]
    fn without_the_environment_every_key_is_generated_and_kept() {
        let data = dir("secrets-generated");
        let first = load_or_create_with(&data, |_| false)
            .unwrap()
            .identity_overrides();
        let again = load_or_create_with(&data, |_| false)
            .unwrap()
            .identity_overrides();
        for (setting, _) in KEYS {
            assert!(first.contains_key(setting));
            assert_eq!(first[setting], again[setting]);
        }
        std::fs::remove_dir_all(&data).unwrap();
    }
}
