//! Every rule the training service refuses a request with, in one place. A rule becomes
//! `FAILED_PRECONDITION` with its id (`session.not_scheduled`) as the reason clients match on,
//! and a message for people.

use super::session::Status as SessionStatus;

/// A refusal by a rule of the domain; [`Rule::id`] is the contract clients rely on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A certificate needs the session's required share of days attended.
    CertificateAttendanceBelowThreshold { attended: usize, required: usize },
    /// The holder deleted their account: the name on the certificate stays erased.
    CertificateNameErased,
    /// No verified name and none asked for: nothing to print.
    CertificateNameRequired,
    /// A verified name needs no approval.
    CertificateNameVerified,
    /// Only confirmed participants receive a certificate.
    CertificateNotAParticipant,
    /// Certificates come once the session is held.
    CertificateSessionNotHeld,
    /// The check-in code was shown, but has run out.
    CheckInCodeExpired,
    /// No such code was shown at the venue today.
    CheckInCodeInvalid,
    /// Presence is not recorded ahead of the day.
    CheckInFutureDay,
    /// The day is not one of the session's.
    CheckInNotASessionDay { day: String },
    /// Only confirmed participants check in.
    CheckInNotConfirmed,
    /// Only confirmed participants evaluate a session.
    EvaluationNotAParticipant,
    /// Only participants who attended evaluate a session.
    EvaluationNotAttended,
    /// A session is evaluated from its last day on.
    EvaluationTooEarly,
    /// The registration is already cancelled.
    RegistrationCancelled,
    /// The registration window has closed.
    RegistrationClosed,
    /// The session is reserved to other participants.
    RegistrationNotEligible,
    /// The registration window has not opened yet.
    RegistrationNotOpen,
    /// The session was cancelled.
    SessionCancelled,
    /// The capacity cannot drop below the people already confirmed.
    SessionCapacityBelowConfirmed { confirmed: i32 },
    /// Attendance is recorded: the days can no longer change.
    SessionDaysLocked,
    /// The session is no longer scheduled (held or cancelled).
    SessionNotScheduled(SessionStatus),
    /// A session is marked held once its first day has come.
    SessionNotStarted,
}

impl tachawor_errors::DomainRule for Rule {
    /// The rule's id, as clients see it.
    fn id(&self) -> &'static str {
        match self {
            Self::CertificateAttendanceBelowThreshold { .. } => {
                "certificate.attendance_below_threshold"
            }
            Self::CertificateNameErased => "certificate.name_erased",
            Self::CertificateNameRequired => "certificate.name_required",
            Self::CertificateNameVerified => "certificate.name_verified",
            Self::CertificateNotAParticipant => "certificate.not_a_participant",
            Self::CertificateSessionNotHeld => "certificate.session_not_held",
            Self::CheckInCodeExpired => "check_in.code_expired",
            Self::CheckInCodeInvalid => "check_in.code_invalid",
            Self::CheckInFutureDay => "check_in.future_day",
            Self::CheckInNotASessionDay { .. } => "check_in.not_a_session_day",
            Self::CheckInNotConfirmed => "check_in.not_confirmed",
            Self::EvaluationNotAParticipant => "evaluation.not_a_participant",
            Self::EvaluationNotAttended => "evaluation.not_attended",
            Self::EvaluationTooEarly => "evaluation.too_early",
            Self::RegistrationCancelled => "registration.cancelled",
            Self::RegistrationClosed => "registration.closed",
            Self::RegistrationNotEligible => "registration.not_eligible",
            Self::RegistrationNotOpen => "registration.not_open",
            Self::SessionCancelled => "session.cancelled",
            Self::SessionCapacityBelowConfirmed { .. } => "session.capacity_below_confirmed",
            Self::SessionDaysLocked => "session.days_locked",
            Self::SessionNotScheduled(_) => "session.not_scheduled",
            Self::SessionNotStarted => "session.not_started",
        }
    }

    /// What a person reads.
    fn message(&self) -> String {
        match self {
            Self::CertificateAttendanceBelowThreshold { attended, required } => {
                format!("attended {attended} of the {required} days required")
            }
            Self::CertificateNameErased => {
                "the holder deleted their account: the name stays erased".into()
            }
            Self::CertificateNameRequired => {
                "identity holds no verified name for this person: give the name to print, which \
                 staff will approve"
                    .into()
            }
            Self::CertificateNameVerified => {
                "the name comes from the verified identity and needs no approval".into()
            }
            Self::CertificateNotAParticipant => {
                "only confirmed participants receive a certificate".into()
            }
            Self::CertificateSessionNotHeld => {
                "certificates are issued once the session is held".into()
            }
            Self::CheckInCodeExpired => "this code has expired; use the one shown now".into(),
            Self::CheckInCodeInvalid => "this is not a code shown at the venue today".into(),
            Self::CheckInFutureDay => "presence cannot be recorded before the day".into(),
            Self::CheckInNotASessionDay { day } => format!("{day} is not a day of this session"),
            Self::CheckInNotConfirmed => "only confirmed participants check in".into(),
            Self::EvaluationNotAParticipant => {
                "only confirmed participants evaluate a session".into()
            }
            Self::EvaluationNotAttended => {
                "only participants who attended evaluate a session".into()
            }
            Self::EvaluationTooEarly => "a session is evaluated from its last day on".into(),
            Self::RegistrationCancelled => "this registration is already cancelled".into(),
            Self::RegistrationClosed => "registration has closed".into(),
            Self::RegistrationNotEligible => {
                "this session is reserved to other participants".into()
            }
            Self::RegistrationNotOpen => "registration has not opened yet".into(),
            Self::SessionCancelled => "the session was cancelled".into(),
            Self::SessionCapacityBelowConfirmed { confirmed } => {
                format!("{confirmed} people are confirmed; the capacity cannot be lower")
            }
            Self::SessionDaysLocked => {
                "attendance is recorded; the days can no longer change".into()
            }
            Self::SessionNotScheduled(status) => format!("the session is {}", status.as_sql()),
            Self::SessionNotStarted => {
                "a session can be marked held once its first day has come".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tachawor_errors::DomainRule;

    use tachawor_errors::Error;

    use super::*;

    #[test]
    fn a_rule_becomes_a_failed_precondition_with_its_id() {
        match Error::from(Rule::SessionNotScheduled(SessionStatus::Held)) {
            Error::FailedPrecondition { rule, message } => {
                assert_eq!(rule, "session.not_scheduled");
                assert_eq!(message, "the session is held");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn messages_carry_their_numbers() {
        let rule = Rule::CertificateAttendanceBelowThreshold {
            attended: 1,
            required: 3,
        };
        assert_eq!(rule.id(), "certificate.attendance_below_threshold");
        assert_eq!(rule.message(), "attended 1 of the 3 days required");
        assert_eq!(
            Rule::CheckInNotASessionDay {
                day: "2026-01-02".into()
            }
            .message(),
            "2026-01-02 is not a day of this session"
        );
    }
}
