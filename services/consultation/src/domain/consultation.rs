//! A consultation's life (draft → open → closed → answered, an instance's launch first
//! proposed → draft or rejected), who reads it and who takes part, and the limits on its survey.

use super::{Rule, spelling::sql_enum};

/// Questions a consultation's survey holds at most.
pub const QUESTIONS_MAX: usize = 100;

sql_enum! {
    /// Where a consultation stands.
    pub enum Status("consultation status") {
        Draft => "draft",
        Open => "open",
        Closed => "closed",
        Answered => "answered",
        Proposed => "proposed",
        Rejected => "rejected",
    }
}

sql_enum! {
    /// Whom a consultation is meant for.
    pub enum Audience("audience") {
        Public => "public",
        Associations => "associations",
        InstanceMembers => "instance_members",
    }
}

impl Status {
    /// Staff open a draft, close an open one, answer a closed one; an instance's proposal
    /// becomes a draft when approved, or is rejected for good.
    pub fn can_become(self, next: Status) -> bool {
        matches!(
            (self, next),
            (Status::Draft, Status::Open)
                | (Status::Open, Status::Closed)
                | (Status::Closed, Status::Answered)
                | (Status::Proposed, Status::Draft)
                | (Status::Proposed, Status::Rejected)
        )
    }

    /// Past draft: the public may read it (if meant for them). Drafts, proposals and
    /// rejections are staff's (and the launching instance's).
    pub fn is_published(self) -> bool {
        matches!(self, Status::Open | Status::Closed | Status::Answered)
    }

    pub fn transition(self, to: Status) -> Result<Status, Rule> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Rule::ConsultationTransition { from: self, to })
        }
    }

    /// The synthesis is shown once the consultation is answered.
    pub fn shows_synthesis(self) -> bool {
        self == Status::Answered
    }
}

/// Open and inside its window: responses, proposals, supports and comments are taken.
pub fn is_open_at(status: Status, opens_at: Option<i64>, closes_at: Option<i64>, now: i64) -> bool {
    status == Status::Open
        && opens_at.is_some_and(|o| now >= o)
        && closes_at.is_some_and(|c| now < c)
}

/// What the roles in a reader's token say of them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reader {
    pub staff: bool,
    pub representative: bool,
    pub member: bool,
    /// Sits on the instance that launched the consultation.
    pub launcher: bool,
}

/// Staff read everything, the launching instance's members their instance's consultations in
/// every state; others read consultations past draft that are meant for them.
pub fn may_read(status: Status, audience: Audience, reader: Reader) -> bool {
    if reader.staff || reader.launcher {
        return true;
    }
    status.is_published()
        && match audience {
            Audience::Public => true,
            Audience::Associations => reader.representative,
            Audience::InstanceMembers => reader.member,
        }
}

/// What identity says of someone taking part.
#[derive(Debug, Clone, Copy, Default)]
pub struct Taker {
    pub staff: bool,
    /// Represents at least one verified association.
    pub represents_any: bool,
    /// Sits on the organizing instance (or on any instance when the council organizes).
    pub member: bool,
    /// Verified by staff (identity checked in person).
    pub verified: bool,
}

/// A person takes part while the consultation is open, if it is meant for them and, when it
/// admits only verified people, they are verified (staff always may).
pub fn check_participation(
    open: bool,
    audience: Audience,
    verified_only: bool,
    who: Taker,
) -> Result<(), Rule> {
    if !open {
        return Err(Rule::ConsultationNotOpen);
    }
    if who.staff {
        return Ok(());
    }
    let meant_for = match audience {
        Audience::Public => true,
        Audience::Associations => who.represents_any,
        Audience::InstanceMembers => who.member,
    };
    if !meant_for {
        return Err(Rule::ConsultationAudience(audience));
    }
    if verified_only && !who.verified {
        return Err(Rule::ConsultationVerifiedOnly);
    }
    Ok(())
}

