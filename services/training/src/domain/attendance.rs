//! Attendance: presence per session day, for confirmed participants of a scheduled session,
//! never before the day's start; a participant checks in with a code shown at the venue today
//! (the region's local day) and still valid.

use super::{registration::Status as RegistrationStatus, rule::Rule, session::Status};

/// `day` (`YYYY-MM-DD`) is one of the days of a session still scheduled.
pub fn check_session_day(session: Status, days: &[String], day: &str) -> Result<(), Rule> {
    session.require_scheduled()?;
    if !days.iter().any(|d| d == day) {
        return Err(Rule::CheckInNotASessionDay { day: day.into() });
    }
    Ok(())
}

/// Presence is not recorded before the day starts (its start time, or local midnight for a day
/// without times; unix milliseconds).
pub fn check_not_future(now: i64, day_start: i64) -> Result<(), Rule> {
    if now < day_start {
        return Err(Rule::CheckInFutureDay);
    }
    Ok(())
}

/// Only confirmed participants check in.
pub fn check_confirmed(status: RegistrationStatus) -> Result<(), Rule> {
    if status != RegistrationStatus::Confirmed {
        return Err(Rule::CheckInNotConfirmed);
    }
    Ok(())
}

/// A code typed by a participant: `expires_at` is the expiry of the matching code shown today
/// (`None` when no such code was shown), compared with `now` (unix milliseconds).
pub fn check_code(expires_at: Option<i64>, now: i64) -> Result<(), Rule> {
    match expires_at {
        None => Err(Rule::CheckInCodeInvalid),
        Some(expires_at) if now >= expires_at => Err(Rule::CheckInCodeExpired),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days() -> Vec<String> {
        vec!["2026-03-04".into(), "2026-03-05".into()]
    }

    #[test]
    fn a_day_of_a_scheduled_session() {
        assert_eq!(
            check_session_day(Status::Scheduled, &days(), "2026-03-05"),
            Ok(())
        );
        assert_eq!(
            check_session_day(Status::Scheduled, &days(), "2026-03-06"),
            Err(Rule::CheckInNotASessionDay {
                day: "2026-03-06".into()
            })
        );
        assert_eq!(
            check_session_day(Status::Cancelled, &days(), "2026-03-05"),
            Err(Rule::SessionNotScheduled(Status::Cancelled))
        );
    }

    #[test]
    fn not_before_the_day_starts() {
        assert_eq!(check_not_future(1_000, 1_000), Ok(()));
        assert_eq!(check_not_future(5_000, 1_000), Ok(()));
        assert_eq!(check_not_future(999, 1_000), Err(Rule::CheckInFutureDay));
    }

    #[test]
    fn confirmed_only() {
        assert_eq!(check_confirmed(RegistrationStatus::Confirmed), Ok(()));
        assert_eq!(
            check_confirmed(RegistrationStatus::Waitlisted),
            Err(Rule::CheckInNotConfirmed)
        );
        assert_eq!(
            check_confirmed(RegistrationStatus::Cancelled),
            Err(Rule::CheckInNotConfirmed)
        );
    }

    #[test]
    fn codes_are_valid_until_they_expire() {
        assert_eq!(check_code(Some(1_000), 999), Ok(()));
        assert_eq!(
            check_code(Some(1_000), 1_000),
            Err(Rule::CheckInCodeExpired)
        );
        assert_eq!(check_code(None, 0), Err(Rule::CheckInCodeInvalid));
    }
}
