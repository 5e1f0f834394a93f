//! Test support shared by every service's test suite.
//!
//! - [`TestDatabase::fresh`]: a new, empty database per test — a PostgreSQL database named by a
//!   fresh UUID (dropped afterwards) or a SQLite file in a temporary directory.
//! - [`unique_prefix`]: a subject prefix so each test has its own NATS streams.
//! - [`TestCa`]: a certificate authority made on the spot and the certificates it issues, as
//!   PEM files, for TLS tests.
//! - [`Served`]: a service a test spawned, stopped when dropped; [`Who`], the callers of a
//!   role matrix.
//! - [`SmtpSink`]: a real SMTP server (aiosmtpd, `smtp/sink.py`) writing what it receives to
//!   a directory.
//! - [`answering_replica`], [`dead_replica`], [`hung_replica`]: stand-ins for a service's
//!   replicas, for clients that spread calls over several.
//! - [`matrix!`]: writes a test once and runs it on PostgreSQL + NATS and on SQLite + the
//!   in-process bus.
//!
//! PostgreSQL is found through `TACHAWOR_TEST_DATABASE_URL` (an admin URL, default
//! `postgres://postgres@127.0.0.1:5432/postgres`), NATS through `TACHAWOR_TEST_NATS_URL`
//! (default `nats://127.0.0.1:4222`) with the identity `TACHAWOR_TEST_NATS_USER` /
//! `TACHAWOR_TEST_NATS_PASSWORD` (none by default; `make test` gives the admin of its server,
//! which runs with `nats/test.conf`). When they cannot be reached the test fails and says so:
//! nothing is skipped. `TEST_LOG=1` prints the services' logs.

pub mod bench;
mod certificates;
mod documents;
mod env;
mod events;
mod logs;
mod nats_server;
mod replicas;
mod served;
mod smtp;

use std::{path::PathBuf, time::Duration};

pub use certificates::{CertFiles, TestCa};
pub use documents::s3_url;
pub use env::{Bearer, TestEnv, channel};
pub use events::envelope;
pub use logs::captured_logs;
pub use nats_server::{NatsServer, TEST_CONF, admin_user, as_service, service_user};
pub use replicas::{answering_replica, dead_replica, hung_replica};
pub use served::{EVERYONE, Served, Stop, Who};
pub use smtp::{SmtpSink, free_port, received};

use sqlx::{AnyPool, any::AnyPoolOptions};
pub use tachawor_storage::Backend;
use tachawor_storage::DatabaseSettings;

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
pub const DEFAULT_NATS_URL: &str = "nats://127.0.0.1:4222";

