//! A real reporting server beside a real identity server (for tokens), sharing one
//! `ManualClock`, and helpers that publish events into the bus as their producers would.

use std::{
    path::Path,
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

use tachawor_events::Envelope;
use tachawor_identity::testing::{TestIdentity, region_file};
use tachawor_proto::{
    common::{ActorKind, AgeBand, Gender},
    events::{AccountProfileUpdated, TrainingParticipant},
    reporting::{
        Dimension, GetCommitmentRequest, GetIndicatorsRequest, IndicatorCell, Milestone,
        reporting_service_client::ReportingServiceClient,
    },
};
use tachawor_reporting::{Application, Dependencies, Settings, settings::DEFAULTS};
use tachawor_storage::{Clock, Database, ManualClock};
pub use tachawor_testkit::envelope;
use tachawor_testkit::{Backend, Bearer, Harness, Served, TestEnv};
pub use tachawor_testkit::{EVERYONE, Who};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

pub type Client = ReportingServiceClient<InterceptedService<Channel, Bearer>>;

/// 1 September 2025, 10:00 UTC: inside MALAA0004's first milestones.
pub const START: i64 = 1_756_720_800_000;

pub fn commitments_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../config/commitments/malaa0004.toml")
        .display()
        .to_string()
}

pub struct TestApp {
    pub clock: ManualClock,
    pub identity: TestIdentity,
    /// Reporting's own database.
    pub db: Database,
    pub env: TestEnv,
    channel: Channel,
    /// Distinct events published so far (each must be processed or dead-lettered).
    published: AtomicI64,
    _identity_env: TestEnv,
    _server: Served<anyhow::Result<()>>,
}

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        let env = TestEnv::start(backend).await;
        let clock = ManualClock::new(START);
        // Identity's own events go elsewhere: the tests publish exactly what they count.
        let (identity_env, identity) =
            TestIdentity::start_apart(backend, clock.clone(), 800 * 86_400).await;
        let mut values = env.settings();
        values.insert("region.file".into(), region_file());
        values.insert("commitments.file".into(), commitments_file());
        values.insert("auth.identity_url".into(), identity.endpoint());
        let settings: Settings =
            tachawor_config::load_with(DEFAULTS, &values, None).expect("test settings");
        let app = Application::build(
            settings,
            Dependencies {
                bus: Some(env.bus.clone()),
                clock: std::sync::Arc::new(clock.clone()),
            },
        )
        .await
        .expect("reporting builds");
        let addr = app.local_addr();
        let db = app.context().db.clone();
        let server = Served::spawn(|stop| app.run_until_stopped(stop));
        for producer in ["identity", "consultation", "training"] {
            env.bus.ensure_stream(producer).await.expect("stream");
        }
        Self {
            clock,
            identity,
            db,
            env,
            channel: tachawor_testkit::channel(addr),
            published: AtomicI64::new(0),
            _identity_env: identity_env,
            _server: server,
        }
    }
}

impl TestApp {
    pub fn db(&self) -> &Database {
        &self.db
    }

    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    pub fn anonymous(&self) -> Client {
        ReportingServiceClient::with_interceptor(self.channel.clone(), Bearer::default())
    }

    pub fn with_token(&self, token: &str) -> Client {
        ReportingServiceClient::with_interceptor(self.channel.clone(), Bearer::new(token))
    }

    /// A client signed in as `who`.
    pub async fn client(&self, who: Who) -> Client {
        match who {
            Who::Anonymous => self.anonymous(),
            Who::Citizen => self.with_token(&self.identity.people().citizen().await.token),
            Who::Staff => self.with_token(&self.identity.people().staff().await.token),
            Who::Admin => self.with_token(&self.identity.people().admin().await.token),
            Who::Service => self.with_token(&self.identity.service_token("reporting").await),
        }
    }

    /// Publishes an event as its producer would (producer = first token of the type).
    pub async fn publish<M: prost::Name>(
        &self,
        event_type: &str,
        at: i64,
        payload: &M,
    ) -> Envelope {
        let envelope = envelope(event_type, at, payload);
        self.publish_envelope(&envelope).await;
        envelope
    }

