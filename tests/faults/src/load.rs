//! The load: people arriving one after another the way the portal's users would, each through
//! the public API: an account (registered, signed in, verified by staff), a seat asked for in
//! the 50-seat session, the petition signed (twice at once, as a double click would), the
//! survey answered, a proposal supported and a comment posted. Every write carries an
//! idempotency key and is retried with it on errors that do not say what happened; each is
//! recorded as acknowledged, refused, or of unknown outcome.

use std::{
    future::Future,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use tachawor_proto::{
    consultation::{self as c, Answer},
    identity::{LoginRequest, RegisterRequest, VerifyAccountRequest},
    training as t,
};
use tachawor_system_tests::{
    Person, Platform,
    scenario::{self, text, ts},
};
use tokio::time::Instant;
use tonic::{Code, Status};

use crate::services::PASSWORD;

/// Seats of the session everyone asks for.
pub const SEATS: usize = 50;
const PROVINCES: [&str; 4] = ["laayoune", "boujdour", "tarfaya", "es-semara"];
/// How long a client keeps retrying one write.
const GIVE_UP_AFTER: Duration = Duration::from_secs(90);
/// Bound on one attempt.
const ATTEMPT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Account,
    SignUp,
    Signature,
    Response,
    Support,
    Comment,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Account,
        Kind::SignUp,
        Kind::Signature,
        Kind::Response,
        Kind::Support,
        Kind::Comment,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Account => "accounts",
            Kind::SignUp => "registrations",
            Kind::Signature => "signatures",
            Kind::Response => "responses",
            Kind::Support => "supports",
            Kind::Comment => "comments",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Acked,
    /// An attempt failed in a way that does not say whether it was applied, and no retry
    /// told either.
    Unknown,
    Refused(Code),
}

#[derive(Clone, Debug)]
pub struct Write {
    pub kind: Kind,
    /// What identifies it in the owner's database: an email, an account id, a comment body.
    pub key: String,
    pub outcome: Outcome,
    pub at: Instant,
    /// From the first attempt to the outcome, retries included: what the person waited.
    pub took: Duration,
}

/// What the load did: every write, and every attempt (when, and whether it failed).
#[derive(Default)]
pub struct Log {
    pub writes: Mutex<Vec<Write>>,
    pub attempts: Mutex<Vec<(Instant, bool)>>,
}

impl Log {
    fn record(&self, kind: Kind, key: &str, outcome: Outcome, began: Instant) {
        let at = Instant::now();
        self.writes.lock().expect("log").push(Write {
            kind,
            key: key.to_string(),
            outcome,
            at,
            took: at - began,
        });
    }
}

/// What a call came to after its retries.
pub struct Failed {
    pub status: Status,
    /// Some attempt may have been applied.
    pub uncertain: bool,
}

/// Errors after which the client tries again with the same key.
fn retryable(code: Code) -> bool {
    matches!(
        code,
        Code::Unavailable
            | Code::DeadlineExceeded
            | Code::Unknown
            | Code::Internal
            | Code::Aborted
            | Code::Cancelled
            | Code::ResourceExhausted
    )
}

