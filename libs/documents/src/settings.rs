//! `[documents]`: where attachments are kept and what is accepted.

use serde::Deserialize;
use tachawor_config::SecretString;

/// Which object store holds the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// Files under `local.path` (the all-in-one, or a volume).
    Local,
    /// An S3-compatible store (MinIO, Ceph, a cloud).
    S3,
}

/// Every field has a default (`Default`), so a service needs no `[documents]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct DocumentSettings {
    pub store: StoreKind,
    /// The largest attachment accepted, in bytes. A service's gRPC message limit is raised to
    /// hold it, and no further.
    pub max_bytes: usize,
    /// The MIME types accepted (what the content is, see `sniff`).
    #[serde(deserialize_with = "tachawor_config::list")]
    pub allowed_types: Vec<String>,
    /// Uploads and downloads handled at once; others wait up to `queue_wait_ms`, then are
    /// refused with RESOURCE_EXHAUSTED (each holds up to `max_bytes` in memory).
    pub transfers_in_flight: usize,
    pub queue_wait_ms: u64,
    pub local: LocalSettings,
    pub s3: S3Settings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LocalSettings {
    /// The directory (created if missing).
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct S3Settings {
    pub bucket: String,
    /// Empty: AWS itself; else the store's URL (`http://minio:9000`).
    pub endpoint: String,
    pub region: String,
    /// Empty: the usual AWS sources (environment, web identity, instance metadata).
    pub access_key_id: SecretString,
    pub secret_access_key: SecretString,
    /// `bucket` in the path (MinIO, Ceph, most S3-compatible stores), not in the host name.
    pub path_style: bool,
    /// Plain HTTP to `endpoint` (inside a cluster, or a test server).
    pub allow_http: bool,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            store: StoreKind::Local,
            max_bytes: 10 * 1024 * 1024,
            allowed_types: crate::sniff::KNOWN.iter().map(|t| t.to_string()).collect(),
            transfers_in_flight: 4,
            queue_wait_ms: 2000,
            local: LocalSettings::default(),
            s3: S3Settings::default(),
        }
    }
}

impl Default for LocalSettings {
    fn default() -> Self {
        Self {
            path: "data/documents".into(),
        }
    }
}

impl Default for S3Settings {
    fn default() -> Self {
        Self {
            bucket: String::new(),
            endpoint: String::new(),
            region: "us-east-1".into(),
            access_key_id: SecretString::default(),
            secret_access_key: SecretString::default(),
            path_style: true,
            allow_http: false,
        }
    }
}