    pub async fn publish_envelope(&self, envelope: &Envelope) {
        let ack = self.env.bus.publish(envelope).await.expect("publish");
        if !ack.duplicate {
            self.published.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Publishes raw bytes on a subject under a fresh message id: a copy the broker's
    /// de-duplication does not catch, or a message that is not an envelope.
    pub async fn publish_raw(&self, event_type: &str, bytes: Vec<u8>, counts: bool) {
        let subject = format!("{}.{event_type}", self.env.events.subject_prefix);
        self.env
            .bus
            .publish_bytes(&subject, &uuid::Uuid::now_v7().to_string(), bytes)
            .await
            .expect("publish bytes");
        if counts {
            self.published.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Processed and dead-lettered messages in reporting's database.
    pub async fn handled(&self) -> i64 {
        let (p,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM processed_events")
            .fetch_one(self.db.pool())
            .await
            .expect("count");
        let (d,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dead_letters")
            .fetch_one(self.db.pool())
            .await
            .expect("count");
        p + d
    }

    /// Waits until every event published so far was processed or dead-lettered.
    pub async fn settle(&self) {
        let want = self.published.load(Ordering::SeqCst);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.handled().await;
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

    /// Every indicator's exact figures, unsplit, as staff read them.
    pub async fn totals(&self, staff: &mut Client) -> Vec<IndicatorCell> {
        staff
            .get_indicators(GetIndicatorsRequest::default())
            .await
            .expect("indicators")
            .into_inner()
            .cells
    }

    /// Exact figures of one indicator.
    pub async fn exact(
        &self,
        staff: &mut Client,
        indicator: &str,
        split: Dimension,
    ) -> Vec<IndicatorCell> {
        staff
            .get_indicators(GetIndicatorsRequest {
                indicators: vec![indicator.into()],
                split_by: split as i32,
                ..Default::default()
            })
            .await
            .expect("indicators")
            .into_inner()
            .cells
    }

    /// A profile for a new pseudonymous account.
    pub async fn person(&self, province: &str, gender: Gender, age: AgeBand) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.publish(
            "identity.account.profile_updated",
            self.now(),
            &AccountProfileUpdated {
                account_id: id.clone(),
                province_code: province.into(),
                gender: gender as i32,
                age_band: age as i32,
                actor_kind: ActorKind::Citizen as i32,
            },
        )
        .await;
        id
    }
}

/// A training participant as training describes them (no gender or age band).
pub fn participant(account_id: &str, province: &str) -> Option<TrainingParticipant> {
    Some(TrainingParticipant {
        account_id: account_id.into(),
        province_code: province.into(),
        actor_kind: ActorKind::Citizen as i32,
        ..Default::default()
    })
}

/// MALAA0004's milestones as `who` reads them.
pub async fn milestones(app: &TestApp, who: Who) -> Vec<Milestone> {
    app.client(who)
        .await
        .get_commitment(GetCommitmentRequest {
            commitment_id: "MALAA0004".into(),
        })
        .await
        .expect("commitment")
        .into_inner()
        .commitment
        .expect("commitment")
        .milestones
}

/// The unsplit total of `indicator` in `month` among `cells`; 0 when there is none.
pub fn total(cells: &[IndicatorCell], indicator: &str, month: &str) -> f64 {
    cells
        .iter()
        .find(|c| c.indicator == indicator && c.month == month && c.group.is_empty())
        .map(|c| c.value)
        .unwrap_or(0.0)
}

/// The value of the cell of `month` and `group`, if any.
pub fn cell<'a>(cells: &'a [IndicatorCell], month: &str, group: &str) -> Option<&'a IndicatorCell> {
    cells.iter().find(|c| c.month == month && c.group == group)
}

/// The milliseconds of a date at noon UTC.
pub fn day(date: &str) -> i64 {
    tachawor_proto::dates::millis_of_date(date).expect("date") + 12 * 3_600_000
}
