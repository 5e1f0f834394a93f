//! Reporting's reads as the events recorded grow: a reporting server on a fresh database
//! (beside a real identity server, for its keys) is loaded with 10,000 events, then with
//! 1,000,000, and at each size GetIndicators (every indicator, public: unsplit and split by
//! province) and ListCommitments are timed over gRPC. The figure is the median latency at 1M
//! against the one at 10k in the same run: the target is a ratio within 0.75..1.25.
//!
//! The events are a realistic mix (registrations, attendance, evaluations, certificates,
//! responses, supports, comments, proposals, signatures and withdrawals, sessions, petitions,
//! recommendations, and a few profile changes after the facts) from 3,000 accounts over 24
//! months and the four provinces. They go through the consumers' own code
//! (`tachawor_reporting::apply_all`: the same facts and aggregates as one by one) in
//! transactions of `BENCH_BATCH` events (default 5,000), straight into reporting's database:
//! the bus would only add its own cost.
//!
//! `BENCH_BACKENDS` (default `postgres,sqlite`), `BENCH_EVENTS` (default 1000000) and
//! `BENCH_CALLS` (default 40 per figure) tune it; `TACHAWOR_TEST_DATABASE_URL` and
//! `TACHAWOR_TEST_NATS_URL` say where PostgreSQL and NATS are. Run with
//! `cargo bench -p tachawor-reporting --bench volume`.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use tachawor_events::Envelope;
use tachawor_identity::testing::{TestIdentity, region_file};
use tachawor_proto::{
    common::{ActorKind, AgeBand, Gender},
    dates::timestamp,
    events::*,
    reporting::{
        Dimension, GetIndicatorsRequest, ListCommitmentsRequest,
        reporting_service_client::ReportingServiceClient,
    },
};
use tachawor_reporting::{Application, Dependencies, Settings, settings::DEFAULTS};
use tachawor_storage::{Database, ManualClock};
use tachawor_testkit::{
    Backend, Bearer, TestEnv,
    bench::{self, env_number},
    envelope,
};

const SMALL: usize = 10_000;
const ACCOUNTS: usize = 3_008;
const DAYS: u64 = 730;
/// 1 June 2025, 00:00 UTC: MALAA0004's start.
const FIRST_DAY: i64 = 1_748_736_000_000;
const PROVINCES: [&str; 4] = ["laayoune", "boujdour", "tarfaya", "es-semara"];
const TARGET: (f64, f64) = (0.75, 1.25);

fn main() -> anyhow::Result<()> {
    bench::main(run)
}

async fn run() -> anyhow::Result<()> {
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    for name in backends.split(',').map(str::trim) {
        let backend = match name {
            "postgres" => Backend::Postgres,
            "sqlite" => Backend::Sqlite,
            other => anyhow::bail!("BENCH_BACKENDS: unknown backend {other}"),
        };
        measure(backend, name).await?;
    }
    Ok(())
}

/// A small deterministic sequence: the same events in every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn roll(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The kinds of event, with their weight in 1,000 after the first ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ProfileChanged,
    Registered,
    Attended,
    Evaluated,
    Certified,
    Responded,
    Supported,
    Commented,
    Proposed,
    Signed,
    Withdrawn,
    Held,
    Scheduled,
    Opened,
    PetitionCreated,
    Deposited,
    Answered,
}

const MIX: [(Kind, usize); 17] = [
    (Kind::ProfileChanged, 1),
    (Kind::Registered, 150),
    (Kind::Attended, 120),
    (Kind::Evaluated, 50),
    (Kind::Certified, 50),
    (Kind::Responded, 199),
    (Kind::Supported, 150),
    (Kind::Commented, 100),
    (Kind::Proposed, 30),
    (Kind::Signed, 100),
    (Kind::Withdrawn, 10),
    (Kind::Held, 15),
    (Kind::Scheduled, 10),
    (Kind::Opened, 3),
    (Kind::PetitionCreated, 6),
    (Kind::Deposited, 3),
    (Kind::Answered, 3),
];

/// Months covered (June 2025 to May 2027) and the accounts that open each of them.
const MONTHS: usize = 24;
const OPENERS: usize = 4;

/// Makes the events, one at a time: each account's profile first; then, in every month, each
/// kind of event by four accounts that between them hold every province, gender, age band and
/// kind of actor (so the 10,000 first events already fill every cell the million will, and
/// both sizes answer the same cells); then a random mix.
struct Generator {
    dice: Dice,
    made: usize,
}

