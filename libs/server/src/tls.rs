//! TLS for gRPC between services: the server's certificate (and, for mutual TLS, the CA its
//! clients' certificates must chain to), and the channels services open to each other.
//!
//! Files are PEM and read once, when the server starts or the channel is built: a renewed
//! certificate takes effect at the next restart.

use std::path::Path;

use serde::Deserialize;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity, ServerTlsConfig};

/// Bounds a TLS handshake, so a peer that stalls it cannot hold a connection slot.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The server side (`[server.tls]`): TLS is on when `cert_file` is set.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ServerTlsSettings {
    /// The server's certificate chain (PEM); empty serves plaintext.
    pub cert_file: String,
    /// Its private key (PEM).
    pub key_file: String,
    /// When set, clients must present a certificate issued by this CA (PEM): mutual TLS.
    pub client_ca_file: String,
}

impl ServerTlsSettings {
    pub fn enabled(&self) -> bool {
        !self.cert_file.is_empty()
    }

    pub fn requires_client_certificates(&self) -> bool {
        self.enabled() && !self.client_ca_file.is_empty()
    }

    /// tonic's configuration, or `None` for plaintext.
    pub fn load(&self) -> Result<Option<ServerTlsConfig>, TlsError> {
        if !self.enabled() {
            if !self.key_file.is_empty() || !self.client_ca_file.is_empty() {
                return Err(TlsError::Incomplete(
                    "server.tls.key_file or client_ca_file is set without cert_file",
                ));
            }
            return Ok(None);
        }
        if self.key_file.is_empty() {
            return Err(TlsError::Incomplete(
                "server.tls.cert_file is set without key_file",
            ));
        }
        let identity = Identity::from_pem(
            read("server.tls.cert_file", &self.cert_file)?,
            read("server.tls.key_file", &self.key_file)?,
        );
        let mut config = ServerTlsConfig::new()
            .identity(identity)
            .timeout(HANDSHAKE_TIMEOUT);
        if !self.client_ca_file.is_empty() {
            let ca = read("server.tls.client_ca_file", &self.client_ca_file)?;
            config = config.client_ca_root(Certificate::from_pem(ca));
        }
        Ok(Some(config))
    }
}

/// The client side of a channel to another service (`[auth.tls]`, `[identity.tls]`): used when
/// the URL is `https://`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ClientTlsSettings {
    /// The CA the server's certificate must chain to (PEM); required for `https://`. There is no
    /// fallback to the system's roots: services trust only the platform's CA.
    pub ca_file: String,
    /// This service's certificate chain and key (PEM), for servers that require mutual TLS.
    pub cert_file: String,
    pub key_file: String,
    /// The name the server's certificate must carry, when not the URL's host.
    pub domain: String,
}

/// A channel endpoint for `url`, with TLS when the URL is `https://`.
///
/// Refuses a mismatch rather than guess: `https://` without a CA, and TLS settings on an
/// `http://` URL (which would otherwise silently connect in plaintext).
pub fn endpoint(url: &str, tls: &ClientTlsSettings) -> Result<Endpoint, TlsError> {
    let endpoint = Endpoint::from_shared(url.to_string()).map_err(|source| TlsError::Url {
        url: url.to_string(),
        source,
    })?;
    let https = endpoint.uri().scheme_str() == Some("https");
    let configured = !tls.ca_file.is_empty() || !tls.cert_file.is_empty();
    if !https {
        if configured {
            return Err(TlsError::Incomplete(
                "TLS files are set for an http:// URL: use https://",
            ));
        }
        return Ok(endpoint);
    }
    if tls.ca_file.is_empty() {
        return Err(TlsError::Incomplete("an https:// URL needs tls.ca_file"));
    }
    let mut config = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(read("tls.ca_file", &tls.ca_file)?))
        .timeout(HANDSHAKE_TIMEOUT);
    match (tls.cert_file.is_empty(), tls.key_file.is_empty()) {
        (true, true) => {}
        (false, false) => {
            config = config.identity(Identity::from_pem(
                read("tls.cert_file", &tls.cert_file)?,
                read("tls.key_file", &tls.key_file)?,
            ));
        }
        _ => {
            return Err(TlsError::Incomplete(
                "tls.cert_file and tls.key_file go together",
            ));
        }
    }
    if !tls.domain.is_empty() {
        config = config.domain_name(tls.domain.clone());
    }
    endpoint.tls_config(config).map_err(TlsError::Invalid)
}

fn read(setting: &'static str, path: &str) -> Result<Vec<u8>, TlsError> {
    std::fs::read(Path::new(path)).map_err(|source| TlsError::Read {
        setting,
        path: path.to_string(),
        source,
    })
}

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("incomplete TLS settings: {0}")]
    Incomplete(&'static str),
    #[error("cannot read {setting} {path:?}: {source}")]
    Read {
        setting: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("bad URL {url:?}: {source}")]
    Url {
        url: String,
        source: tonic::transport::Error,
    },
    #[error("invalid TLS material: {0}")]
    Invalid(#[source] tonic::transport::Error),
}
