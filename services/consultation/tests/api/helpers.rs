//! A consultation server beside a real identity server, sharing one manual clock and the
//! test's bus; people registered (and verified) through identity.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use prost::Message;
use tachawor_consultation::{Application, Dependencies, Settings, settings::DEFAULTS};
use tachawor_events::Envelope;
use tachawor_identity::testing::{self, TestIdentity, TestPerson};
use tachawor_proto::{
    consultation::consultation_service_client::ConsultationServiceClient,
    identity::{CreateInstanceRequest, GetEligibilityRequest, GetEligibilityResponse},
};
use tachawor_storage::{Database, ManualClock};
use tachawor_testkit::{Backend, Bearer, Harness, TestEnv};
use tonic::{Status, service::interceptor::InterceptedService, transport::Channel};

pub type Client = ConsultationServiceClient<InterceptedService<Channel, Bearer>>;
pub type IdentityClient = testing::Client;

/// A signed-in person, with the personal data identity holds of them (which must never
/// reach an event or a log line).
#[derive(Clone, Default)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub token: String,
    pub display_name: String,
    pub phone: String,
    /// Empty unless verified.
    pub cin: String,
}

impl From<TestPerson> for Person {
    fn from(p: TestPerson) -> Self {
        Self {
            id: p.id,
            email: p.email,
            token: p.token,
            display_name: p.display_name,
            phone: p.phone,
            cin: p.cin,
        }
    }
}

impl Person {
    /// The personal data of this person, as strings to look for.
    pub fn personal_data(&self) -> Vec<&str> {
        [
            self.email.as_str(),
            &self.display_name,
            &self.phone,
            &self.cin,
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
    }
}

pub struct TestApp {
    pub identity: TestIdentity,
    pub env: TestEnv,
    pub clock: ManualClock,
    pub db: Database,
    channel: Channel,
    /// A member of staff at identity, to verify accounts.
    identity_staff: TestPerson,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// What `replica` builds another server from.
    settings: Settings,
    /// Other replicas, stopped with the test.
    replicas: Vec<tachawor_testkit::Served<anyhow::Result<()>>>,
}

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        Self::start_with(backend, HashMap::new()).await
    }
}

