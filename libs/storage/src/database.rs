//! Connecting to the service's database and opening transactions.

use std::{path::Path, str::FromStr, sync::Arc, time::Duration};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sqlx::{
    Any, AnyPool, Connection, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
};

use crate::Transaction;

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    /// The backend a URL names, from its scheme.
    pub fn of_url(url: &str) -> Result<Self, StorageError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else {
            Err(StorageError::UnsupportedUrl)
        }
    }
}

/// The `[database]` section of a service's settings.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://…` or `sqlite://path/to/file.db`. A secret: it may carry a password.
    pub url: SecretString,
    /// Pool size. SQLite serialises writers whatever the size.
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
    /// How long a caller waits for a pooled connection.
    #[serde(default = "default_acquire_timeout_ms")]
    pub acquire_timeout_ms: u64,
    /// `apply` migrations at start-up, or only `verify` that they were applied.
    #[serde(default)]
    pub migrations: crate::MigrationMode,
}

/// How long a pooled connection may sit idle before it is pinged on its way out of the pool.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

fn default_max_connections() -> u32 {
    10
}
fn default_acquire_timeout_ms() -> u64 {
    5_000
}

impl DatabaseSettings {
    /// Settings for a URL with every other field at its default.
    pub fn from_url(url: impl Into<String>) -> Self {
        Self {
            url: SecretString::from(url.into()),
            max_connections: default_max_connections(),
            acquire_timeout_ms: default_acquire_timeout_ms(),
            migrations: crate::MigrationMode::default(),
        }
    }
}

/// What went wrong reaching the database. Never carries the URL (it may hold a password).
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database URL must start with postgres://, postgresql:// or sqlite:")]
    UnsupportedUrl,
    #[error("could not create the SQLite data directory")]
    DataDirectory(#[source] std::io::Error),
    #[error("could not connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("migrations failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "migration {version} ({description}) of {set} is not applied; start with migrations = \"apply\" or run them first"
    )]
    MigrationMissing {
        set: &'static str,
        version: i64,
        description: String,
    },
    #[error("migration {version} of {set} was changed after it was applied")]
    MigrationChanged { set: &'static str, version: i64 },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// A service's database: a pool and the backend it speaks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Database {
    /// Shared so that metrics can watch the pool without keeping it open.
    pool: Arc<AnyPool>,
    backend: Backend,
}

impl Database {
    /// Opens the pool. For SQLite, creates the file (and its directory) when missing and turns on
    /// WAL, foreign keys and a busy timeout on every connection.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, StorageError> {
        sqlx::any::install_default_drivers();
        let url = settings.url.expose_secret();
        let backend = Backend::of_url(url)?;
        let mut options = AnyPoolOptions::new()
            .max_connections(settings.max_connections.max(1))
            .acquire_timeout(Duration::from_millis(settings.acquire_timeout_ms))
            // A ping before every acquire costs a round trip per transaction; only a connection
            // left idle for a while is checked (a broken busy one fails its query, and the
            // caller gets UNAVAILABLE).
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            });
        let connect_url = match backend {
            Backend::Postgres => url.to_string(),
            Backend::Sqlite => {
                prepare_sqlite_file(url)?;
                options = options.after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                        Ok(())
                    })
                });
                with_create_mode(url)
            }
        };
        let connect_options =
            AnyConnectOptions::from_str(&connect_url).map_err(StorageError::Connect)?;
        let pool = options
            .connect_with(connect_options)
            .await
            .map_err(StorageError::Connect)?;
        Ok(Self {
            pool: Arc::new(pool),
            backend,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a transaction meant to write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so concurrent writers wait for each other instead of failing when a
    /// read lock cannot be upgraded.
    pub async fn begin(&self) -> Result<Transaction, sqlx::Error> {
        match self.backend {
            Backend::Postgres => self.pool.begin().await,
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
        }
    }

    /// Whether the database answers a trivial query now; feeds the health service.
    pub async fn is_reachable(&self) -> bool {
        sqlx::query::<Any>("SELECT 1")
            .execute(&*self.pool)
            .await
            .is_ok()
    }

    /// Reports this pool's connections as the `tachawor.db.pool.connections` gauge with
    /// `pool = name`; see [`crate::metrics`]. Call it once per pool, after telemetry started.
    pub fn observe_pool(&self, name: &str) {
        crate::metrics::observe_pool(name, Arc::downgrade(&self.pool));
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest)
}

fn prepare_sqlite_file(url: &str) -> Result<(), StorageError> {
    let path = sqlite_path(url);
    if path.is_empty() || path == ":memory:" {
        // Each pooled connection would get its own in-memory database.
        return Err(StorageError::UnsupportedUrl);
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(StorageError::DataDirectory)?;
    }
    Ok(())
}

fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(
            Backend::of_url("postgres://localhost/x").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://localhost/x").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("sqlite://data/x.db").unwrap(),
            Backend::Sqlite
        );
        assert!(Backend::of_url("mysql://localhost/x").is_err());
    }

    #[test]
    fn sqlite_urls_gain_create_mode_once() {
        assert_eq!(with_create_mode("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(
            with_create_mode("sqlite://a.db?cache=shared"),
            "sqlite://a.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            with_create_mode("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(sqlite_path("sqlite://data/a.db?mode=rwc"), "data/a.db");
    }

    #[test]
    fn in_memory_sqlite_is_refused() {
        assert!(matches!(
            prepare_sqlite_file("sqlite::memory:"),
            Err(StorageError::UnsupportedUrl)
        ));
    }
}
