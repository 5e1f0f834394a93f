//! The options of a NATS connection built from `[events]`: who the process is (credentials
//! file, nkey seed, user and password, or token), TLS, and the prefix of its replies. Nothing
//! here logs or returns a secret: errors name the setting or the file, never its content.

use std::time::Duration;

use async_nats::{ConnectOptions, Event};
use tachawor_config::ExposeSecret;

use crate::{EventsError, EventsSettings, settings::NatsAuth};

/// Longest pause between reconnection attempts, so events flow again soon after NATS is back.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(2);

/// Client options for `settings`, with every file they name read.
pub(crate) async fn connect_options(
    settings: &EventsSettings,
) -> Result<ConnectOptions, EventsError> {
    validate_inbox_prefix(&settings.inbox_prefix)?;
    let timeout = Duration::from_millis(settings.request_timeout_ms.max(1));
    let options = ConnectOptions::new()
        .name("tachawor")
        .retry_on_initial_connect()
        .request_timeout(Some(timeout))
        .custom_inbox_prefix(&settings.inbox_prefix)
        .reconnect_delay_callback(|attempts| {
            let exp = u32::try_from(attempts).unwrap_or(u32::MAX).min(16);
            Duration::from_millis(2_u64.pow(exp)).min(MAX_RECONNECT_DELAY)
        })
        // A refused identity or a denied subject shows only here: the request itself times out.
        .event_callback(|event| async move {
            match event {
                Event::ServerError(e) => tracing::warn!(error = %e, "NATS refused an operation"),
                Event::ClientError(e) => tracing::warn!(error = %e, "NATS client error"),
                other => tracing::debug!(event = %other, "NATS connection event"),
            }
        });
    let options = with_identity(options, &settings.auth).await?;
    Ok(with_tls(options, settings))
}

async fn with_identity(
    options: ConnectOptions,
    auth: &NatsAuth,
) -> Result<ConnectOptions, EventsError> {
    let chosen = [
        auth.credentials_file.is_some(),
        auth.nkey_seed_file.is_some() || auth.nkey_seed.is_some(),
        auth.user.is_some() || auth.password.is_some(),
        auth.token.is_some(),
    ]
    .iter()
    .filter(|set| **set)
    .count();
    if chosen > 1 {
        return Err(EventsError::Config(
            "events.auth: set one of credentials_file, nkey_seed(_file), user + password, token"
                .to_string(),
        ));
    }
    if let Some(path) = &auth.credentials_file {
        return options.credentials_file(path).await.map_err(|e| {
            EventsError::Config(format!(
                "events.auth.credentials_file {}: {e}",
                path.display()
            ))
        });
    }
    if auth.nkey_seed_file.is_some() && auth.nkey_seed.is_some() {
        return Err(EventsError::Config(
            "events.auth: nkey_seed_file and nkey_seed are exclusive".to_string(),
        ));
    }
    if let Some(path) = &auth.nkey_seed_file {
        let seed = tokio::fs::read_to_string(path).await.map_err(|e| {
            EventsError::Config(format!(
                "events.auth.nkey_seed_file {}: {e}",
                path.display()
            ))
        })?;
        return nkey(options, seed.trim(), "nkey_seed_file");
    }
    if let Some(seed) = &auth.nkey_seed {
        return nkey(options, seed.expose_secret().trim(), "nkey_seed");
    }
    match (&auth.user, &auth.password) {
        (Some(user), Some(password)) => {
            return Ok(options.user_and_password(user.clone(), password.expose_secret().into()));
        }
        (None, None) => {}
        _ => {
            return Err(EventsError::Config(
                "events.auth: user and password go together".to_string(),
            ));
        }
    }
    if let Some(token) = &auth.token {
        return Ok(options.token(token.expose_secret().into()));
    }
    Ok(options)
}

