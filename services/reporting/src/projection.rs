//! What each event adds to the read models. Events of types this version does not know are
//! acknowledged and ignored (a producer may add events first); a known type whose payload
//! cannot be read is poison: dead-lettered, never retried.

use std::collections::BTreeSet;

use sqlx::AnyConnection;
use tachawor_events::{Envelope, HandlerError, decode_event, handled_event, occurred_at_millis};
use tachawor_proto::{
    catalogue::{self, Event},
    events::{TrainingEvaluationSubmitted, TrainingParticipant},
};

use crate::{
    domain::{actor_kind, age_band, gender, month_of_millis, non_empty},
    store::{self, AccountFlag, Fact, Profile, cells::Deltas},
};

/// Records one event inside the consumer's transaction; what it does to the aggregates is
/// added to `deltas`, which the consumer writes once for all the transaction's events.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    deltas: &mut Deltas,
) -> Result<(), HandlerError> {
    record(conn, envelope, deltas).await
}

/// The accounts that applying `events` touches (their rows are locked first, in this order):
/// those identity's events are about and those of the facts the others record. An event that
/// cannot be read touches nothing (it is poison when applied).
pub(crate) fn accounts_of(events: &[&Envelope]) -> BTreeSet<String> {
    let mut accounts = BTreeSet::new();
    for envelope in events {
        let Some(at) = envelope
            .occurred_at
            .as_ref()
            .map(tachawor_proto::dates::millis)
        else {
            continue;
        };
        let Ok(Some(event)) = decode_event(envelope) else {
            continue;
        };
        if let Some(account) = account_of(&event) {
            accounts.insert(account.to_string());
            continue;
        }
        let recorded = facts(event, at).unwrap_or_default();
        accounts.extend(recorded.into_iter().filter_map(|f| f.account_id));
    }
    accounts
}

/// The account an identity event about an account is about ([`account`] applies it).
fn account_of(event: &Event) -> Option<&str> {
    match event {
        Event::AccountRegistered(p) => Some(&p.account_id),
        Event::AccountProfileUpdated(p) => Some(&p.account_id),
        Event::AccountRolesChanged(p) => Some(&p.account_id),
        Event::AccountVerified(p) => Some(&p.account_id),
        Event::AccountResidenceCorrected(p) => Some(&p.account_id),
        Event::AccountDeleted(p) => Some(&p.account_id),
        _ => None,
    }
}

/// Applies events as the consumers do, in the caller's transaction, adding up what they do
/// to the aggregates and writing it once at the end (the same figures as one by one): for
/// loading many events at once, as the volume benchmark does. Processed-event rows are the
/// caller's.
pub async fn apply_all(
    conn: &mut AnyConnection,
    envelopes: &[Envelope],
) -> Result<(), HandlerError> {
    let mut deltas = Deltas::default();
    for envelope in envelopes {
        record(conn, envelope, &mut deltas).await?;
    }
    deltas.write(conn).await?;
    Ok(())
}

/// Records one event's facts and account changes; what they do to the aggregates goes into
/// `deltas`.
async fn record(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    deltas: &mut Deltas,
) -> Result<(), HandlerError> {
    let at = occurred_at_millis(envelope)?;
    let event = handled_event(envelope)?;
    let Some(event) = event else {
        return Ok(());
    };
    let at = held_at(&event).unwrap_or(at);
    if account_of(&event).is_some() {
        return account(conn, &event, at, deltas).await;
    }
    learning(conn, &event, at).await?;
    for fact in &facts(event, at)? {
        store::upsert_fact(conn, fact, at, deltas).await?;
    }
    Ok(())
}

/// When a record imported after the fact happened (training's past sessions and their
/// attendance): noon UTC of its day, inside that day at the region's venues, so it counts in
/// the month it was held rather than the month it was imported.
fn held_at(event: &Event) -> Option<i64> {
    let day = match event {
        Event::SessionScheduled(p) if p.recorded_after_the_fact => p.days.first(),
        Event::SessionHeld(p) if p.recorded_after_the_fact => p.days.first(),
        Event::AttendanceRecorded(p) if p.method == "import" => p.day.as_ref(),
        _ => None,
    }?;
    let day = tachawor_proto::dates::date_str(day)?;
    Some(tachawor_proto::dates::millis_of_date(&day)? + 12 * 3_600_000)
}