fn account(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// The first day of the `m`-th month from June 2025.
fn month_start(m: usize) -> i64 {
    let (year, month) = (2025 + (5 + m) / 12, (5 + m) % 12 + 1);
    tachawor_proto::dates::millis_of_date(&format!("{year}-{month:02}-01")).unwrap_or(FIRST_DAY)
}

/// Account `n`'s consented profile: every combination occurs among 64 accounts in a row.
fn profile(n: usize) -> AccountProfileUpdated {
    AccountProfileUpdated {
        account_id: account(n),
        province_code: PROVINCES[n % 4].into(),
        gender: [Gender::Female, Gender::Male][(n / 4) % 2] as i32,
        age_band: [
            AgeBand::AgeBand1824,
            AgeBand::AgeBand2534,
            AgeBand::AgeBand3544,
            AgeBand::AgeBand4554,
        ][(n / 8) % 4] as i32,
        actor_kind: [ActorKind::Citizen, ActorKind::AssociationRepresentative][(n / 32) % 2] as i32,
    }
}

impl Generator {
    fn new() -> Self {
        Self {
            dice: Dice(2026),
            made: 0,
        }
    }

    fn next_event(&mut self) -> Envelope {
        let n = self.made;
        self.made += 1;
        if n < ACCOUNTS {
            return envelope("identity.account.profile_updated", FIRST_DAY, &profile(n));
        }
        let kinds = MIX.len() - 1;
        let cover = n - ACCOUNTS;
        if cover < MONTHS * kinds * OPENERS {
            let (month, kind, j) = (
                cover / (kinds * OPENERS),
                1 + (cover / OPENERS) % kinds,
                cover % OPENERS,
            );
            // Account j + 4(j%2) + 8j + 32(j%2) + 64r has province j, gender j%2, age band j
            // and kind of actor j%2 (see `profile`).
            let r = (cover / OPENERS) % (ACCOUNTS / 64);
            let person = j + 4 * (j % 2) + 8 * j + 32 * (j % 2) + 64 * r;
            let at = month_start(month) + (j as i64 + 1) * 86_400_000;
            return self.make(MIX[kind].0, at, person, j);
        }
        let mut pick = self.dice.roll(1000);
        let kind = MIX
            .iter()
            .find(|(_, weight)| {
                let here = pick < *weight;
                pick = pick.saturating_sub(*weight);
                here
            })
            .map_or(Kind::Responded, |(k, _)| *k);
        let at = FIRST_DAY
            + (self.dice.next() % DAYS) as i64 * 86_400_000
            + (self.dice.next() % 86_400_000) as i64;
        let person = self.dice.roll(ACCOUNTS);
        let province = self.dice.roll(4);
        self.make(kind, at, person, province)
    }

    fn participant(&self, person: &str, province: &str) -> Option<TrainingParticipant> {
        Some(TrainingParticipant {
            account_id: person.into(),
            province_code: province.into(),
            actor_kind: ActorKind::Citizen as i32,
            ..Default::default()
        })
    }

    fn make(&mut self, kind: Kind, at: i64, person: usize, province: usize) -> Envelope {
        let thing = format!("{}", self.made);
        let person = account(person);
        let province = PROVINCES[province].to_string();
        let consultation = format!("consultation-{}", self.dice.roll(200));
        let session = format!("session-{}", self.dice.roll(5_000));
        let milestone = format!("MALAA0004-{}", 1 + self.dice.roll(4));
        match kind {
            Kind::ProfileChanged => {
                let mut changed = profile(self.dice.roll(ACCOUNTS));
                changed.province_code = province;
                changed.gender = [Gender::Female, Gender::Male][self.dice.roll(2)] as i32;
                envelope("identity.account.profile_updated", at, &changed)
            }
            Kind::Registered => {
                let registration = TrainingRegistrationChanged {
                    registration_id: thing,
                    session_id: session,
                    participant: self.participant(&person, &province),
                    ..Default::default()
                };
                envelope("training.registration.confirmed", at, &registration)
            }
            Kind::Attended => {
                let attended = TrainingAttendanceRecorded {
                    registration_id: thing,
                    session_id: session,
                    participant: self.participant(&person, &province),
                    ..Default::default()
                };
                envelope("training.attendance.recorded", at, &attended)
            }
            Kind::Evaluated => {
                let evaluation = TrainingEvaluationSubmitted {
                    evaluation_id: thing,
                    session_id: session,
                    satisfaction: 1 + self.dice.roll(5) as i32,
                    participant: self.participant(&person, &province),
                    ..Default::default()
                };
                envelope("training.evaluation.submitted", at, &evaluation)
            }
            Kind::Certified => {
                let certificate = TrainingCertificateIssued {
                    certificate_id: thing,
                    session_id: session,
                    milestone_ref: milestone,
                    participant: self.participant(&person, &province),
                    ..Default::default()
                };
                envelope("training.certificate.issued", at, &certificate)
            }
            Kind::Responded => {
                let response = ConsultationResponseSubmitted {
                    consultation_id: consultation,
                    response_id: thing,
                    account_id: person,
                    province_code: province,
                    ..Default::default()
                };
                envelope("consultation.response.submitted", at, &response)
            }
            Kind::Supported => {
                let support = ConsultationProposalSupported {
                    proposal_id: format!("proposal-{}", self.dice.roll(3_000)),
                    consultation_id: consultation,
                    account_id: person,
                    province_code: province,
                    ..Default::default()
                };
                envelope("consultation.proposal.supported", at, &support)
            }
            Kind::Commented => {
                let comment = ConsultationCommentPosted {
                    comment_id: thing,
                    consultation_id: consultation,
                    account_id: person,
                    province_code: province,
                    ..Default::default()
                };
                envelope("consultation.comment.posted", at, &comment)
            }
            Kind::Proposed => {
                let proposal = ConsultationProposalSubmitted {
                    proposal_id: thing,
                    consultation_id: consultation,
                    account_id: person,
                    province_code: province,
                    ..Default::default()
                };
                envelope("consultation.proposal.submitted", at, &proposal)
            }
            Kind::Signed => {
                let signed = PetitionSigned {
                    petition_id: format!("petition-{}", self.dice.roll(500)),
                    account_id: person,
                    province_code: province,
                    ..Default::default()
                };
                envelope("consultation.petition.signed", at, &signed)
            }
            Kind::Withdrawn => {
                let withdrawn = PetitionSignatureWithdrawn {
                    petition_id: format!("petition-{}", self.dice.roll(500)),
                    account_id: person,
                    province_code: province,
                    signed_at: Some(timestamp(at - 86_400_000 * self.dice.roll(20) as i64)),
                };
                envelope("consultation.petition.signature_withdrawn", at, &withdrawn)
            }
            Kind::Held => {
                let held = TrainingSessionHeld {
                    session_id: thing,
                    milestone_ref: milestone,
                    kind: ["training_session", "regional_meeting", "forum"][self.dice.roll(3)]
                        .into(),
                    province_code: province,
                    confirmed_count: 20,
                    attended_count: 10 + self.dice.roll(10) as i32,
                    ..Default::default()
                };
                envelope("training.session.held", at, &held)
            }
            Kind::Scheduled => {
                let scheduled = TrainingSessionScheduled {
                    session_id: thing,
                    milestone_ref: milestone,
                    kind: "training_session".into(),
                    province_code: province,
                    ..Default::default()
                };
                envelope("training.session.scheduled", at, &scheduled)
            }
            Kind::Opened => {
                let opened = ConsultationOpened {
                    consultation_id: thing,
                    ..Default::default()
                };
                envelope("consultation.consultation.opened", at, &opened)
            }
            Kind::PetitionCreated => {
                let created = PetitionCreated {
                    petition_id: thing,
                    agent_province_code: province,
                    agent_actor_kind: ActorKind::AssociationRepresentative as i32,
                    ..Default::default()
                };
                envelope("consultation.petition.created", at, &created)
            }
            Kind::Deposited => {
                let deposited = PetitionDeposited {
                    petition_id: thing,
                    ..Default::default()
                };
                envelope("consultation.petition.deposited", at, &deposited)
            }
            Kind::Answered => {
                let answered = InstanceRecommendationAnswered {
                    recommendation_id: format!("recommendation-{}", self.dice.roll(300)),
                    answer: ["accepted", "rejected"][self.dice.roll(2)].into(),
                    ..Default::default()
                };
                envelope("consultation.recommendation.answered", at, &answered)
            }
        }
    }
}

/// Applies `count` more events, in transactions of `batch`.
async fn load(
    db: &Database,
    events: &mut Generator,
    count: usize,
    batch: usize,
) -> anyhow::Result<()> {
    let mut left = count;
    while left > 0 {
        let n = left.min(batch);
        let envelopes: Vec<Envelope> = (0..n).map(|_| events.next_event()).collect();
        let mut tx = db.begin().await?;
        tachawor_reporting::apply_all(&mut tx, &envelopes)
            .await
            .map_err(|e| anyhow::anyhow!("applying events: {e:?}"))?;
        tx.commit().await?;
        left -= n;
    }
    Ok(())
}

type Client = ReportingServiceClient<
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>,
>;

/// A reporting server on its own fresh database.
struct Server {
    db: Database,
    client: Client,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _env: TestEnv,
}

impl Server {
    async fn start(
        backend: Backend,
        identity: &TestIdentity,
        clock: &ManualClock,
    ) -> anyhow::Result<Self> {
        let env = TestEnv::start(backend).await;
        let mut values = env.settings();
        values.insert("region.file".into(), region_file());
        values.insert(
            "commitments.file".into(),
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../config/commitments/malaa0004.toml"
            )
            .into(),
        );
        values.insert("auth.identity_url".into(), identity.endpoint());
        // Every call reaches the aggregates: the response cache would answer repeated calls
        // from memory whatever the number of events.
        values.insert("server.cache.ttl_ms".into(), "0".into());
        let settings: Settings = tachawor_config::load_with(DEFAULTS, &values, None)?;
        let app = Application::build(
            settings,
            Dependencies {
                bus: Some(env.bus.clone()),
                clock: Arc::new(clock.clone()),
            },
        )
        .await?;
        let db = app.context().db.clone();
        let client = ReportingServiceClient::with_interceptor(
            tachawor_testkit::channel(app.local_addr()),
            Bearer::default(),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Ok(Self {
            db,
            client,
            stop,
            task,
            _env: env,
        })
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// The figures timed.
const FIGURES: [(&str, Option<Dimension>); 3] = [
    (
        "GetIndicators, every indicator, public, unsplit",
        Some(Dimension::Unspecified),
    ),
    (
        "GetIndicators, every indicator, public, by province",
        Some(Dimension::Province),
    ),
    ("ListCommitments, public", None),
];

/// One call of a figure: its time and the size of its answer (cells, or milestones).
async fn call(client: &mut Client, figure: Option<Dimension>) -> anyhow::Result<(Duration, usize)> {
    let start = Instant::now();
    let size = match figure {
        Some(split) => client
            .get_indicators(GetIndicatorsRequest {
                split_by: split as i32,
                ..Default::default()
            })
            .await?
            .into_inner()
            .cells
            .len(),
        None => client
            .list_commitments(ListCommitmentsRequest {})
            .await?
            .into_inner()
            .commitments
            .iter()
            .map(|c| c.milestones.len())
            .sum(),
    };
    Ok((start.elapsed(), size))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn measure(backend: Backend, name: &str) -> anyhow::Result<()> {
    let total = env_number("BENCH_EVENTS", 1_000_000).max(SMALL);
    let batch = env_number("BENCH_BATCH", 5_000).max(1);
    let calls = env_number("BENCH_CALLS", 40).max(1);
    let identity_env = TestEnv::start(backend).await;
    let clock = ManualClock::starting_now();
    let identity = TestIdentity::start_in(
        &identity_env,
        clock.clone(),
        HashMap::from([
            ("passwords.memory_kib", "64".to_string()),
            ("passwords.iterations", "1".to_string()),
        ]),
    )
    .await;
    // Two servers, timed in turns so that the machine's other work weighs on both alike.
    let mut small = Server::start(backend, &identity, &clock).await?;
    let mut large = Server::start(backend, &identity, &clock).await?;
    let started = Instant::now();
    load(&small.db, &mut Generator::new(), SMALL, batch).await?;
    eprintln!("{name}: {SMALL} events loaded in {:.1?}", started.elapsed());
    let started = Instant::now();
    load(&large.db, &mut Generator::new(), total, batch).await?;
    eprintln!("{name}: {total} events loaded in {:.1?}", started.elapsed());

    let backend_name = match backend {
        Backend::Postgres => "PostgreSQL",
        Backend::Sqlite => "SQLite",
    };
    for (figure, split) in FIGURES {
        let (mut at_small, mut at_large) = (Vec::new(), Vec::new());
        let mut sizes = (0, 0);
        for i in 0..calls + 5 {
            let (s, l) = if i % 2 == 0 {
                let s = call(&mut small.client, split).await?;
                (s, call(&mut large.client, split).await?)
            } else {
                let l = call(&mut large.client, split).await?;
                (call(&mut small.client, split).await?, l)
            };
            sizes = (s.1, l.1);
            // The first calls warm up.
            if i >= 5 {
                at_small.push(s.0);
                at_large.push(l.0);
            }
        }
        eprintln!(
            "{name}: {figure}: {} items at {SMALL} events, {} at {total}",
            sizes.0, sizes.1
        );
        let (at_small, at_large) = (median(at_small), median(at_large));
        let ratio = at_large.as_secs_f64() / at_small.as_secs_f64();
        let pass = (TARGET.0..=TARGET.1).contains(&ratio);
        println!(
            "RESULT\t{figure}, median at {total} events ({backend_name})\t{:.2} ms\tthe same at {SMALL} events {:.2} ms\t{ratio:.2}\t{:.2}..{:.2}\t{}",
            at_large.as_secs_f64() * 1000.0,
            at_small.as_secs_f64() * 1000.0,
            TARGET.0,
            TARGET.1,
            if pass { "PASS" } else { "FAIL" }
        );
    }
    small.stop().await;
    large.stop().await;
    Ok(())
}
