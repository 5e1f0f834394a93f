//! Adoption by vote: the members of an instance vote on a draft, and closing the vote counts it
//! against the instance's rule (quorum, then majority).

use tachawor_region::{Majority, VoteRule};

use super::{Rule, spelling::sql_enum};

sql_enum! {
    /// A member's vote.
    pub enum Choice("vote choice") {
        For => "for",
        Against => "against",
        Abstain => "abstain",
    }
}

impl Choice {
    /// From the contract's value; `None` for its zero value or an unknown one.
    pub fn from_proto(value: i32) -> Option<Choice> {
        use tachawor_proto::consultation::VoteChoice;
        match VoteChoice::try_from(value).ok()? {
            VoteChoice::For => Some(Choice::For),
            VoteChoice::Against => Some(Choice::Against),
            VoteChoice::Abstain => Some(Choice::Abstain),
            VoteChoice::Unspecified => None,
        }
    }

    pub fn to_proto(self) -> tachawor_proto::consultation::VoteChoice {
        use tachawor_proto::consultation::VoteChoice;
        match self {
            Choice::For => VoteChoice::For,
            Choice::Against => VoteChoice::Against,
            Choice::Abstain => VoteChoice::Abstain,
        }
    }
}

/// The votes on an opinion and the instance's members they are counted against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub votes_for: i64,
    pub against: i64,
    pub abstain: i64,
    pub members: i64,
}

impl Tally {
    /// Members who voted, abstentions included: what the quorum counts.
    pub fn voters(&self) -> i64 {
        self.votes_for + self.against + self.abstain
    }

    /// The tally with the instance's members as projected from identity's events. Each vote
    /// was cast by a member at the time, so a projection still catching up never counts fewer
    /// members than voters.
    pub fn with_members(self, projected: i64) -> Tally {
        Tally {
            members: projected.max(self.voters()),
            ..self
        }
    }
}

/// Members who must vote for the quorum: `quorum_percent` of the members, rounded up, at
/// least one.
pub fn quorum_needed(members: i64, quorum_percent: u8) -> i64 {
    ((members * i64::from(quorum_percent) + 99) / 100).max(1)
}

/// Whether the votes for carry the majority.
pub fn majority_met(t: &Tally, majority: Majority) -> bool {
    match majority {
        Majority::Simple => t.votes_for > t.against,
        Majority::TwoThirds => t.votes_for > 0 && 3 * t.votes_for >= 2 * (t.votes_for + t.against),
        Majority::Absolute => 2 * t.votes_for > t.members,
    }
}

/// Counts a closed vote: the quorum first, then the majority.
pub fn count(t: &Tally, rule: VoteRule) -> Result<(), Rule> {
    let needed = quorum_needed(t.members, rule.quorum_percent);
    if t.voters() < needed {
        return Err(Rule::OpinionQuorum {
            voted: t.voters(),
            needed,
            members: t.members,
        });
    }
    if !majority_met(t, rule.majority) {
        return Err(Rule::OpinionMajority(rule.majority));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(votes_for: i64, against: i64, abstain: i64, members: i64) -> Tally {
        Tally {
            votes_for,
            against,
            abstain,
            members,
        }
    }

    fn rule(quorum_percent: u8, majority: Majority) -> VoteRule {
        VoteRule {
            quorum_percent,
            majority,
        }
    }

    #[test]
    fn the_quorum_rounds_up_and_needs_one_voter_at_least() {
        assert_eq!(quorum_needed(10, 50), 5);
        assert_eq!(quorum_needed(9, 50), 5);
        assert_eq!(quorum_needed(3, 100), 3);
        assert_eq!(quorum_needed(7, 1), 1);
        assert_eq!(quorum_needed(0, 50), 1);
        assert_eq!(quorum_needed(1, 50), 1);
    }

    #[test]
    fn abstentions_count_for_the_quorum_not_the_majority() {
        let simple = rule(50, Majority::Simple);
        // 5 of 10 voted, 2 for, 1 against: quorum and simple majority met.
        assert_eq!(count(&tally(2, 1, 2, 10), simple), Ok(()));
        // 4 of 10: no quorum, whatever the votes.
        assert_eq!(
            count(&tally(4, 0, 0, 10), simple),
            Err(Rule::OpinionQuorum {
                voted: 4,
                needed: 5,
                members: 10
            })
        );
        // A tie is no majority.
        assert_eq!(
            count(&tally(2, 2, 1, 10), simple),
            Err(Rule::OpinionMajority(Majority::Simple))
        );
        // Nobody voted: no quorum even with no members known.
        assert!(matches!(
            count(&tally(0, 0, 0, 0), simple),
            Err(Rule::OpinionQuorum { needed: 1, .. })
        ));
    }

    #[test]
    fn two_thirds_of_the_votes_cast() {
        let two_thirds = rule(10, Majority::TwoThirds);
        assert_eq!(count(&tally(2, 1, 0, 10), two_thirds), Ok(()));
        assert_eq!(count(&tally(4, 2, 3, 10), two_thirds), Ok(()));
        assert_eq!(
            count(&tally(3, 2, 0, 10), two_thirds),
            Err(Rule::OpinionMajority(Majority::TwoThirds))
        );
        // Only abstentions: nothing for.
        assert_eq!(
            count(&tally(0, 0, 3, 10), two_thirds),
            Err(Rule::OpinionMajority(Majority::TwoThirds))
        );
    }

    #[test]
    fn an_absolute_majority_is_of_the_members() {
        let absolute = rule(50, Majority::Absolute);
        assert_eq!(count(&tally(6, 0, 0, 10), absolute), Ok(()));
        // 5 for of 10 members is half, not more.
        assert_eq!(
            count(&tally(5, 0, 1, 10), absolute),
            Err(Rule::OpinionMajority(Majority::Absolute))
        );
        assert_eq!(count(&tally(3, 0, 0, 5), absolute), Ok(()));
    }

    #[test]
    fn the_projection_never_counts_fewer_members_than_voters() {
        assert_eq!(tally(2, 1, 0, 0).with_members(1).members, 3);
        assert_eq!(tally(2, 1, 0, 0).with_members(8).members, 8);
        // One member who voted for, projection not caught up: adopted.
        let t = tally(1, 0, 0, 0).with_members(0);
        assert_eq!(count(&t, rule(50, Majority::Simple)), Ok(()));
    }

    #[test]
    fn choices_convert_with_the_contract() {
        for c in [Choice::For, Choice::Against, Choice::Abstain] {
            assert_eq!(Choice::from_proto(c.to_proto() as i32), Some(c));
            assert_eq!(Choice::from_sql(c.as_sql()).ok(), Some(c));
        }
        assert_eq!(Choice::from_proto(0), None);
        assert_eq!(Choice::from_proto(9), None);
    }
}