/// Questions are added to a draft, up to [`QUESTIONS_MAX`].
pub fn check_new_question(status: Status, existing: usize) -> Result<(), Rule> {
    if status != Status::Draft {
        return Err(Rule::ConsultationNotDraft);
    }
    if existing >= QUESTIONS_MAX {
        return Err(Rule::ConsultationTooManyQuestions);
    }
    Ok(())
}

/// A consultation's fields are edited only while it is a draft: once open, people have read
/// and answered what it says.
pub fn check_edit(status: Status) -> Result<(), Rule> {
    if status == Status::Draft {
        Ok(())
    } else {
        Err(Rule::ConsultationNotDraft)
    }
}

/// Staff see the results at any time, everyone else once the consultation is answered.
pub fn check_results_readable(status: Status, staff: bool) -> Result<(), Rule> {
    if staff || status == Status::Answered {
        Ok(())
    } else {
        Err(Rule::ConsultationResultsNotPublished)
    }
}

/// The closing time asked for when opening: it must lie in the future.
pub fn closing_time(closes_at: Option<i64>, now: i64) -> Option<i64> {
    closes_at.filter(|c| *c > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consultation_moves_forward_one_step_at_a_time() {
        assert_eq!(Status::Draft.transition(Status::Open), Ok(Status::Open));
        assert!(Status::Open.can_become(Status::Closed));
        assert!(Status::Closed.can_become(Status::Answered));
        assert_eq!(
            Status::Draft.transition(Status::Closed),
            Err(Rule::ConsultationTransition {
                from: Status::Draft,
                to: Status::Closed
            })
        );
        assert!(!Status::Answered.can_become(Status::Open));
        assert!(!Status::Open.can_become(Status::Open));
    }

    #[test]
    fn an_instance_proposal_is_approved_into_a_draft_or_rejected() {
        assert_eq!(
            Status::Proposed.transition(Status::Draft),
            Ok(Status::Draft)
        );
        assert!(Status::Proposed.can_become(Status::Rejected));
        assert!(!Status::Proposed.can_become(Status::Open));
        assert!(!Status::Rejected.can_become(Status::Draft));
        assert!(!Status::Draft.can_become(Status::Rejected));
        assert!(!Status::Draft.can_become(Status::Proposed));
    }

    #[test]
    fn proposals_are_read_by_staff_and_the_launching_instance_only() {
        let launcher = Reader {
            launcher: true,
            ..Reader::default()
        };
        let member = Reader {
            member: true,
            ..Reader::default()
        };
        for status in [Status::Proposed, Status::Rejected, Status::Draft] {
            assert!(may_read(status, Audience::Public, launcher));
            assert!(!may_read(status, Audience::Public, Reader::default()));
            assert!(!may_read(status, Audience::InstanceMembers, member));
        }
        assert!(may_read(Status::Open, Audience::Public, Reader::default()));
    }

    #[test]
    fn the_window_is_open_from_opening_until_before_closing() {
        assert!(is_open_at(Status::Open, Some(10), Some(20), 10));
        assert!(!is_open_at(Status::Open, Some(10), Some(20), 20));
        assert!(!is_open_at(Status::Open, Some(10), Some(20), 9));
        assert!(!is_open_at(Status::Closed, Some(10), Some(20), 15));
        assert!(!is_open_at(Status::Open, None, Some(20), 15));
    }

    #[test]
    fn readers_see_what_is_meant_for_them_past_draft() {
        let anyone = Reader::default();
        let representative = Reader {
            representative: true,
            ..Reader::default()
        };
        let staff = Reader {
            staff: true,
            ..Reader::default()
        };
        assert!(may_read(Status::Open, Audience::Public, anyone));
        assert!(!may_read(Status::Draft, Audience::Public, anyone));
        assert!(may_read(Status::Draft, Audience::InstanceMembers, staff));
        assert!(!may_read(Status::Open, Audience::Associations, anyone));
        assert!(may_read(
            Status::Open,
            Audience::Associations,
            representative
        ));
        assert!(!may_read(
            Status::Open,
            Audience::InstanceMembers,
            representative
        ));
    }

    #[test]
    fn participation_needs_an_open_consultation_meant_for_the_person() {
        let anyone = Taker::default();
        assert_eq!(
            check_participation(true, Audience::Public, false, anyone),
            Ok(())
        );
        assert_eq!(
            check_participation(false, Audience::Public, false, anyone),
            Err(Rule::ConsultationNotOpen)
        );
        assert_eq!(
            check_participation(true, Audience::Associations, false, anyone),
            Err(Rule::ConsultationAudience(Audience::Associations))
        );
        let member = Taker {
            member: true,
            ..Taker::default()
        };
        assert_eq!(
            check_participation(true, Audience::InstanceMembers, false, member),
            Ok(())
        );
        let staff = Taker {
            staff: true,
            ..Taker::default()
        };
        assert_eq!(
            check_participation(true, Audience::Associations, false, staff),
            Ok(())
        );
        assert_eq!(
            check_participation(false, Audience::Public, false, staff),
            Err(Rule::ConsultationNotOpen)
        );
    }

    #[test]
    fn a_consultation_for_verified_people_refuses_the_others() {
        let unverified = Taker::default();
        let verified = Taker {
            verified: true,
            ..Taker::default()
        };
        assert_eq!(
            check_participation(true, Audience::Public, true, unverified),
            Err(Rule::ConsultationVerifiedOnly)
        );
        assert_eq!(
            check_participation(true, Audience::Public, true, verified),
            Ok(())
        );
        assert_eq!(
            check_participation(true, Audience::Public, false, unverified),
            Ok(())
        );
        // Closed and meant for others come first: those are what the person can do nothing about.
        assert_eq!(
            check_participation(false, Audience::Public, true, unverified),
            Err(Rule::ConsultationNotOpen)
        );
        assert_eq!(
            check_participation(true, Audience::Associations, true, unverified),
            Err(Rule::ConsultationAudience(Audience::Associations))
        );
        let staff = Taker {
            staff: true,
            ..Taker::default()
        };
        assert_eq!(
            check_participation(true, Audience::Public, true, staff),
            Ok(())
        );
    }

    #[test]
    fn only_a_draft_is_edited() {
        assert_eq!(check_edit(Status::Draft), Ok(()));
        for status in [Status::Open, Status::Closed, Status::Answered] {
            assert_eq!(check_edit(status), Err(Rule::ConsultationNotDraft));
        }
    }

    #[test]
    fn questions_go_into_drafts_up_to_the_limit() {
        assert_eq!(check_new_question(Status::Draft, 0), Ok(()));
        assert_eq!(
            check_new_question(Status::Open, 0),
            Err(Rule::ConsultationNotDraft)
        );
        assert_eq!(
            check_new_question(Status::Draft, QUESTIONS_MAX),
            Err(Rule::ConsultationTooManyQuestions)
        );
    }

    #[test]
    fn results_are_published_with_the_answer() {
        assert_eq!(check_results_readable(Status::Answered, false), Ok(()));
        assert_eq!(check_results_readable(Status::Closed, true), Ok(()));
        assert_eq!(
            check_results_readable(Status::Closed, false),
            Err(Rule::ConsultationResultsNotPublished)
        );
        assert!(Status::Answered.shows_synthesis());
        assert!(!Status::Closed.shows_synthesis());
    }

    #[test]
    fn a_consultation_closes_in_the_future() {
        assert_eq!(closing_time(Some(11), 10), Some(11));
        assert_eq!(closing_time(Some(10), 10), None);
        assert_eq!(closing_time(None, 10), None);
    }

    #[test]
    fn spellings_round_trip() {
        assert_eq!(Status::from_sql("answered").ok(), Some(Status::Answered));
        assert!(Status::from_sql("nonsense").is_err());
        assert_eq!(Audience::InstanceMembers.as_sql(), "instance_members");
    }
}
