//! The aggregates equal the facts counted again: after a varied history (profiles changed
//! after the facts and out of order, kinds of actor changed, signatures withdrawn before and
//! after they arrive, accounts deleted, edits, events out of order and delivered twice),
//! every cell of every indicator read from the aggregates is the one a `GROUP BY` over the
//! facts gives; the same when the history is applied again in the reverse order in one batch,
//! and when the aggregates are made again from the facts by the migration.

use prost::Message;
use tachawor_events::Envelope;
use tachawor_proto::{
    common::{ActorKind, AgeBand, Gender},
    dates::timestamp,
    events::*,
    reporting::{Dimension, GetIndicatorsRequest, ListCommitmentsRequest},
};
use tachawor_testkit::matrix;

use crate::helpers::*;

const PROVINCES: [&str; 4] = ["laayoune", "boujdour", "tarfaya", "es-semara"];
const GENDERS: [Gender; 2] = [Gender::Female, Gender::Male];
const BANDS: [AgeBand; 3] = [
    AgeBand::AgeBand1824,
    AgeBand::AgeBand2534,
    AgeBand::AgeBand3544,
];
const KINDS: [ActorKind; 2] = [ActorKind::Citizen, ActorKind::AssociationRepresentative];

/// A small deterministic sequence, so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Noon on the `d`-th day after 1 September 2025.
fn on(d: usize) -> i64 {
    day("2025-09-01") + d as i64 * 86_400_000
}

fn profile(account: &str, dice: &mut Dice) -> AccountProfileUpdated {
    AccountProfileUpdated {
        account_id: account.into(),
        province_code: PROVINCES[dice.roll(4)].into(),
        gender: GENDERS[dice.roll(2)] as i32,
        age_band: BANDS[dice.roll(3)] as i32,
        actor_kind: KINDS[dice.roll(2)] as i32,
    }
}

