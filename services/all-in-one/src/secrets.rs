//! Secrets for the all-in-one: generated on first start, kept in the data directory (readable
//! by its owner only), so `make run` needs no configuration. A deployment on Kubernetes sets
//! them from Secrets instead.

use std::{collections::HashMap, io::Write, path::Path};

use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const SECRETS_FILE: &str = "secrets.toml";
pub const ADMIN_PASSWORD_FILE: &str = "admin-password.txt";

/// The services that call identity with a service token.
const SERVICE_CLIENTS: [&str; 3] = ["consultation", "training", "reporting"];

#[derive(Serialize, Deserialize)]
struct Stored {
    cin_encryption_key: String,
    cin_hmac_key: String,
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
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Secrets> {
    let path = data_dir.join(SECRETS_FILE);
    if !path.exists() {
        let password =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>());
        let stored = Stored {
            cin_encryption_key: random_key(),
            cin_hmac_key: random_key(),
            signing_key_encryption_key: random_key(),
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
        let mut values = HashMap::from([
            (
                "secrets.cin_encryption_key".to_string(),
                self.cin_encryption_key.expose_secret().to_string(),
            ),
            (
                "secrets.cin_hmac_key".to_string(),
                self.cin_hmac_key.expose_secret().to_string(),
            ),
            (
                "secrets.signing_key_encryption_key".to_string(),
                self.signing_key_encryption_key.expose_secret().to_string(),
            ),
        ]);
        for client in SERVICE_CLIENTS {
            values.insert(
                format!("service_clients.{client}"),
                self.service_secret(client),
            );
        }
        values
    }
}
