//! A session: scheduled, then held or cancelled, never back. While scheduled, staff change it
//! within limits: the capacity never below the people confirmed, the days fixed once attendance
//! is recorded, and it is marked held from its first day on.

use std::fmt;

use tachawor_proto::training::SessionStatus;

use super::rule::Rule;

/// A session's status, spelled in SQL as its lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Scheduled,
    Held,
    Cancelled,
}

impl Status {
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Held => "held",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_sql(s: &str) -> Option<Self> {
        Some(match s {
            "scheduled" => Self::Scheduled,
            "held" => Self::Held,
            "cancelled" => Self::Cancelled,
            _ => return None,
        })
    }

    pub fn from_proto(s: SessionStatus) -> Option<Self> {
        Some(match s {
            SessionStatus::Scheduled => Self::Scheduled,
            SessionStatus::Held => Self::Held,
            SessionStatus::Cancelled => Self::Cancelled,
            SessionStatus::Unspecified => return None,
        })
    }

    pub fn to_proto(self) -> SessionStatus {
        match self {
            Self::Scheduled => SessionStatus::Scheduled,
            Self::Held => SessionStatus::Held,
            Self::Cancelled => SessionStatus::Cancelled,
        }
    }

    /// Only a scheduled session moves, to held or cancelled.
    pub fn can_become(self, next: Self) -> bool {
        self == Self::Scheduled && next != Self::Scheduled
    }

    /// The status after moving to `next`, or why it cannot.
    pub fn transition(self, next: Self) -> Result<Self, Rule> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(Rule::SessionNotScheduled(self))
        }
    }

    /// The session still takes changes, registrations and check-ins.
    pub fn require_scheduled(self) -> Result<(), Rule> {
        match self {
            Self::Scheduled => Ok(()),
            other => Err(Rule::SessionNotScheduled(other)),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_sql())
    }
}

/// A failed conversion from an unknown SQL spelling.
#[derive(Debug)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown status {:?}", self.0)
    }
}

impl std::error::Error for UnknownStatus {}

impl TryFrom<String> for Status {
    type Error = UnknownStatus;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_sql(&s).ok_or(UnknownStatus(s))
    }
}

/// The capacity may not drop below the people already confirmed.
pub fn check_capacity(capacity: i32, confirmed: i32) -> Result<(), Rule> {
    if capacity < confirmed {
        return Err(Rule::SessionCapacityBelowConfirmed { confirmed });
    }
    Ok(())
}

/// The days are locked once any attendance is recorded.
pub fn check_days_change(days_change: bool, attendance_recorded: bool) -> Result<(), Rule> {
    if days_change && attendance_recorded {
        return Err(Rule::SessionDaysLocked);
    }
    Ok(())
}

/// A session is marked held from its first day on (days as `YYYY-MM-DD`).
pub fn check_started(today: &str, first_day: &str) -> Result<(), Rule> {
    if today < first_day {
        return Err(Rule::SessionNotStarted);
    }
    Ok(())
}

/// Days needed for a certificate out of `total`, from the threshold (0 means every day).
pub fn days_required(total: usize, threshold_percent: i32) -> usize {
    match threshold_percent {
        p if p <= 0 || p >= 100 => total,
        p => (total * p as usize).div_ceil(100).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_scheduled_session_moves() {
        assert_eq!(Status::Scheduled.transition(Status::Held), Ok(Status::Held));
        assert_eq!(
            Status::Scheduled.transition(Status::Cancelled),
            Ok(Status::Cancelled)
        );
        assert!(!Status::Scheduled.can_become(Status::Scheduled));
        assert_eq!(
            Status::Held.transition(Status::Cancelled),
            Err(Rule::SessionNotScheduled(Status::Held))
        );
        assert_eq!(
            Status::Cancelled.transition(Status::Held),
            Err(Rule::SessionNotScheduled(Status::Cancelled))
        );
        assert_eq!(Status::Scheduled.require_scheduled(), Ok(()));
        assert!(Status::Held.require_scheduled().is_err());
    }

    #[test]
    fn spellings_round_trip() {
        for s in [Status::Scheduled, Status::Held, Status::Cancelled] {
            assert_eq!(Status::from_sql(s.as_sql()), Some(s));
            assert_eq!(Status::from_proto(s.to_proto()), Some(s));
        }
        assert_eq!(Status::from_sql("done"), None);
        assert!(Status::try_from("done".to_string()).is_err());
        assert_eq!(Status::from_proto(SessionStatus::Unspecified), None);
    }

    #[test]
    fn capacity_stays_above_the_confirmed() {
        assert_eq!(check_capacity(10, 10), Ok(()));
        assert_eq!(
            check_capacity(9, 10),
            Err(Rule::SessionCapacityBelowConfirmed { confirmed: 10 })
        );
    }

    #[test]
    fn days_lock_once_attendance_is_recorded() {
        assert_eq!(check_days_change(true, false), Ok(()));
        assert_eq!(check_days_change(false, true), Ok(()));
        assert_eq!(check_days_change(true, true), Err(Rule::SessionDaysLocked));
    }

    #[test]
    fn held_from_the_first_day() {
        assert_eq!(check_started("2026-03-04", "2026-03-04"), Ok(()));
        assert_eq!(
            check_started("2026-03-03", "2026-03-04"),
            Err(Rule::SessionNotStarted)
        );
    }

    #[test]
    fn required_days_round_up() {
        assert_eq!(days_required(4, 0), 4);
        assert_eq!(days_required(4, 100), 4);
        assert_eq!(days_required(4, 50), 2);
        assert_eq!(days_required(3, 50), 2);
        assert_eq!(days_required(3, 1), 1);
    }
}
