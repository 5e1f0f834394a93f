//! Who is told what: each event either teaches the service who is concerned by something
//! (a signature, a registration, a response) or is news for the people concerned, who get a
//! message. Events of types this version does not know, and events that concern nobody here,
//! are acknowledged and ignored; a known type whose payload cannot be read is poison.

use sqlx::AnyConnection;
use tachawor_events::{Envelope, HandlerError, handled_event, occurred_at_millis};
use tachawor_proto::{
    catalogue::Event,
    events::{ContactMessageRequested, TrainingRegistrationChanged},
};

use crate::{
    kinds::{Channel, Kind},
    store::{
        audience, broadcasts,
        deliveries::{self, NewDelivery},
        inbox::{self, Message},
        news::{self, Audience},
    },
};

/// Applies one event inside the consumer's transaction; how many messages it put in inboxes.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    now: i64,
) -> Result<u64, HandlerError> {
    let occurred_at = occurred_at_millis(envelope)?;
    let event = handled_event(envelope)?;
    let Some(event) = event else {
        return Ok(0);
    };
    if let Event::ContactMessageRequested(request) = &event {
        requested(conn, envelope, request, occurred_at, now).await?;
        return Ok(0);
    }
    match learn(conn, envelope, event, occurred_at, now).await? {
        Learnt::Nothing => Ok(0),
        Learnt::News(news) => tell_news(conn, envelope, news, occurred_at, now).await,
        Learnt::Joined {
            audience,
            account_id,
            at,
        } => catch_up(conn, &audience, &account_id, at, now).await,
    }
}

