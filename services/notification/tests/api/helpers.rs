//! A real notification server beside a real identity server (for tokens), sharing one
//! `ManualClock`, and helpers that publish events into the bus as their producers would.

use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use tachawor_events::Envelope;
use tachawor_identity::testing::{SERVICE_ID, TestIdentity, region_file};
use tachawor_notification::{Application, Dependencies, PRODUCERS, Settings, settings::DEFAULTS};
use tachawor_proto::notification::{
    ListMyNotificationsRequest, Notification,
    notification_service_client::NotificationServiceClient,
};
use tachawor_storage::{Clock, Database, ManualClock};
pub use tachawor_testkit::envelope;
use tachawor_testkit::{Backend, Bearer, Harness, Served, TestEnv};
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
    _identity_env: TestEnv,
    settings: Settings,
    server: Option<Served<anyhow::Result<()>>>,
}

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        let env = TestEnv::start(backend).await;
        let clock = ManualClock::new(START);
        // Identity's own events go elsewhere: the tests publish exactly what they count.
        let (identity_env, identity) =
            TestIdentity::start_apart(backend, clock.clone(), 30 * 86_400).await;
        let mut values = env.settings();
        values.insert("region.file".into(), region_file());
        values.insert("auth.identity_url".into(), identity.endpoint());
        let settings: Settings =
            tachawor_config::load_with(DEFAULTS, &values, None).expect("test settings");
        let (channel, db, server) = serve(&settings, &env, &clock).await;
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
            settings,
            server: Some(server),
        }
    }
}

/// Builds the service on the test's database and bus and serves it.
async fn serve(
    settings: &Settings,
    env: &TestEnv,
    clock: &ManualClock,
) -> (Channel, Database, Served<anyhow::Result<()>>) {
    let app = Application::build(
        settings.clone(),
        Dependencies {
            bus: Some(env.bus.clone()),
            clock: std::sync::Arc::new(clock.clone()),
        },
    )
    .await
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
    /// Kills the service where it stands (its task aborted, whatever message it is
    /// handling) and starts it again on the same database and bus.
    pub async fn kill_and_restart(&mut self) {
        drop(self.server.take());
        let (channel, db, server) = serve(&self.settings, &self.env, &self.clock).await;
        (self.channel, self.db, self.server) = (channel, db, Some(server));
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
        let subject = format!("{}.{}", self.env.events.subject_prefix, envelope.r#type);
        self.env
            .bus
            .publish_bytes(
                &subject,
                &uuid::Uuid::now_v7().to_string(),
                prost::Message::encode_to_vec(envelope),
            )
            .await
            .expect("publish bytes");
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
