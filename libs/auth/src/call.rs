//! Who is calling and from where, as a handler sees it.

use std::net::IpAddr;

use tachawor_errors::Error;

use crate::{AccountCaller, Caller, Role, ServiceCaller};

/// The metadata key in which a trusted front (the portal) names the address of the person it
/// calls for. Honoured only from a front authenticated with its service token and listed in
/// [`crate::AuthInterceptor::trusting_fronts`]; anyone else's is ignored.
pub const CLIENT_ADDRESS: &str = "x-tachawor-client-address";

/// The address of the person behind a call, as a trusted front reported it; recorded in the
/// request's extensions by [`crate::AuthInterceptor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The caller and peer address of one request, taken before the request is consumed.
#[derive(Debug, Clone)]
pub struct Call {
    pub caller: Caller,
    /// For per-client limits; never logged. The address a trusted front reported for the
    /// person it calls for, else the direct peer's.
    pub peer: Option<IpAddr>,
}

impl Call {
    pub fn of<T>(request: &tonic::Request<T>) -> Self {
        let reported = request.extensions().get::<ClientAddress>().map(|a| a.0);
        Self {
            caller: Caller::of(request),
            peer: reported.or_else(|| request.remote_addr().map(|a| a.ip())),
        }
    }

    /// The signed-in person; anonymous callers and services are refused.
    pub fn account(&self) -> Result<AccountCaller, Error> {
        self.caller.clone().account()
    }

    /// The signed-in person, who must hold one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<AccountCaller, Error> {
        self.caller.clone().require_any(roles)
    }

    /// Another service; end users are refused.
    pub fn service(&self) -> Result<ServiceCaller, Error> {
        self.caller.clone().service()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reported_address_wins_over_the_peer_and_none_means_none() {
        let mut request = tonic::Request::new(());
        assert_eq!(Call::of(&request).peer, None);
        let reported: IpAddr = "2001:db8::7".parse().unwrap();
        request.extensions_mut().insert(ClientAddress(reported));
        assert_eq!(Call::of(&request).peer, Some(reported));
    }
}
