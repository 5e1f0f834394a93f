//! A real identity server for tests — identity's own and those of services that need accounts,
//! tokens and eligibility — on a random port, driven through the generated client as any
//! program would. Enabled by the `testing` feature.

use std::{collections::HashMap, path::Path, sync::Arc};

use crate::{Application, Dependencies, Settings, settings::DEFAULTS};
use base64::Engine;
use tachawor_proto::identity::{
    LoginRequest, RegisterRequest, TokenPair, VerifyAccountRequest,
    identity_service_client::IdentityServiceClient,
};
use tachawor_storage::Clock;
use tachawor_storage::{Database, ManualClock};
use tachawor_testkit::{Backend, Bearer, TestDatabase, TestEnv};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

mod people;
pub use people::{People, TestPerson};

pub const PASSWORD: &str = "a long enough password";
pub const ADMIN_EMAIL: &str = "admin@region.test";
pub const SERVICE_ID: &str = "consultation";
pub const SERVICE_SECRET: &str = "service secret for tests";
/// The client ids that get a service token with [`SERVICE_SECRET`].
pub const SERVICE_CLIENTS: [&str; 5] = [
    "consultation",
    "training",
    "reporting",
    "portal",
    "notification",
];

pub type Client = IdentityServiceClient<InterceptedService<Channel, Bearer>>;

/// A running identity service.
pub struct TestIdentity {
    pub backend: Backend,
    pub clock: ManualClock,
    pub settings: Settings,
    channel: Channel,
    endpoint: String,
    /// Identity's own database, for checks that nothing was written.
    pub db: Database,
    /// Identity's outbox relay, to tell when it has tried to publish.
    pub relay: tachawor_events::RelayNotifier,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// Its database when started beside another service.
    _own_database: Option<TestDatabase>,
}

fn random_key() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The shipped region file, from the workspace.
pub fn region_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../config/regions/laayoune-sakia-el-hamra.toml")
        .display()
        .to_string()
}

/// Cheap password hashing and access tokens valid for `access_ttl_secs`.
fn quick(access_ttl_secs: i64) -> HashMap<&'static str, String> {
    HashMap::from([
        ("passwords.memory_kib", "64".to_string()),
        ("passwords.iterations", "1".to_string()),
        ("tokens.access_ttl_secs", access_ttl_secs.to_string()),
    ])
}

impl TestIdentity {
    /// Identity as the service under test, on the environment's database and bus.
    pub async fn start_in(
        env: &TestEnv,
        clock: ManualClock,
        overrides: HashMap<&str, String>,
    ) -> Self {
        Self::start(env, env.settings(), clock, overrides, None).await
    }

    /// Identity for the tests of a service that only verifies its tokens: on an environment
    /// of its own (returned, to be kept as long as identity), so its events stay out of the
    /// tested service's bus; passwords hashed cheaply, access tokens valid for
    /// `access_ttl_secs` (tests that move their clock far ahead ask for long ones).
    pub async fn start_apart(
        backend: Backend,
        clock: ManualClock,
        access_ttl_secs: i64,
    ) -> (TestEnv, Self) {
        let env = TestEnv::start(backend).await;
        let identity = Self::start_in(&env, clock, quick(access_ttl_secs)).await;
        (env, identity)
    }

    /// As [`TestIdentity::start_beside`], with passwords hashed cheaply and access tokens
    /// valid for `access_ttl_secs`, like [`TestIdentity::start_apart`]: for the tests of a
    /// service that consumes identity's events.
    pub async fn start_beside_quick(
        env: &TestEnv,
        clock: ManualClock,
        access_ttl_secs: i64,
    ) -> Self {
        Self::start_beside_with(env, clock, quick(access_ttl_secs)).await
    }

    /// Identity beside the service under test: its own fresh database, the environment's bus.
    pub async fn start_beside(env: &TestEnv, clock: ManualClock) -> Self {
        Self::start_beside_with(env, clock, HashMap::new()).await
    }

    /// As [`TestIdentity::start_beside`], with settings of the test's own
    /// (`"passwords.memory_kib"` → value).
    pub async fn start_beside_with(
        env: &TestEnv,
        clock: ManualClock,
        overrides: HashMap<&str, String>,
    ) -> Self {
        let own = TestDatabase::fresh(env.backend).await;
        let mut values = env.settings();
        values.insert("database.url".into(), own.url().to_string());
        Self::start(env, values, clock, overrides, Some(own)).await
    }

    async fn start(
        env: &TestEnv,
        mut values: HashMap<String, String>,
        clock: ManualClock,
        overrides: HashMap<&str, String>,
        own_database: Option<TestDatabase>,
    ) -> Self {
        for (k, v) in [
            ("region.file", region_file()),
            ("secrets.cin_encryption_key", random_key()),
            ("secrets.cin_hmac_key", random_key()),
            ("secrets.signing_key_encryption_key", random_key()),
            ("bootstrap.admin_email", ADMIN_EMAIL.into()),
            ("bootstrap.admin_password", PASSWORD.into()),
            // Tests make many accounts from one address, some at once on a busy machine; the
            // tests of these limits set their own.
            ("register_limits.max_per_peer", "1000000".into()),
            ("register_limits.max_total", "1000000".into()),
            ("passwords.queue_wait_ms", "30000".into()),
        ] {
            values.insert(k.to_string(), v);
        }
        // Every service of the platform may ask for a service token in tests.
        for client in SERVICE_CLIENTS {
            values.insert(format!("service_clients.{client}"), SERVICE_SECRET.into());
        }
        for (k, v) in overrides {
            values.insert(k.to_string(), v);
        }
        let settings: Settings =
            tachawor_config::load_with(DEFAULTS, &values, None).expect("test settings");
        let app = Application::build(
            settings.clone(),
            Dependencies {
                bus: Some(env.bus.clone()),
                clock: Arc::new(clock.clone()),
            },
        )
        .await
        .expect("identity builds");
        let addr = app.local_addr();
        let db = app.context().db.clone();
        let relay = app.context().writer.relay().clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        Self {
            backend: env.backend,
            clock,
            settings,
            channel: tachawor_testkit::channel(addr),
            endpoint: format!("http://{addr}"),
            db,
            relay,
            shutdown: Some(tx),
            server: Some(server),
            _own_database: own_database,
        }
    }