/// The PostgreSQL admin URL tests create their databases with.
pub fn database_admin_url() -> String {
    std::env::var("TACHAWOR_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into())
}

/// The NATS server tests publish to.
pub fn nats_url() -> String {
    std::env::var("TACHAWOR_TEST_NATS_URL").unwrap_or_else(|_| DEFAULT_NATS_URL.into())
}

/// The identity tests connect to the shared NATS with: `TACHAWOR_TEST_NATS_USER` and
/// `TACHAWOR_TEST_NATS_PASSWORD` when set, else none.
pub fn nats_auth() -> tachawor_events::NatsAuth {
    tachawor_events::NatsAuth {
        user: std::env::var("TACHAWOR_TEST_NATS_USER").ok(),
        password: std::env::var("TACHAWOR_TEST_NATS_PASSWORD")
            .ok()
            .map(Into::into),
        ..Default::default()
    }
}

/// A plain client of the server at `url` with `auth` (user and password, or none): for what
/// the bus does not offer, such as listing streams.
pub async fn nats_client(
    url: &str,
    auth: &tachawor_events::NatsAuth,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    use tachawor_events::settings::ExposeSecret as _;
    let mut options = async_nats::ConnectOptions::new();
    if let (Some(user), Some(password)) = (&auth.user, &auth.password) {
        options = options.user_and_password(user.clone(), password.expose_secret().to_string());
    }
    options.connect(url).await
}

/// A prefix no other test uses, for subjects and stream names (`t` + 32 hex digits).
pub fn unique_prefix() -> String {
    format!("t{}", uuid::Uuid::new_v4().simple())
}

/// Captures every log line of the test binary (see [`captured_logs`]) and also prints them
/// when `TEST_LOG` is set; safe to call from every test.
pub fn init_logging() {
    logs::init();
}

/// Fails the test, saying why, when NATS cannot be reached.
pub async fn require_nats() -> String {
    let url = nats_url();
    let auth = nats_auth();
    match tokio::time::timeout(Duration::from_secs(5), nats_client(&url, &auth)).await {
        Ok(Ok(client)) => {
            drop(client);
            url
        }
        Ok(Err(e)) if e.kind() == async_nats::ConnectErrorKind::AuthorizationViolation => panic!(
            "NATS at {url} refused the test identity (set TACHAWOR_TEST_NATS_USER and \
             TACHAWOR_TEST_NATS_PASSWORD; `make services` prints them)"
        ),
        _ => panic!(
            "NATS with JetStream is required at {url} (set TACHAWOR_TEST_NATS_URL). \
             Start it with `make services` or `.ci/run`."
        ),
    }
}

/// A database that exists for one test only.
#[derive(Debug)]
pub struct TestDatabase {
    backend: Backend,
    url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Postgres { admin_url: String, name: String },
    Sqlite { dir: PathBuf },
}

impl TestDatabase {
    /// Creates a new empty database on `backend`.
    pub async fn fresh(backend: Backend) -> Self {
        sqlx::any::install_default_drivers();
        match backend {
            Backend::Postgres => {
                let admin_url = database_admin_url();
                let name = format!("t_{}", uuid::Uuid::new_v4().simple());
                let admin = admin_pool(&admin_url).await;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("could not create test database {name}: {e}"));
                admin.close().await;
                let url = replace_database(&admin_url, &name);
                Self {
                    backend,
                    url,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
            Backend::Sqlite => {
                let dir = std::env::temp_dir()
                    .join(format!("tachawor-test-{}", uuid::Uuid::new_v4().simple()));
                std::fs::create_dir_all(&dir).expect("create a temporary directory");
                let url = format!("sqlite://{}", dir.join("test.db").display());
                Self {
                    backend,
                    url,
                    cleanup: Cleanup::Sqlite { dir },
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Settings for `tachawor_storage::Database::connect`.
    pub fn settings(&self) -> DatabaseSettings {
        DatabaseSettings::from_url(self.url.clone())
    }

    /// A second database of the same kind, for a test that runs several services.
    pub async fn sibling(&self) -> Self {
        Self::fresh(self.backend).await
    }

    /// A directory that is removed with this database (SQLite) or a new temporary one.
    pub fn scratch_dir(&self) -> PathBuf {
        match &self.cleanup {
            Cleanup::Sqlite { dir } => dir.clone(),
            Cleanup::Postgres { name, .. } => {
                let dir = std::env::temp_dir().join(format!("tachawor-scratch-{name}"));
                std::fs::create_dir_all(&dir).expect("create a scratch directory");
                dir
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                // Drop runs outside async code; a short-lived runtime on its own thread does it.
                let scratch = std::env::temp_dir().join(format!("tachawor-scratch-{name}"));
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async {
                        if let Ok(pool) = AnyPoolOptions::new()
                            .max_connections(1)
                            .connect(&admin_url)
                            .await
                        {
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .execute(&pool)
                            .await;
                            pool.close().await;
                        }
                    });
                })
                .join();
                let _ = std::fs::remove_dir_all(scratch);
            }
        }
    }
}

async fn admin_pool(admin_url: &str) -> AnyPool {
    match tokio::time::timeout(
        Duration::from_secs(10),
        AnyPoolOptions::new().max_connections(1).connect(admin_url),
    )
    .await
    {
        Ok(Ok(pool)) => pool,
        Ok(Err(e)) => panic!(
            "PostgreSQL is required at {admin_url} (set TACHAWOR_TEST_DATABASE_URL): {e}. \
             Start it with `make services` or `.ci/run`."
        ),
        Err(_) => panic!("PostgreSQL at {admin_url} did not answer within 10 s"),
    }
}

/// `postgres://user@host:port/old?x` with the database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

/// A test environment that can be started on either backend; see [`matrix!`].
pub trait Harness: Sized {
    fn start(backend: Backend) -> impl std::future::Future<Output = Self> + Send;
}

/// Writes each test once and runs it twice: on PostgreSQL + NATS (`<name>::postgres`) and on
/// SQLite + the in-process bus (`<name>::sqlite`). The argument's type implements [`Harness`].
///
/// ```ignore
/// tachawor_testkit::matrix! {
///     async fn register_then_login(app: TestApp) {
///         app.register("a@example.ma").await;
///     }
/// }
/// ```
#[macro_export]
macro_rules! matrix {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($app:ident : $ty:ty) $body:block
    )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let $app = <$ty as $crate::Harness>::start($crate::Backend::Postgres).await;
                    $body
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let $app = <$ty as $crate::Harness>::start($crate::Backend::Sqlite).await;
                    $body
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced_keeping_host_and_query() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t_1"),
            "postgres://postgres@127.0.0.1:5432/t_1"
        );
        assert_eq!(
            replace_database("postgres://u:p@db/x?sslmode=disable", "t_2"),
            "postgres://u:p@db/t_2?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://db", "t_3"),
            "postgres://db/t_3"
        );
    }

    #[tokio::test]
    async fn fresh_databases_are_empty_and_separate() {
        for backend in [Backend::Postgres, Backend::Sqlite] {
            let a = TestDatabase::fresh(backend).await;
            let b = TestDatabase::fresh(backend).await;
            assert_ne!(a.url(), b.url());
            let db = tachawor_storage::Database::connect(&a.settings())
                .await
                .unwrap();
            sqlx::query("CREATE TABLE probe (id INTEGER)")
                .execute(db.pool())
                .await
                .unwrap();
            db.close().await;
            let other = tachawor_storage::Database::connect(&b.settings())
                .await
                .unwrap();
            let r = sqlx::query("SELECT id FROM probe")
                .execute(other.pool())
                .await;
            assert!(
                r.is_err(),
                "{backend:?}: table leaked between test databases"
            );
            other.close().await;
        }
    }
}
