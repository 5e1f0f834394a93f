//! A real notification server beside a real identity server (for tokens), sharing one
//! `ManualClock`, and helpers that publish events into the bus as their producers would.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicI64, AtomicU16, Ordering},
    },
    time::Duration,
};

use futures::future::BoxFuture;
use tachawor_notification::delivery::{Contact, ContactBook, Lang, LookupError};
use tachawor_proto::identity::ContactChannel;

use tachawor_events::Envelope;
use tachawor_identity::testing::{SERVICE_ID, SERVICE_SECRET, TestIdentity, region_file};
use tachawor_notification::{Application, Dependencies, PRODUCERS, Settings, settings::DEFAULTS};
use tachawor_proto::notification::{
    ListMyNotificationsRequest, Notification,
    notification_service_client::NotificationServiceClient,
};
use tachawor_storage::{Clock, Database, ManualClock};
pub use tachawor_testkit::envelope;
use tachawor_testkit::{Backend, Bearer, Harness, Served, SmtpSink, TestEnv};
pub use tachawor_testkit::{EVERYONE, Who};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

pub type Client = NotificationServiceClient<InterceptedService<Channel, Bearer>>;

/// 1 September 2025, 10:00 UTC.
pub const START: i64 = 1_756_720_800_000;

pub struct TestApp {
    pub clock: ManualClock,
    pub identity: TestIdentity,
    /// The notification service's own database.
    pub db: Database,
    pub env: TestEnv,
    channel: Channel,
    /// Distinct events published so far (each must be processed or dead-lettered).
    published: AtomicI64,
    /// Identity's own environment, when it runs apart from the notification service's bus.
    _identity_env: Option<TestEnv>,
    /// Whether contacts are asked of the real identity (its `GetDeliveryContact`) rather than
    /// of [`TestContacts`].
    real_identity: bool,
    settings: Settings,
    server: Option<Served<anyhow::Result<()>>>,
    /// Where identity would say messages go.
    pub contacts: Arc<TestContacts>,
    /// The SMTP server (aiosmtpd) email goes to, on `smtp_port`, writing into `mail_dir`.
    pub smtp: Option<SmtpSink>,
    pub smtp_port: u16,
    pub mail_dir: tempfile::TempDir,
    pub sms: SmsProvider,
    /// Other instances on the same database and bus.
    replicas: Vec<Served<anyhow::Result<()>>>,
}

/// A consented contact: address, language, name.
type Consented = (String, Lang, String);

/// Where identity would say each person's messages go: the tests set it.
#[derive(Default)]
pub struct TestContacts {
    /// Verified, consented contacts: (account, channel) -> (address, language, name).
    people: Mutex<HashMap<(String, i32), Consented>>,
    /// Pending requests: request id -> (address, secret).
    requests: Mutex<HashMap<String, (String, String)>>,
    /// identity answering UNAVAILABLE.
    pub down: std::sync::atomic::AtomicBool,
}

impl TestContacts {
    pub fn consent(
        &self,
        account_id: &str,
        channel: ContactChannel,
        address: &str,
        lang: Lang,
        name: &str,
    ) {
        self.people.lock().unwrap().insert(
            (account_id.to_string(), channel as i32),
            (address.to_string(), lang, name.to_string()),
        );
    }

    pub fn request(&self, request_id: &str, address: &str, secret: &str) {
        self.requests.lock().unwrap().insert(
            request_id.to_string(),
            (address.to_string(), secret.to_string()),
        );
    }
}

impl ContactBook for TestContacts {
    fn contact<'a>(
        &'a self,
        account_id: &'a str,
        channel: ContactChannel,
        request_id: &'a str,
    ) -> BoxFuture<'a, Result<Contact, LookupError>> {
        Box::pin(async move {
            if self.down.load(Ordering::SeqCst) {
                return Err(LookupError::Unavailable(
                    "identity answered Unavailable".into(),
                ));
            }
            if !request_id.is_empty() {
                let found = self.requests.lock().unwrap().get(request_id).cloned();
                return found
                    .map(|(address, secret)| Contact {
                        address,
                        secret,
                        lang: None,
                        display_name: String::new(),
                    })
                    .ok_or(LookupError::Nobody);
            }
            let found = self
                .people
                .lock()
                .unwrap()
                .get(&(account_id.to_string(), channel as i32))
                .cloned();
            found
                .map(|(address, lang, name)| Contact {
                    address,
                    secret: String::new(),
                    lang: Some(lang),
                    display_name: name,
                })
                .ok_or(LookupError::Nobody)
        })
    }
}

