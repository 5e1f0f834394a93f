//! An evaluation: one per confirmed participant who attended, from the start of the session's
//! last day on (or once it is held), never for a cancelled session.

use super::{registration::Status as RegistrationStatus, rule::Rule, session::Status};

/// Only a confirmed registration may evaluate (`None`: no registration at all).
pub fn check_participant(registration: Option<RegistrationStatus>) -> Result<(), Rule> {
    match registration {
        Some(RegistrationStatus::Confirmed) => Ok(()),
        _ => Err(Rule::EvaluationNotAParticipant),
    }
}

/// The session is not cancelled, and held or its last day started (forms are filled in during
/// the closing hours; instants in unix milliseconds).
pub fn check_timing(session: Status, now: i64, last_start: i64) -> Result<(), Rule> {
    if session == Status::Cancelled {
        return Err(Rule::SessionCancelled);
    }
    if session != Status::Held && now < last_start {
        return Err(Rule::EvaluationTooEarly);
    }
    Ok(())
}

/// The participant attended at least one day.
pub fn check_attended(days_attended: usize) -> Result<(), Rule> {
    if days_attended == 0 {
        return Err(Rule::EvaluationNotAttended);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmed_participants_only() {
        assert_eq!(
            check_participant(Some(RegistrationStatus::Confirmed)),
            Ok(())
        );
        assert_eq!(
            check_participant(Some(RegistrationStatus::Cancelled)),
            Err(Rule::EvaluationNotAParticipant)
        );
        assert_eq!(
            check_participant(None),
            Err(Rule::EvaluationNotAParticipant)
        );
    }

    #[test]
    fn from_the_last_day_s_start_or_once_held() {
        assert_eq!(check_timing(Status::Scheduled, 500, 500), Ok(()));
        assert_eq!(
            check_timing(Status::Scheduled, 499, 500),
            Err(Rule::EvaluationTooEarly)
        );
        assert_eq!(check_timing(Status::Held, 100, 500), Ok(()));
        assert_eq!(
            check_timing(Status::Cancelled, 900, 500),
            Err(Rule::SessionCancelled)
        );
    }

    #[test]
    fn attended_at_least_a_day() {
        assert_eq!(check_attended(1), Ok(()));
        assert_eq!(check_attended(0), Err(Rule::EvaluationNotAttended));
    }
}