/// The history, in the order it is published.
fn history() -> Vec<Envelope> {
    let mut dice = Dice(12);
    let mut events = Vec::new();
    let people: Vec<String> = (0..14).map(|_| id()).collect();
    // Profiles: most set before they act, two never, some changed later; one change comes
    // after a later one (it must lose), and kinds of actor change with roles.
    for (i, person) in people.iter().enumerate().skip(2) {
        events.push(envelope(
            "identity.account.profile_updated",
            on(0),
            &profile(person, &mut dice),
        ));
        if i % 3 == 0 {
            let later = profile(person, &mut dice);
            events.push(envelope(
                "identity.account.profile_updated",
                on(100 + i),
                &later,
            ));
            let stale = profile(person, &mut dice);
            events.push(envelope("identity.account.profile_updated", on(50), &stale));
        }
        if i % 4 == 1 {
            let roles = AccountRolesChanged {
                account_id: person.clone(),
                actor_kind: ActorKind::InstanceMember as i32,
                ..Default::default()
            };
            events.push(envelope("identity.account.roles_changed", on(120), &roles));
        }
    }
    let registered = AccountRegistered {
        account_id: people[0].clone(),
        actor_kind: ActorKind::Citizen as i32,
    };
    events.push(envelope("identity.account.registered", on(1), &registered));

    // Training: sessions under milestones, one cancelled, registrations seen in several
    // events (one promoted before it was confirmed), attendance, edited evaluations.
    let sessions: Vec<String> = (0..4).map(|_| id()).collect();
    for (s, session) in sessions.iter().enumerate() {
        let scheduled = TrainingSessionScheduled {
            session_id: session.clone(),
            milestone_ref: format!("MALAA0004-{}", 1 + s % 2),
            kind: ["training_session", "forum"][s % 2].into(),
            province_code: PROVINCES[s].into(),
            ..Default::default()
        };
        events.push(envelope(
            "training.session.scheduled",
            on(2 + s),
            &scheduled,
        ));
        if s == 3 {
            let cancelled = TrainingSessionCancelled {
                session_id: session.clone(),
                ..Default::default()
            };
            events.push(envelope("training.session.cancelled", on(20), &cancelled));
            continue;
        }
        let held = TrainingSessionHeld {
            session_id: session.clone(),
            milestone_ref: scheduled.milestone_ref.clone(),
            kind: scheduled.kind.clone(),
            province_code: scheduled.province_code.clone(),
            confirmed_count: 9,
            attended_count: 5 + s as i32,
            ..Default::default()
        };
        events.push(envelope("training.session.held", on(30 + 20 * s), &held));
    }
    for (p, person) in people.iter().enumerate() {
        let session = &sessions[p % 3];
        let registration = TrainingRegistrationChanged {
            registration_id: id(),
            session_id: session.clone(),
            participant: participant(person, if p % 2 == 0 { PROVINCES[p % 4] } else { "" }),
            ..Default::default()
        };
        events.push(envelope(
            "training.registration.confirmed",
            on(10 + p),
            &registration,
        ));
        if p % 4 == 0 {
            events.push(envelope(
                "training.registration.promoted",
                on(3),
                &registration,
            ));
            events.push(envelope(
                "training.registration.cancelled",
                on(40),
                &registration,
            ));
        }
        if p % 3 != 2 {
            let attended = TrainingAttendanceRecorded {
                registration_id: registration.registration_id.clone(),
                session_id: session.clone(),
                participant: registration.participant.clone(),
                ..Default::default()
            };
            events.push(envelope(
                "training.attendance.recorded",
                on(28 + p),
                &attended,
            ));
            let evaluation = id();
            for (k, score) in [(0, 1 + dice.roll(5) as i32), (1, 1 + dice.roll(5) as i32)] {
                let evaluated = TrainingEvaluationSubmitted {
                    evaluation_id: evaluation.clone(),
                    session_id: session.clone(),
                    satisfaction: score,
                    participant: registration.participant.clone(),
                    ..Default::default()
                };
                // The edit may come first.
                events.push(envelope(
                    "training.evaluation.submitted",
                    on(61 - 30 * k + p),
                    &evaluated,
                ));
            }
            let certificate = TrainingCertificateIssued {
                certificate_id: id(),
                session_id: session.clone(),
                milestone_ref: "MALAA0004-1".into(),
                participant: registration.participant.clone(),
                ..Default::default()
            };
            events.push(envelope(
                "training.certificate.issued",
                on(70 + p),
                &certificate,
            ));
        }
    }

    // Consultation: responses edited, proposals, supports, comments, signatures given and
    // withdrawn (a withdrawal may come before the signature), petitions and
    // recommendations answered twice out of order.
    let consultation = id();
    events.push(envelope(
        "consultation.consultation.opened",
        on(5),
        &ConsultationOpened {
            consultation_id: consultation.clone(),
            ..Default::default()
        },
    ));
    let proposal = id();
    let petition = id();
    events.push(envelope(
        "consultation.petition.created",
        on(6),
        &PetitionCreated {
            petition_id: petition.clone(),
            agent_province_code: "tarfaya".into(),
            agent_actor_kind: ActorKind::AssociationRepresentative as i32,
            ..Default::default()
        },
    ));
    for (p, person) in people.iter().enumerate() {
        let province = if p % 3 == 0 {
            ""
        } else {
            PROVINCES[(p + 1) % 4]
        };
        let response = ConsultationResponseSubmitted {
            consultation_id: consultation.clone(),
            response_id: id(),
            account_id: person.clone(),
            province_code: province.into(),
            actor_kind: if p % 2 == 0 {
                0
            } else {
                ActorKind::Citizen as i32
            },
            edited: false,
        };
        events.push(envelope(
            "consultation.response.submitted",
            on(8 + 3 * p),
            &response,
        ));
        let edited = ConsultationResponseSubmitted {
            edited: true,
            ..response
        };
        events.push(envelope(
            "consultation.response.submitted",
            on(4 + 3 * p),
            &edited,
        ));
        let supported = ConsultationProposalSupported {
            proposal_id: proposal.clone(),
            consultation_id: consultation.clone(),
            account_id: person.clone(),
            province_code: province.into(),
            ..Default::default()
        };
        events.push(envelope(
            "consultation.proposal.supported",
            on(9 + 5 * p),
            &supported,
        ));
        if p % 5 == 0 {
            let comment = ConsultationCommentPosted {
                comment_id: id(),
                consultation_id: consultation.clone(),
                account_id: person.clone(),
                province_code: province.into(),
                ..Default::default()
            };
            events.push(envelope(
                "consultation.comment.posted",
                on(12 + p),
                &comment,
            ));
        }
        let signed_at = on(15 + 4 * p);
        let signed = PetitionSigned {
            petition_id: petition.clone(),
            account_id: person.clone(),
            province_code: province.into(),
            ..Default::default()
        };
        let withdrawn = PetitionSignatureWithdrawn {
            petition_id: petition.clone(),
            account_id: person.clone(),
            province_code: province.into(),
            signed_at: Some(timestamp(signed_at)),
        };
        match p % 4 {
            0 => {
                events.push(envelope(
                    "consultation.petition.signature_withdrawn",
                    on(90),
                    &withdrawn,
                ));
                events.push(envelope("consultation.petition.signed", signed_at, &signed));
            }
            1 => {
                events.push(envelope("consultation.petition.signed", signed_at, &signed));
                events.push(envelope(
                    "consultation.petition.signature_withdrawn",
                    on(90),
                    &withdrawn,
                ));
                events.push(envelope("consultation.petition.signed", on(95), &signed));
            }
            _ => events.push(envelope("consultation.petition.signed", signed_at, &signed)),
        }
    }
    events.push(envelope(
        "consultation.proposal.submitted",
        on(7),
        &ConsultationProposalSubmitted {
            proposal_id: proposal.clone(),
            consultation_id: consultation.clone(),
            account_id: people[3].clone(),
            ..Default::default()
        },
    ));
    events.push(envelope(
        "consultation.petition.admitted",
        on(110),
        &PetitionAdmitted {
            petition_id: petition.clone(),
            late: true,
        },
    ));
    events.push(envelope(
        "consultation.petition.answered_late",
        on(111),
        &PetitionAnsweredLate {
            petition_id: petition.clone(),
            ..Default::default()
        },
    ));
    let opinion = id();
    events.push(envelope(
        "consultation.opinion.adopted",
        on(40),
        &InstanceOpinionAdopted {
            opinion_id: opinion.clone(),
            recommendations: 4,
            ..Default::default()
        },
    ));
    for r in 0..3 {
        let recommendation = id();
        for (k, answer) in ["accepted", "rejected"].into_iter().enumerate() {
            let answered = InstanceRecommendationAnswered {
                recommendation_id: recommendation.clone(),
                opinion_id: opinion.clone(),
                answer: answer.into(),
                ..Default::default()
            };
            // For the first, the later answer comes first.
            let at = if r == 0 {
                on(80 - 10 * k)
            } else {
                on(60 + 10 * k)
            };
            events.push(envelope(
                "consultation.recommendation.answered",
                at,
                &answered,
            ));
        }
    }

    // Some accounts are deleted; what they did stays counted.
    for person in people.iter().step_by(4) {
        let deleted = AccountDeleted {
            account_id: person.clone(),
        };
        events.push(envelope("identity.account.deleted", on(130), &deleted));
    }

    // Published out of order.
    for i in (1..events.len()).rev() {
        let j = dice.roll(i + 1);
        events.swap(i, j);
    }
    events
}

