//! A proposal's answer by the council (evaluating first, or a decision at once; a decision is
//! final) and who proposes in an association's name.

use super::{Rule, spelling::sql_enum};

sql_enum! {
    /// The council's answer to a proposal.
    pub enum Answer("proposal answer") {
        Evaluating => "evaluating",
        Accepted => "accepted",
        PartiallyAccepted => "partially_accepted",
        Rejected => "rejected",
    }
}

impl Answer {
    /// From the contract's value; `None` for its zero value or an unknown one.
    pub fn from_proto(value: i32) -> Option<Answer> {
        tachawor_proto::consultation::ProposalAnswer::try_from(value)
            .ok()
            .and_then(super::spelling::proposal_answer_str)
            .and_then(|s| Answer::from_sql(s).ok())
    }
}

/// An unanswered proposal takes any answer; one under evaluation takes a decision; a decision
/// is final.
pub fn answer(current: Option<Answer>, next: Answer) -> Result<Answer, Rule> {
    match current {
        None => Ok(next),
        Some(Answer::Evaluating) if next != Answer::Evaluating => Ok(next),
        Some(from) => Err(Rule::ProposalTransition { from, to: next }),
    }
}

/// Proposing in an association's name takes being its (verified) representative.
pub fn check_association(association_id: Option<&str>, represents: bool) -> Result<(), Rule> {
    if association_id.is_some() && !represents {
        Err(Rule::ProposalAssociationRepresentative)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use tachawor_errors::DomainRule;

    use super::*;

    #[test]
    fn evaluating_leads_to_a_decision_and_a_decision_is_final() {
        assert_eq!(answer(None, Answer::Evaluating), Ok(Answer::Evaluating));
        assert_eq!(answer(None, Answer::Rejected), Ok(Answer::Rejected));
        assert_eq!(
            answer(Some(Answer::Evaluating), Answer::Accepted),
            Ok(Answer::Accepted)
        );
        assert_eq!(
            answer(Some(Answer::Evaluating), Answer::Evaluating),
            Err(Rule::ProposalTransition {
                from: Answer::Evaluating,
                to: Answer::Evaluating
            })
        );
        let refused = answer(Some(Answer::PartiallyAccepted), Answer::Rejected);
        assert_eq!(
            refused.unwrap_err().message(),
            "a proposal answered partially_accepted cannot be answered rejected"
        );
    }

    #[test]
    fn only_a_representative_proposes_for_an_association() {
        assert_eq!(check_association(None, false), Ok(()));
        assert_eq!(check_association(Some("a"), true), Ok(()));
        assert_eq!(
            check_association(Some("a"), false),
            Err(Rule::ProposalAssociationRepresentative)
        );
    }

    #[test]
    fn answers_convert_from_the_contract() {
        use tachawor_proto::consultation::ProposalAnswer;
        assert_eq!(
            Answer::from_proto(ProposalAnswer::PartiallyAccepted as i32),
            Some(Answer::PartiallyAccepted)
        );
        assert_eq!(Answer::from_proto(ProposalAnswer::Unspecified as i32), None);
        assert_eq!(Answer::from_proto(42), None);
    }
}
