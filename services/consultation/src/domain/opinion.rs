//! An instance's opinion (draft → adopted), the council's answer to each of its
//! recommendations (under study first, or a decision at once; a decision is final) and the
//! follow-up of an accepted one, which only moves forward.

use super::{Rule, spelling::sql_enum};

sql_enum! {
    /// Where an opinion stands.
    pub enum Status("opinion status") {
        Draft => "draft",
        Adopted => "adopted",
    }
}

sql_enum! {
    /// The council's answer to a recommendation.
    pub enum RecommendationAnswer("recommendation answer") {
        Accepted => "accepted",
        Rejected => "rejected",
        UnderStudy => "under_study",
    }
}

sql_enum! {
    /// How far an accepted recommendation is carried out, in order.
    pub enum FollowUp("follow-up") {
        NotStarted => "not_started",
        InProgress => "in_progress",
        Implemented => "implemented",
    }
}

impl Status {
    pub fn can_become(self, next: Status) -> bool {
        matches!((self, next), (Status::Draft, Status::Adopted))
    }

    /// Members adopt a draft once.
    pub fn adopt(self) -> Result<Status, Rule> {
        if self.can_become(Status::Adopted) {
            Ok(Status::Adopted)
        } else {
            Err(Rule::OpinionTransition)
        }
    }

    /// A draft is edited and voted on until its vote closes.
    pub fn check_editable(self) -> Result<(), Rule> {
        if self == Status::Draft {
            Ok(())
        } else {
            Err(Rule::OpinionTransition)
        }
    }

    /// The council answers recommendations of adopted opinions only.
    pub fn check_answerable(self) -> Result<(), Rule> {
        if self == Status::Adopted {
            Ok(())
        } else {
            Err(Rule::OpinionNotAdopted)
        }
    }

    /// Adopted opinions are public; drafts are read by those who read the instance's drafts.
    pub fn visible_to(self, reads_drafts: bool) -> bool {
        self == Status::Adopted || reads_drafts
    }
}

impl RecommendationAnswer {
    /// From the contract's value; `None` for its zero value or an unknown one.
    pub fn from_proto(value: i32) -> Option<RecommendationAnswer> {
        tachawor_proto::consultation::RecommendationAnswer::try_from(value)
            .ok()
            .and_then(super::spelling::recommendation_answer_str)
            .and_then(|s| RecommendationAnswer::from_sql(s).ok())
    }
}

impl FollowUp {
    /// From the contract's value; `None` for its zero value or an unknown one.
    pub fn from_proto(value: i32) -> Option<FollowUp> {
        tachawor_proto::consultation::FollowUp::try_from(value)
            .ok()
            .and_then(super::spelling::follow_up_str)
            .and_then(|s| FollowUp::from_sql(s).ok())
    }
}

/// under_study may be followed by a decision; a decision is final.
pub fn answer(
    current: Option<RecommendationAnswer>,
    next: RecommendationAnswer,
) -> Result<RecommendationAnswer, Rule> {
    match current {
        None => Ok(next),
        Some(RecommendationAnswer::UnderStudy) if next != RecommendationAnswer::UnderStudy => {
            Ok(next)
        }
        Some(from) => Err(Rule::RecommendationTransition { from }),
    }
}

/// Only an accepted recommendation is followed up, and its follow-up changes forward only.
pub fn follow_up(
    answer: Option<RecommendationAnswer>,
    current: FollowUp,
    next: FollowUp,
) -> Result<FollowUp, Rule> {
    if answer != Some(RecommendationAnswer::Accepted) {
        return Err(Rule::RecommendationNotAccepted);
    }
    if current == next {
        return Err(Rule::RecommendationFollowUpUnchanged(next));
    }
    if current > next {
        return Err(Rule::RecommendationFollowUpTransition {
            from: current,
            to: next,
        });
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use tachawor_errors::DomainRule;

    use super::*;
    use RecommendationAnswer::*;

    #[test]
    fn values_come_from_the_contract() {
        use tachawor_proto::consultation as proto;
        assert_eq!(
            RecommendationAnswer::from_proto(proto::RecommendationAnswer::UnderStudy as i32),
            Some(UnderStudy)
        );
        assert_eq!(RecommendationAnswer::from_proto(0), None);
        assert_eq!(
            FollowUp::from_proto(proto::FollowUp::Implemented as i32),
            Some(FollowUp::Implemented)
        );
        assert_eq!(FollowUp::from_proto(99), None);
    }

    #[test]
    fn a_draft_is_adopted_once() {
        assert_eq!(Status::Draft.adopt(), Ok(Status::Adopted));
        assert_eq!(Status::Adopted.adopt(), Err(Rule::OpinionTransition));
        assert_eq!(Status::Adopted.check_answerable(), Ok(()));
        assert_eq!(
            Status::Draft.check_answerable(),
            Err(Rule::OpinionNotAdopted)
        );
        assert!(Status::Adopted.visible_to(false));
        assert!(!Status::Draft.visible_to(false));
        assert!(Status::Draft.visible_to(true));
    }

    #[test]
    fn under_study_leads_to_a_decision_and_a_decision_is_final() {
        assert_eq!(answer(None, UnderStudy), Ok(UnderStudy));
        assert_eq!(answer(Some(UnderStudy), Accepted), Ok(Accepted));
        assert_eq!(
            answer(Some(UnderStudy), UnderStudy),
            Err(Rule::RecommendationTransition { from: UnderStudy })
        );
        assert_eq!(
            answer(Some(Accepted), Rejected),
            Err(Rule::RecommendationTransition { from: Accepted })
        );
        assert_eq!(
            Rule::RecommendationTransition { from: Rejected }.message(),
            "a recommendation answered rejected cannot be answered again so"
        );
    }

    #[test]
    fn follow_up_of_an_accepted_recommendation_moves_forward() {
        assert_eq!(
            follow_up(Some(Accepted), FollowUp::NotStarted, FollowUp::InProgress),
            Ok(FollowUp::InProgress)
        );
        assert_eq!(
            follow_up(Some(Accepted), FollowUp::NotStarted, FollowUp::Implemented),
            Ok(FollowUp::Implemented)
        );
        assert_eq!(
            follow_up(Some(UnderStudy), FollowUp::NotStarted, FollowUp::InProgress),
            Err(Rule::RecommendationNotAccepted)
        );
        assert_eq!(
            follow_up(None, FollowUp::NotStarted, FollowUp::InProgress),
            Err(Rule::RecommendationNotAccepted)
        );
        assert_eq!(
            follow_up(Some(Accepted), FollowUp::InProgress, FollowUp::InProgress),
            Err(Rule::RecommendationFollowUpUnchanged(FollowUp::InProgress))
        );
        assert_eq!(
            follow_up(Some(Accepted), FollowUp::Implemented, FollowUp::NotStarted),
            Err(Rule::RecommendationFollowUpTransition {
                from: FollowUp::Implemented,
                to: FollowUp::NotStarted
            })
        );
    }
}
