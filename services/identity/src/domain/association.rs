//! An association's status and the moves between statuses staff may make.

use super::rule::Rule;

/// Where an association stands: registered, verified by staff, or suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Verified,
    Suspended,
}

impl Status {
    /// The status as stored.
    pub fn as_sql(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Verified => "verified",
            Status::Suspended => "suspended",
        }
    }

    /// The stored status; `None` for a spelling this version does not know.
    pub fn from_sql(s: &str) -> Option<Status> {
        match s {
            "pending" => Some(Status::Pending),
            "verified" => Some(Status::Verified),
            "suspended" => Some(Status::Suspended),
            _ => None,
        }
    }

    /// Staff verify a pending or suspended association and suspend a pending or verified one;
    /// nothing moves back to pending, and no status becomes itself.
    pub fn can_become(self, next: Status) -> bool {
        matches!(
            (self, next),
            (Status::Pending, Status::Verified)
                | (Status::Suspended, Status::Verified)
                | (Status::Pending, Status::Suspended)
                | (Status::Verified, Status::Suspended)
        )
    }

    /// The status after moving to `to`, or the rule the move breaks.
    pub fn transition(self, to: Status) -> Result<Status, Rule> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Rule::AssociationTransition { from: self, to })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Status; 3] = [Status::Pending, Status::Verified, Status::Suspended];

    #[test]
    fn staff_verify_and_suspend_but_never_return_to_pending() {
        assert_eq!(
            Status::Pending.transition(Status::Verified),
            Ok(Status::Verified)
        );
        assert_eq!(
            Status::Suspended.transition(Status::Verified),
            Ok(Status::Verified)
        );
        assert_eq!(
            Status::Pending.transition(Status::Suspended),
            Ok(Status::Suspended)
        );
        assert_eq!(
            Status::Verified.transition(Status::Suspended),
            Ok(Status::Suspended)
        );
        for from in ALL {
            assert!(!from.can_become(Status::Pending), "{from:?} to pending");
            assert!(!from.can_become(from), "{from:?} to itself");
        }
        assert_eq!(
            Status::Verified.transition(Status::Verified),
            Err(Rule::AssociationTransition {
                from: Status::Verified,
                to: Status::Verified
            })
        );
    }

    #[test]
    fn statuses_round_trip_through_their_spellings() {
        for s in ALL {
            assert_eq!(Status::from_sql(s.as_sql()), Some(s));
            // The same spellings as the contract's enum.
            let proto = crate::domain::association_status_from_str(s.as_sql());
            assert_eq!(
                crate::domain::association_status_str(proto),
                Some(s.as_sql())
            );
        }
        assert_eq!(Status::from_sql("dissolved"), None);
    }
}