/// Tells `news` to its people: those named, or its audience as known now (kept, for those
/// learnt of later).
async fn tell_news(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    news: News,
    occurred_at: i64,
    now: i64,
) -> Result<u64, HandlerError> {
    let message = Message {
        event_id: &envelope.event_id,
        kind: news.kind,
        subject_type: news.subject_type,
        subject_id: &news.subject_id,
        detail: news.detail,
        occurred_at,
    };
    let mut recipients = match news.to {
        To::People(people) => people,
        To::Audience(audience) => {
            news::lock(conn, &audience).await?;
            news::keep(conn, &audience, &message).await?;
            audience::people(conn, &audience).await?
        }
    };
    // Accounts are locked in key order, so consumers of different streams locking some of
    // the same accounts cannot deadlock.
    recipients.sort();
    recipients.dedup();
    let mut delivered = 0;
    for account_id in recipients.iter().filter(|a| !a.is_empty()) {
        if tell(conn, account_id, &message, now).await? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// Tells someone who joined `audience` at `at` the news it had after that, which this service
/// learnt of first: their own event came late (a redelivery after a restart, another
/// replica, another producer's stream).
async fn catch_up(
    conn: &mut AnyConnection,
    audience: &Audience,
    account_id: &str,
    at: i64,
    now: i64,
) -> Result<u64, HandlerError> {
    if account_id.is_empty() {
        return Ok(0);
    }
    news::lock(conn, audience).await?;
    let mut delivered = 0;
    for kept in news::since(conn, audience, at).await? {
        if tell(conn, account_id, &kept.message(), now).await? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// Tells one person `message`: in the inbox and by email and SMS, as their preferences for
/// its kind say (unless their account was deleted, or they were already told); whether it
/// went into the inbox.
pub(crate) async fn tell(
    conn: &mut AnyConnection,
    account_id: &str,
    message: &Message<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if audience::lock_account(conn, account_id, false).await? {
        return Ok(false);
    }
    let delivered = inbox::deliver(conn, account_id, message, now).await?;
    for channel in Channel::SENT {
        // Security notices go by email whatever the preferences, and never by SMS.
        let preference = match (message.kind.is_chosen(), channel) {
            (true, _) => Some(message.kind),
            (false, Channel::Email) => None,
            (false, _) => continue,
        };
        let delivery = NewDelivery {
            event_id: message.event_id,
            account_id,
            channel,
            kind: message.kind.as_sql(),
            subject_type: message.subject_type,
            subject_id: message.subject_id,
            detail: &message.detail,
            request_id: "",
            expires_at: 0,
            occurred_at: message.occurred_at,
            preference,
        };
        deliveries::record(conn, &delivery, now).await?;
    }
    Ok(delivered)
}

/// identity asks for a message carrying a secret (a verification or a reset): one delivery,
/// no inbox message; the address and the secret are fetched from identity when it is sent.
async fn requested(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    request: &ContactMessageRequested,
    occurred_at: i64,
    now: i64,
) -> Result<(), HandlerError> {
    let channel = match request.channel.as_str() {
        "email" => Channel::Email,
        "sms" => Channel::Sms,
        other => {
            return Err(HandlerError::Poison(format!(
                "contact message on an unknown channel {other:?}"
            )));
        }
    };
    if !crate::delivery::Purpose::is_known(&request.purpose) {
        return Err(HandlerError::Poison(format!(
            "contact message for an unknown purpose {:?}",
            request.purpose
        )));
    }
    if request.account_id.is_empty() || request.request_id.is_empty() {
        return Err(HandlerError::Poison(
            "contact message without account or request".into(),
        ));
    }
    if audience::lock_account(conn, &request.account_id, false).await? {
        return Ok(());
    }
    let delivery = NewDelivery {
        event_id: &envelope.event_id,
        account_id: &request.account_id,
        channel,
        kind: &request.purpose,
        subject_type: "account",
        subject_id: &request.account_id,
        detail: "",
        request_id: &request.request_id,
        expires_at: request
            .expires_at
            .as_ref()
            .map(tachawor_proto::dates::millis)
            .unwrap_or(0),
        occurred_at,
        preference: None,
    };
    deliveries::record(conn, &delivery, now).await?;
    Ok(())
}

/// What an event teaches: nothing here, news for some people, or that someone joined an
/// audience at `at`.
enum Learnt {
    Nothing,
    News(News),
    Joined {
        audience: Audience,
        account_id: String,
        at: i64,
    },
}

impl Learnt {
    fn joined(audience: Audience, account_id: &str, at: i64) -> Self {
        Learnt::Joined {
            audience,
            account_id: account_id.into(),
            at,
        }
    }
}

/// What an event tells, and to whom.
struct News {
    kind: Kind,
    subject_type: &'static str,
    subject_id: String,
    detail: String,
    to: To,
}

/// Whom news is for.
enum To {
    /// The people it names.
    People(Vec<String>),
    /// Everyone in an audience when it is told, and those learnt of later who were in it.
    Audience(Audience),
}

impl News {
    fn new(kind: Kind, subject_type: &'static str, subject_id: &str, detail: &str) -> Self {
        Self {
            kind,
            subject_type,
            subject_id: subject_id.into(),
            detail: detail.into(),
            to: To::People(Vec::new()),
        }
    }

    fn to(mut self, people: Vec<String>) -> Learnt {
        self.to = To::People(people);
        Learnt::News(self)
    }

    fn among(mut self, audience: Audience) -> Learnt {
        self.to = To::Audience(audience);
        Learnt::News(self)
    }
}

/// Records what `event` teaches about who is concerned, and returns the news it is, if any.
async fn learn(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    event: Event,
    occurred_at: i64,
    now: i64,
) -> Result<Learnt, HandlerError> {
    let at = occurred_at;
    Ok(match event {
        Event::AccountDeleted(p) => {
            audience::forget(conn, &p.account_id).await?;
            Learnt::Nothing
        }
        Event::AccountPasswordChanged(p) => {
            News::new(Kind::PasswordChanged, "account", &p.account_id, &p.how)
                .to(vec![p.account_id])
        }
        // Taking part in a consultation makes a person follow it.
        Event::ResponseSubmitted(p) => follow(conn, &p.consultation_id, &p.account_id, at).await?,
        Event::ProposalSubmitted(p) => follow(conn, &p.consultation_id, &p.account_id, at).await?,
        Event::ProposalSupported(p) => follow(conn, &p.consultation_id, &p.account_id, at).await?,
        Event::CommentPosted(p) => follow(conn, &p.consultation_id, &p.account_id, at).await?,
        // Its followers, and whoever asked to hear of every new consultation: both may be
        // thousands, so the delivery worker tells them a batch at a time (followers first).
        Event::ConsultationOpened(p) => {
            let everyone = Message {
                event_id: &envelope.event_id,
                kind: Kind::NewConsultation,
                subject_type: "consultation",
                subject_id: &p.consultation_id,
                detail: p.audience.clone(),
                occurred_at,
            };
            broadcasts::record(conn, &everyone, broadcasts::Audience::Preference, now).await?;
            progress(conn, envelope, &p.consultation_id, "opened", at, now).await?
        }
        Event::ConsultationClosed(p) => {
            progress(conn, envelope, &p.consultation_id, "closed", at, now).await?
        }
        Event::ConsultationAnswered(p) => {
            progress(conn, envelope, &p.consultation_id, "answered", at, now).await?
        }
        // Producers older than the author field send none: nobody to tell.
        Event::ProposalAnswered(p) => News::new(
            Kind::ProposalAnswered,
            "proposal",
            &p.proposal_id,
            &p.answer,
        )
        .to(vec![p.author_account_id]),
        Event::InstanceMemberAdded(p) => {
            let ended = audience::set_membership(
                conn,
                &p.membership_id,
                &p.instance_id,
                &p.account_id,
                false,
            )
            .await?;
            if ended {
                Learnt::Nothing
            } else {
                Learnt::joined(Audience::Instance(p.instance_id), &p.account_id, at)
            }
        }
        Event::InstanceMembershipEnded(p) => {
            audience::set_membership(conn, &p.membership_id, &p.instance_id, &p.account_id, true)
                .await?;
            Learnt::Nothing
        }
        // The members of the instance whose opinion carried the recommendation, as they are
        // when the council acts on it.
        Event::RecommendationAnswered(p) => News::new(
            Kind::RecommendationAnswered,
            "recommendation",
            &p.recommendation_id,
            &p.answer,
        )
        .among(Audience::Instance(p.instance_id)),
        Event::RecommendationFollowUpChanged(p) => News::new(
            Kind::RecommendationFollowUp,
            "recommendation",
            &p.recommendation_id,
            &p.follow_up,
        )
        .among(Audience::Instance(p.instance_id)),
        Event::PetitionCreated(p) => {
            if p.agent_account_id.is_empty() {
                Learnt::Nothing
            } else {
                audience::set_agent(conn, &p.petition_id, &p.agent_account_id).await?;
                Learnt::joined(Audience::Petition(p.petition_id), &p.agent_account_id, at)
            }
        }
        Event::PetitionSigned(p) => {
            audience::sign(conn, &p.petition_id, &p.account_id).await?;
            Learnt::joined(Audience::Petition(p.petition_id), &p.account_id, at)
        }
        Event::PetitionSignatureWithdrawn(p) => {
            audience::withdraw(conn, &p.petition_id, &p.account_id).await?;
            Learnt::Nothing
        }
        Event::PetitionDeposited(p) => petition(p.petition_id, "deposited"),
        Event::PetitionAdmitted(p) => petition(p.petition_id, "admitted"),
        Event::PetitionRejected(p) => petition(p.petition_id, "rejected"),
        Event::PetitionAnsweredLate(p) => petition(p.petition_id, "answered_late"),
        Event::RegistrationConfirmed(p) => register(conn, &p, "confirmed", at).await?,
        Event::RegistrationWaitlisted(p) => register(conn, &p, "waitlisted", at).await?,
        Event::RegistrationCancelled(p) => register(conn, &p, "cancelled", at).await?,
        // Promoted from the waiting list: they were already among the session's people.
        Event::RegistrationPromoted(p) => {
            let who = match register(conn, &p, "confirmed", at).await? {
                Learnt::Joined { account_id, .. } => vec![account_id],
                _ => Vec::new(),
            };
            News::new(
                Kind::RegistrationPromoted,
                "registration",
                &p.registration_id,
                "",
            )
            .to(who)
        }
        Event::SessionChanged(p) => News::new(
            Kind::SessionChanged,
            "session",
            &p.session_id,
            &p.changed.join(","),
        )
        .among(Audience::Session(p.session_id)),
        Event::SessionCancelled(p) => {
            News::new(Kind::SessionCancelled, "session", &p.session_id, "")
                .among(Audience::Session(p.session_id))
        }
        Event::CertificateIssued(p) => {
            let who = p.participant.map(|t| t.account_id).unwrap_or_default();
            News::new(
                Kind::CertificateIssued,
                "certificate",
                &p.certificate_id,
                "",
            )
            .to(vec![who])
        }
        _ => Learnt::Nothing,
    })
}

async fn follow(
    conn: &mut AnyConnection,
    consultation_id: &str,
    account_id: &str,
    at: i64,
) -> Result<Learnt, HandlerError> {
    audience::follow(conn, consultation_id, account_id, at).await?;
    Ok(Learnt::joined(
        Audience::Consultation(consultation_id.into()),
        account_id,
        at,
    ))
}

/// A consultation's progress, for its followers: one broadcast row, told by the delivery
/// worker a batch at a time, and kept for followers learnt of after it is done.
async fn progress(
    conn: &mut AnyConnection,
    envelope: &Envelope,
    consultation_id: &str,
    stage: &str,
    occurred_at: i64,
    now: i64,
) -> Result<Learnt, HandlerError> {
    let message = Message {
        event_id: &envelope.event_id,
        kind: Kind::ConsultationProgress,
        subject_type: "consultation",
        subject_id: consultation_id,
        detail: stage.into(),
        occurred_at,
    };
    let followers = Audience::Consultation(consultation_id.into());
    news::lock(conn, &followers).await?;
    news::keep(conn, &followers, &message).await?;
    broadcasts::record(conn, &message, broadcasts::Audience::Followers, now).await?;
    Ok(Learnt::Nothing)
}

fn petition(petition_id: String, stage: &str) -> Learnt {
    News::new(Kind::PetitionProgress, "petition", &petition_id, stage)
        .among(Audience::Petition(petition_id))
}

/// Records a registration's status: the participant joined the session's people unless it is
/// a cancellation (or the event names nobody).
async fn register(
    conn: &mut AnyConnection,
    registration: &TrainingRegistrationChanged,
    status: &str,
    at: i64,
) -> Result<Learnt, HandlerError> {
    let Some(account_id) = registration
        .participant
        .as_ref()
        .map(|p| p.account_id.clone())
    else {
        return Ok(Learnt::Nothing);
    };
    audience::set_registration(
        conn,
        &registration.registration_id,
        &registration.session_id,
        &account_id,
        status,
    )
    .await?;
    Ok(if status == "cancelled" {
        Learnt::Nothing
    } else {
        Learnt::joined(
            Audience::Session(registration.session_id.clone()),
            &account_id,
            at,
        )
    })
}
