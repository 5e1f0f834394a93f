//! A registration: confirmed while seats remain, else waitlisted in arrival order; a waitlisted
//! person is promoted when a seat frees; either may cancel, and a cancelled registration comes
//! back when the person registers again. Registering needs the session scheduled, its window
//! open and the person eligible.

use std::fmt;

use tachawor_proto::training::RegistrationStatus;

use super::{rule::Rule, session::Status as SessionStatus};

pub const CONFIRMED: &str = "confirmed";
pub const WAITLISTED: &str = "waitlisted";
pub const CANCELLED: &str = "cancelled";

/// A registration's status, spelled in SQL as [`CONFIRMED`], [`WAITLISTED`], [`CANCELLED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl Status {
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Confirmed => CONFIRMED,
            Self::Waitlisted => WAITLISTED,
            Self::Cancelled => CANCELLED,
        }
    }

    pub fn from_sql(s: &str) -> Option<Self> {
        Some(match s {
            CONFIRMED => Self::Confirmed,
            WAITLISTED => Self::Waitlisted,
            CANCELLED => Self::Cancelled,
            _ => return None,
        })
    }

    pub fn from_proto(s: RegistrationStatus) -> Option<Self> {
        Some(match s {
            RegistrationStatus::Confirmed => Self::Confirmed,
            RegistrationStatus::Waitlisted => Self::Waitlisted,
            RegistrationStatus::Cancelled => Self::Cancelled,
            RegistrationStatus::Unspecified => return None,
        })
    }

    pub fn to_proto(self) -> RegistrationStatus {
        match self {
            Self::Confirmed => RegistrationStatus::Confirmed,
            Self::Waitlisted => RegistrationStatus::Waitlisted,
            Self::Cancelled => RegistrationStatus::Cancelled,
        }
    }

    /// Waitlisted → confirmed (promotion); confirmed or waitlisted → cancelled; cancelled →
    /// confirmed or waitlisted (registering again).
    pub fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Waitlisted, Self::Confirmed)
                | (Self::Confirmed | Self::Waitlisted, Self::Cancelled)
                | (Self::Cancelled, Self::Confirmed | Self::Waitlisted)
        )
    }

    /// The status after a cancellation, or why there is none to make.
    pub fn cancel(self) -> Result<Self, Rule> {
        if self.can_become(Self::Cancelled) {
            Ok(Self::Cancelled)
        } else {
            Err(Rule::RegistrationCancelled)
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_sql())
    }
}

impl TryFrom<String> for Status {
    type Error = super::session::UnknownStatus;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_sql(&s).ok_or(super::session::UnknownStatus(s))
    }
}

/// When a session takes registrations: from `opens_at` (included) to `closes_at` (excluded),
/// in unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_at: i64,
    pub closes_at: i64,
}

impl Window {
    /// Registration also closes when the session is over (its last day's end), if the window
    /// was left open longer.
    pub fn until_over(self, last_end: i64) -> Self {
        Self {
            closes_at: self.closes_at.min(last_end),
            ..self
        }
    }

    pub fn check(self, now: i64) -> Result<(), Rule> {
        if now < self.opens_at {
            return Err(Rule::RegistrationNotOpen);
        }
        if now >= self.closes_at {
            return Err(Rule::RegistrationClosed);
        }
        Ok(())
    }
}

/// Whether a person may register at `now`: eligible (identity's answer against the session's
/// rule), the session scheduled, its window open; checked in that order.
pub fn may_register(
    eligible: bool,
    session: SessionStatus,
    window: Window,
    now: i64,
) -> Result<(), Rule> {
    if !eligible {
        return Err(Rule::RegistrationNotEligible);
    }
    session.require_scheduled()?;
    window.check(now)
}

/// Where an arrival goes: a seat while any is free, else the waitlist.
pub fn placement(confirmed: i32, capacity: i32) -> Status {
    if confirmed < capacity {
        Status::Confirmed
    } else {
        Status::Waitlisted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Window = Window {
        opens_at: 100,
        closes_at: 200,
    };

    #[test]
    fn transitions() {
        assert!(Status::Waitlisted.can_become(Status::Confirmed));
        assert!(Status::Cancelled.can_become(Status::Waitlisted));
        assert!(!Status::Confirmed.can_become(Status::Waitlisted));
        assert!(!Status::Confirmed.can_become(Status::Confirmed));
        assert_eq!(Status::Confirmed.cancel(), Ok(Status::Cancelled));
        assert_eq!(Status::Waitlisted.cancel(), Ok(Status::Cancelled));
        assert_eq!(Status::Cancelled.cancel(), Err(Rule::RegistrationCancelled));
    }

    #[test]
    fn spellings_round_trip() {
        for s in [Status::Confirmed, Status::Waitlisted, Status::Cancelled] {
            assert_eq!(Status::from_sql(s.as_sql()), Some(s));
            assert_eq!(Status::from_proto(s.to_proto()), Some(s));
        }
        assert_eq!(Status::from_sql("maybe"), None);
    }

    #[test]
    fn the_window_is_half_open() {
        assert_eq!(WINDOW.check(99), Err(Rule::RegistrationNotOpen));
        assert_eq!(WINDOW.check(100), Ok(()));
        assert_eq!(WINDOW.check(199), Ok(()));
        assert_eq!(WINDOW.check(200), Err(Rule::RegistrationClosed));
    }

    #[test]
    fn registration_closes_when_the_session_is_over() {
        assert_eq!(
            WINDOW.until_over(150).check(150),
            Err(Rule::RegistrationClosed)
        );
        assert_eq!(WINDOW.until_over(150).check(149), Ok(()));
        assert_eq!(WINDOW.until_over(900), WINDOW);
    }

    #[test]
    fn eligibility_comes_first_then_the_session_then_the_window() {
        assert_eq!(
            may_register(false, SessionStatus::Cancelled, WINDOW, 0),
            Err(Rule::RegistrationNotEligible)
        );
        assert_eq!(
            may_register(true, SessionStatus::Held, WINDOW, 0),
            Err(Rule::SessionNotScheduled(SessionStatus::Held))
        );
        assert_eq!(
            may_register(true, SessionStatus::Scheduled, WINDOW, 0),
            Err(Rule::RegistrationNotOpen)
        );
        assert_eq!(
            may_register(true, SessionStatus::Scheduled, WINDOW, 150),
            Ok(())
        );
    }

    #[test]
    fn seats_then_the_waitlist() {
        assert_eq!(placement(0, 1), Status::Confirmed);
        assert_eq!(placement(1, 1), Status::Waitlisted);
    }
}
