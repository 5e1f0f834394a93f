//! What each event adds to the read models. Events of types this version does not know are
//! acknowledged and ignored (a producer may add events first); a known type whose payload
//! cannot be read is poison: dead-lettered, never retried.

use prost::Name;
use sqlx::AnyConnection;
use tachawor_events::{Envelope, HandlerError, decode_payload};
use tachawor_proto::events::*;

use crate::{
    domain::{actor_kind, age_band, gender, month_of_millis, non_empty},
    store::{self, AccountFlag, Fact},
};

/// Applies one event inside the consumer's transaction.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    envelope: &Envelope,
) -> Result<(), HandlerError> {
    let at = envelope
        .occurred_at
        .as_ref()
        .map(tachawor_proto::dates::millis)
        .ok_or_else(|| HandlerError::Poison("envelope without occurred_at".into()))?;
    let facts = match envelope.r#type.as_str() {
        t if t.starts_with("identity.") => return identity(conn, envelope, at).await,
        t if t.starts_with("training.") => training(envelope)?,
        t if t.starts_with("consultation.") => consultation(envelope, at)?,
        _ => Vec::new(),
    };
    for fact in &facts {
        store::upsert_fact(conn, fact, at).await?;
    }
    Ok(())
}

fn payload<M: Name + Default>(envelope: &Envelope) -> Result<M, HandlerError> {
    decode_payload::<M>(envelope)
        .map_err(|e| HandlerError::Poison(format!("{}: {e}", envelope.r#type)))
}

async fn identity(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    at: i64,
) -> Result<(), HandlerError> {
    match envelope.r#type.as_str() {
        "identity.account.registered" => {
            let p: AccountRegistered = payload(envelope)?;
            store::set_actor_kind(conn, &p.account_id, actor_kind(p.actor_kind).as_deref(), at)
                .await?;
        }
        "identity.account.profile_updated" => {
            let p: AccountProfileUpdated = payload(envelope)?;
            store::set_profile(
                conn,
                &p.account_id,
                non_empty(&p.province_code).as_deref(),
                gender(p.gender).as_deref(),
                age_band(p.age_band).as_deref(),
                at,
            )
            .await?;
            store::set_actor_kind(conn, &p.account_id, actor_kind(p.actor_kind).as_deref(), at)
                .await?;
        }
        "identity.account.roles_changed" => {
            let p: AccountRolesChanged = payload(envelope)?;
            store::set_actor_kind(conn, &p.account_id, actor_kind(p.actor_kind).as_deref(), at)
                .await?;
        }
        "identity.account.verified" => {
            let p: AccountVerified = payload(envelope)?;
            store::set_flag(conn, &p.account_id, AccountFlag::Verified).await?;
        }
        // The pseudonymous id stays: what the person did stays counted.
        "identity.account.deleted" => {
            let p: AccountDeleted = payload(envelope)?;
            store::set_flag(conn, &p.account_id, AccountFlag::Deleted).await?;
        }
        _ => {}
    }
    Ok(())
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

fn training(envelope: &Envelope) -> Result<Vec<Fact>, HandlerError> {
    let facts = match envelope.r#type.as_str() {
        "training.session.scheduled" => {
            let p: TrainingSessionScheduled = payload(envelope)?;
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
        "training.session.cancelled" => {
            let p: TrainingSessionCancelled = payload(envelope)?;
            vec![Fact {
                indicator: "sessions_scheduled",
                subject_key: p.session_id,
                value: 0.0,
                ..Fact::default()
            }]
        }
        "training.session.held" => {
            let p: TrainingSessionHeld = payload(envelope)?;
            let session = Fact {
                indicator: "sessions_held",
                subject_key: p.session_id.clone(),
                province_code: non_empty(&p.province_code),
                milestone_ref: non_empty(&p.milestone_ref),
                kind: non_empty(&p.kind),
                value: 1.0,
                ..Fact::default()
            };
            let attendance = Fact {
                indicator: "attendance_rate",
                value: f64::from(p.attended_count.max(0)),
                denominator: f64::from(p.confirmed_count.max(0)),
                ..session.clone()
            };
            vec![session, attendance]
        }
        "training.registration.confirmed"
        | "training.registration.waitlisted"
        | "training.registration.promoted"
        | "training.registration.cancelled" => {
            let p: TrainingRegistrationChanged = payload(envelope)?;
            vec![participant(
                "registrations",
                p.registration_id,
                p.participant.as_ref(),
            )]
        }
        "training.attendance.recorded" => {
            let p: TrainingAttendanceRecorded = payload(envelope)?;
            vec![taking_part(
                participant("participants", p.registration_id, p.participant.as_ref()),
                "attendance",
            )]
        }
        "training.evaluation.submitted" => {
            let p: TrainingEvaluationSubmitted = payload(envelope)?;
            if !(1..=5).contains(&p.satisfaction) {
                return Err(HandlerError::Poison(format!(
                    "{}: satisfaction out of range",
                    envelope.r#type
                )));
            }
            let mut fact = participant("satisfaction", p.evaluation_id, p.participant.as_ref());
            fact.value = f64::from(p.satisfaction);
            vec![fact]
        }
        "training.certificate.issued" => {
            let p: TrainingCertificateIssued = payload(envelope)?;
            let mut fact = participant("certificates", p.certificate_id, p.participant.as_ref());
            fact.milestone_ref = non_empty(&p.milestone_ref);
            vec![fact]
        }
        _ => Vec::new(),
    };
    Ok(facts)
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

fn consultation(envelope: &Envelope, at: i64) -> Result<Vec<Fact>, HandlerError> {
    let facts = match envelope.r#type.as_str() {
        "consultation.consultation.opened" => {
            let p: ConsultationOpened = payload(envelope)?;
            vec![act("consultations", p.consultation_id, 1.0)]
        }
        "consultation.response.submitted" => {
            let p: ConsultationResponseSubmitted = payload(envelope)?;
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
        "consultation.proposal.submitted" => {
            let p: ConsultationProposalSubmitted = payload(envelope)?;
            let f = by_person(
                "proposals",
                p.proposal_id,
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "proposal")]
        }
        "consultation.proposal.supported" => {
            let p: ConsultationProposalSupported = payload(envelope)?;
            let f = by_person(
                "supports",
                format!("{}:{}", p.proposal_id, p.account_id),
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "support")]
        }
        "consultation.comment.posted" => {
            let p: ConsultationCommentPosted = payload(envelope)?;
            let f = by_person(
                "comments",
                p.comment_id,
                &p.account_id,
                &p.province_code,
                p.actor_kind,
            );
            vec![f.clone(), taking_part(f, "comment")]
        }
        "consultation.petition.created" => {
            let p: PetitionCreated = payload(envelope)?;
            vec![Fact {
                indicator: "petitions_created",
                subject_key: p.petition_id,
                province_code: non_empty(&p.agent_province_code),
                actor_kind: actor_kind(p.agent_actor_kind),
                value: 1.0,
                ..Fact::default()
            }]
        }
        "consultation.petition.signed" => {
            let p: PetitionSigned = payload(envelope)?;
            let month = month_of_millis(at);
            signatures(&p.account_id, &p.province_code, p.actor_kind, month, 1.0)
        }
        // Taken back from the month the signature was given.
        "consultation.petition.signature_withdrawn" => {
            let p: PetitionSignatureWithdrawn = payload(envelope)?;
            let given = p.signed_at.as_ref().map(tachawor_proto::dates::millis);
            let month = month_of_millis(given.unwrap_or(at));
            signatures(&p.account_id, &p.province_code, 0, month, -1.0)
        }
        "consultation.petition.deposited" => {
            let p: PetitionDeposited = payload(envelope)?;
            vec![act("petitions_deposited", p.petition_id, 1.0)]
        }
        "consultation.petition.admitted" => {
            let p: PetitionAdmitted = payload(envelope)?;
            let mut facts = vec![act("petitions_admitted", p.petition_id.clone(), 1.0)];
            if p.late {
                facts.push(act("petitions_answered_late", p.petition_id, 1.0));
            }
            facts
        }
        "consultation.petition.rejected" => {
            let p: PetitionRejected = payload(envelope)?;
            let mut facts = vec![act("petitions_rejected", p.petition_id.clone(), 1.0)];
            if p.late {
                facts.push(act("petitions_answered_late", p.petition_id, 1.0));
            }
            facts
        }
        "consultation.petition.answered_late" => {
            let p: PetitionAnsweredLate = payload(envelope)?;
            vec![act("petitions_answered_late", p.petition_id, 1.0)]
        }
        "consultation.opinion.adopted" => {
            let p: InstanceOpinionAdopted = payload(envelope)?;
            vec![act(
                "recommendations_issued",
                p.opinion_id,
                f64::from(p.recommendations.max(0)),
            )]
        }
        "consultation.recommendation.answered" => {
            let p: InstanceRecommendationAnswered = payload(envelope)?;
            let accepted = if p.answer == "accepted" { 1.0 } else { 0.0 };
            vec![act(
                "recommendations_accepted",
                p.recommendation_id,
                accepted,
            )]
        }
        "consultation.recommendation.follow_up_changed" => {
            let p: InstanceRecommendationFollowUpChanged = payload(envelope)?;
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
        _ => Vec::new(),
    };
    Ok(facts)
}
