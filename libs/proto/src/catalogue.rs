//! Every event type of the contract, paired with its payload message, in one place.
//!
//! Producers name an event by its constant ([`ACCOUNT_REGISTERED`], …): the payload they pass
//! must be the constant's message, checked at compile time. Consumers decode an envelope into
//! [`Event`] and match its variants. Renaming or removing an event therefore fails to compile
//! on both sides, instead of reporting silently ignoring what it no longer recognises. The type
//! strings are the contract's (`events/v1/*.proto` names each above its message): changing
//! one is a breaking change of the contract.

use std::marker::PhantomData;

use crate::events::*;

/// An event type: its name on the wire and, in the type, its payload message.
pub struct EventType<M> {
    name: &'static str,
    payload: PhantomData<fn() -> M>,
}

impl<M> EventType<M> {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            payload: PhantomData,
        }
    }

    /// The type string: `<producer>.<aggregate>.<what happened>`.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

// Not derived: a derive would ask `M` for the same traits, which the marker does not need.
impl<M> Clone for EventType<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for EventType<M> {}

impl<M> std::fmt::Debug for EventType<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Reads a payload as a given message: the events library implements it for its envelope
/// (checking the payload's type URL), the catalogue's tests for plain bytes.
pub trait PayloadDecoder {
    type Error;
    fn decode<M: prost::Name + Default>(&self) -> Result<M, Self::Error>;
}

macro_rules! catalogue {
    ($($variant:ident / $constant:ident = $name:literal => $message:ident;)*) => {
        $(
            #[doc = concat!("`", $name, "`, carrying [`", stringify!($message), "`].")]
            pub const $constant: EventType<$message> = EventType::new($name);
        )*

        /// Every type string of the catalogue.
        pub const ALL: &[&str] = &[$($name),*];

        /// A decoded event of a type the contract knows.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Event {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant($message),
            )*
        }

        impl Event {
            /// The event of `event_type` with the payload `decoder` reads as the type's
            /// message; `Ok(None)` for a type the catalogue does not know (a newer
            /// producer's), the decoder's error for a known type whose payload it cannot read.
            pub fn decode<D: PayloadDecoder>(event_type: &str, decoder: &D) -> Result<Option<Self>, D::Error> {
                Ok(Some(match event_type {
                    $($name => Event::$variant(decoder.decode::<$message>()?),)*
                    _ => return Ok(None),
                }))
            }

            /// This event's type string.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Event::$variant(_) => $name,)*
                }
            }
        }
    };
}

