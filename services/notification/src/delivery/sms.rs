//! SMS: a POST of `{"to": …, "text": …}` to the provider's HTTP API (bearer token), or a JSON
//! line per message appended to a file (the all-in-one's default).

use std::{io::Write, path::PathBuf, sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use secrecy::{ExposeSecret, SecretString};

use super::transport::SendError;
use crate::settings::{SmsSettings, SmsTransport};

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

pub(crate) enum SmsSender {
    Http {
        client: Box<Client<Https, Full<Bytes>>>,
        url: http::Uri,
        token: SecretString,
        timeout: Duration,
    },
    File {
        path: PathBuf,
        /// One line written at a time.
        lock: Arc<tokio::sync::Mutex<()>>,
    },
}

impl SmsSender {
    pub(crate) fn new(settings: &SmsSettings) -> anyhow::Result<Self> {
        Ok(match settings.transport {
            SmsTransport::File => {
                if let Some(dir) = settings.file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| anyhow::anyhow!("sms.file {}: {e}", dir.display()))?;
                }
                SmsSender::File {
                    path: settings.file.clone(),
                    lock: Arc::default(),
                }
            }
            SmsTransport::Http => {
                let url: http::Uri = settings
                    .url
                    .parse()
                    .map_err(|e| anyhow::anyhow!("sms.url is not a URL: {e}"))?;
                let connector = hyper_rustls::HttpsConnectorBuilder::new()
                    .with_webpki_roots()
                    .https_or_http()
                    .enable_http1()
                    .build();
                SmsSender::Http {
                    client: Box::new(Client::builder(TokioExecutor::new()).build(connector)),
                    url,
                    token: settings.token.clone(),
                    timeout: Duration::from_millis(settings.timeout_ms),
                }
            }
        })
    }

    pub(crate) async fn send(
        &self,
        to: &str,
        text: &str,
        message_id: &str,
    ) -> Result<(), SendError> {
        match self {
            SmsSender::Http {
                client,
                url,
                token,
                timeout,
            } => {
                let body = serde_json::json!({ "to": to, "text": text }).to_string();
                let mut request = http::Request::post(url.clone())
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .header("Idempotency-Key", message_id);
                if !token.expose_secret().is_empty() {
                    let mut value =
                        http::HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
                            .map_err(|_| {
                                SendError::Permanent("sms.token is not a header".into())
                            })?;
                    value.set_sensitive(true);
                    request = request.header(http::header::AUTHORIZATION, value);
                }
                let request = request
                    .body(Full::new(Bytes::from(body)))
                    .map_err(|e| SendError::Permanent(format!("request: {e}")))?;
                let exchange = async {
                    let response = client.request(request).await?;
                    let status = response.status();
                    // Read the body so the connection can be reused; its text is not kept.
                    let _ = response.into_body().collect().await;
                    Ok::<_, hyper_util::client::legacy::Error>(status)
                };
                match tokio::time::timeout(*timeout, exchange).await {
                    Err(_) => Err(SendError::Transient("SMS provider timeout".into())),
                    Ok(Err(e)) if e.is_connect() => {
                        Err(SendError::Transient("SMS provider unreachable".into()))
                    }
                    Ok(Err(_)) => Err(SendError::Transient("SMS provider exchange failed".into())),
                    Ok(Ok(status)) => classify(status),
                }
            }
            SmsSender::File { path, lock } => {
                let line = serde_json::json!({ "message_id": message_id, "to": to, "text": text })
                    .to_string();
                let _one = lock.lock().await;
                let path = path.clone();
                tokio::task::spawn_blocking(move || {
                    let mut options = std::fs::OpenOptions::new();
                    options.create(true).append(true);
                    // Personal data: readable by the service's user only.
                    #[cfg(unix)]
                    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                    let mut file = options.open(&path)?;
                    file.write_all(format!("{line}\n").as_bytes())
                })
                .await
                .map_err(|_| SendError::Transient("SMS file writer stopped".into()))?
                .map_err(|e| SendError::Transient(format!("SMS file: {}", e.kind())))
            }
        }
    }
}

/// The provider's answer: 2xx sent; 408, 429 and 5xx worth retrying; other 4xx refused.
fn classify(status: http::StatusCode) -> Result<(), SendError> {
    let reason = || format!("SMS provider HTTP {}", status.as_u16());
    if status.is_success() {
        Ok(())
    } else if status.is_server_error()
        || status == http::StatusCode::TOO_MANY_REQUESTS
        || status == http::StatusCode::REQUEST_TIMEOUT
    {
        Err(SendError::Transient(reason()))
    } else {
        Err(SendError::Permanent(reason()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_statuses_are_sent_retried_or_refused() {
        assert_eq!(classify(http::StatusCode::ACCEPTED), Ok(()));
        for retried in [500, 503, 429, 408] {
            let status = http::StatusCode::from_u16(retried).unwrap();
            assert!(matches!(classify(status), Err(SendError::Transient(_))));
        }
        for refused in [400, 401, 404, 422] {
            let status = http::StatusCode::from_u16(refused).unwrap();
            assert_eq!(
                classify(status),
                Err(SendError::Permanent(format!("SMS provider HTTP {refused}")))
            );
        }
    }
}
