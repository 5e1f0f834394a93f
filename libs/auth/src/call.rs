//! Who is calling and from where, as a handler sees it.

use std::net::IpAddr;

use tachawor_errors::Error;

use crate::{AccountCaller, Caller, Role, ServiceCaller};

/// The caller and peer address of one request, taken before the request is consumed.
#[derive(Debug, Clone)]
pub struct Call {
    pub caller: Caller,
    /// For per-peer limits; never logged.
    pub peer: Option<IpAddr>,
}

impl Call {
    pub fn of<T>(request: &tonic::Request<T>) -> Self {
        Self {
            caller: Caller::of(request),
            peer: request.remote_addr().map(|a| a.ip()),
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