impl TestApp {
    /// Starts with extra settings (`"proposals.support_threshold"` → value).
    pub async fn start_with(backend: Backend, overrides: HashMap<&str, String>) -> Self {
        let env = TestEnv::start(backend).await;
        let clock = ManualClock::starting_now();
        let identity = TestIdentity::start_beside(&env, clock.clone()).await;
        let mut values = env.settings();
        values.extend(env.document_settings().await);
        for (k, v) in [
            ("region.file", testing::region_file()),
            ("auth.identity_url", identity.endpoint()),
            ("identity.url", identity.endpoint()),
            ("identity.client_id", "consultation".to_string()),
            (
                "identity.client_secret",
                testing::SERVICE_SECRET.to_string(),
            ),
        ] {
            values.insert(k.to_string(), v);
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
        .expect("consultation builds");
        let addr = app.local_addr();
        let db = app.context().db.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        let identity_staff = identity.people().staff().await;
        Self {
            identity,
            env,
            clock,
            db,
            channel: tachawor_testkit::channel(addr),
            identity_staff,
            shutdown: Some(tx),
            server: Some(server),
            settings,
            replicas: Vec::new(),
        }
    }

    /// Another replica of the service on the same database and bus (a port of its own); a
    /// channel to it.
    pub async fn replica(&mut self) -> Channel {
        let app = Application::build(
            self.settings.clone(),
            Dependencies {
                bus: Some(self.env.bus.clone()),
                clock: Arc::new(self.clock.clone()),
            },
        )
        .await
        .expect("a second replica builds");
        let addr = app.local_addr();
        self.replicas.push(tachawor_testkit::Served::spawn(|stop| {
            app.run_until_stopped(stop)
        }));
        tachawor_testkit::channel(addr)
    }

    /// A client of `channel` presenting `person`'s token, or none.
    pub fn client_on(&self, channel: &Channel, person: Option<&Person>) -> Client {
        let bearer = person.map_or_else(Bearer::default, |p| Bearer::new(&p.token));
        ConsultationServiceClient::with_interceptor(channel.clone(), bearer)
    }

    pub fn anonymous(&self) -> Client {
        ConsultationServiceClient::with_interceptor(self.channel.clone(), Bearer::default())
    }

    pub fn client(&self, person: &Person) -> Client {
        ConsultationServiceClient::with_interceptor(
            self.channel.clone(),
            Bearer::new(&person.token),
        )
    }

    /// A client presenting a service token (not an end user).
    pub async fn service(&self) -> Client {
        let token = self.identity.service_token("reporting").await;
        ConsultationServiceClient::with_interceptor(self.channel.clone(), Bearer::new(&token))
    }

    /// A new citizen, signed in, registered with an email, a phone and a display name of its
    /// own (so a leak of any of them can be told apart).
    pub async fn citizen(&self) -> Person {
        self.identity.people().citizen().await.into()
    }

    /// `n` citizens, registered concurrently.
    pub async fn citizens(&self, n: usize) -> Vec<Person> {
        let people = self.identity.people().citizens(n).await;
        people.into_iter().map(Person::from).collect()
    }

    /// Signs in again (after roles changed or the clock moved past the token's life).
    pub async fn login(&self, person: Person) -> Person {
        let token = self.identity.people().token(&person.email).await;
        Person { token, ..person }
    }

    /// A citizen verified with a CIN, living in `province` (empty: outside the region).
    pub async fn verified(&self, province: &str) -> Person {
        let people = self.identity.people();
        let person = people.resident_verified_by(&self.identity_staff, province, "");
        person.await.into()
    }

    /// `n` verified residents of `province`, created 16 at a time.
    pub async fn residents(&self, province: &str, n: usize) -> Vec<Person> {
        let people = self.identity.people();
        let residents = people.residents(&self.identity_staff, province, n).await;
        residents.into_iter().map(Person::from).collect()
    }

    pub async fn staff(&self) -> Person {
        self.identity.people().staff().await.into()
    }

    pub async fn admin(&self) -> Person {
        self.identity.people().admin().await.into()
    }

    pub async fn observer(&self) -> Person {
        self.identity.people().observer().await.into()
    }

    /// An identity client signed in as `person`.
    pub fn identity_as(&self, person: &Person) -> IdentityClient {
        self.identity.with_token(&person.token)
    }

    pub fn identity_staff(&self) -> IdentityClient {
        self.identity.with_token(&self.identity_staff.token)
    }

    /// Every event in the consultation stream, once the outbox has drained.
    pub async fn events(&self) -> Vec<(String, Envelope)> {
        self.env.events(&self.db, "consultation").await
    }

    /// A public consultation drafted by `staff`.
    pub async fn draft_consultation(&self, staff: &Person) -> String {
        self.client(staff)
            .create_consultation(public_consultation())
            .await
            .expect("create consultation")
            .into_inner()
            .consultation
            .expect("consultation")
            .consultation_id
    }

    /// A public consultation opened by `staff` for a day.
    pub async fn open_consultation(&self, staff: &Person) -> String {
        use tachawor_proto::consultation::*;
        use tachawor_storage::Clock;
        let id = self.draft_consultation(staff).await;
        self.client(staff)
            .open_consultation(OpenConsultationRequest {
                consultation_id: id.clone(),
                closes_at: ts(self.clock.now_millis() + 86_400_000),
            })
            .await
            .expect("open consultation");
        id
    }

    /// A new consultative instance, created by staff in identity.
    pub async fn instance(&self) -> String {
        self.identity_staff()
            .create_instance(CreateInstanceRequest {
                name: text("Equality and gender approach"),
                kind: "equality_gender".into(),
                ..Default::default()
            })
            .await
            .expect("create instance")
            .into_inner()
            .instance
            .expect("instance")
            .instance_id
    }

    /// A new citizen made a member of `instance_id` by staff, signed in afresh so that the
    /// token carries the `instance:<id>` scope.
    pub async fn member(&self, instance_id: &str) -> Person {
        let people = self.identity.people();
        let member = people.member(&self.identity_staff, instance_id, None);
        member.await.into()
    }

    /// What identity tells services about `account_id`.
    pub async fn eligibility(&self, account_id: &str) -> GetEligibilityResponse {
        self.identity
            .service()
            .await
            .get_eligibility(GetEligibilityRequest {
                account_id: account_id.into(),
            })
            .await
            .expect("eligibility")
            .into_inner()
    }

    /// How many events of each type the stream holds (each event id once).
    pub async fn event_counts(&self) -> HashMap<String, usize> {
        let events = self.events().await;
        let ids: HashSet<_> = events.iter().map(|(_, e)| e.event_id.clone()).collect();
        assert_eq!(ids.len(), events.len(), "an event was published twice");
        let mut counts = HashMap::new();
        for (_, e) in &events {
            *counts.entry(e.r#type.clone()).or_default() += 1;
        }
        counts
    }

    /// Fails if an event or a captured log line carries the personal data of `people`.
    pub async fn assert_no_personal_data(&self, people: &[&Person]) {
        let events = self.events().await;
        let logs = tachawor_testkit::captured_logs();
        for person in people {
            for data in person.personal_data() {
                for (_, e) in &events {
                    let bytes = e.encode_to_vec();
                    assert!(
                        !bytes.windows(data.len()).any(|w| w == data.as_bytes()),
                        "{} carries personal data",
                        e.r#type
                    );
                }
                assert!(!logs.contains(data), "a log line carries personal data");
            }
        }
    }

    /// The audit entries on `target_id`: (actor, action, after).
    pub async fn audit(&self, target_id: &str) -> Vec<(String, String, String)> {
        sqlx::query_as(
            "SELECT actor_id, action, after_json FROM audit_log WHERE target_id = $1 \
             ORDER BY occurred_at, entry_id",
        )
        .bind(target_id)
        .fetch_all(self.db.pool())
        .await
        .expect("audit entries")
    }

    /// Row counts of every table the service writes, to show a refused call wrote nothing.
    pub async fn written(&self) -> Vec<(&'static str, i64)> {
        let mut counts = Vec::new();
        for table in TABLES {
            counts.push((*table, self.count(table).await));
        }
        counts
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

    /// Publishes an event as its producer would (training's, say: producer = the type's
    /// first token) and waits until this service applied it.
    pub async fn publish<M: prost::Name>(&self, event_type: &str, payload: &M) -> Envelope {
        use tachawor_storage::Clock;
        let envelope = tachawor_testkit::envelope(event_type, self.clock.now_millis(), payload);
        self.env.bus.publish(&envelope).await.expect("publish");
        self.applied(&envelope).await;
        envelope
    }

    /// Publishes `envelope` again under a fresh message id, a redelivery the broker's
    /// de-duplication does not catch (the consumer's processed-events table must): it adds no
    /// row, so an event published after it on the same stream shows it was handled.
    pub async fn publish_copy(&self, envelope: &Envelope) {
        self.env.publish_copy(envelope).await;
    }

    /// Waits until this service's consumers applied `envelope` (failing at once if it was
    /// dead-lettered, with the reason).
    pub async fn applied(&self, envelope: &Envelope) {
        eventually(&format!("{} is applied", envelope.r#type), || async {
            let dead: Option<(String,)> =
                sqlx::query_as("SELECT reason FROM dead_letters WHERE event_id = $1")
                    .bind(&envelope.event_id)
                    .fetch_optional(self.db.pool())
                    .await
                    .expect("dead letters");
            if let Some((reason,)) = dead {
                panic!("{} was dead-lettered: {reason}", envelope.r#type);
            }
            let found: Option<(String,)> =
                sqlx::query_as("SELECT event_id FROM processed_events WHERE event_id = $1")
                    .bind(&envelope.event_id)
                    .fetch_optional(self.db.pool())
                    .await
                    .expect("processed events");
            found.is_some()
        })
        .await;
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
    }
}

/// Every table the service writes.
pub const TABLES: &[&str] = &[
    "consultations",
    "questions",
    "responses",
    "proposals",
    "supports",
    "comments",
    "comment_reports",
    "forum_contribution_reports",
    "opinions",
    "recommendations",
    "opinion_votes",
    "forum_editions",
    "forum_themes",
    "forum_workshops",
    "forum_contributions",
    "forum_recommendations",
    "petitions",
    "petition_signatures",
    "articles",
    "article_translations",
    "attachments",
    "audit_log",
    "outbox",
    "idempotency_keys",
];

/// Asserts `answer` is `INVALID_ARGUMENT` naming exactly `expected` (in any order).
/// The payloads of the events of type `t`, in order.
pub fn payloads<M: prost::Message + Default>(
    events: &[(String, tachawor_events::Envelope)],
    t: &str,
) -> Vec<M> {
    events
        .iter()
        .filter(|(_, e)| e.r#type == t)
        .map(|(_, e)| M::decode(e.payload.as_ref().unwrap().value.as_slice()).unwrap())
        .collect()
}

pub fn assert_fields<T: std::fmt::Debug>(answer: Result<T, Status>, expected: &[&str]) {
    let status = answer.expect_err("bad input is refused");
    let mut listed = fields(&status);
    listed.sort();
    listed.dedup();
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(listed, expected, "{status:?}");
}

/// Asserts `answer` failed with `code`.
pub fn assert_code<T: std::fmt::Debug>(answer: Result<T, Status>, code: tonic::Code, what: &str) {
    match answer {
        Ok(v) => panic!("{what}: expected {code:?}, got {v:?}"),
        Err(s) => assert_eq!(s.code(), code, "{what}: {s:?}"),
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

/// The rule a `FAILED_PRECONDITION` status names.
pub fn rule(status: &Status) -> String {
    assert_eq!(
        status.code(),
        tonic::Code::FailedPrecondition,
        "expected FAILED_PRECONDITION, got {status:?}"
    );
    tachawor_errors::violated_rule(status).expect("a rule")
}

/// A public consultation of the council, for the whole region.
pub fn public_consultation() -> tachawor_proto::consultation::CreateConsultationRequest {
    use tachawor_proto::consultation::*;
    CreateConsultationRequest {
        title: text("Regional Development Program"),
        body: text("What should come first?"),
        organizer: Some(Organizer {
            kind: OrganizerKind::Council as i32,
            instance_id: String::new(),
        }),
        audience: Audience::Public as i32,
        province_codes: Vec::new(),
        ..Default::default()
    }
}

pub fn text(s: &str) -> Option<tachawor_proto::common::LocalizedText> {
    Some(tachawor_proto::common::LocalizedText {
        ar: format!("{s} (ar)"),
        fr: format!("{s} (fr)"),
        en: String::new(),
        zgh: String::new(),
    })
}

pub fn ts(millis: i64) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp {
        seconds: millis / 1000,
        nanos: 0,
    })
}

/// Waits until `done` holds, for a consumer to act on identity's events.
pub async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}
