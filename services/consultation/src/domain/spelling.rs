//! Spellings of the domain's values in SQL and events, to and from the contract's enums, and
//! the calendar arithmetic the rules need.

use tachawor_proto::consultation::{
    Audience, ConsultationStatus, FollowUp, OpinionStatus, OrganizerKind, PetitionKind,
    PetitionStatus, ProposalAnswer, QuestionKind, RecommendationAnswer, Referral,
};

/// Pairs of (enum, spelling); the zero value has none.
macro_rules! spelled {
    ($ty:ident, $to:ident, $from:ident, { $($variant:ident => $s:literal),* $(,)? }) => {
        #[allow(dead_code)]
        pub fn $to(v: $ty) -> Option<&'static str> {
            match v {
                $($ty::$variant => Some($s),)*
                #[allow(unreachable_patterns)]
                _ => None,
            }
        }
        #[allow(dead_code)]
        pub fn $from(s: &str) -> $ty {
            match s {
                $($s => $ty::$variant,)*
                _ => $ty::Unspecified,
            }
        }
    };
}

spelled!(ConsultationStatus, consultation_status_str, consultation_status, {
    Draft => "draft", Open => "open", Closed => "closed", Answered => "answered",
    Proposed => "proposed", Rejected => "rejected",
});
spelled!(Audience, audience_str, audience, {
    Public => "public", Associations => "associations", InstanceMembers => "instance_members",
});
spelled!(OrganizerKind, organizer_kind_str, organizer_kind, {
    Council => "council", Instance => "instance",
});
spelled!(QuestionKind, question_kind_str, question_kind, {
    SingleChoice => "single_choice", MultipleChoice => "multiple_choice", Scale => "scale",
    FreeText => "free_text",
});
spelled!(ProposalAnswer, proposal_answer_str, proposal_answer, {
    Evaluating => "evaluating", Accepted => "accepted",
    PartiallyAccepted => "partially_accepted", Rejected => "rejected",
});
spelled!(Referral, referral_str, referral, {
    Council => "council", OwnInitiative => "own_initiative",
});
spelled!(OpinionStatus, opinion_status_str, opinion_status, {
    Draft => "draft", Adopted => "adopted",
});
spelled!(RecommendationAnswer, recommendation_answer_str, recommendation_answer, {
    Accepted => "accepted", Rejected => "rejected", UnderStudy => "under_study",
});
spelled!(FollowUp, follow_up_str, follow_up, {
    NotStarted => "not_started", InProgress => "in_progress", Implemented => "implemented",
});
spelled!(PetitionKind, petition_kind_str, petition_kind, {
    Citizen => "citizen", Association => "association",
});
spelled!(PetitionStatus, petition_status_str, petition_status, {
    Draft => "draft", Collecting => "collecting", Deposited => "deposited",
    Admissible => "admissible", Rejected => "rejected", Closed => "closed",
});

/// A spelling read from the database that no value of the domain has: the data is corrupt.
#[derive(Debug)]
pub struct UnknownSpelling {
    pub what: &'static str,
    pub spelled: String,
}

impl std::fmt::Display for UnknownSpelling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} {:?}", self.what, self.spelled)
    }
}

impl std::error::Error for UnknownSpelling {}

impl From<UnknownSpelling> for tachawor_errors::Error {
    fn from(e: UnknownSpelling) -> Self {
        tachawor_errors::Error::internal(e)
    }
}

/// A domain enum with one SQL spelling per variant: `as_sql`, `from_sql` and `Display` (the
/// spelling, as messages show it).
macro_rules! sql_enum {
    ($(#[$meta:meta])* $vis:vis enum $ty:ident ($what:literal) { $($(#[$vmeta:meta])* $variant:ident => $s:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $ty { $($(#[$vmeta])* $variant,)* }

        impl $ty {
            #[allow(dead_code)]
            pub fn as_sql(self) -> &'static str {
                match self { $($ty::$variant => $s,)* }
            }

            #[allow(dead_code)]
            pub fn from_sql(s: &str) -> Result<Self, $crate::domain::spelling::UnknownSpelling> {
                match s {
                    $($s => Ok($ty::$variant),)*
                    _ => Err($crate::domain::spelling::UnknownSpelling {
                        what: $what,
                        spelled: s.to_string(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_sql())
            }
        }
    };
}
pub(crate) use sql_enum;

pub use tachawor_proto::dates::{add_months, date_from_str, date_str, timestamp, years_before};

pub fn opt_timestamp(millis: Option<i64>) -> Option<prost_types::Timestamp> {
    millis.map(timestamp)
}

pub fn millis_of(t: &prost_types::Timestamp) -> Option<i64> {
    tachawor_proto::dates::checked_millis(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        assert_eq!(
            petition_status_str(PetitionStatus::Deposited),
            Some("deposited")
        );
        assert_eq!(petition_status("admissible"), PetitionStatus::Admissible);
        assert_eq!(audience_str(Audience::Unspecified), None);
        assert_eq!(follow_up("nonsense"), FollowUp::Unspecified);
    }
}
