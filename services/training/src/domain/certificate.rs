//! A certificate: for a confirmed participant of a held session who attended the required
//! share of days. The printed name is identity's verified legal name, else the name asked for,
//! pending until staff approve it; an erased name (account deleted) stays erased.

use tachawor_proto::training::CertificateNameStatus;

use super::{registration::Status as RegistrationStatus, rule::Rule, session::Status};

pub const NAME_VERIFIED: &str = "verified";
pub const NAME_PENDING: &str = "pending";
pub const NAME_APPROVED: &str = "approved";
pub const NAME_ERASED: &str = "erased";

/// Where the printed name comes from, spelled in SQL as `verified`, `pending`, `approved`,
/// `erased`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameStatus {
    /// Identity's verified legal name.
    Verified,
    /// Asked for by the participant, not yet approved.
    Pending,
    /// Asked for, then approved (or corrected) by staff.
    Approved,
    /// The holder deleted their account.
    Erased,
}

impl NameStatus {
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Verified => NAME_VERIFIED,
            Self::Pending => NAME_PENDING,
            Self::Approved => NAME_APPROVED,
            Self::Erased => NAME_ERASED,
        }
    }

    pub fn from_sql(s: &str) -> Option<Self> {
        Some(match s {
            NAME_VERIFIED => Self::Verified,
            NAME_PENDING => Self::Pending,
            NAME_APPROVED => Self::Approved,
            NAME_ERASED => Self::Erased,
            _ => return None,
        })
    }

    pub fn to_proto(self) -> CertificateNameStatus {
        match self {
            Self::Verified => CertificateNameStatus::Verified,
            Self::Pending => CertificateNameStatus::Pending,
            Self::Approved => CertificateNameStatus::Approved,
            Self::Erased => CertificateNameStatus::Erased,
        }
    }

    /// Anyone checking the code may see a verified or approved name, no other.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Verified | Self::Approved)
    }

    /// Staff approving (or correcting) the name: only an asked-for name needs it.
    pub fn approve(self) -> Result<Self, Rule> {
        match self {
            Self::Pending | Self::Approved => Ok(Self::Approved),
            Self::Verified => Err(Rule::CertificateNameVerified),
            Self::Erased => Err(Rule::CertificateNameErased),
        }
    }
}

/// Certificates are issued once the session is held.
pub fn check_session_held(session: Status) -> Result<(), Rule> {
    if session != Status::Held {
        return Err(Rule::CertificateSessionNotHeld);
    }
    Ok(())
}

/// Only a confirmed registration earns one (`None`: no registration at all).
pub fn check_participant(registration: Option<RegistrationStatus>) -> Result<(), Rule> {
    match registration {
        Some(RegistrationStatus::Confirmed) => Ok(()),
        _ => Err(Rule::CertificateNotAParticipant),
    }
}

/// Enough days attended.
pub fn check_attendance(attended: usize, required: usize) -> Result<(), Rule> {
    if attended < required {
        return Err(Rule::CertificateAttendanceBelowThreshold { attended, required });
    }
    Ok(())
}

/// The name to print and where it comes from: the verified name when identity holds one, else
/// the name asked for (trimmed by the caller), pending approval.
pub fn printed_name(verified: String, asked: &str) -> Result<(String, NameStatus), Rule> {
    if !verified.is_empty() {
        Ok((verified, NameStatus::Verified))
    } else if asked.is_empty() {
        Err(Rule::CertificateNameRequired)
    } else {
        Ok((asked.to_string(), NameStatus::Pending))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_asked_for_names_are_approved() {
        assert_eq!(NameStatus::Pending.approve(), Ok(NameStatus::Approved));
        assert_eq!(NameStatus::Approved.approve(), Ok(NameStatus::Approved));
        assert_eq!(
            NameStatus::Verified.approve(),
            Err(Rule::CertificateNameVerified)
        );
        assert_eq!(
            NameStatus::Erased.approve(),
            Err(Rule::CertificateNameErased)
        );
    }

    #[test]
    fn public_names_and_spellings() {
        assert!(NameStatus::Verified.is_public());
        assert!(NameStatus::Approved.is_public());
        assert!(!NameStatus::Pending.is_public());
        assert!(!NameStatus::Erased.is_public());
        for s in [
            NameStatus::Verified,
            NameStatus::Pending,
            NameStatus::Approved,
            NameStatus::Erased,
        ] {
            assert_eq!(NameStatus::from_sql(s.as_sql()), Some(s));
        }
        assert_eq!(NameStatus::from_sql(""), None);
    }

    #[test]
    fn held_sessions_and_confirmed_participants() {
        assert_eq!(check_session_held(Status::Held), Ok(()));
        assert_eq!(
            check_session_held(Status::Scheduled),
            Err(Rule::CertificateSessionNotHeld)
        );
        assert_eq!(
            check_participant(Some(RegistrationStatus::Confirmed)),
            Ok(())
        );
        assert_eq!(
            check_participant(Some(RegistrationStatus::Waitlisted)),
            Err(Rule::CertificateNotAParticipant)
        );
        assert_eq!(
            check_participant(None),
            Err(Rule::CertificateNotAParticipant)
        );
    }

    #[test]
    fn attendance_threshold() {
        assert_eq!(check_attendance(2, 2), Ok(()));
        assert_eq!(
            check_attendance(1, 2),
            Err(Rule::CertificateAttendanceBelowThreshold {
                attended: 1,
                required: 2
            })
        );
    }

    #[test]
    fn the_verified_name_wins() {
        assert_eq!(
            printed_name("Amina B.".into(), "Other"),
            Ok(("Amina B.".into(), NameStatus::Verified))
        );
        assert_eq!(
            printed_name(String::new(), "Amina"),
            Ok(("Amina".into(), NameStatus::Pending))
        );
        assert_eq!(
            printed_name(String::new(), ""),
            Err(Rule::CertificateNameRequired)
        );
    }
}
