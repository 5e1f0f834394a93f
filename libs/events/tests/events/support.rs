//! What every test needs: a fresh database per test, a bus with a prefix of its own, a NATS
//! server that can be killed, and bounded waiting.

use std::{
    future::Future,
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use prost::Name;
use tachawor_events::{
    Bus, BusKind, EventsSettings, MIGRATIONS, NatsAuth, Outbox, settings::ExposeSecret,
};
use tachawor_storage::{
    Database, DatabaseSettings, MigrationMode, SystemClock, sqlx::AssertSqlSafe,
};

pub const PRODUCER: &str = "identity";
pub const EVENT_TYPE: &str = "identity.account.registered";
pub const REGION: &str = "laayoune-sakia-el-hamra";

/// A payload for tests: pseudonymous id and a counter, nothing personal.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {
    #[prost(string, tag = "1")]
    pub account_id: String,
    #[prost(uint64, tag = "2")]
    pub n: u64,
}

impl Name for Ping {
    const PACKAGE: &'static str = "tachawor.test.v1";
    const NAME: &'static str = "Ping";
}

pub fn nats_url() -> String {
    std::env::var("TACHAWOR_TEST_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// The identity for the shared NATS: `TACHAWOR_TEST_NATS_USER` / `TACHAWOR_TEST_NATS_PASSWORD`
/// when set (`make test` gives its server's admin), else none.
pub fn nats_auth() -> NatsAuth {
    NatsAuth {
        user: std::env::var("TACHAWOR_TEST_NATS_USER").ok(),
        password: std::env::var("TACHAWOR_TEST_NATS_PASSWORD")
            .ok()
            .map(Into::into),
        ..NatsAuth::default()
    }
}

/// The accounts, users and permissions of every test NATS server (libs/testkit owns them).
pub const TEST_CONF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../testkit/nats/test.conf");

/// A user of `TEST_CONF`: `admin`, or a service with only what production allows it.
pub fn test_user(user: &str) -> NatsAuth {
    NatsAuth {
        user: Some(user.to_string()),
        password: Some(format!("{user}-test").into()),
        ..NatsAuth::default()
    }
}

/// A plain client with `auth`, for what the bus does not offer.
pub async fn nats_client(url: &str, auth: &NatsAuth) -> async_nats::Client {
    let mut options = async_nats::ConnectOptions::new();
    if let (Some(user), Some(password)) = (&auth.user, &auth.password) {
        options = options.user_and_password(user.clone(), password.expose_secret().to_string());
    }
    options.connect(url).await.expect("NATS client connects")
}

pub fn admin_url() -> String {
    std::env::var("TACHAWOR_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `TEST_LOG=1` prints the library's logs (`RUST_LOG` filters them).
pub fn init_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "tachawor_events=debug".into()),
                )
                .with_test_writer()
                .try_init();
        }
    });
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// Waits until `check` holds, polling; panics with `what` after `within`.
pub async fn wait_until<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Postgres,
    Sqlite,
}

/// A database of its own for one test: a fresh PostgreSQL database or a SQLite temp file.
pub struct TestDb {
    pub db: Database,
    pg_name: Option<String>,
    /// Keeps the SQLite file until the test ends.
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A database with the events migrations applied.
    pub async fn migrated(store: Store) -> Self {
        let test = Self::empty(store).await;
        test.db
            .migrate(&[&MIGRATIONS], MigrationMode::Apply)
            .await
            .expect("events migrations apply");
        test
    }

