//! A consultation server beside a real identity server, sharing one manual clock and the
//! test's bus; people registered (and verified) through identity.

use std::{collections::HashMap, sync::Arc};

use futures::{StreamExt, stream};
use tachawor_consultation::{Application, Dependencies, Settings, settings::DEFAULTS};
use tachawor_events::Envelope;
use tachawor_identity::testing::{self, TestIdentity};
use tachawor_proto::{
    consultation::consultation_service_client::ConsultationServiceClient,
    identity::{Role, SetRolesRequest, VerifyAccountRequest},
};
use tachawor_storage::{Database, ManualClock};
use tachawor_testkit::{Backend, Bearer, Harness, TestEnv};
use tonic::{Status, service::interceptor::InterceptedService, transport::Channel};

pub type Client = ConsultationServiceClient<InterceptedService<Channel, Bearer>>;
pub type IdentityClient = testing::Client;

/// A signed-in person.
#[derive(Clone)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub token: String,
}

pub struct TestApp {
    pub identity: TestIdentity,
    pub env: TestEnv,
    pub clock: ManualClock,
    pub db: Database,
    channel: Channel,
    /// An identity client as staff, to verify accounts.
    identity_staff: IdentityClient,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
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
            settings,
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
        let (_, identity_staff) = identity.staff().await;
        Self {
            identity,
            env,
            clock,
            db,
            channel: tachawor_testkit::channel(addr),
            identity_staff,
            shutdown: Some(tx),
            server: Some(server),
        }
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
        let token = self
            .identity
            .anonymous()
            .issue_service_token(tachawor_proto::identity::IssueServiceTokenRequest {
                client_id: "reporting".into(),
                client_secret: testing::SERVICE_SECRET.into(),
            })
            .await
            .expect("service token")
            .into_inner()
            .access_token;
        ConsultationServiceClient::with_interceptor(self.channel.clone(), Bearer::new(&token))
    }

    /// A new citizen, signed in.
    pub async fn citizen(&self) -> Person {
        let email = format!("{}@people.test", uuid::Uuid::new_v4().simple());
        let id = self.identity.register(&email).await;
        self.login(Person {
            id,
            email,
            token: String::new(),
        })
        .await
    }

    /// Signs in again (after roles changed or the clock moved past the token's life).
    pub async fn login(&self, person: Person) -> Person {
        let token = self.identity.login(&person.email).await.access_token;
        Person { token, ..person }
    }

    /// A citizen verified with a CIN, living in `province` (empty: outside the region).
    pub async fn verified(&self, province: &str) -> Person {
        let person = self.citizen().await;
        let cin = format!("ZT{}", rand_digits());
        self.identity_staff
            .clone()
            .verify_account(VerifyAccountRequest {
                account_id: person.id.clone(),
                cin,
                residence_province_code: province.into(),
                ..Default::default()
            })
            .await
            .expect("verify");
        person
    }

    /// `n` verified residents of `province`, created 16 at a time.
    pub async fn residents(&self, province: &str, n: usize) -> Vec<Person> {
        stream::iter(0..n)
            .map(|_| self.verified(province))
            .buffer_unordered(16)
            .collect()
            .await
    }

    pub async fn staff(&self) -> Person {
        let person = self.citizen().await;
        self.identity
            .admin()
            .await
            .set_roles(SetRolesRequest {
                account_id: person.id.clone(),
                roles: vec![Role::Citizen as i32, Role::CouncilStaff as i32],
            })
            .await
            .expect("grant staff");
        self.login(person).await
    }

    pub async fn admin(&self) -> Person {
        let tokens = self.identity.login(testing::ADMIN_EMAIL).await;
        Person {
            id: String::new(),
            email: testing::ADMIN_EMAIL.into(),
            token: tokens.access_token,
        }
    }

    /// An identity client signed in as `person`.
    pub fn identity_as(&self, person: &Person) -> IdentityClient {
        self.identity.with_token(&person.token)
    }

    pub fn identity_staff(&self) -> IdentityClient {
        self.identity_staff.clone()
    }

    /// Every event in the consultation stream, once the outbox has drained.
    pub async fn events(&self) -> Vec<(String, Envelope)> {
        self.env.events(&self.db, "consultation").await
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
    }
}

fn rand_digits() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 100_000_000;
    format!("{n:08}")
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

pub fn text(s: &str) -> Option<tachawor_proto::common::LocalizedText> {
    Some(tachawor_proto::common::LocalizedText {
        ar: format!("{s} (ar)"),
        fr: format!("{s} (fr)"),
        en: String::new(),
    })
}

pub fn ts(millis: i64) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp {
        seconds: millis / 1000,
        nanos: 0,
    })
}