/// Every exact cell, split by each dimension, and the tracker as staff see it.
async fn everything(app: &TestApp) -> Vec<String> {
    let mut staff = app.client(Who::Staff).await;
    let mut all = Vec::new();
    for split in [
        Dimension::Unspecified,
        Dimension::Province,
        Dimension::Gender,
        Dimension::AgeBand,
        Dimension::ActorKind,
    ] {
        let cells = staff
            .get_indicators(GetIndicatorsRequest {
                split_by: split as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .cells;
        all.extend(cells.iter().map(|c| format!("{split:?} {c:?}")));
    }
    let commitments = staff
        .list_commitments(ListCommitmentsRequest {})
        .await
        .unwrap()
        .into_inner();
    all.push(format!("{commitments:?}"));
    all
}

async fn agree(app: &TestApp, when: &str) {
    let found = tachawor_reporting::disagreements(app.db()).await.unwrap();
    assert!(
        found.is_empty(),
        "{when}: the aggregates differ from the facts:\n{}",
        found.join("\n")
    );
}

matrix! {
    async fn the_aggregates_equal_the_facts_counted_again(app: TestApp) {
        let events = history();
        for (i, e) in events.iter().enumerate() {
            app.publish_envelope(e).await;
            // Every seventh event delivered twice (a copy the broker does not catch).
            if i % 7 == 0 {
                let subject_type = e.r#type.clone();
                app.publish_raw(&subject_type, e.encode_to_vec(), false).await;
            }
        }
        app.settle().await;
        agree(&app, "as delivered").await;
        let figures = everything(&app).await;
        assert!(figures.len() > 100, "a varied history: {}", figures.len());
        let mut staff = app.client(Who::Staff).await;
        let by_gender = app.exact(&mut staff, "participants", Dimension::Gender).await;
        assert!(cell(&by_gender, "2025-09", "unknown").is_some(), "people without a profile");

        // The same history in the reverse order, in one batch.
        for table in ["rp_facts", "rp_accounts", "rp_cells", "rp_cell_people", "rp_milestone_totals"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(app.db().pool())
                .await
                .unwrap();
        }
        let reversed: Vec<Envelope> = events.into_iter().rev().collect();
        let mut tx = app.db().begin().await.unwrap();
        tachawor_reporting::apply_all(&mut tx, &reversed).await.unwrap();
        tx.commit().await.unwrap();
        agree(&app, "in the reverse order").await;
        assert_eq!(everything(&app).await, figures, "the same figures in any order");

        // Made again from the facts, as the migration does on an upgraded database.
        sqlx::query("DELETE FROM rp_cells").execute(app.db().pool()).await.unwrap();
        crate::signatures::migrate(&app, crate::signatures::AGGREGATES_FROM_FACTS).await;
        agree(&app, "made from the facts").await;
        assert_eq!(everything(&app).await, figures);
    }
}