    pub async fn empty(store: Store) -> Self {
        init_logs();
        match store {
            Store::Postgres => {
                let name = unique("t_");
                let admin = admin(&admin_url()).await;
                tachawor_storage::sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.close().await;
                let db = Database::connect(&DatabaseSettings::from_url(database_url(
                    &admin_url(),
                    &name,
                )))
                .await
                .expect("connect to the test database");
                Self {
                    db,
                    pg_name: Some(name),
                    _dir: None,
                }
            }
            Store::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let db = sqlite_at(dir.path().join("test.db")).await;
                Self {
                    db,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    pub async fn teardown(self) {
        self.db.close().await;
        if let Some(name) = self.pg_name {
            let admin = admin(&admin_url()).await;
            let _ = tachawor_storage::sqlx::query(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(admin.pool())
            .await;
            admin.close().await;
        }
    }
}

pub async fn sqlite_at(path: PathBuf) -> Database {
    Database::connect(&DatabaseSettings::from_url(format!(
        "sqlite://{}",
        path.display()
    )))
    .await
    .expect("open SQLite file")
}

async fn admin(url: &str) -> Database {
    let mut settings = DatabaseSettings::from_url(url);
    settings.max_connections = 1;
    Database::connect(&settings).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is not reachable at {url} (set TACHAWOR_TEST_DATABASE_URL): {e}")
    })
}

fn database_url(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').unwrap_or((admin, ""));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Settings with a prefix no other test uses, and quick rounds.
pub fn settings(kind: BusKind) -> EventsSettings {
    let mut settings = EventsSettings {
        bus: kind,
        nats_url: nats_url(),
        auth: nats_auth(),
        subject_prefix: unique("t"),
        request_timeout_ms: 2_000,
        ..EventsSettings::default()
    };
    settings.relay.poll_interval_ms = 20;
    settings.relay.max_backoff_ms = 200;
    settings
}

/// A bus of one test; its streams are deleted at teardown.
pub struct TestBus {
    pub bus: Bus,
    pub settings: EventsSettings,
    /// The in-process bus's own database.
    pub bus_db: Option<TestDb>,
}

impl TestBus {
    pub async fn new(kind: BusKind) -> Self {
        Self::with_settings(settings(kind)).await
    }

    pub async fn with_settings(settings: EventsSettings) -> Self {
        match settings.bus {
            BusKind::Nats => {
                let bus = Bus::connect(&settings)
                    .await
                    .expect("NATS settings are valid");
                let url = settings.nats_url.clone();
                wait_until(
                    Duration::from_secs(5),
                    &format!(
                        "NATS at {url} admits the test (set TACHAWOR_TEST_NATS_URL, and \
                         TACHAWOR_TEST_NATS_USER / TACHAWOR_TEST_NATS_PASSWORD for a server \
                         with users; `make services` starts one)"
                    ),
                    || async { bus.is_connected() },
                )
                .await;
                bus.ensure_stream(PRODUCER)
                    .await
                    .expect("JetStream is enabled");
                Self {
                    bus,
                    settings,
                    bus_db: None,
                }
            }
            BusKind::InProcess => {
                let bus_db = TestDb::empty(Store::Sqlite).await;
                let bus = Bus::in_process(bus_db.db.clone(), &settings)
                    .await
                    .expect("in-process bus opens");
                bus.ensure_stream(PRODUCER).await.expect("stream created");
                Self {
                    bus,
                    settings,
                    bus_db: Some(bus_db),
                }
            }
        }
    }

    pub fn outbox(&self) -> Outbox {
        Outbox::new(PRODUCER, REGION, &self.settings, Arc::new(SystemClock))
    }

    pub fn subject(&self, event_type: &str) -> String {
        format!("{}.{event_type}", self.settings.subject_prefix)
    }

    pub async fn teardown(self) {
        let _ = self.bus.delete_stream(PRODUCER).await;
        if let Some(db) = self.bus_db {
            db.teardown().await;
        }
    }
}

/// Enqueues `count` events in one committed transaction; their ids in order.
pub async fn enqueue_committed(
    db: &Database,
    outbox: &Outbox,
    first: u64,
    count: u64,
) -> Vec<uuid::Uuid> {
    let mut tx = db.begin().await.expect("begin");
    let mut ids = Vec::new();
    for n in first..first + count {
        let id = outbox
            .enqueue(
                &mut tx,
                EVENT_TYPE,
                &format!("account-{n}"),
                &Ping {
                    account_id: format!("account-{n}"),
                    n,
                },
            )
            .await
            .expect("enqueue");
        ids.push(id);
    }
    tx.commit().await.expect("commit");
    ids
}

/// Event ids in the stream, in stream order.
pub async fn stream_ids(bus: &Bus) -> Vec<String> {
    bus.read_stream(PRODUCER)
        .await
        .expect("read stream")
        .into_iter()
        .map(|(_, e)| e.event_id)
        .collect()
}

pub fn strings(ids: &[uuid::Uuid]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

/// A nats-server of a test's own, on a free port with its own store and the test
/// authorization (connect as `test_user("admin")` or a service), that can be killed and
/// started again on the same port and store.
pub struct NatsServer {
    pub port: u16,
    store: tempfile::TempDir,
    child: Option<Child>,
    /// A member of a JetStream cluster: its name, cluster port and routes.
    cluster: Vec<String>,
}

impl NatsServer {
    /// Picks a port and a store; does not start the server.
    pub fn new() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("address")
            .port();
        Self {
            port,
            store: tempfile::tempdir().expect("temp dir"),
            child: None,
            cluster: Vec::new(),
        }
    }

    /// `size` servers of one JetStream cluster (not started), routed to each other.
    pub fn cluster(size: usize) -> Vec<Self> {
        let routes: Vec<u16> = (0..size)
            .map(|_| {
                TcpListener::bind("127.0.0.1:0")
                    .expect("free port")
                    .local_addr()
                    .expect("address")
                    .port()
            })
            .collect();
        let all = routes
            .iter()
            .map(|p| format!("nats://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(",");
        routes
            .iter()
            .enumerate()
            .map(|(i, route)| {
                let mut server = Self::new();
                server.cluster = vec![
                    "--name".into(),
                    format!("n{i}"),
                    "--cluster_name".into(),
                    "test".into(),
                    "--cluster".into(),
                    format!("nats://127.0.0.1:{route}"),
                    "--routes".into(),
                    all.clone(),
                ];
                server
            })
            .collect()
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    pub async fn start(&mut self) {
        let child = Command::new("/usr/sbin/nats-server")
            .args([
                "-c",
                TEST_CONF,
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(self.store.path())
            .args(&self.cluster)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server at /usr/sbin/nats-server starts");
        self.child = Some(child);
        let addr = format!("127.0.0.1:{}", self.port);
        wait_until(Duration::from_secs(10), "nats-server listens", || async {
            tokio::net::TcpStream::connect(&addr).await.is_ok()
        })
        .await;
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill nats-server");
            child.wait().expect("reap nats-server");
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
    }
}
