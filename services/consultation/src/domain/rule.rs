//! Every rule the consultation service can refuse a request by, in one enum: its id (the
//! `rule` a client reads in the FAILED_PRECONDITION status) and the message a person reads.

use super::{
    consultation::{self, Audience},
    opinion::{FollowUp, RecommendationAnswer},
    petition,
    proposal::Answer,
};

/// A refusal by a rule of the domain; it becomes `Error::rule(id, message)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    ArticleAlreadyPublished,
    ArticleNotPublished,
    CommentAlreadyHidden,
    CommentNotHidden,
    ConsultationAudience(Audience),
    ConsultationNotDraft,
    ConsultationNotOpen,
    ConsultationResultsNotPublished,
    ConsultationTooManyQuestions,
    ConsultationVerifiedOnly,
    ConsultationTransition {
        from: consultation::Status,
        to: consultation::Status,
    },
    /// The caller's presence at the session hosting the workshop was not recorded.
    ForumNotAttended,
    /// A workshop's session must be one training scheduled as a forum.
    ForumSessionNotForum,
    /// Training has not told of the session (not yet, or no such session).
    ForumSessionUnknown,
    /// The vote closed with the majority the instance's rule asks not reached.
    OpinionMajority(tachawor_region::Majority),
    OpinionNotAdopted,
    /// The vote closed with fewer members voting than the quorum asks.
    OpinionQuorum {
        voted: i64,
        needed: i64,
        members: i64,
    },
    OpinionTransition,
    /// A draft is edited only before its members vote.
    OpinionVoteStarted,
    PetitionAssociationActivity,
    PetitionAssociationAge {
        min_years: i32,
    },
    PetitionAssociationGoodStanding,
    PetitionAssociationInRegion,
    PetitionAssociationRepresentative,
    PetitionMinimumSignatures {
        needed: i64,
        collected: i64,
    },
    PetitionNotCollecting,
    PetitionProvinceShare {
        minimum: i64,
    },
    PetitionSignerResidence,
    PetitionSignerVerified,
    PetitionTransition {
        from: petition::Status,
        to: petition::Status,
    },
    PetitionWithdrawalClosed,
    ProposalAssociationRepresentative,
    ProposalTransition {
        from: Answer,
        to: Answer,
    },
    RecommendationFollowUpTransition {
        from: FollowUp,
        to: FollowUp,
    },
    RecommendationFollowUpUnchanged(FollowUp),
    RecommendationNotAccepted,
    RecommendationTransition {
        from: RecommendationAnswer,
    },
}

