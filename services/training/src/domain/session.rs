//! A session: scheduled, then held or cancelled, never back. While scheduled, staff change it
//! within limits: the capacity never below the people confirmed, the days fixed once attendance
//! is recorded, and it is marked held from its first day's start on.

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

/// A session is marked held from its first day's start on (instants in unix milliseconds, the
/// start from [`super::schedule::Schedule::first_start`]).
pub fn check_started(now: i64, first_start: i64) -> Result<(), Rule> {
    if now < first_start {
        return Err(Rule::SessionNotStarted);
    }
    Ok(())
}

/// A session may be scheduled until its first day is over: staff may record one that is
/// happening, never one already past.
pub fn may_schedule(now: i64, first_end: i64) -> bool {
    now < first_end
}

/// The session has not started: its first day's start is ahead (an erased account's seat in
/// it is given back).
pub fn not_started(now: i64, first_start: i64) -> bool {
    now < first_start
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
    fn held_from_the_first_day_s_start() {
        assert_eq!(check_started(1_000, 1_000), Ok(()));
        assert_eq!(check_started(999, 1_000), Err(Rule::SessionNotStarted));
        assert!(not_started(999, 1_000));
        assert!(!not_started(1_000, 1_000));
    }

    #[test]
    fn scheduled_until_the_first_day_is_over() {
        assert!(may_schedule(1_999, 2_000));
        assert!(!may_schedule(2_000, 2_000));
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
