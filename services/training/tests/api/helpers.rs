//! A real training server beside a real identity server, on PostgreSQL + NATS or SQLite + the
//! in-process bus, sharing one `ManualClock`.
//!
//! Identity runs with cheap password hashing and long-lived tokens, so tests can create many
//! accounts concurrently and move the clock across session days without signing in again.

use std::{collections::HashMap, time::Duration};

use tachawor_events::Envelope;
use tachawor_identity::testing::{SERVICE_SECRET, TestIdentity, TestPerson, region_file};
use tachawor_proto::{
    common::{Date, LocalizedText},
    identity::{CreateAssociationRequest, SuspendAssociationRequest, VerifyAssociationRequest},
    training::{training_service_client::TrainingServiceClient, *},
};
use tachawor_storage::{Clock, Database, ManualClock};
use tachawor_testkit::{Backend, Bearer, Harness, TestEnv};
use tachawor_training::{Application, Dependencies, Settings, settings::DEFAULTS};
use tonic::{Status, service::interceptor::InterceptedService, transport::Channel};

pub type Client = TrainingServiceClient<InterceptedService<Channel, Bearer>>;

/// A signed-in person: their account id and a training client.
pub struct Person {
    pub id: String,
    pub client: Client,
}

pub struct TestApp {
    pub clock: ManualClock,
    pub identity: TestIdentity,
    /// Training's own database, for checks that nothing was written.
    pub db: Database,
    /// The running service's context, for its housekeeping.
    pub ctx: std::sync::Arc<tachawor_training::context::Context>,
    channel: Channel,
    env: TestEnv,
    /// What `replica` builds another server from.
    settings: Settings,
    /// Other replicas, stopped with the test.
    replicas: Vec<tachawor_testkit::Served<anyhow::Result<()>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        Self::start_with(backend, HashMap::new()).await
    }
}