/// Applies one of identity's events about an account (those [`account_of`] names: the same
/// list decides which accounts a batch locks first).
async fn account(
    conn: &mut AnyConnection,
    event: &Event,
    at: i64,
    deltas: &mut Deltas,
) -> Result<(), HandlerError> {
    match event {
        Event::AccountRegistered(p) => {
            let k = actor_kind(p.actor_kind);
            store::set_actor_kind(conn, &p.account_id, k.as_deref(), at, deltas).await?;
        }
        Event::AccountProfileUpdated(p) => {
            let (province, g, band) = (
                non_empty(&p.province_code),
                gender(p.gender),
                age_band(p.age_band),
            );
            let profile = Profile {
                province_code: province.as_deref(),
                gender: g.as_deref(),
                age_band: band.as_deref(),
            };
            store::set_profile(conn, &p.account_id, profile, at, deltas).await?;
            let k = actor_kind(p.actor_kind);
            store::set_actor_kind(conn, &p.account_id, k.as_deref(), at, deltas).await?;
        }
        Event::AccountRolesChanged(p) => {
            let k = actor_kind(p.actor_kind);
            store::set_actor_kind(conn, &p.account_id, k.as_deref(), at, deltas).await?;
        }
        Event::AccountVerified(p) => {
            store::set_flag(conn, &p.account_id, AccountFlag::Verified).await?;
        }
        Event::AccountResidenceCorrected(p) => {
            let to = non_empty(&p.province_code);
            let from = &p.previous_province_code;
            store::correct_province(conn, &p.account_id, from, to.as_deref(), deltas).await?;
        }
        // The pseudonymous id stays: what the person did stays counted.
        Event::AccountDeleted(p) => {
            store::set_flag(conn, &p.account_id, AccountFlag::Deleted).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Training's programs and evaluations, for the learning gain per program and milestone.
async fn learning(conn: &mut AnyConnection, event: &Event, at: i64) -> Result<(), HandlerError> {
    match event {
        Event::ProgramCreated(p) => {
            store::gains::set_program(conn, &p.program_id, &p.milestone_ref).await?;
        }
        // Only evaluations with both scores have a gain (training takes one evaluation per
        // participant and session, never edited).
        Event::EvaluationSubmitted(p) if gain(p).is_some() => {
            let evaluation = store::gains::Evaluation {
                evaluation_id: &p.evaluation_id,
                program_id: &p.program_id,
                gain: gain(p),
            };
            store::gains::record(conn, &evaluation, at).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Post-test minus pre-test score, when the evaluation has both.
fn gain(p: &TrainingEvaluationSubmitted) -> Option<f64> {
    Some(f64::from(p.post_test_score?) - f64::from(p.pre_test_score?))
}

/// A fact about what a person did, with the attributes the event carries.
fn by_person(
    indicator: &'static str,
    subject_key: String,
    account_id: &str,
    province: &str,
    actor: i32,
) -> Fact {
    Fact {
        indicator,
        subject_key,
        account_id: non_empty(account_id),
        province_code: non_empty(province),
        actor_kind: actor_kind(actor),
        value: 1.0,
        ..Fact::default()
    }
}

/// A participant of a training activity.
fn participant(indicator: &'static str, key: String, p: Option<&TrainingParticipant>) -> Fact {
    let p = p.cloned().unwrap_or_default();
    by_person(
        indicator,
        key,
        &p.account_id,
        &p.province_code,
        p.actor_kind,
    )
}

/// Someone taking part counts among the distinct participants of the month.
fn taking_part(mut fact: Fact, source: &str) -> Fact {
    fact.subject_key = format!("{source}:{}", fact.subject_key);
    fact.indicator = "participants";
    fact
}

/// The facts an event adds; none for the events reporting does not count.
fn facts(event: Event, at: i64) -> Result<Vec<Fact>, HandlerError> {
    let facts = match event {
        Event::SessionScheduled(p) => {
            vec![Fact {
                indicator: "sessions_scheduled",
                subject_key: p.session_id,
                province_code: non_empty(&p.province_code),
                milestone_ref: non_empty(&p.milestone_ref),
                kind: non_empty(&p.kind),
                value: 1.0,
                ..Fact::default()
            }]
        }
        Event::SessionCancelled(p) => {
            vec![Fact {
                indicator: "sessions_scheduled",
                subject_key: p.session_id,
                value: 0.0,
                ..Fact::default()
            }]
        }
        Event::SessionHeld(p) => {
            let session = Fact {
                indicator: "sessions_held",
                subject_key: p.session_id.clone(),
                province_code: non_empty(&p.province_code),
                milestone_ref: non_empty(&p.milestone_ref),
                kind: non_empty(&p.kind),
                value: 1.0,
                ..Fact::default()
            };
            // A session recorded after the fact had no registrations: everyone who came counts
            // as expected (its count may be larger than the accounts confirmed among them).
            let expected = if p.recorded_after_the_fact {
                p.confirmed_count.max(p.attended_count)
            } else {
                p.confirmed_count
            };
            let attendance = Fact {
                indicator: "attendance_rate",
                value: f64::from(p.attended_count.max(0)),
                denominator: f64::from(expected.max(0)),
                ..session.clone()
            };
            vec![session, attendance]
        }
        Event::RegistrationConfirmed(p)
        | Event::RegistrationWaitlisted(p)
        | Event::RegistrationPromoted(p)
        | Event::RegistrationCancelled(p) => {
            vec![participant(
                "registrations",
                p.registration_id,
                p.participant.as_ref(),
            )]
        }
        Event::AttendanceRecorded(p) => {
            vec![taking_part(
                participant("participants", p.registration_id, p.participant.as_ref()),
                "attendance",
            )]
        }
        Event::EvaluationSubmitted(p) => {
            if !(1..=5).contains(&p.satisfaction) {
                return Err(HandlerError::Poison(format!(
                    "{}: satisfaction out of range",
                    catalogue::EVALUATION_SUBMITTED.name()
                )));
            }
            let gain = gain(&p);
            let mut fact = participant("satisfaction", p.evaluation_id, p.participant.as_ref());
            fact.value = f64::from(p.satisfaction);
            // The mean gain is Σ gains over Σ evaluations having both scores (a gain may be
            // zero or negative, so people are counted by the denominator, not by value).
            let learning = gain.map(|g| Fact {
                indicator: "learning_gain",
                value: g,
                denominator: 1.0,
                ..fact.clone()
            });
            std::iter::once(fact).chain(learning).collect()
        }
        Event::CertificateIssued(p) => {
            let mut fact = participant("certificates", p.certificate_id, p.participant.as_ref());
            fact.milestone_ref = non_empty(&p.milestone_ref);
            vec![fact]
        }
        Event::ConsultationOpened(p) => {
            vec![act("consultations", p.consultation_id, 1.0)]
        }
        // The instances' own initiative: consultations they propose and the council approves.
        Event::ConsultationProposed(p) => {
            vec![act(
                "instance_consultations_proposed",
                p.consultation_id,
                1.0,
            )]
        }
        Event::ConsultationApproved(p) => {
            vec![act(
                "instance_consultations_launched",
                p.consultation_id,
                1.0,
            )]
        }
        Event::ResponseSubmitted(p) => {
            let f = by_person(
                "responses",
                // One per person and consultation, whatever ids edits carry.
                format!("{}:{}", p.consultation_id, p.account_id),
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "response")]
        }
        Event::ProposalSubmitted(p) => {
            let f = by_person(
                "proposals",
                p.proposal_id,
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "proposal")]
        }
        Event::ProposalSupported(p) => {
            let f = by_person(
                "supports",
                format!("{}:{}", p.proposal_id, p.account_id),
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "support")]
        }
        Event::CommentPosted(p) => {
            let f = by_person(
                "comments",
                p.comment_id,
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "comment")]
        }
        Event::PetitionCreated(p) => {
            vec![Fact {
                indicator: "petitions_created",
                subject_key: p.petition_id,
                province_code: non_empty(&p.agent_province_code),
                actor_kind: actor_kind(p.agent_actor_kind),
                value: 1.0,
                ..Fact::default()
            }]
        }
        Event::PetitionSigned(p) => {
            let month = month_of_millis(at);
            signatures(&p.account_id, &p.province_code, p.actor_kind, month, 1.0)
        }
        // Taken back from the month the signature was given.
        Event::PetitionSignatureWithdrawn(p) => {
            let given = p.signed_at.as_ref().map(tachawor_proto::dates::millis);
            let month = month_of_millis(given.unwrap_or(at));
            signatures(&p.account_id, &p.province_code, 0, month, -1.0)
        }
        Event::PetitionDeposited(p) => {
            vec![act("petitions_deposited", p.petition_id, 1.0)]
        }
        Event::PetitionAdmitted(p) => {
            let mut facts = vec![act("petitions_admitted", p.petition_id.clone(), 1.0)];
            if p.late {
                facts.push(act("petitions_answered_late", p.petition_id, 1.0));
            }
            facts
        }
        Event::PetitionRejected(p) => {
            let mut facts = vec![act("petitions_rejected", p.petition_id.clone(), 1.0)];
            if p.late {
                facts.push(act("petitions_answered_late", p.petition_id, 1.0));
            }
            facts
        }
        Event::PetitionAnsweredLate(p) => {
            vec![act("petitions_answered_late", p.petition_id, 1.0)]
        }
        // One per member and opinion: a vote changed is the same fact again.
        Event::OpinionVoteCast(p) => {
            if p.account_id.is_empty() || p.opinion_id.is_empty() {
                return Err(HandlerError::Poison(format!(
                    "{}: without an opinion or a member",
                    catalogue::OPINION_VOTE_CAST.name()
                )));
            }
            let key = format!("{}:{}", p.opinion_id, p.account_id);
            let (province, actor) = (&p.province_code, p.actor_kind);
            let vote = by_person("opinion_votes", key, &p.account_id, province, actor);
            let mut voter = vote.clone();
            voter.indicator = "opinion_voters";
            vec![vote.clone(), voter, taking_part(vote, "opinion_vote")]
        }
        Event::OpinionAdopted(p) => {
            vec![act(
                "recommendations_issued",
                p.opinion_id,
                f64::from(p.recommendations.max(0)),
            )]
        }
        Event::RecommendationAnswered(p) => {
            let accepted = if p.answer == "accepted" { 1.0 } else { 0.0 };
            vec![act(
                "recommendations_accepted",
                p.recommendation_id,
                accepted,
            )]
        }
        Event::RecommendationFollowUpChanged(p) => {
            let done = if p.follow_up == "implemented" {
                1.0
            } else {
                0.0
            };
            vec![act(
                "recommendations_implemented",
                p.recommendation_id,
                done,
            )]
        }
        Event::ForumEditionCreated(p) => vec![act("forum_editions", p.edition_id, 1.0)],
        Event::ForumContributionAdded(p) => {
            let f = by_person(
                "forum_contributions",
                p.contribution_id,
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            let mut contributor = f.clone();
            contributor.indicator = "forum_contributors";
            contributor.subject_key = format!("{}:{}", p.edition_id, p.account_id);
            vec![
                f.clone(),
                contributor,
                taking_part(f, "forum_contribution"),
                forum_held(p.edition_id),
            ]
        }
        Event::ForumRecommendationAdded(p) => vec![
            act("forum_recommendations", p.forum_recommendation_id, 1.0),
            forum_held(p.edition_id),
        ],
        Event::ForumRecommendationAnswered(p) => {
            let decided = if p.answer == "under_study" { 0.0 } else { 1.0 };
            let accepted = if p.answer == "accepted" { 1.0 } else { 0.0 };
            vec![
                act(
                    "forum_recommendations_answered",
                    p.forum_recommendation_id.clone(),
                    decided,
                ),
                act(
                    "forum_recommendations_accepted",
                    p.forum_recommendation_id,
                    accepted,
                ),
            ]
        }
        Event::ForumRecommendationFollowUpChanged(p) => {
            let done = if p.follow_up == "implemented" {
                1.0
            } else {
                0.0
            };
            vec![act(
                "forum_recommendations_implemented",
                p.forum_recommendation_id,
                done,
            )]
        }
        _ => Vec::new(),
    };
    Ok(facts)
}

/// An edition of the Forum took place: its first contribution or recommendation (an edition
/// may be set up long before, or never held).
fn forum_held(edition_id: String) -> Fact {
    act("forum_editions_held", edition_id, 1.0)
}

/// An institutional act: counted, no person behind it.
fn act(indicator: &'static str, subject_key: String, value: f64) -> Fact {
    Fact {
        indicator,
        subject_key,
        value,
        ..Fact::default()
    }
}

/// Signatures are counted per person and month, never per petition: reporting keeps no list of
/// who signed what. `delta` is +1 for a signature given, -1 for one withdrawn.
fn signatures(
    account_id: &str,
    province: &str,
    actor: i32,
    month: String,
    delta: f64,
) -> Vec<Fact> {
    let mut f = by_person(
        "signatures",
        format!("month:{month}:{account_id}"),
        account_id,
        province,
        actor,
    );
    f.value = delta;
    f.count_in = Some(month.clone());
    let mut taking_part = f.clone();
    taking_part.indicator = "participants";
    taking_part.subject_key = format!("signatures:{month}:{account_id}");
    vec![f, taking_part]
}
