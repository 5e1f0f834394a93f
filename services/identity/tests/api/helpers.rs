//! Starts a real identity server on a random port, on a fresh database and its own streams,
//! and talks to it through the generated client, as any program would.

use std::{collections::HashMap, path::Path, sync::Arc, time::Duration};

use base64::Engine;
use tachawor_events::{Bus, BusKind, Envelope};
use tachawor_identity::{Application, Dependencies, Settings, settings::DEFAULTS};
use tachawor_proto::identity::{
    LoginRequest, RegisterRequest, Role, SetRolesRequest, TokenPair, VerifyAccountRequest,
    identity_service_client::IdentityServiceClient,
};
use tachawor_storage::{Database, ManualClock};
use tachawor_testkit::{Backend, Harness, TestDatabase};
use tonic::{
    Request, Status,
    metadata::MetadataValue,
    service::{Interceptor, interceptor::InterceptedService},
    transport::Channel,
};

pub const PASSWORD: &str = "a long enough password";
pub const ADMIN_EMAIL: &str = "admin@region.test";
pub const SERVICE_ID: &str = "consultation";
pub const SERVICE_SECRET: &str = "service secret for tests";

/// Adds `authorization: Bearer …` when it has a token.
#[derive(Clone, Default)]
pub struct Bearer(Option<MetadataValue<tonic::metadata::Ascii>>);

impl Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        if let Some(token) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", token.clone());
        }
        Ok(request)
    }
}

pub type Client = IdentityServiceClient<InterceptedService<Channel, Bearer>>;

pub struct TestApp {
    pub backend: Backend,
    pub clock: ManualClock,
    pub bus: Bus,
    pub settings: Settings,
    channel: Channel,
    endpoint: String,
    /// The service's own database, for checks that nothing was written.
    pub db: Database,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _database: TestDatabase,
    _bus_database: Option<TestDatabase>,
}

fn random_key() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn region_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../config/regions/laayoune-sakia-el-hamra.toml")
        .display()
        .to_string()
}

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        Self::start_with(backend, HashMap::new()).await
    }
}

impl TestApp {
    /// Starts with extra settings (`"tokens.access_ttl_secs"` → value).
    pub async fn start_with(backend: Backend, overrides: HashMap<&str, String>) -> Self {
        tachawor_testkit::init_logging();
        let database = TestDatabase::fresh(backend).await;
        let prefix = tachawor_testkit::unique_prefix();
        let mut env: HashMap<String, String> = HashMap::new();
        let mut set = |k: &str, v: String| {
            env.insert(
                format!("TACHAWOR__{}", k.replace('.', "__").to_uppercase()),
                v,
            );
        };
        set("database.url", database.url().to_string());
        set("server.listen_addr", "127.0.0.1:0".into());
        set("region.file", region_file());
        set("events.subject_prefix", prefix.clone());
        set("events.relay.poll_interval_ms", "50".into());
        set("secrets.cin_encryption_key", random_key());
        set("secrets.cin_hmac_key", random_key());
        set("secrets.signing_key_encryption_key", random_key());
        set("bootstrap.admin_email", ADMIN_EMAIL.into());
        set("bootstrap.admin_password", PASSWORD.into());
        set(
            &format!("service_clients.{SERVICE_ID}"),
            SERVICE_SECRET.into(),
        );
        let (bus_kind, bus_database) = match backend {
            Backend::Postgres => {
                set("events.bus", "nats".into());
                set("events.nats_url", tachawor_testkit::require_nats().await);
                (BusKind::Nats, None)
            }
            Backend::Sqlite => {
                set("events.bus", "in_process".into());
                (
                    BusKind::InProcess,
                    Some(TestDatabase::fresh(Backend::Sqlite).await),
                )
            }
        };
        for (k, v) in overrides {
            set(k, v);
        }
        let settings: Settings =
            tachawor_config::load_from(DEFAULTS, None, Some(env)).expect("test settings");
        let bus = match &bus_database {
            None => Bus::connect(&settings.events).await.expect("NATS bus"),
            Some(db) => {
                let db = Database::connect(&db.settings())
                    .await
                    .expect("bus database");
                Bus::in_process(db, &settings.events)
                    .await
                    .expect("in-process bus")
            }
        };
        assert_eq!(bus.kind(), bus_kind);
        let clock = ManualClock::starting_now();
        let app = Application::build(
            settings.clone(),
            Dependencies {
                bus: Some(bus.clone()),
                clock: Arc::new(clock.clone()),
            },
        )
        .await
        .expect("identity builds");
        let addr = app.local_addr();
        let db = app.context().db.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        let endpoint = format!("http://{addr}");
        let channel = Channel::from_shared(endpoint.clone())
            .expect("address")
            .connect_lazy();
        Self {
            backend,
            clock,
            bus,
            settings,
            channel,
            endpoint,
            db,
            shutdown: Some(tx),
            server: Some(server),
            _database: database,
            _bus_database: bus_database,
        }
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
        let value = format!("Bearer {token}").parse().expect("ascii token");
        IdentityServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(value)))
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
            .expect("register")
            .into_inner()
            .account
            .expect("account")
            .account_id
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
        let email = format!("{}@people.test", uuid::Uuid::new_v4().simple());
        let id = self.register(&email).await;
        let tokens = self.login(&email).await;
        (id, self.with_token(&tokens.access_token))
    }

    pub async fn admin(&self) -> Client {
        let tokens = self.login(ADMIN_EMAIL).await;
        self.with_token(&tokens.access_token)
    }

    /// A new member of council staff: its id and a signed-in client.
    pub async fn staff(&self) -> (String, Client) {
        let email = format!("{}@council.test", uuid::Uuid::new_v4().simple());
        let id = self.register(&email).await;
        self.admin()
            .await
            .set_roles(SetRolesRequest {
                account_id: id.clone(),
                roles: vec![Role::Citizen as i32, Role::CouncilStaff as i32],
            })
            .await
            .expect("grant staff");
        let tokens = self.login(&email).await;
        (id, self.with_token(&tokens.access_token))
    }

    /// A client authenticated as another service.
    pub async fn service(&self) -> Client {
        let token = self
            .anonymous()
            .issue_service_token(tachawor_proto::identity::IssueServiceTokenRequest {
                client_id: SERVICE_ID.into(),
                client_secret: SERVICE_SECRET.into(),
            })
            .await
            .expect("service token")
            .into_inner()
            .access_token;
        self.with_token(&token)
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

    /// Every event in the identity stream, once the outbox has drained.
    pub async fn events(&self) -> Vec<(String, Envelope)> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let pending = tachawor_events::pending_count(&self.db)
                .await
                .expect("outbox");
            if pending == 0 {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{pending} events still in the outbox after 15 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.bus.read_stream("identity").await.expect("read stream")
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

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        // The test's own stream goes with it, so the broker does not fill with test streams.
        if self.backend == Backend::Postgres {
            let url = self.settings.events.nats_url.clone();
            let stream = tachawor_events::subjects::stream_name(
                &self.settings.events.subject_prefix,
                "identity",
            );
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(client) = async_nats::connect(&url).await {
                        let _ = async_nats::jetstream::new(client)
                            .delete_stream(&stream)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The field names an `INVALID_ARGUMENT` status lists.
pub fn fields(status: &Status) -> Vec<String> {
    assert_eq!(
        status.code(),
        tonic::Code::InvalidArgument,
        "expected INVALID_ARGUMENT, got {status:?}"
    );
    tachawor_errors::violated_fields(status)
}
