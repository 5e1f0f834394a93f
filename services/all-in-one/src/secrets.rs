//! Secrets for the all-in-one: generated on first start, kept in the data directory (readable
//! by its owner only), so `make run` needs no configuration. A deployment on Kubernetes sets
//! them from Secrets instead.

use std::{collections::HashMap, io::Write, path::Path};

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

const SECRETS_FILE: &str = "secrets.toml";
pub const ADMIN_PASSWORD_FILE: &str = "admin-password.txt";

#[derive(Serialize, Deserialize)]
struct Stored {
    cin_encryption_key: String,
    cin_hmac_key: String,
    signing_key_encryption_key: String,
    admin_email: String,
    admin_password: String,
}

pub struct Secrets {
    pub cin_encryption_key: SecretString,
    pub cin_hmac_key: SecretString,
    pub signing_key_encryption_key: SecretString,
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
        admin_email: stored.admin_email,
        admin_password: stored.admin_password.into(),
    })
}

/// Settings the all-in-one imposes on a service, under the file and the environment's values:
/// its SQLite file, the in-process bus, its port, the generated secrets.
pub fn embedded_overrides(
    data_dir: &Path,
    secrets: &Secrets,
    service: &str,
    port: u16,
) -> HashMap<String, String> {
    HashMap::from([
        (
            "database.url".into(),
            format!(
                "sqlite://{}",
                data_dir.join(format!("{service}.db")).display()
            ),
        ),
        ("events.bus".into(), "in_process".into()),
        ("server.listen_addr".into(), format!("127.0.0.1:{port}")),
        (
            "secrets.cin_encryption_key".into(),
            secrets.cin_encryption_key.expose_secret().to_string(),
        ),
        (
            "secrets.cin_hmac_key".into(),
            secrets.cin_hmac_key.expose_secret().to_string(),
        ),
        (
            "secrets.signing_key_encryption_key".into(),
            secrets
                .signing_key_encryption_key
                .expose_secret()
                .to_string(),
        ),
    ])
}
