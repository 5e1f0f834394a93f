//! # Documents: the bytes of attachments
//!
//! Services keep their attachments' metadata in their own tables and the bytes here, in an
//! object store chosen by configuration (`documents.store`): files under a directory in the
//! all-in-one, an S3-compatible store (MinIO, Ceph, a cloud) in production.
//!
//! # Layout
//! - [`settings`]: `[documents]`, with defaults for every field.
//! - [`sniff`]: what a file is, from its bytes.
//! - [`attach`]: adding and removing an attachment (bytes, row, audit entry, event).
//! - [`records`]: the `attachments` table each service keeps (same columns everywhere).
//! - [`Documents`]: checks an upload (name, size, type by content), stores, reads back
//!   (verifying the recorded SHA-256) and removes bytes under id-addressed keys, a bounded
//!   number at once.

pub mod attach;
pub mod records;
pub mod settings;
pub mod sniff;

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload, aws::AmazonS3Builder, local::LocalFileSystem,
    path::Path as Key,
};
use sha2::{Digest, Sha256};
use tachawor_config::ExposeSecret;
use tachawor_errors::{Error, Violations};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use settings::{DocumentSettings, StoreKind};

/// The longest file name kept (characters).
pub const NAME_MAX: usize = 200;

/// An upload that passed the checks: what to record beside the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The file name as shown to people, trimmed.
    pub name: String,
    /// The type its content has (never the one its name suggests).
    pub content_type: &'static str,
    pub size_bytes: i64,
    /// Lowercase hex.
    pub sha256: String,
}

/// The document store of one service.
#[derive(Clone)]
pub struct Documents {
    store: Arc<dyn ObjectStore>,
    /// Keys start with it: the service's name, so services may share one bucket.
    prefix: String,
    max_bytes: usize,
    allowed: Arc<Vec<String>>,
    /// Transfers in progress: each may hold `max_bytes` in memory.
    transfers: Arc<Semaphore>,
    queue_wait: Duration,
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents")
            .field("store", &self.store.to_string())
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// A turn to transfer bytes; dropping it lets the next one go.
pub struct Transfer(#[allow(dead_code)] OwnedSemaphorePermit);

impl Documents {
    /// The store `settings` names, for the service `prefix`. A local directory is created;
    /// an S3 bucket must exist (it is the operator's, with its own policies).
    pub fn open(settings: &DocumentSettings, prefix: &str) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = match settings.store {
            StoreKind::Local => {
                std::fs::create_dir_all(&settings.local.path).map_err(|e| {
                    anyhow::anyhow!("documents.local.path {}: {e}", settings.local.path)
                })?;
                Arc::new(LocalFileSystem::new_with_prefix(&settings.local.path)?)
            }
            StoreKind::S3 => {
                // reqwest is built without a crypto provider of its own: use ring, as tonic
                // does. Installing twice is refused, harmlessly.
                let _ = rustls::crypto::ring::default_provider().install_default();
                let s3 = &settings.s3;
                anyhow::ensure!(!s3.bucket.is_empty(), "documents.s3.bucket is required");
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_virtual_hosted_style_request(!s3.path_style)
                    .with_allow_http(s3.allow_http);
                if !s3.endpoint.is_empty() {
                    builder = builder.with_endpoint(&s3.endpoint);
                }
                let key_id = s3.access_key_id.expose_secret();
                if !key_id.is_empty() {
                    builder = builder
                        .with_access_key_id(key_id)
                        .with_secret_access_key(s3.secret_access_key.expose_secret());
                }
                Arc::new(builder.build()?)
            }
        };
        anyhow::ensure!(
            settings.max_bytes > 0,
            "documents.max_bytes must be positive"
        );
        Ok(Self {
            store,
            prefix: prefix.to_string(),
            max_bytes: settings.max_bytes,
            allowed: Arc::new(settings.allowed_types.clone()),
            transfers: Arc::new(Semaphore::new(settings.transfers_in_flight.max(1))),
            queue_wait: Duration::from_millis(settings.queue_wait_ms),
        })
    }

    /// The largest attachment accepted.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The gRPC message size that holds an attachment and its metadata: the service's
    /// decoding limit must be at least this (and the caller's, to download).
    pub fn message_bytes(&self) -> usize {
        self.max_bytes + 64 * 1024
    }

    /// Checks a file name and its content, recording every problem in `v` under the given
    /// field names: an empty or over-long name, empty content, content over the limit, a type
    /// (told by the bytes) not on the allow-list.
    pub fn check(
        &self,
        v: &mut Violations,
        name_field: &str,
        name: &str,
        content_field: &str,
        content: &[u8],
    ) -> Option<Checked> {
        let trimmed = name.trim();
        let name_ok = !trimmed.is_empty()
            && trimmed.chars().count() <= NAME_MAX
            && !trimmed
                .chars()
                .any(|c| c.is_control() || c == '/' || c == '\\');
        v.check(
            name_ok,
            name_field,
            &format!("is required: 1 to {NAME_MAX} characters, no slashes or control characters"),
        );
        let content_type = sniff::sniff(content);
        if content.is_empty() {
            v.add(content_field, "is empty");
        } else if content.len() > self.max_bytes {
            v.add(
                content_field,
                format!("is larger than the {} bytes allowed", self.max_bytes),
            );
        } else {
            match content_type {
                Some(t) if self.allowed.iter().any(|a| a == t) => {}
                Some(t) => {
                    v.add(content_field, format!("is {t}, which is not accepted"));
                }
                None => {
                    v.add(
                        content_field,
                        format!(
                            "is not of an accepted type ({}), whatever its name",
                            self.allowed.join(", ")
                        ),
                    );
                }
            }
        }
        if !v.is_empty() {
            return None;
        }
        Some(Checked {
            name: trimmed.to_string(),
            content_type: content_type?,
            size_bytes: i64::try_from(content.len()).ok()?,
            sha256: sha256_hex(content),
        })
    }

    /// Waits for a turn to transfer (`documents.transfers_in_flight`), at most
    /// `documents.queue_wait_ms`: RESOURCE_EXHAUSTED past that.
    pub async fn transfer(&self) -> Result<Transfer, Error> {
        match tokio::time::timeout(self.queue_wait, self.transfers.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Transfer(permit)),
            _ => Err(Error::ResourceExhausted(
                "too many documents are being transferred; try again shortly".into(),
            )),
        }
    }