impl tachawor_errors::DomainRule for Rule {
    /// The rule's id, as clients match on it.
    fn id(&self) -> &'static str {
        match self {
            Rule::ArticleAlreadyPublished => "article.already_published",
            Rule::ArticleNotPublished => "article.not_published",
            Rule::CommentAlreadyHidden => "comment.already_hidden",
            Rule::CommentNotHidden => "comment.not_hidden",
            Rule::ConsultationAudience(_) => "consultation.audience",
            Rule::ConsultationNotDraft => "consultation.not_draft",
            Rule::ConsultationNotOpen => "consultation.not_open",
            Rule::ConsultationResultsNotPublished => "consultation.results_not_published",
            Rule::ConsultationTooManyQuestions => "consultation.too_many_questions",
            Rule::ConsultationVerifiedOnly => "consultation.verified_only",
            Rule::ConsultationTransition { .. } => "consultation.transition",
            Rule::ForumNotAttended => "forum.not_attended",
            Rule::ForumSessionNotForum => "forum.session_not_forum",
            Rule::ForumSessionUnknown => "forum.session_unknown",
            Rule::OpinionMajority(_) => "opinion.majority",
            Rule::OpinionNotAdopted => "opinion.not_adopted",
            Rule::OpinionQuorum { .. } => "opinion.quorum",
            Rule::OpinionTransition => "opinion.transition",
            Rule::OpinionVoteStarted => "opinion.vote_started",
            Rule::PetitionAssociationActivity => "petition.association_activity",
            Rule::PetitionAssociationAge { .. } => "petition.association_age",
            Rule::PetitionAssociationGoodStanding => "petition.association_good_standing",
            Rule::PetitionAssociationInRegion => "petition.association_in_region",
            Rule::PetitionAssociationRepresentative => "petition.association_representative",
            Rule::PetitionMinimumSignatures { .. } => "petition.minimum_signatures",
            Rule::PetitionNotCollecting => "petition.not_collecting",
            Rule::PetitionProvinceShare { .. } => "petition.province_share",
            Rule::PetitionSignerResidence => "petition.signer_residence",
            Rule::PetitionSignerVerified => "petition.signer_verified",
            Rule::PetitionTransition { .. } => "petition.transition",
            Rule::PetitionWithdrawalClosed => "petition.withdrawal_closed",
            Rule::ProposalAssociationRepresentative => "proposal.association_representative",
            Rule::ProposalTransition { .. } => "proposal.transition",
            Rule::RecommendationFollowUpTransition { .. } => "recommendation.follow_up_transition",
            Rule::RecommendationFollowUpUnchanged(_) => "recommendation.follow_up_unchanged",
            Rule::RecommendationNotAccepted => "recommendation.not_accepted",
            Rule::RecommendationTransition { .. } => "recommendation.transition",
        }
    }

    /// What a person reads.
    fn message(&self) -> String {
        match self {
            Rule::ArticleAlreadyPublished => "the article is already published".into(),
            Rule::ArticleNotPublished => "the article is not published".into(),
            Rule::CommentAlreadyHidden => "a moderator has already hidden this comment".into(),
            Rule::CommentNotHidden => "the comment is not hidden".into(),
            Rule::ConsultationAudience(audience) => format!(
                "this consultation is for {}",
                audience.as_sql().replace('_', " ")
            ),
            Rule::ConsultationNotDraft => {
                "a consultation is edited and given questions only while it is a draft".into()
            }
            Rule::ConsultationNotOpen => "the consultation is not open for participation".into(),
            Rule::ConsultationResultsNotPublished => {
                "results are published once the consultation is answered".into()
            }
            Rule::ConsultationTooManyQuestions => format!(
                "a consultation has at most {} questions",
                consultation::QUESTIONS_MAX
            ),
            Rule::ConsultationVerifiedOnly => {
                "only people whose identity staff have verified take part in this consultation"
                    .into()
            }
            Rule::ConsultationTransition { from, to } => {
                format!("a consultation that is {from} cannot become {to}")
            }
            Rule::ForumNotAttended => {
                "contributions to this workshop come from the people checked in at its session"
                    .into()
            }
            Rule::ForumSessionNotForum => "the session is not one of the Forum's".into(),
            Rule::ForumSessionUnknown => {
                "training has not told of this session (yet): try again once it is scheduled".into()
            }
            Rule::OpinionNotAdopted => {
                "the council answers recommendations of adopted opinions only".into()
            }
            Rule::OpinionTransition => "the opinion is already adopted".into(),
            Rule::OpinionQuorum {
                voted,
                needed,
                members,
            } => format!(
                "the quorum is not met: {voted} of the instance's {members} members voted, \
                 {needed} must"
            ),
            Rule::OpinionMajority(majority) => match majority {
                tachawor_region::Majority::Simple => {
                    "the majority is not met: more members must vote for than against".into()
                }
                tachawor_region::Majority::TwoThirds => {
                    "the majority is not met: two thirds of the votes cast must be for".into()
                }
                tachawor_region::Majority::Absolute => {
                    "the majority is not met: more than half of the instance's members must \
                     vote for"
                        .into()
                }
            },
            Rule::OpinionVoteStarted => {
                "a draft is edited only before its members vote on it".into()
            }
            Rule::PetitionAssociationActivity => {
                "the association's fields of activity must include the petition's subject".into()
            }
            Rule::PetitionAssociationAge { min_years } => format!(
                "the association must have been constituted more than {min_years} years ago"
            ),
            Rule::PetitionAssociationGoodStanding => {
                "the association must be verified and not suspended".into()
            }
            Rule::PetitionAssociationInRegion => {
                "the association must have its seat or a branch in the region".into()
            }
            Rule::PetitionAssociationRepresentative => {
                "only a representative of the association may petition in its name".into()
            }
            Rule::PetitionMinimumSignatures { needed, collected } => {
                format!("{needed} signatures are needed, {collected} collected")
            }
            Rule::PetitionNotCollecting => {
                "signatures are collected only while the petition is collecting".into()
            }
            Rule::PetitionProvinceShare { minimum } => {
                format!("each province must supply at least {minimum} signatures")
            }
            Rule::PetitionSignerResidence => {
                "signers must live in the region or carry on an activity there".into()
            }
            Rule::PetitionSignerVerified => "only a verified person may sign a petition".into(),
            Rule::PetitionTransition { from, to } => {
                format!("a petition that is {from} cannot {}", to.becoming())
            }
            Rule::PetitionWithdrawalClosed => {
                "a signature can be withdrawn only until the petition is deposited".into()
            }
            Rule::ProposalAssociationRepresentative => {
                "only a representative may propose in an association's name".into()
            }
            Rule::ProposalTransition { from, to } => {
                format!("a proposal answered {from} cannot be answered {to}")
            }
            Rule::RecommendationFollowUpTransition { from, to } => {
                format!("the follow-up cannot go back from {from} to {to}")
            }
            Rule::RecommendationFollowUpUnchanged(follow_up) => {
                format!("the follow-up is already {follow_up}")
            }
            Rule::RecommendationNotAccepted => {
                "only an accepted recommendation is followed up".into()
            }
            Rule::RecommendationTransition { from } => {
                format!("a recommendation answered {from} cannot be answered again so")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tachawor_errors::DomainRule;

    use super::*;
    use tachawor_errors::Error;

    #[test]
    fn a_rule_becomes_a_failed_precondition_with_its_id_and_message() {
        let error: Error = Rule::PetitionTransition {
            from: petition::Status::Deposited,
            to: petition::Status::Closed,
        }
        .into();
        match error {
            Error::FailedPrecondition { rule, message } => {
                assert_eq!(rule, "petition.transition");
                assert_eq!(message, "a petition that is deposited cannot be closed");
            }
            other => panic!("not a rule error: {other:?}"),
        }
    }

    #[test]
    fn every_rule_has_its_own_id_scoped_by_aggregate() {
        use consultation::Status as C;
        use petition::Status as P;
        let all = [
            Rule::CommentAlreadyHidden,
            Rule::CommentNotHidden,
            Rule::ConsultationAudience(Audience::Public),
            Rule::ConsultationNotDraft,
            Rule::ConsultationNotOpen,
            Rule::ConsultationResultsNotPublished,
            Rule::ConsultationTooManyQuestions,
            Rule::ConsultationTransition {
                from: C::Draft,
                to: C::Closed,
            },
            Rule::OpinionMajority(tachawor_region::Majority::Simple),
            Rule::OpinionNotAdopted,
            Rule::OpinionQuorum {
                voted: 1,
                needed: 2,
                members: 3,
            },
            Rule::OpinionTransition,
            Rule::OpinionVoteStarted,
            Rule::PetitionAssociationActivity,
            Rule::PetitionAssociationAge { min_years: 3 },
            Rule::PetitionAssociationGoodStanding,
            Rule::PetitionAssociationInRegion,
            Rule::PetitionAssociationRepresentative,
            Rule::PetitionMinimumSignatures {
                needed: 1,
                collected: 0,
            },
            Rule::PetitionNotCollecting,
            Rule::PetitionProvinceShare { minimum: 1 },
            Rule::PetitionSignerResidence,
            Rule::PetitionSignerVerified,
            Rule::PetitionTransition {
                from: P::Draft,
                to: P::Closed,
            },
            Rule::PetitionWithdrawalClosed,
            Rule::ProposalAssociationRepresentative,
            Rule::ProposalTransition {
                from: Answer::Accepted,
                to: Answer::Rejected,
            },
            Rule::RecommendationFollowUpTransition {
                from: FollowUp::Implemented,
                to: FollowUp::InProgress,
            },
            Rule::RecommendationFollowUpUnchanged(FollowUp::InProgress),
            Rule::RecommendationNotAccepted,
            Rule::RecommendationTransition {
                from: RecommendationAnswer::Accepted,
            },
        ];
        let ids: std::collections::HashSet<&str> = all.iter().map(Rule::id).collect();
        assert_eq!(ids.len(), all.len());
        for rule in &all {
            let (scope, name) = rule.id().split_once('.').expect("scoped id");
            assert!(
                [
                    "comment",
                    "consultation",
                    "opinion",
                    "petition",
                    "proposal",
                    "recommendation"
                ]
                .contains(&scope)
            );
            assert!(!name.is_empty() && !rule.message().is_empty());
        }
    }

    #[test]
    fn messages_keep_their_wording() {
        assert_eq!(
            Rule::ConsultationAudience(Audience::InstanceMembers).message(),
            "this consultation is for instance members"
        );
        assert_eq!(
            Rule::ConsultationTooManyQuestions.message(),
            "a consultation has at most 100 questions"
        );
        assert_eq!(
            Rule::PetitionMinimumSignatures {
                needed: 500,
                collected: 3
            }
            .message(),
            "500 signatures are needed, 3 collected"
        );
        assert_eq!(
            Rule::RecommendationFollowUpTransition {
                from: FollowUp::Implemented,
                to: FollowUp::NotStarted
            }
            .message(),
            "the follow-up cannot go back from implemented to not_started"
        );
    }
}