/// A user seed is `SU` and base32; anything else is a configuration mistake worth saying at
/// start rather than as refused connections later.
fn nkey(options: ConnectOptions, seed: &str, key: &str) -> Result<ConnectOptions, EventsError> {
    let plausible = seed.len() > 2
        && seed.starts_with("SU")
        && seed
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !plausible {
        return Err(EventsError::Config(format!(
            "events.auth.{key} does not hold a user nkey seed (SU…)"
        )));
    }
    Ok(options.nkey(seed.to_string()))
}

fn with_tls(mut options: ConnectOptions, settings: &EventsSettings) -> ConnectOptions {
    let tls = &settings.tls;
    if let Some(ca) = &tls.ca_file {
        options = options.add_root_certificates(ca.clone());
    }
    if let (Some(cert), Some(key)) = (&tls.cert_file, &tls.key_file) {
        options = options.add_client_certificate(cert.clone(), key.clone());
    }
    options.require_tls(tls.required)
}

/// Checks the TLS file pairs, so a half-configured client certificate fails at start.
pub(crate) fn validate_tls(settings: &EventsSettings) -> Result<(), EventsError> {
    let tls = &settings.tls;
    if tls.cert_file.is_some() != tls.key_file.is_some() {
        return Err(EventsError::Config(
            "events.tls: cert_file and key_file go together".to_string(),
        ));
    }
    Ok(())
}

fn validate_inbox_prefix(prefix: &str) -> Result<(), EventsError> {
    let ok = !prefix.is_empty()
        && prefix.split('.').all(|t| {
            !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(EventsError::Config(format!(
            "events.inbox_prefix {prefix:?} must be dot-separated tokens without wildcards"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tachawor_config::SecretString;

    fn settings(auth: NatsAuth) -> EventsSettings {
        EventsSettings {
            auth,
            ..EventsSettings::default()
        }
    }

    #[tokio::test]
    async fn one_identity_at_most_and_errors_never_echo_a_secret() {
        let both = settings(NatsAuth {
            user: Some("identity".into()),
            password: Some(SecretString::from("pw-123")),
            token: Some(SecretString::from("tok-456")),
            ..NatsAuth::default()
        });
        let e = connect_options(&both).await.unwrap_err().to_string();
        assert!(e.contains("set one of"), "{e}");
        assert!(!e.contains("pw-123") && !e.contains("tok-456"), "{e}");

        let half = settings(NatsAuth {
            user: Some("identity".into()),
            ..NatsAuth::default()
        });
        assert!(connect_options(&half).await.is_err());

        let bad_seed = settings(NatsAuth {
            nkey_seed: Some(SecretString::from("not-a-seed-secret")),
            ..NatsAuth::default()
        });
        let e = connect_options(&bad_seed).await.unwrap_err().to_string();
        assert!(!e.contains("not-a-seed-secret"), "{e}");

        let missing = settings(NatsAuth {
            credentials_file: Some("/nonexistent/service.creds".into()),
            ..NatsAuth::default()
        });
        let e = connect_options(&missing).await.unwrap_err().to_string();
        assert!(e.contains("/nonexistent/service.creds"), "{e}");

        let good = settings(NatsAuth {
            nkey_seed: Some(SecretString::from(
                "SUAIO3FHUX5PNV2LQIIP7TZ3N4L7TX3W53MQGEIVYFIGA635OZCKEYHFLM",
            )),
            ..NatsAuth::default()
        });
        assert!(connect_options(&good).await.is_ok());
    }

    #[tokio::test]
    async fn inbox_prefixes_and_certificate_pairs_are_checked() {
        let mut s = EventsSettings {
            inbox_prefix: "_INBOX.>".into(),
            ..EventsSettings::default()
        };
        assert!(connect_options(&s).await.is_err());
        s.inbox_prefix = "_INBOX_identity".into();
        assert!(connect_options(&s).await.is_ok());
        s.tls.cert_file = Some("/etc/nats/client.pem".into());
        assert!(validate_tls(&s).is_err());
        s.tls.key_file = Some("/etc/nats/client-key.pem".into());
        assert!(validate_tls(&s).is_ok());
    }
}