    /// The key of `id` (an attachment id) under `kind` (what it is attached to).
    pub fn key(&self, kind: &str, id: &str) -> String {
        format!("{}/{kind}/{id}", self.prefix)
    }

    /// Stores `content` under `key`, replacing nothing else.
    pub async fn put(&self, key: &str, content: Bytes) -> Result<(), Error> {
        self.store
            .put(&Key::from(key), PutPayload::from(content))
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    /// The bytes under `key`, checked against the SHA-256 recorded when they were stored.
    pub async fn get(&self, key: &str, sha256: &str) -> Result<Bytes, Error> {
        let found = match self.store.get(&Key::from(key)).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "document {key} is recorded but missing from the store"
                )));
            }
            Err(e) => return Err(unavailable(e)),
        };
        let bytes = found.bytes().await.map_err(unavailable)?;
        if sha256_hex(&bytes) != sha256 {
            return Err(Error::Internal(anyhow::anyhow!(
                "document {key} does not match its recorded SHA-256"
            )));
        }
        Ok(bytes)
    }

    /// Stores `content` under `key`, then runs `record` (the transaction writing its row):
    /// when that fails, the bytes are removed again, so no unrecorded bytes stay behind.
    pub async fn put_recorded<T>(
        &self,
        key: &str,
        content: Bytes,
        record: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        let _turn = self.transfer().await?;
        self.put(key, content).await?;
        let recorded = record.await;
        if recorded.is_err() {
            self.discard(key).await;
        }
        recorded
    }

    /// Removes the bytes under `key`; already gone is fine.
    pub async fn remove(&self, key: &str) -> Result<(), Error> {
        match self.store.delete(&Key::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Removes bytes whose record was never written (the transaction failed): logged, not
    /// returned, since the caller already has the error that matters.
    pub async fn discard(&self, key: &str) {
        if let Err(e) = self.remove(key).await {
            tracing::warn!(key, error = %e, "an orphaned document could not be removed");
        }
    }
}

/// The store did not answer as it should: the client may retry.
fn unavailable(e: object_store::Error) -> Error {
    tracing::warn!(error = %e, "document store");
    Error::Unavailable("the document store is unavailable".into())
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(dir: &std::path::Path, max_bytes: usize) -> Documents {
        let settings = DocumentSettings {
            max_bytes,
            local: settings::LocalSettings {
                path: dir.join("documents").display().to_string(),
            },
            ..DocumentSettings::default()
        };
        Documents::open(&settings, "consultation").expect("local store")
    }

    fn fields(v: Violations) -> Vec<String> {
        match v.finish() {
            Err(Error::InvalidArgument(list)) => list.into_iter().map(|f| f.field).collect(),
            other => panic!("expected violations, got {other:?}"),
        }
    }

    #[test]
    fn a_pdf_passes_with_its_digest() {
        let dir = tempfile::tempdir().unwrap();
        let docs = local(dir.path(), 1024);
        let mut v = Violations::new();
        let checked = docs
            .check(&mut v, "name", " plan.pdf ", "content", b"%PDF-1.7 body")
            .expect("accepted");
        assert!(v.is_empty());
        assert_eq!(checked.name, "plan.pdf");
        assert_eq!(checked.content_type, sniff::PDF);
        assert_eq!(checked.size_bytes, 13);
        assert_eq!(checked.sha256, sha256_hex(b"%PDF-1.7 body"));
        assert_eq!(checked.sha256.len(), 64);
    }

    #[test]
    fn bad_uploads_name_their_fields() {
        let dir = tempfile::tempdir().unwrap();
        let docs = local(dir.path(), 16);
        let mut v = Violations::new();
        assert!(docs.check(&mut v, "name", "", "content", b"").is_none());
        assert_eq!(fields(v), ["name", "content"]);

        let mut v = Violations::new();
        let big = [b"%PDF-".as_slice(), &[b' '; 20]].concat();
        assert!(
            docs.check(&mut v, "name", "a.pdf", "content", &big)
                .is_none()
        );
        assert_eq!(fields(v), ["content"]);

        let mut v = Violations::new();
        assert!(
            docs.check(&mut v, "name", "invoice.pdf", "content", b"MZ\x90\0")
                .is_none()
        );
        assert_eq!(fields(v), ["content"]);

        let mut v = Violations::new();
        assert!(
            docs.check(&mut v, "name", "../etc/passwd", "content", b"%PDF-1")
                .is_none()
        );
        assert_eq!(fields(v), ["name"]);
    }

    #[test]
    fn a_type_off_the_allow_list_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = DocumentSettings {
            allowed_types: vec![sniff::PDF.into()],
            ..DocumentSettings::default()
        };
        settings.local.path = dir.path().display().to_string();
        let docs = Documents::open(&settings, "training").unwrap();
        let mut v = Violations::new();
        assert!(
            docs.check(&mut v, "name", "p.png", "content", b"\x89PNG\r\n\x1a\n")
                .is_none()
        );
        assert_eq!(fields(v), ["content"]);
    }

    #[tokio::test]
    async fn bytes_round_trip_and_are_verified() {
        let dir = tempfile::tempdir().unwrap();
        let docs = local(dir.path(), 1024);
        let key = docs.key("consultation", "0190-abc");
        assert_eq!(key, "consultation/consultation/0190-abc");
        let content = Bytes::from_static(b"%PDF-1.7 program");
        docs.put(&key, content.clone()).await.unwrap();
        let digest = sha256_hex(&content);
        assert_eq!(docs.get(&key, &digest).await.unwrap(), content);
        assert!(
            dir.path()
                .join("documents/consultation/consultation/0190-abc")
                .is_file()
        );
        let wrong = sha256_hex(b"something else");
        assert!(matches!(
            docs.get(&key, &wrong).await,
            Err(Error::Internal(_))
        ));
        docs.remove(&key).await.unwrap();
        docs.remove(&key).await.unwrap();
        assert!(matches!(
            docs.get(&key, &digest).await,
            Err(Error::Internal(_))
        ));
    }

    #[tokio::test]
    async fn transfers_wait_their_turn_then_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = DocumentSettings {
            transfers_in_flight: 1,
            queue_wait_ms: 20,
            ..DocumentSettings::default()
        };
        settings.local.path = dir.path().display().to_string();
        let docs = Documents::open(&settings, "consultation").unwrap();
        let first = docs.transfer().await.unwrap();
        assert!(matches!(
            docs.transfer().await,
            Err(Error::ResourceExhausted(_))
        ));
        drop(first);
        assert!(docs.transfer().await.is_ok());
    }
}