impl TestApp {
    /// Starts with extra training settings (`"training.check_in_code_ttl_secs"` → value).
    pub async fn start_with(backend: Backend, overrides: HashMap<&str, String>) -> Self {
        let env = TestEnv::start(backend).await;
        let clock = ManualClock::starting_now();
        // Identity on its own database and training's bus: training reads its deleted accounts.
        let identity = TestIdentity::start_beside_with(
            &env,
            clock.clone(),
            HashMap::from([
                ("passwords.memory_kib", "64".to_string()),
                ("passwords.iterations", "1".to_string()),
                ("tokens.access_ttl_secs", (30 * 86_400).to_string()),
                ("tokens.service_token_ttl_secs", (30 * 86_400).to_string()),
            ]),
        )
        .await;
        let mut values = env.settings();
        values.extend(env.document_settings().await);
        values.insert("region.file".into(), region_file());
        values.insert("auth.identity_url".into(), identity.endpoint());
        values.insert("identity.url".into(), identity.endpoint());
        values.insert("identity.client_secret".into(), SERVICE_SECRET.into());
        // Bursts of a thousand calls queue for the pool.
        values.insert("database.acquire_timeout_ms".into(), "60000".into());
        for (k, v) in overrides {
            values.insert(k.to_string(), v);
        }
        let settings: Settings =
            tachawor_config::load_with(DEFAULTS, &values, None).expect("test settings");
        let app = Application::build(
            settings.clone(),
            Dependencies {
                bus: Some(env.bus.clone()),
                clock: std::sync::Arc::new(clock.clone()),
            },
        )
        .await
        .expect("training builds");
        let addr = app.local_addr();
        let ctx = app.context();
        let db = ctx.db.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        Self {
            clock,
            identity,
            db,
            ctx,
            channel: tachawor_testkit::channel(addr),
            env,
            settings,
            replicas: Vec::new(),
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// Another replica of the service on the same database and bus (a port of its own); a
    /// channel to it.
    pub async fn replica(&mut self) -> Channel {
        let app = Application::build(
            self.settings.clone(),
            Dependencies {
                bus: Some(self.env.bus.clone()),
                clock: std::sync::Arc::new(self.clock.clone()),
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

    pub fn anonymous_on(&self, channel: &Channel) -> Client {
        TrainingServiceClient::with_interceptor(channel.clone(), Bearer::default())
    }

    pub fn anonymous(&self) -> Client {
        TrainingServiceClient::with_interceptor(self.channel.clone(), Bearer::default())
    }

    pub fn with_token(&self, token: &str) -> Client {
        TrainingServiceClient::with_interceptor(self.channel.clone(), Bearer::new(token))
    }

    pub async fn sign_in(&self, email: &str) -> String {
        self.identity.people().token(email).await
    }

    pub fn person(&self, id: String, token: String) -> Person {
        Person {
            client: self.with_token(&token),
            id,
        }
    }

    /// A training client for a person the identity fixture made.
    pub fn signed_in(&self, person: TestPerson) -> Person {
        self.person(person.id, person.token)
    }

    pub async fn citizen(&self) -> Person {
        self.signed_in(self.identity.people().citizen().await)
    }

    /// `n` citizens, created concurrently.
    pub async fn citizens(&self, n: usize) -> Vec<Person> {
        let people = self.identity.people().citizens(n).await;
        people.into_iter().map(|p| self.signed_in(p)).collect()
    }

    pub async fn admin(&self) -> Person {
        self.signed_in(self.identity.people().admin().await)
    }

    pub async fn staff(&self) -> Person {
        self.signed_in(self.identity.people().staff().await)
    }

    pub async fn observer(&self) -> Person {
        self.signed_in(self.identity.people().observer().await)
    }

    /// A member of the region's first consultative instance.
    pub async fn instance_member(&self) -> Person {
        let people = self.identity.people();
        let admin = people.admin().await;
        let instance = people.first_instance(&admin).await;
        let since = date_of(self.clock.now_millis() - 86_400_000);
        self.signed_in(people.member(&admin, &instance, Some(since)).await)
    }

    /// A citizen who registered an association, still pending, and its id.
    pub async fn founder_of_pending_association(&self) -> (Person, String) {
        let founder = self.identity.people().citizen().await;
        let association_id = self
            .identity
            .with_token(&founder.token)
            .create_association(CreateAssociationRequest {
                name: Some(text("Association des jeunes")),
                registration_number: format!("RC-{}", uuid::Uuid::new_v4().simple()),
                founded_on: Some(Date {
                    year: 2015,
                    month: 3,
                    day: 10,
                }),
                province_code: "laayoune".into(),
                fields_of_activity: vec!["youth".into()],
            })
            .await
            .expect("create association")
            .into_inner()
            .association
            .expect("association")
            .association_id;
        (self.signed_in(founder), association_id)
    }

    /// Staff at identity verify (or, `suspend`, suspend) an association.
    pub async fn set_association(&self, association_id: &str, suspend: bool) {
        let mut admin = self.identity.admin().await;
        let association_id = association_id.to_string();
        if suspend {
            admin
                .suspend_association(SuspendAssociationRequest {
                    association_id,
                    reason: "rapport annuel manquant".into(),
                })
                .await
                .expect("suspend association");
        } else {
            admin
                .verify_association(VerifyAssociationRequest { association_id })
                .await
                .expect("verify association");
        }
    }

    /// A client authenticated as another service.
    pub async fn service(&self) -> Client {
        self.with_token(&self.identity.service_token("reporting").await)
    }

    /// Today at the venue (the region's zone), and the following days.
    pub fn day(&self, offset: i64) -> Date {
        let today = zone().date_of(self.clock.now_millis());
        let noon = zone()
            .instant(&today, 720)
            .expect("a date")
            .expect("noon exists");
        date_of(noon + offset * 86_400_000)
    }

    /// The instant of local `time` (`HH:MM`) on the day `offset` days from today.
    pub fn at(&self, offset: i64, time: &str) -> i64 {
        let date = tachawor_proto::dates::date_str(&self.day(offset)).expect("a date");
        let (h, m) = time.split_once(':').expect("HH:MM");
        let minutes = h.parse::<u32>().expect("hours") * 60 + m.parse::<u32>().expect("minutes");
        zone()
            .instant(&date, minutes)
            .expect("a date")
            .expect("not skipped")
    }

    /// Moves the clock forward to `millis`.
    pub fn advance_to(&self, millis: i64) {
        let now = self.clock.now_millis();
        assert!(millis >= now, "the clock only moves forward");
        self.clock
            .advance(Duration::from_millis((millis - now) as u64));
    }

    /// Details of a session on days `offset` from today with local `start` and `end` times.
    pub fn timed_details(&self, capacity: i32, days: &[(i64, &str, &str)]) -> SessionDetails {
        let mut details = self.details(capacity, &[], Eligibility::Open);
        details.schedule = days
            .iter()
            .map(|(offset, start, end)| SessionDay {
                date: Some(self.day(*offset)),
                start: (*start).into(),
                end: (*end).into(),
                starts_at: None,
                ends_at: None,
            })
            .collect();
        details
    }

    /// Moves the clock by whole days.
    pub fn advance_days(&self, days: u64) {
        self.clock.advance(Duration::from_secs(days * 86_400));
    }

    pub async fn program(&self, staff: &Person) -> Program {
        staff
            .client
            .clone()
            .create_program(program_request())
            .await
            .expect("create program")
            .into_inner()
            .program
            .expect("program")
    }

    /// Details of a session on `days` (offsets from today), registration open now.
    pub fn details(&self, capacity: i32, days: &[i64], eligibility: Eligibility) -> SessionDetails {
        let now = self.clock.now_millis();
        SessionDetails {
            kind: SessionKind::TrainingSession as i32,
            title: Some(text("Atelier démocratie participative")),
            days: days.iter().map(|d| self.day(*d)).collect(),
            venue: Some(Venue {
                province_code: "laayoune".into(),
                address: "Siège du Conseil régional".into(),
            }),
            online_url: String::new(),
            capacity,
            registration_opens_at: Some(ts(now - 3_600_000)),
            registration_closes_at: Some(ts(now + 30 * 86_400_000)),
            facilitators: vec!["Formateur".into()],
            materials: vec![Material {
                title: "Guide".into(),
                url: "https://region.test/guide.pdf".into(),
            }],
            eligibility: eligibility as i32,
            attendance_threshold_percent: 0,
            schedule: Vec::new(),
        }
    }

    /// A scheduled session of a new program.
    pub async fn session(&self, staff: &Person, capacity: i32, days: &[i64]) -> Session {
        self.session_with(staff, self.details(capacity, days, Eligibility::Open))
            .await
    }

    pub async fn session_with(&self, staff: &Person, details: SessionDetails) -> Session {
        let program = self.program(staff).await;
        staff
            .client
            .clone()
            .schedule_session(ScheduleSessionRequest {
                program_id: program.program_id,
                details: Some(details),
                idempotency_key: String::new(),
            })
            .await
            .expect("schedule session")
            .into_inner()
            .session
            .expect("session")
    }

    /// Every event in the training stream, once the outbox has drained.
    pub async fn events(&self) -> Vec<(String, Envelope)> {
        self.env.events(&self.db, "training").await
    }

    /// Rows in a table of training's database.
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
    }
}

pub fn text(s: &str) -> LocalizedText {
    LocalizedText {
        ar: format!("{s} (ar)"),
        fr: s.into(),
        en: String::new(),
        zgh: String::new(),
    }
}

pub fn ts(millis: i64) -> prost_types::Timestamp {
    tachawor_proto::dates::timestamp(millis - millis.rem_euclid(1000))
}

/// The UTC date at `millis`.
/// The region's time zone, as the shipped region file names it.
pub fn zone() -> tachawor_region::Zone {
    tachawor_region::Zone::named("Africa/Casablanca").expect("Morocco's zone")
}

pub fn date_of(millis: i64) -> Date {
    let date = tachawor_proto::dates::date_of_millis(millis);
    tachawor_proto::dates::date_from_str(&date).expect("a date")
}

pub fn program_request() -> CreateProgramRequest {
    CreateProgramRequest {
        title: Some(text("Formation des membres des instances")),
        objectives: Some(text("Maîtriser les mécanismes participatifs")),
        audiences: vec![
            Audience::InstanceMembers as i32,
            Audience::Associations as i32,
        ],
        milestone_ref: "MALAA0004-1".into(),
        province_codes: vec!["laayoune".into()],
        idempotency_key: String::new(),
    }
}

/// Registers `person` for a session and answers the registration's id.
pub async fn register_for(person: &mut Person, session_id: &str) -> String {
    person
        .client
        .register(RegisterRequest {
            session_id: session_id.into(),
            idempotency_key: String::new(),
        })
        .await
        .expect("register")
        .into_inner()
        .registration
        .expect("registration")
        .registration_id
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
    tachawor_errors::violated_rule(status).unwrap_or_default()
}
