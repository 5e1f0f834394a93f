//! Where a message goes: identity's `GetDeliveryContact`, behind [`ContactBook`] so the
//! sending logic does not depend on how the contact is found.

use std::{sync::Arc, time::Duration};

use futures::future::BoxFuture;
use tachawor_auth::{IdentityClientSettings, ServiceIdentityClient, service_identity_client};
use tachawor_proto::{
    common::Locale,
    identity::{ContactChannel, GetDeliveryContactRequest},
};
use tachawor_storage::Clock;

use crate::delivery::render::Lang;

/// A person's contact on one channel. Personal data: its `Debug` shows none of it.
#[derive(Clone)]
pub struct Contact {
    /// The email address or phone number.
    pub address: String,
    /// The link's token or the code of identity's request; empty for notifications.
    pub secret: String,
    /// The language the person reads; `None` when identity knows none this service writes.
    pub lang: Option<Lang>,
    pub display_name: String,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

/// Why no contact was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// Nobody to send to (no consent, no verified contact, the request is no longer pending,
    /// the account is gone): the message is skipped, never retried.
    Nobody,
    /// identity could not answer now: try again later.
    Unavailable(String),
}

/// Finds the contact a message goes to.
pub trait ContactBook: Send + Sync + 'static {
    /// `account_id`'s contact on `channel` (email or phone): with `request_id`, the contact and secret of that
    /// pending request; without, the verified contact the person consented to messages on.
    fn contact<'a>(
        &'a self,
        account_id: &'a str,
        channel: ContactChannel,
        request_id: &'a str,
    ) -> BoxFuture<'a, Result<Contact, LookupError>>;
}

/// identity's `GetDeliveryContact`, called as this service.
pub struct IdentityContacts {
    client: ServiceIdentityClient,
    timeout: Duration,
}

impl IdentityContacts {
    pub fn new(
        settings: &IdentityClientSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, tachawor_errors::Error> {
        Ok(Self {
            client: service_identity_client(settings, clock)?,
            timeout: Duration::from_millis(settings.timeout_ms),
        })
    }
}

impl ContactBook for IdentityContacts {
    fn contact<'a>(
        &'a self,
        account_id: &'a str,
        channel: ContactChannel,
        request_id: &'a str,
    ) -> BoxFuture<'a, Result<Contact, LookupError>> {
        Box::pin(async move {
            let mut client = self.client.clone();
            let call = client.get_delivery_contact(GetDeliveryContactRequest {
                account_id: account_id.to_string(),
                channel: channel as i32,
                request_id: request_id.to_string(),
            });
            match tokio::time::timeout(self.timeout, call).await {
                Ok(Ok(answer)) => {
                    let answer = answer.into_inner();
                    Ok(Contact {
                        address: answer.address,
                        secret: answer.secret,
                        lang: match Locale::try_from(answer.locale) {
                            Ok(Locale::Ar) => Some(Lang::Ar),
                            Ok(Locale::Fr) => Some(Lang::Fr),
                            _ => None,
                        },
                        display_name: answer.display_name,
                    })
                }
                Ok(Err(status)) if status.code() == tonic::Code::NotFound => {
                    Err(LookupError::Nobody)
                }
                // identity's message may echo the request; the code is enough to act on.
                Ok(Err(status)) => Err(LookupError::Unavailable(format!(
                    "identity answered {:?}",
                    status.code()
                ))),
                Err(_) => Err(LookupError::Unavailable(
                    "identity did not answer in time".into(),
                )),
            }
        })
    }
}