    /// Now on the test's clock, in seconds.
    pub fn now_secs(&self) -> i64 {
        self.clock.now_millis() / 1000
    }

    /// The server's address as a URL.
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// A client with no credentials.
    pub fn anonymous(&self) -> Client {
        IdentityServiceClient::with_interceptor(self.channel.clone(), Bearer::default())
    }

    /// A client that sends `token`.
    pub fn with_token(&self, token: &str) -> Client {
        IdentityServiceClient::with_interceptor(self.channel.clone(), Bearer::new(token))
    }

    /// Registers an account by email and returns its id.
    pub async fn register(&self, email: &str) -> String {
        self.anonymous()
            .register(RegisterRequest {
                email: email.into(),
                password: PASSWORD.into(),
                display_name: "Test Person".into(),
                ..Default::default()
            })
            .await
            .expect("register");
        self.account_id_of(email).await
    }

    /// The id of the account registered with `email`. Register does not tell it (a client
    /// learns it by signing in); tests read it from identity's database, so that no session
    /// is opened on the account's behalf.
    pub async fn account_id_of(&self, email: &str) -> String {
        let (id,): (String,) = sqlx::query_as("SELECT account_id FROM accounts WHERE email = $1")
            .bind(crate::validate::normalise_email(email))
            .fetch_one(self.db.pool())
            .await
            .expect("a registered account");
        id
    }

    pub async fn login(&self, identifier: &str) -> TokenPair {
        self.anonymous()
            .login(LoginRequest {
                identifier: identifier.into(),
                password: PASSWORD.into(),
            })
            .await
            .expect("login")
            .into_inner()
            .tokens
            .expect("tokens")
    }

    /// A new citizen: its id and a signed-in client.
    pub async fn citizen(&self) -> (String, Client) {
        let person = self.people().citizen().await;
        (person.id, self.with_token(&person.token))
    }

    pub async fn admin(&self) -> Client {
        self.with_token(&self.people().admin().await.token)
    }

    /// A new member of council staff: its id and a signed-in client.
    pub async fn staff(&self) -> (String, Client) {
        let person = self.people().staff().await;
        (person.id, self.with_token(&person.token))
    }

    /// A client authenticated as another service.
    pub async fn service(&self) -> Client {
        self.with_token(&self.service_token(SERVICE_ID).await)
    }

    /// A service token for `client_id` (one of [`SERVICE_CLIENTS`]).
    pub async fn service_token(&self, client_id: &str) -> String {
        self.anonymous()
            .issue_service_token(tachawor_proto::identity::IssueServiceTokenRequest {
                client_id: client_id.into(),
                client_secret: SERVICE_SECRET.into(),
            })
            .await
            .expect("service token")
            .into_inner()
            .access_token
    }

    /// Verifies an account with a CIN, as staff would.
    pub async fn verify(&self, account_id: &str, cin: &str, province: &str) {
        let (_, staff) = self.staff().await;
        let mut staff = staff;
        staff
            .verify_account(VerifyAccountRequest {
                account_id: account_id.into(),
                cin: cin.into(),
                residence_province_code: province.into(),
                ..Default::default()
            })
            .await
            .expect("verify");
    }

    /// `n` active citizen accounts written straight into the database (no contact, no
    /// password: they cannot sign in), for tests that need thousands of accounts; their ids.
    pub async fn bulk_accounts(&self, n: usize) -> Vec<String> {
        let ids: Vec<String> = (0..n).map(|_| uuid::Uuid::now_v7().to_string()).collect();
        let now = self.now_secs() * 1000;
        let mut tx = self.db.pool().begin().await.expect("begin");
        for chunk in ids.chunks(200) {
            // One `($n, ...)` tuple per account, `$n` its id.
            let tuples = |rest: &str| {
                (1..=chunk.len())
                    .map(|p| format!("(${p}{rest})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            for sql in [
                format!(
                    "INSERT INTO accounts (account_id, locale, status, created_at, updated_at) \
                     VALUES {}",
                    tuples(&format!(", 'fr', 'active', {now}, {now}"))
                ),
                format!(
                    "INSERT INTO account_roles (account_id, role) VALUES {}",
                    tuples(", 'citizen'")
                ),
            ] {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    query = query.bind(id);
                }
                query.execute(&mut *tx).await.expect("insert accounts");
            }
        }
        tx.commit().await.expect("commit");
        ids
    }

    /// Rows in a table of the service's database.
    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(self.db.pool())
                .await
                .expect("count");
        n
    }
}

impl Drop for TestIdentity {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
