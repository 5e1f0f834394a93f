//! Contacts and the secrets sent to them: which channel, for what, and how long a secret lives.

use tachawor_proto::identity::ContactChannel;

use super::rule::Rule;
use crate::settings::ContactSettings;

/// Where a message goes, spelled as in `identity.contact.message_requested`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    /// Text messages to the phone number.
    Sms,
}

impl Channel {
    /// The channel a request names; `None` for unspecified or unknown values.
    pub fn from_proto(value: i32) -> Option<Channel> {
        match ContactChannel::try_from(value) {
            Ok(ContactChannel::Email) => Some(Channel::Email),
            Ok(ContactChannel::Phone) => Some(Channel::Sms),
            _ => None,
        }
    }

    pub fn to_proto(self) -> ContactChannel {
        match self {
            Channel::Email => ContactChannel::Email,
            Channel::Sms => ContactChannel::Phone,
        }
    }

    pub fn as_sql(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    /// The consent purpose under which messages that carry no secret may be sent here.
    pub fn consent_purpose(self) -> &'static str {
        match self {
            Channel::Email => "messages.email",
            Channel::Sms => "messages.sms",
        }
    }
}

/// Why a secret is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyContact,
    ResetPassword,
}

impl Purpose {
    pub fn as_sql(self) -> &'static str {
        match self {
            Purpose::VerifyContact => "verify_contact",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

/// How long a secret sent on `channel` for `purpose` lives, in milliseconds: a link can wait
/// in a mailbox, a code is typed at once.
pub fn lifetime_ms(settings: &ContactSettings, channel: Channel, purpose: Purpose) -> i64 {
    let secs = match (channel, purpose) {
        (Channel::Email, Purpose::VerifyContact) => settings.email_link_ttl_secs,
        (Channel::Sms, Purpose::VerifyContact) => settings.phone_code_ttl_secs,
        (Channel::Email, Purpose::ResetPassword) => settings.reset_link_ttl_secs,
        (Channel::Sms, Purpose::ResetPassword) => settings.reset_code_ttl_secs,
    };
    secs * 1000
}

/// A verification is asked for a contact the account has and has not verified yet.
pub fn check_verifiable(present: bool, verified: bool) -> Result<(), Rule> {
    if !present {
        Err(Rule::ContactMissing)
    } else if verified {
        Err(Rule::ContactAlreadyVerified)
    } else {
        Ok(())
    }
}

/// A change replaces the contact with another value.
pub fn check_changed(current: Option<&str>, new: &str) -> Result<(), Rule> {
    if current == Some(new) {
        Err(Rule::ContactUnchanged)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_follow_channel_and_purpose() {
        let s = ContactSettings::default();
        assert_eq!(
            lifetime_ms(&s, Channel::Email, Purpose::VerifyContact),
            48 * 3_600_000
        );
        assert_eq!(
            lifetime_ms(&s, Channel::Sms, Purpose::VerifyContact),
            15 * 60_000
        );
        assert_eq!(
            lifetime_ms(&s, Channel::Email, Purpose::ResetPassword),
            30 * 60_000
        );
        assert_eq!(
            lifetime_ms(&s, Channel::Sms, Purpose::ResetPassword),
            15 * 60_000
        );
    }

    #[test]
    fn channels_round_trip_and_unspecified_is_none() {
        for c in [Channel::Email, Channel::Sms] {
            assert_eq!(Channel::from_proto(c.to_proto() as i32), Some(c));
        }
        assert_eq!(Channel::from_proto(0), None);
        assert_eq!(Channel::from_proto(9), None);
    }

    #[test]
    fn verification_needs_an_unverified_contact() {
        assert_eq!(check_verifiable(false, false), Err(Rule::ContactMissing));
        assert_eq!(
            check_verifiable(true, true),
            Err(Rule::ContactAlreadyVerified)
        );
        assert_eq!(check_verifiable(true, false), Ok(()));
        assert_eq!(
            check_changed(Some("a@b.ma"), "a@b.ma"),
            Err(Rule::ContactUnchanged)
        );
        assert_eq!(check_changed(None, "a@b.ma"), Ok(()));
    }
}
