//! The services as separate servers in this process, each on its own port and its own
//! fresh PostgreSQL database, all on one NATS under one subject prefix, sharing a
//! `ManualClock`. Identity shares the test's bus; the others connect to NATS themselves,
//! as they do in production: each as its own NATS user, allowed only its own subjects and the
//! streams it consumes, the streams made beforehand by the admin (on the NATS of `make test`,
//! which runs with libs/testkit/nats/test.conf).

use std::{collections::HashMap, future::Future, net::SocketAddr, path::Path, sync::Arc};

use tachawor_identity::testing::{self, ADMIN_EMAIL, PASSWORD, TestIdentity};
use tachawor_runtime::Dependencies;
use tachawor_storage::ManualClock;
use tachawor_testkit::{Backend, TestDatabase, TestEnv};

use crate::Platform;

/// 1 September 2025, 10:00 UTC: inside milestone MALAA0004-1's window.
pub const START: i64 = 1_756_720_800_000;

/// Failed sign-ins identity allows per client address here (few, so tests reach the limit).
pub const FAILURES_PER_PEER: usize = 8;

/// The servers; they stop when this is dropped.
pub struct Servers {
    pub platform: Platform,
    pub env: TestEnv,
    pub identity: TestIdentity,
    stops: Vec<tokio::sync::oneshot::Sender<()>>,
    tasks: Vec<Task>,
    _databases: Vec<TestDatabase>,
}

/// A file of the workspace's `config/` folder.
pub fn config_file(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../config")
        .join(relative)
        .display()
        .to_string()
}

/// What each service's settings take from the test beyond the environment's.
fn values(
    env: &TestEnv,
    database: &TestDatabase,
    identity: &str,
    client_id: &str,
) -> HashMap<String, String> {
    let mut values = env.service_settings(client_id);
    for (k, v) in [
        ("database.url", database.url().to_string()),
        ("region.file", testing::region_file()),
        ("auth.identity_url", identity.to_string()),
        ("identity.url", identity.to_string()),
        ("identity.client_id", client_id.to_string()),
        (
            "identity.client_secret",
            testing::SERVICE_SECRET.to_string(),
        ),
        (
            "commitments.file",
            config_file("commitments/malaa0004.toml"),
        ),
    ] {
        values.insert(k.to_string(), v);
    }
    values
}