/// A real HTTP server standing for the SMS provider: it records each request (its
/// `Authorization` header and JSON body) and answers `status`.
pub struct SmsProvider {
    pub url: String,
    pub received: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    pub status: Arc<AtomicU16>,
    _server: tokio::task::JoinHandle<()>,
}

impl SmsProvider {
    async fn start() -> Self {
        let received: Arc<Mutex<Vec<(String, serde_json::Value)>>> = Arc::default();
        let status = Arc::new(AtomicU16::new(202));
        let (r, st) = (received.clone(), status.clone());
        let app = axum::Router::new().route(
            "/sms",
            axum::routing::post(
                move |headers: http::HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| {
                    let (r, st) = (r.clone(), st.clone());
                    async move {
                        let auth = headers
                            .get(http::header::AUTHORIZATION)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string();
                        let code = st.load(Ordering::SeqCst);
                        if code < 300 {
                            r.lock().unwrap().push((auth, body));
                        }
                        http::StatusCode::from_u16(code).unwrap()
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url,
            received,
            status,
            _server: server,
        }
    }

    pub fn texts(&self) -> Vec<(String, serde_json::Value)> {
        self.received.lock().unwrap().clone()
    }
}

/// The bearer token the tests' SMS provider expects.
pub const SMS_TOKEN: &str = "sms provider token for tests";

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        TestApp::launch(backend, false).await
    }
}

/// The notification service beside the real identity service: identity publishes into the
/// notification service's bus (its `identity.contact.message_requested`, its
/// `identity.account.password_changed`) and answers `GetDeliveryContact` for it, as deployed.
pub struct WithIdentity(pub TestApp);

impl Harness for WithIdentity {
    async fn start(backend: Backend) -> Self {
        WithIdentity(TestApp::launch(backend, true).await)
    }
}

impl std::ops::Deref for WithIdentity {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.0
    }
}

/// Access tokens valid for 30 days: tests move the clock ahead past retry backoffs.
const ACCESS_TTL_SECS: i64 = 30 * 86_400;

impl TestApp {
    async fn launch(backend: Backend, real_identity: bool) -> Self {
        let env = TestEnv::start(backend).await;
        let clock = ManualClock::new(START);
        let (identity_env, identity) = if real_identity {
            let identity =
                TestIdentity::start_beside_quick(&env, clock.clone(), ACCESS_TTL_SECS).await;
            (None, identity)
        } else {
            // Identity's own events go elsewhere: the tests publish exactly what they count.
            let (identity_env, identity) =
                TestIdentity::start_apart(backend, clock.clone(), ACCESS_TTL_SECS).await;
            (Some(identity_env), identity)
        };
        let mail_dir = tempfile::tempdir().expect("mail directory");
        let smtp_port = tachawor_testkit::free_port();
        let smtp = SmtpSink::start(smtp_port, mail_dir.path());
        let sms = SmsProvider::start().await;
        let mut values = env.settings();
        values.insert("region.file".into(), region_file());
        values.insert("auth.identity_url".into(), identity.endpoint());
        for (key, value) in [
            ("identity.url", identity.endpoint()),
            (
                "identity.client_secret",
                if real_identity {
                    SERVICE_SECRET.into()
                } else {
                    "unused: contacts come from TestContacts".into()
                },
            ),
            ("email.transport", "smtp".into()),
            ("email.from", "Tachawor <no-reply@region.test>".into()),
            ("email.smtp.host", "127.0.0.1".into()),
            ("email.smtp.port", smtp_port.to_string()),
            ("email.smtp.security", "none".into()),
            ("email.smtp.timeout_ms", "5000".into()),
            ("sms.transport", "http".into()),
            ("sms.url", sms.url.clone()),
            ("sms.token", SMS_TOKEN.into()),
            ("delivery.poll_interval_ms", "50".into()),
            (
                "notification.portal_url",
                "https://portal.region.test".into(),
            ),
        ] {
            values.insert(key.into(), value);
        }
        let settings: Settings =
            tachawor_config::load_with(DEFAULTS, &values, None).expect("test settings");
        let contacts = Arc::new(TestContacts::default());
        let book = (!real_identity).then(|| contacts.clone());
        let (channel, db, server) = serve(&settings, &env, &clock, book).await;
        for producer in PRODUCERS {
            env.bus.ensure_stream(producer).await.expect("stream");
        }
        Self {
            clock,
            identity,
            db,
            env,
            channel,
            published: AtomicI64::new(0),
            _identity_env: identity_env,
            real_identity,
            settings,
            server: Some(server),
            contacts,
            smtp: Some(smtp),
            smtp_port,
            mail_dir,
            sms,
            replicas: Vec::new(),
        }
    }
}