/// Calls `f` until it answers, refuses for good, or [`GIVE_UP_AFTER`] has passed.
pub async fn call<T, F, Fut>(log: &Log, mut f: F) -> Result<T, Failed>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<tonic::Response<T>, Status>>,
{
    let deadline = Instant::now() + GIVE_UP_AFTER;
    let mut uncertain = false;
    let mut pause = Duration::from_millis(100);
    loop {
        let result = match tokio::time::timeout(ATTEMPT, f()).await {
            Ok(result) => result,
            Err(_) => Err(Status::deadline_exceeded(
                "no answer within the attempt's bound",
            )),
        };
        log.attempts
            .lock()
            .expect("log")
            .push((Instant::now(), result.is_err()));
        match result {
            Ok(response) => return Ok(response.into_inner()),
            Err(status) if retryable(status.code()) && Instant::now() < deadline => {
                uncertain = true;
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(status) => {
                let retried = retryable(status.code());
                return Err(Failed {
                    status,
                    uncertain: uncertain || retried,
                });
            }
        }
    }
}

/// Records a keyed write's result; `began` is when its first attempt was sent.
fn note<T>(log: &Log, kind: Kind, key: &str, result: &Result<T, Failed>, began: Instant) {
    let outcome = match result {
        Ok(_) => Outcome::Acked,
        Err(f) if f.uncertain => Outcome::Unknown,
        Err(f) => Outcome::Refused(f.status.code()),
    };
    log.record(kind, key, outcome, began);
}

/// What the people act on, made by staff before the faults.
#[derive(Clone)]
pub struct Targets {
    pub staff: Person,
    pub session: String,
    pub petition: String,
    pub consultation: String,
    pub question: String,
    pub proposals: Vec<String>,
}

/// The session, the petition, the consultation with its question and three proposals.
pub async fn prepare(p: &Platform) -> Targets {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let mut st = p.training_as(&staff.token);
    let program = scenario::program(p, &staff).await;
    let now = p.now();
    let in_a_week = scenario::venue_today(now + 7 * 86_400_000);
    let session = st
        .schedule_session(t::ScheduleSessionRequest {
            program_id: program,
            details: Some(t::SessionDetails {
                kind: t::SessionKind::Forum as i32,
                title: text("Forum régional"),
                days: vec![in_a_week],
                venue: Some(t::Venue {
                    province_code: "laayoune".into(),
                    address: "Siège du Conseil régional".into(),
                }),
                capacity: SEATS as i32,
                registration_opens_at: ts(now - 3_600_000),
                registration_closes_at: ts(now + 5 * 86_400_000),
                facilitators: vec!["Formateur".into()],
                eligibility: t::Eligibility::Open as i32,
                ..Default::default()
            }),
            idempotency_key: String::new(),
        })
        .await
        .expect("schedule session")
        .into_inner()
        .session
        .expect("session")
        .session_id;

    let (consultation, question) = scenario::open_consultation(p, &staff).await;

    let authors = p
        .residents(&staff, &[("laayoune", 3), ("tarfaya", 1)])
        .await;
    let mut proposals = Vec::new();
    for author in &authors[..3] {
        proposals.push(
            p.consultation_as(&author.token)
                .submit_proposal(c::SubmitProposalRequest {
                    consultation_id: consultation.clone(),
                    title: "Une ligne de bus".into(),
                    body: "Relier les provinces.".into(),
                    association_id: String::new(),
                    idempotency_key: String::new(),
                })
                .await
                .expect("propose")
                .into_inner()
                .proposal
                .expect("proposal")
                .proposal_id,
        );
    }
    let petition = scenario::collecting_petition(p, &authors[3]).await;
    Targets {
        staff,
        session,
        petition,
        consultation,
        question,
        proposals,
    }
}

fn key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// One person's visit; stops at the first step it cannot get past.
async fn person(p: &Platform, targets: &Targets, log: &Log, n: usize) {
    let email = format!("{}@faults.test", key());
    let began = Instant::now();
    let registered = call(log, || {
        let mut client = p.identity_as("");
        let request = RegisterRequest {
            email: email.clone(),
            password: PASSWORD.into(),
            display_name: "Faults Person".into(),
            ..Default::default()
        };
        async move { client.register(request).await }
    })
    .await;
    note(log, Kind::Account, &email, &registered, began);
    if registered.is_err() {
        return;
    }
    let Ok(signed_in) = call(log, || {
        let mut client = p.identity_as("");
        let request = LoginRequest {
            identifier: email.clone(),
            password: PASSWORD.into(),
        };
        async move { client.login(request).await }
    })
    .await
    else {
        return;
    };
    let id = signed_in.account_id;
    let Some(tokens) = signed_in.tokens else {
        return;
    };
    let token = tokens.access_token;
    let cin = format!("ZF{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000);
    let province = PROVINCES[n % PROVINCES.len()];
    let verified = call(log, || {
        let mut client = p.identity_as(&targets.staff.token);
        let request = VerifyAccountRequest {
            account_id: id.clone(),
            cin: cin.clone(),
            residence_province_code: province.into(),
            ..Default::default()
        };
        async move { client.verify_account(request).await }
    })
    .await;
    // A retry of a verification that was applied is refused as already done.
    if let Err(f) = &verified
        && !f.uncertain
    {
        return;
    }

    let k = key();
    let began = Instant::now();
    let r = call(log, || {
        let mut client = p.training_as(&token);
        let request = t::RegisterRequest {
            session_id: targets.session.clone(),
            idempotency_key: k.clone(),
        };
        async move { client.register(request).await }
    })
    .await;
    note(log, Kind::SignUp, &id, &r, began);

    // Twice at once with two keys, as a double click would: one signature at most.
    let (k1, k2) = (key(), key());
    let sign = |k: String| {
        let client = p.consultation_as(&token);
        let petition = targets.petition.clone();
        async move {
            call(log, || {
                let mut client = client.clone();
                let request = c::SignPetitionRequest {
                    petition_id: petition.clone(),
                    declared_activity_province_code: String::new(),
                    idempotency_key: k.clone(),
                };
                async move { client.sign_petition(request).await }
            })
            .await
        }
    };
    let began = Instant::now();
    let (first, second) = tokio::join!(sign(k1), sign(k2));
    let signed = match (&first, &second) {
        (Ok(_), _) | (_, Ok(_)) => Ok(()),
        (Err(a), Err(b)) => Err(Failed {
            status: a.status.clone(),
            uncertain: a.uncertain || b.uncertain,
        }),
    };
    note(log, Kind::Signature, &id, &signed, began);

    let k = key();
    let began = Instant::now();
    let r = call(log, || {
        let mut client = p.consultation_as(&token);
        let request = c::SubmitResponseRequest {
            consultation_id: targets.consultation.clone(),
            answers: vec![Answer {
                question_id: targets.question.clone(),
                scale_value: 1 + (n % 5) as i32,
                ..Default::default()
            }],
            idempotency_key: k.clone(),
        };
        async move { client.submit_response(request).await }
    })
    .await;
    note(log, Kind::Response, &id, &r, began);

    let k = key();
    let proposal = targets.proposals[n % targets.proposals.len()].clone();
    let began = Instant::now();
    let r = call(log, || {
        let mut client = p.consultation_as(&token);
        let request = c::SupportProposalRequest {
            proposal_id: proposal.clone(),
            idempotency_key: k.clone(),
        };
        async move { client.support_proposal(request).await }
    })
    .await;
    note(log, Kind::Support, &format!("{proposal}/{id}"), &r, began);

    let k = key();
    let body = format!("faults {k}");
    let began = Instant::now();
    let r = call(log, || {
        let mut client = p.consultation_as(&token);
        let request = c::PostCommentRequest {
            consultation_id: targets.consultation.clone(),
            proposal_id: String::new(),
            parent_comment_id: String::new(),
            body: body.clone(),
            idempotency_key: k.clone(),
        };
        async move { client.post_comment(request).await }
    })
    .await;
    note(log, Kind::Comment, &body, &r, began);
}

/// `workers` people at a time until `stop` is set; returns how many visits began.
pub async fn run(
    p: Arc<Platform>,
    targets: Targets,
    log: Arc<Log>,
    workers: usize,
    stop: Arc<AtomicBool>,
) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let (p, targets, log, stop, next) = (
                p.clone(),
                targets.clone(),
                log.clone(),
                stop.clone(),
                next.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    person(&p, &targets, &log, n).await;
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    next.load(Ordering::Relaxed)
}
