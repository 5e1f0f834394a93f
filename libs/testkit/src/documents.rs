//! A document store per test: files in the test's scratch directory on SQLite, a fresh bucket
//! of the tests' S3 API server (moto, started by `scripts/test-services.sh`) on PostgreSQL.

use std::collections::HashMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Backend, TestEnv};

/// The tests' S3 API server.
pub fn s3_url() -> String {
    std::env::var("TACHAWOR_TEST_S3_URL").unwrap_or_else(|_| {
        panic!(
            "TACHAWOR_TEST_S3_URL is not set: the PostgreSQL tests keep documents in an S3 API \
             server; run `scripts/test-services.sh` (it starts moto) and export \
             TACHAWOR_TEST_S3_URL=http://127.0.0.1:4323, or run `make test`"
        )
    })
}

/// Creates `bucket` on the S3 server at `url` (moto takes unsigned requests).
async fn create_bucket(url: &str, bucket: &str) {
    let authority = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = tokio::net::TcpStream::connect(&authority)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the tests' S3 server at {url} does not answer ({e}); run \
                 `scripts/test-services.sh`"
            )
        });
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "creating bucket {bucket} at {url}: {}",
        answer.lines().next().unwrap_or_default()
    );
}

impl TestEnv {
    /// Settings (dotted keys) giving a service a document store of its own for this test.
    pub async fn document_settings(&self) -> HashMap<String, String> {
        match self.backend {
            Backend::Sqlite => HashMap::from([
                ("documents.store".into(), "local".into()),
                (
                    "documents.local.path".into(),
                    self.database
                        .scratch_dir()
                        .join("documents")
                        .display()
                        .to_string(),
                ),
            ]),
            Backend::Postgres => {
                let url = s3_url();
                let bucket = format!("t-{}", uuid::Uuid::new_v4().simple());
                create_bucket(&url, &bucket).await;
                HashMap::from([
                    ("documents.store".into(), "s3".into()),
                    ("documents.s3.endpoint".into(), url),
                    ("documents.s3.bucket".into(), bucket),
                    ("documents.s3.region".into(), "us-east-1".into()),
                    ("documents.s3.access_key_id".into(), "testing".into()),
                    ("documents.s3.secret_access_key".into(), "testing".into()),
                    ("documents.s3.path_style".into(), "true".into()),
                    ("documents.s3.allow_http".into(), "true".into()),
                ])
            }
        }
    }
}