/// Builds the service on the test's database and bus and serves it, finding contacts in
/// `contacts`, or asking identity for them when `None`.
async fn serve(
    settings: &Settings,
    env: &TestEnv,
    clock: &ManualClock,
    contacts: Option<Arc<TestContacts>>,
) -> (Channel, Database, Served<anyhow::Result<()>>) {
    let deps = Dependencies {
        bus: Some(env.bus.clone()),
        clock: std::sync::Arc::new(clock.clone()),
    };
    let app = match contacts {
        Some(contacts) => Application::build_with_contacts(settings.clone(), deps, contacts).await,
        None => Application::build(settings.clone(), deps).await,
    }
    .expect("notification builds");
    let channel = tachawor_testkit::channel(app.local_addr());
    let db = app.context().db.clone();
    (
        channel,
        db,
        Served::spawn(|stop| app.run_until_stopped(stop)),
    )
}

/// A signed-in person: their pseudonymous id and a client calling as them.
pub struct Person {
    pub id: String,
    pub client: Client,
}

impl TestApp {
    /// Where the service finds contacts: [`TestContacts`], or identity when `None`.
    fn book(&self) -> Option<Arc<TestContacts>> {
        (!self.real_identity).then(|| self.contacts.clone())
    }

    /// Kills the service where it stands (its task aborted, whatever message it is
    /// handling) and starts it again on the same database and bus.
    pub async fn kill_and_restart(&mut self) {
        drop(self.server.take());
        let (channel, db, server) =
            serve(&self.settings, &self.env, &self.clock, self.book()).await;
        (self.channel, self.db, self.server) = (channel, db, Some(server));
    }

    /// Kills the service and starts it again with `changes` to its settings. A new worker
    /// looks for due messages as soon as it starts.
    pub async fn restart_with(&mut self, changes: &[(&str, &str)]) {
        self.settings = apply(&self.settings, changes);
        self.kill_and_restart().await;
    }

    /// Starts another instance of the service on the same database and bus.
    pub async fn start_replica(&mut self) {
        let mut settings = self.settings.clone();
        settings.server.listen_addr = "127.0.0.1:0".parse().unwrap();
        let (_, _, server) = serve(&settings, &self.env, &self.clock, self.book()).await;
        self.replicas.push(server);
    }

    /// Stops the SMTP server; email then finds the port closed.
    pub fn stop_smtp(&mut self) {
        drop(self.smtp.take());
    }

    /// Starts the SMTP server again on its port.
    pub fn start_smtp(&mut self) {
        self.smtp = Some(SmtpSink::start(self.smtp_port, self.mail_dir.path()));
    }

    /// Every message the SMTP server received, parsed.
    pub fn mail(&self) -> Vec<Vec<u8>> {
        tachawor_testkit::received(self.mail_dir.path())
    }

    /// Waits until the SMTP server received `n` messages.
    pub async fn wait_for_mail(&self, n: usize) -> Vec<Vec<u8>> {
        self.smtp
            .as_ref()
            .expect("the SMTP server runs")
            .wait_for(n)
            .await
    }

    /// The deliveries' (state, reason, attempts), oldest first.
    pub async fn deliveries(&self) -> Vec<(String, Option<String>, i64)> {
        sqlx::query_as(
            "SELECT state, reason, CAST(attempts AS BIGINT) FROM nt_deliveries              ORDER BY created_at, delivery_id",
        )
        .fetch_all(self.db.pool())
        .await
        .expect("deliveries")
    }