impl Servers {
    /// Starts identity, consultation, training, reporting and notification; `consultation` holds extra
    /// consultation settings (`"petitions.minimum_signatures"` → value).
    pub async fn start(consultation: HashMap<&str, String>) -> Self {
        let env = TestEnv::start(Backend::Postgres).await;
        // What each Deployment's `streams` init container does, as the NATS admin.
        env.create_streams(&[
            "identity",
            "consultation",
            "training",
            "reporting",
            "notification",
        ])
        .await;
        let clock = ManualClock::new(START);
        // Cheap password hashing, so hundreds of accounts are made quickly, and tokens that
        // outlive the months the scenario moves the clock by.
        let identity = TestIdentity::start_beside_with(
            &env,
            clock.clone(),
            HashMap::from([
                ("passwords.memory_kib", "64".to_string()),
                ("passwords.iterations", "1".to_string()),
                // Past today's date too: the portal renews tokens by its own clock.
                ("tokens.access_ttl_secs", (2000 * 86_400).to_string()),
                ("tokens.refresh_ttl_secs", (2100 * 86_400).to_string()),
                ("tokens.service_token_ttl_secs", (400 * 86_400).to_string()),
                (
                    "login_limits.max_failures_per_peer",
                    FAILURES_PER_PEER.to_string(),
                ),
            ]),
        )
        .await;
        let url = identity.endpoint();
        // Consultation and training keep documents in one bucket of the tests' S3 server.
        let documents = env.document_settings().await;
        let deps = || Dependencies {
            bus: None,
            clock: Arc::new(clock.clone()),
        };
        let mut stops = Vec::new();
        let mut tasks = Vec::new();
        let mut databases = Vec::new();
        let mut serve = |db, addr: SocketAddr, run: Box<dyn FnOnce(Stop) -> Task>| {
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            stops.push(tx);
            tasks.push(run(Box::pin(async move {
                let _ = rx.await;
            })));
            databases.push(db);
            tachawor_testkit::channel(addr)
        };

        let db = TestDatabase::fresh(Backend::Postgres).await;
        let mut v = values(&env, &db, &url, "consultation");
        v.extend(documents.clone());
        v.extend(consultation.into_iter().map(|(k, v)| (k.to_string(), v)));
        let app = tachawor_consultation::Application::build(
            tachawor_consultation::Settings::load_with(None, v).expect("consultation settings"),
            deps(),
        )
        .await
        .expect("consultation builds");
        let consultation_addr = app.local_addr();
        let consultation = serve(
            db,
            app.local_addr(),
            Box::new(|stop| tokio::spawn(app.run_until_stopped(stop))),
        );

        let db = TestDatabase::fresh(Backend::Postgres).await;
        let mut v = values(&env, &db, &url, "training");
        v.extend(documents);
        let app = tachawor_training::Application::build(
            tachawor_training::Settings::load_with(None, v).expect("training settings"),
            deps(),
        )
        .await
        .expect("training builds");
        let training_addr = app.local_addr();
        let training = serve(
            db,
            app.local_addr(),
            Box::new(|stop| tokio::spawn(app.run_until_stopped(stop))),
        );

        let db = TestDatabase::fresh(Backend::Postgres).await;
        let v = values(&env, &db, &url, "reporting");
        let app = tachawor_reporting::Application::build(
            tachawor_reporting::Settings::load_with(None, v).expect("reporting settings"),
            deps(),
        )
        .await
        .expect("reporting builds");
        let reporting_addr = app.local_addr();
        let reporting = serve(
            db,
            app.local_addr(),
            Box::new(|stop| tokio::spawn(app.run_until_stopped(stop))),
        );

        let db = TestDatabase::fresh(Backend::Postgres).await;
        let mut v = values(&env, &db, &url, "notification");
        // What would be sent goes to a directory of the test's, never into the checkout.
        let outbox = std::env::temp_dir().join(format!("tachawor-mail-{}", uuid::Uuid::new_v4()));
        v.insert(
            "email.directory".into(),
            outbox.join("mail").display().to_string(),
        );
        v.insert(
            "sms.file".into(),
            outbox.join("sms.log").display().to_string(),
        );
        let app = tachawor_notification::Application::build(
            tachawor_notification::Settings::load_with(None, v).expect("notification settings"),
            deps(),
        )
        .await
        .expect("notification builds");
        let notification_addr = app.local_addr();
        let notification = serve(
            db,
            app.local_addr(),
            Box::new(|stop| tokio::spawn(app.run_until_stopped(stop))),
        );

        let portal = tachawor_portal::Application::build(
            tachawor_portal::Settings::load_with(
                None,
                HashMap::from([
                    ("server.listen_addr".to_string(), "127.0.0.1:0".to_string()),
                    ("services.identity_url".to_string(), url.clone()),
                    (
                        "services.client_secret".to_string(),
                        testing::SERVICE_SECRET.to_string(),
                    ),
                    // The tests stand in for an ingress on loopback.
                    (
                        "server.trusted_proxies".to_string(),
                        "127.0.0.1".to_string(),
                    ),
                    (
                        "services.consultation_url".to_string(),
                        format!("http://{}", consultation_addr),
                    ),
                    (
                        "services.training_url".to_string(),
                        format!("http://{}", training_addr),
                    ),
                    (
                        "services.reporting_url".to_string(),
                        format!("http://{}", reporting_addr),
                    ),
                    (
                        "services.notification_url".to_string(),
                        format!("http://{}", notification_addr),
                    ),
                    (
                        "region.file".to_string(),
                        config_file("regions/laayoune-sakia-el-hamra.toml"),
                    ),
                ]),
            )
            .expect("portal settings"),
        )
        .await
        .expect("the portal builds");
        let portal_addr = portal.local_addr();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        stops.push(tx);
        tasks.push(tokio::spawn(portal.run_until_stopped(async move {
            let _ = rx.await;
        })));

        Self {
            platform: Platform {
                portal: portal_addr,
                identity: tachawor_testkit::channel(addr_of(&url)),
                consultation,
                training,
                reporting,
                notification,
                admin_email: ADMIN_EMAIL.into(),
                admin_password: PASSWORD.into(),
                clock: Arc::new(clock.clone()),
                manual: Some(clock),
            },
            env,
            identity,
            stops,
            tasks,
            _databases: databases,
        }
    }
}

type Stop = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
type Task = tokio::task::JoinHandle<anyhow::Result<()>>;

/// `127.0.0.1:port` of `http://127.0.0.1:port`.
fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .parse()
        .expect("identity's address")
}

impl Drop for Servers {
    fn drop(&mut self) {
        for stop in self.stops.drain(..) {
            let _ = stop.send(());
        }
        for task in &self.tasks {
            task.abort();
        }
    }
}
