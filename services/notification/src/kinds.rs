//! The kinds of message and the channels, spelled as the database stores them.

use tachawor_proto::notification::{Channel as ProtoChannel, NotificationKind};

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    ProposalAnswered,
    PetitionProgress,
    SessionChanged,
    SessionCancelled,
    RegistrationPromoted,
    CertificateIssued,
    ConsultationProgress,
    /// A security notice: always told, whatever the preferences.
    PasswordChanged,
    /// Any consultation opened: only to the people who asked for it.
    NewConsultation,
    RecommendationAnswered,
    RecommendationFollowUp,
}

impl Kind {
    pub(crate) const ALL: [Kind; 11] = [
        Kind::ProposalAnswered,
        Kind::PetitionProgress,
        Kind::SessionChanged,
        Kind::SessionCancelled,
        Kind::RegistrationPromoted,
        Kind::CertificateIssued,
        Kind::ConsultationProgress,
        Kind::PasswordChanged,
        Kind::NewConsultation,
        Kind::RecommendationAnswered,
        Kind::RecommendationFollowUp,
    ];

    /// Whether a person may turn this kind off. Security notices (a password changed) always
    /// reach the inbox and the email address, so whoever did not change it learns of it.
    pub(crate) fn is_chosen(self) -> bool {
        !matches!(self, Kind::PasswordChanged)
    }

    pub(crate) fn as_sql(self) -> &'static str {
        match self {
            Kind::ProposalAnswered => "proposal_answered",
            Kind::PetitionProgress => "petition_progress",
            Kind::SessionChanged => "session_changed",
            Kind::SessionCancelled => "session_cancelled",
            Kind::RegistrationPromoted => "registration_promoted",
            Kind::CertificateIssued => "certificate_issued",
            Kind::ConsultationProgress => "consultation_progress",
            Kind::PasswordChanged => "password_changed",
            Kind::NewConsultation => "new_consultation",
            Kind::RecommendationAnswered => "recommendation_answered",
            Kind::RecommendationFollowUp => "recommendation_follow_up",
        }
    }

    /// Whether a person who never chose gets this kind through `channel`. Every consultation
    /// opening is news nobody asked for: told only to those who turned it on.
    pub(crate) fn enabled_by_default(self, channel: Channel) -> bool {
        channel.enabled_by_default() && self != Kind::NewConsultation
    }

    pub(crate) fn from_sql(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_sql() == s)
    }

    pub(crate) fn to_proto(self) -> NotificationKind {
        match self {
            Kind::ProposalAnswered => NotificationKind::ProposalAnswered,
            Kind::PetitionProgress => NotificationKind::PetitionProgress,
            Kind::SessionChanged => NotificationKind::SessionChanged,
            Kind::SessionCancelled => NotificationKind::SessionCancelled,
            Kind::RegistrationPromoted => NotificationKind::RegistrationPromoted,
            Kind::CertificateIssued => NotificationKind::CertificateIssued,
            Kind::ConsultationProgress => NotificationKind::ConsultationProgress,
            Kind::PasswordChanged => NotificationKind::PasswordChanged,
            Kind::NewConsultation => NotificationKind::NewConsultation,
            Kind::RecommendationAnswered => NotificationKind::RecommendationAnswered,
            Kind::RecommendationFollowUp => NotificationKind::RecommendationFollowUp,
        }
    }

    /// The kind of a wire value; `None` for unspecified or unknown values.
    pub(crate) fn from_proto(value: i32) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.to_proto() as i32 == value)
    }
}

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    Inbox,
    Email,
    Sms,
}

impl Channel {
    pub(crate) const ALL: [Channel; 3] = [Channel::Inbox, Channel::Email, Channel::Sms];

    /// The channels a message is sent through, beside the inbox.
    pub(crate) const SENT: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub(crate) fn as_sql(self) -> &'static str {
        match self {
            Channel::Inbox => "inbox",
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub(crate) fn from_sql(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_sql() == s)
    }

    pub(crate) fn to_proto(self) -> ProtoChannel {
        match self {
            Channel::Inbox => ProtoChannel::Inbox,
            Channel::Email => ProtoChannel::Email,
            Channel::Sms => ProtoChannel::Sms,
        }
    }

    /// The channel of a wire value; `None` for unspecified or unknown values.
    pub(crate) fn from_proto(value: i32) -> Option<Channel> {
        Channel::ALL
            .into_iter()
            .find(|c| c.to_proto() as i32 == value)
    }

    /// Whether a person who never chose gets messages this way: the inbox and email yes, SMS
    /// (which costs the council per message) only when asked for.
    pub(crate) fn enabled_by_default(self) -> bool {
        !matches!(self, Channel::Sms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_sql(k.as_sql()), Some(k));
            assert_eq!(Kind::from_proto(k.to_proto() as i32), Some(k));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::from_sql(c.as_sql()), Some(c));
            assert_eq!(Channel::from_proto(c.to_proto() as i32), Some(c));
        }
        assert_eq!(Kind::from_proto(0), None);
        assert_eq!(Channel::from_proto(0), None);
        assert_eq!(Channel::from_proto(99), None);
    }
}