    /// Waits until every delivery recorded so far satisfies `done` (10 s at most).
    pub async fn wait_deliveries(
        &self,
        what: &str,
        done: impl Fn(&[(String, Option<String>, i64)]) -> bool,
    ) -> Vec<(String, Option<String>, i64)> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let rows = self.deliveries().await;
            if done(&rows) {
                return rows;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "deliveries never became {what}: {rows:?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    pub fn with_token(&self, token: &str) -> Client {
        NotificationServiceClient::with_interceptor(self.channel.clone(), Bearer::new(token))
    }

    /// A client calling as `who`.
    pub async fn client(&self, who: Who) -> Client {
        let people = self.identity.people();
        match who {
            Who::Anonymous => {
                NotificationServiceClient::with_interceptor(self.channel.clone(), Bearer::default())
            }
            Who::Citizen => self.with_token(&people.citizen().await.token),
            Who::Staff => self.with_token(&people.staff().await.token),
            Who::Admin => self.with_token(&people.admin().await.token),
            Who::Service => self.with_token(&self.identity.service_token(SERVICE_ID).await),
        }
    }

    /// A new citizen.
    pub async fn citizen(&self) -> Person {
        let person = self.identity.people().citizen().await;
        Person {
            client: self.with_token(&person.token),
            id: person.id,
        }
    }

    /// Publishes an event as its producer would (producer = first token of the type).
    pub async fn publish<M: prost::Name>(&self, event_type: &str, payload: &M) -> Envelope {
        let envelope = envelope(event_type, self.now(), payload);
        self.publish_envelope(&envelope).await;
        envelope
    }

    pub async fn publish_envelope(&self, envelope: &Envelope) {
        let ack = self.env.bus.publish(envelope).await.expect("publish");
        if !ack.duplicate {
            self.published.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Publishes a copy of `envelope` under a fresh message id: a redelivery the broker's
    /// de-duplication does not catch (the consumer's processed-events table must). It adds
    /// no processed-events row: an event published after it on the same stream, then
    /// [`TestApp::settle`], shows it was handled.
    pub async fn publish_copy(&self, envelope: &Envelope) {
        self.env.publish_copy(envelope).await;
    }

    /// Rows in one of the service's tables.
    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(self.db.pool())
                .await
                .expect("count");
        n
    }

    /// Waits until every event published so far was processed or dead-lettered.
    pub async fn settle(&self) {
        let want = self.published.load(Ordering::SeqCst);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.count("processed_events").await + self.count("dead_letters").await;
            if got >= want {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "only {got} of {want} events handled after 20 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until every event published so far was handled and the delivery worker told
    /// every broadcast to the last batch.
    pub async fn settle_broadcasts(&self) {
        self.settle().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let (open,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM nt_broadcasts WHERE finished_at IS NULL")
                    .fetch_one(self.db.pool())
                    .await
                    .expect("open broadcasts");
            if open == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{open} broadcasts still being told after 20 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Every notification of `person`, newest first.
    pub async fn inbox(&self, person: &Person) -> Vec<Notification> {
        person
            .client
            .clone()
            .list_my_notifications(ListMyNotificationsRequest::default())
            .await
            .expect("inbox")
            .into_inner()
            .notifications
    }
}

/// `settings` with `changes` (dotted keys) applied.
fn apply(settings: &Settings, changes: &[(&str, &str)]) -> Settings {
    let mut s = settings.clone();
    for (key, value) in changes {
        let n = || value.parse::<i64>().expect("a number");
        match *key {
            "delivery.poll_interval_ms" => s.delivery.poll_interval_ms = n() as u64,
            "delivery.rate_limit" => s.delivery.rate_limit = n(),
            "delivery.digest_threshold" => s.delivery.digest_threshold = n() as usize,
            "delivery.batch_size" => s.delivery.batch_size = n(),
            "delivery.max_attempts" => s.delivery.max_attempts = n(),
            "delivery.lease_ms" => s.delivery.lease_ms = n(),
            "delivery.stale_sending_ms" => s.delivery.stale_sending_ms = n(),
            other => panic!("restart_with does not know {other}"),
        }
    }
    s
}