catalogue! {
    AccountRegistered / ACCOUNT_REGISTERED = "identity.account.registered" => AccountRegistered;
    AccountVerified / ACCOUNT_VERIFIED = "identity.account.verified" => AccountVerified;
    AccountResidenceCorrected / ACCOUNT_RESIDENCE_CORRECTED = "identity.account.residence_corrected" => AccountResidenceCorrected;
    AccountProfileUpdated / ACCOUNT_PROFILE_UPDATED = "identity.account.profile_updated" => AccountProfileUpdated;
    AccountRolesChanged / ACCOUNT_ROLES_CHANGED = "identity.account.roles_changed" => AccountRolesChanged;
    AccountDeleted / ACCOUNT_DELETED = "identity.account.deleted" => AccountDeleted;
    AccountPasswordChanged / ACCOUNT_PASSWORD_CHANGED = "identity.account.password_changed" => AccountPasswordChanged;
    ContactMessageRequested / CONTACT_MESSAGE_REQUESTED = "identity.contact.message_requested" => ContactMessageRequested;
    AssociationCreated / ASSOCIATION_CREATED = "identity.association.created" => AssociationCreated;
    AssociationVerified / ASSOCIATION_VERIFIED = "identity.association.verified" => AssociationVerified;
    AssociationSuspended / ASSOCIATION_SUSPENDED = "identity.association.suspended" => AssociationSuspended;
    InstanceCreated / INSTANCE_CREATED = "identity.instance.created" => InstanceCreated;
    InstanceMemberAdded / INSTANCE_MEMBER_ADDED = "identity.instance.member_added" => InstanceMemberAdded;
    InstanceMembershipEnded / INSTANCE_MEMBERSHIP_ENDED = "identity.instance.membership_ended" => InstanceMembershipEnded;
    InstanceUpdated / INSTANCE_UPDATED = "identity.instance.updated" => InstanceUpdated;

    ConsultationOpened / CONSULTATION_OPENED = "consultation.consultation.opened" => ConsultationOpened;
    ConsultationProposed / CONSULTATION_PROPOSED = "consultation.consultation.proposed" => ConsultationProposed;
    ConsultationApproved / CONSULTATION_APPROVED = "consultation.consultation.approved" => ConsultationLaunchDecided;
    ConsultationRejected / CONSULTATION_REJECTED = "consultation.consultation.rejected" => ConsultationLaunchDecided;
    ConsultationClosed / CONSULTATION_CLOSED = "consultation.consultation.closed" => ConsultationClosed;
    ConsultationAnswered / CONSULTATION_ANSWERED = "consultation.consultation.answered" => ConsultationAnswered;
    ResponseSubmitted / RESPONSE_SUBMITTED = "consultation.response.submitted" => ConsultationResponseSubmitted;
    ProposalSubmitted / PROPOSAL_SUBMITTED = "consultation.proposal.submitted" => ConsultationProposalSubmitted;
    ProposalSupported / PROPOSAL_SUPPORTED = "consultation.proposal.supported" => ConsultationProposalSupported;
    ProposalAnswered / PROPOSAL_ANSWERED = "consultation.proposal.answered" => ConsultationProposalAnswered;
    CommentPosted / COMMENT_POSTED = "consultation.comment.posted" => ConsultationCommentPosted;
    CommentHidden / COMMENT_HIDDEN = "consultation.comment.hidden" => ConsultationCommentHidden;
    ArticlePublished / ARTICLE_PUBLISHED = "consultation.article.published" => ConsultationArticlePublished;
    ConsultationAttachmentAdded / CONSULTATION_ATTACHMENT_ADDED = "consultation.attachment.added" => ConsultationAttachmentAdded;
    ConsultationAttachmentRemoved / CONSULTATION_ATTACHMENT_REMOVED = "consultation.attachment.removed" => ConsultationAttachmentRemoved;
    OpinionAdopted / OPINION_ADOPTED = "consultation.opinion.adopted" => InstanceOpinionAdopted;
    OpinionVoteCast / OPINION_VOTE_CAST = "consultation.opinion.vote_cast" => InstanceOpinionVoteCast;
    RecommendationAnswered / RECOMMENDATION_ANSWERED = "consultation.recommendation.answered" => InstanceRecommendationAnswered;
    RecommendationFollowUpChanged / RECOMMENDATION_FOLLOW_UP_CHANGED = "consultation.recommendation.follow_up_changed" => InstanceRecommendationFollowUpChanged;
    ForumEditionCreated / FORUM_EDITION_CREATED = "consultation.forum_edition.created" => ForumEditionCreated;
    ForumContributionAdded / FORUM_CONTRIBUTION_ADDED = "consultation.forum_contribution.added" => ForumContributionAdded;
    ForumContributionHidden / FORUM_CONTRIBUTION_HIDDEN = "consultation.forum_contribution.hidden" => ForumContributionModerated;
    ForumContributionRestored / FORUM_CONTRIBUTION_RESTORED = "consultation.forum_contribution.restored" => ForumContributionModerated;
    ForumRecommendationAdded / FORUM_RECOMMENDATION_ADDED = "consultation.forum_recommendation.added" => ForumRecommendationAdded;
    ForumRecommendationAnswered / FORUM_RECOMMENDATION_ANSWERED = "consultation.forum_recommendation.answered" => ForumRecommendationAnswered;
    ForumRecommendationFollowUpChanged / FORUM_RECOMMENDATION_FOLLOW_UP_CHANGED = "consultation.forum_recommendation.follow_up_changed" => ForumRecommendationFollowUpChanged;
    PetitionCreated / PETITION_CREATED = "consultation.petition.created" => PetitionCreated;
    PetitionSigned / PETITION_SIGNED = "consultation.petition.signed" => PetitionSigned;
    PetitionSignatureWithdrawn / PETITION_SIGNATURE_WITHDRAWN = "consultation.petition.signature_withdrawn" => PetitionSignatureWithdrawn;
    PetitionDeposited / PETITION_DEPOSITED = "consultation.petition.deposited" => PetitionDeposited;
    PetitionAdmitted / PETITION_ADMITTED = "consultation.petition.admitted" => PetitionAdmitted;
    PetitionRejected / PETITION_REJECTED = "consultation.petition.rejected" => PetitionRejected;
    PetitionAnsweredLate / PETITION_ANSWERED_LATE = "consultation.petition.answered_late" => PetitionAnsweredLate;

    ProgramCreated / PROGRAM_CREATED = "training.program.created" => TrainingProgramCreated;
    SessionScheduled / SESSION_SCHEDULED = "training.session.scheduled" => TrainingSessionScheduled;
    SessionChanged / SESSION_CHANGED = "training.session.changed" => TrainingSessionChanged;
    SessionCancelled / SESSION_CANCELLED = "training.session.cancelled" => TrainingSessionCancelled;
    SessionHeld / SESSION_HELD = "training.session.held" => TrainingSessionHeld;
    RegistrationConfirmed / REGISTRATION_CONFIRMED = "training.registration.confirmed" => TrainingRegistrationChanged;
    RegistrationWaitlisted / REGISTRATION_WAITLISTED = "training.registration.waitlisted" => TrainingRegistrationChanged;
    RegistrationPromoted / REGISTRATION_PROMOTED = "training.registration.promoted" => TrainingRegistrationChanged;
    RegistrationCancelled / REGISTRATION_CANCELLED = "training.registration.cancelled" => TrainingRegistrationChanged;
    AttendanceRecorded / ATTENDANCE_RECORDED = "training.attendance.recorded" => TrainingAttendanceRecorded;
    EvaluationSubmitted / EVALUATION_SUBMITTED = "training.evaluation.submitted" => TrainingEvaluationSubmitted;
    CertificateIssued / CERTIFICATE_ISSUED = "training.certificate.issued" => TrainingCertificateIssued;
    TrainingAttachmentAdded / TRAINING_ATTACHMENT_ADDED = "training.attachment.added" => TrainingAttachmentAdded;
    TrainingAttachmentRemoved / TRAINING_ATTACHMENT_REMOVED = "training.attachment.removed" => TrainingAttachmentRemoved;
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn every_type_is_named_once_and_after_its_producer() {
        let mut seen = std::collections::HashSet::new();
        for name in ALL {
            assert!(seen.insert(*name), "{name} is in the catalogue twice");
            let producer = name.split('.').next().unwrap_or_default();
            assert!(
                ["identity", "consultation", "training"].contains(&producer),
                "{name} does not start with its producer"
            );
            assert_eq!(
                name.split('.').count(),
                3,
                "{name} is not producer.aggregate.what"
            );
        }
        assert_eq!(ALL.len(), 62);
    }

    #[test]
    fn the_contract_names_every_type_above_its_message() {
        let protos = [
            include_str!("../../../proto/tachawor/events/v1/identity.proto"),
            include_str!("../../../proto/tachawor/events/v1/consultation.proto"),
            include_str!("../../../proto/tachawor/events/v1/training.proto"),
        ]
        .concat();
        for name in ALL {
            // The registration types share one comment: "training.registration.confirmed, .waitlisted, …".
            let (stem, last) = name.rsplit_once('.').unwrap_or_default();
            assert!(
                protos.contains(&format!("// {name}"))
                    || protos.contains(&format!("// {stem}."))
                        && protos.contains(&format!(".{last}")),
                "{name} is not documented in events/v1"
            );
        }
    }

    struct Bytes(Vec<u8>);

    impl PayloadDecoder for Bytes {
        type Error = prost::DecodeError;
        fn decode<M: prost::Name + Default>(&self) -> Result<M, Self::Error> {
            M::decode(self.0.as_slice())
        }
    }

    #[test]
    fn an_event_decodes_into_its_variant_and_an_unknown_type_into_none() {
        let payload = TrainingRegistrationChanged {
            registration_id: "r1".into(),
            ..Default::default()
        };
        let bytes = Bytes(payload.encode_to_vec());
        let event = Event::decode(REGISTRATION_PROMOTED.name(), &bytes).unwrap();
        assert_eq!(event, Some(Event::RegistrationPromoted(payload.clone())));
        assert_eq!(event.unwrap().name(), "training.registration.promoted");
        assert_eq!(
            Event::decode("training.registration.renamed", &bytes).unwrap(),
            None
        );
        let garbage = Bytes(vec![0xff, 0xff]);
        assert!(Event::decode(ACCOUNT_REGISTERED.name(), &garbage).is_err());
    }
}
