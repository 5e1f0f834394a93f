//! Who is calling: what a handler asks before doing anything on someone's behalf.
//!
//! ```
//! use tachawor_auth::{Caller, Role};
//!
//! fn verify_account(request: tonic::Request<()>) -> Result<(), tonic::Status> {
//!     let staff = Caller::of(&request).require_any(&[Role::CouncilStaff, Role::Administrator])?;
//!     let _body = request.into_inner(); // the caller is owned: the request stays free to consume
//!     assert!(!staff.account_id.is_empty());
//!     Ok(())
//! }
//! let refused = verify_account(tonic::Request::new(())).unwrap_err();
//! assert_eq!(refused.code(), tonic::Code::Unauthenticated);
//! ```

use std::collections::BTreeSet;

use tachawor_errors::Error;

use crate::claims::{Claims, SubjectKind};
use crate::role::Role;

/// The caller of an RPC, as [`crate::AuthInterceptor`] established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No bearer token was presented.
    Anonymous,
    /// A person, with a valid access token.
    Account(AccountCaller),
    /// Another Tachawor service, with a valid service token.
    Service(ServiceCaller),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCaller {
    pub account_id: String,
    pub roles: BTreeSet<Role>,
    /// What the roles apply to: `instance:<uuid>`, `association:<uuid>`.
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCaller {
    /// The service's client id.
    pub name: String,
}

impl Caller {
    /// The caller of `request`; `Anonymous` when no interceptor recorded one.
    pub fn of<T>(request: &tonic::Request<T>) -> Caller {
        request
            .extensions()
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller::Anonymous)
    }

    /// The caller a verified token describes. Role names this version does not know are ignored.
    pub fn from_claims(claims: Claims) -> Caller {
        match claims.kind {
            SubjectKind::Service => Caller::Service(ServiceCaller { name: claims.sub }),
            SubjectKind::Account => Caller::Account(AccountCaller {
                account_id: claims.sub,
                roles: claims.roles.iter().filter_map(|r| r.parse().ok()).collect(),
                scopes: claims.scopes,
            }),
        }
    }

    /// A person's account: anonymous is `UNAUTHENTICATED`, a service `PERMISSION_DENIED`.
    pub fn account(self) -> Result<AccountCaller, Error> {
        match self {
            Caller::Account(account) => Ok(account),
            Caller::Anonymous => Err(unauthenticated()),
            Caller::Service(_) => Err(Error::PermissionDenied(
                "this call is for end users only".into(),
            )),
        }
    }

    /// A person's account holding at least one of `roles`; otherwise `PERMISSION_DENIED`
    /// (`UNAUTHENTICATED` when anonymous).
    pub fn require_any(self, roles: &[Role]) -> Result<AccountCaller, Error> {
        let account = self.account()?;
        if roles.iter().any(|r| account.has(*r)) {
            return Ok(account);
        }
        let names: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
        Err(Error::PermissionDenied(format!(
            "requires one of the roles: {}",
            names.join(", ")
        )))
    }

    /// Another service: an end-user token is `PERMISSION_DENIED`, anonymous `UNAUTHENTICATED`.
    pub fn service(self) -> Result<ServiceCaller, Error> {
        match self {
            Caller::Service(service) => Ok(service),
            Caller::Anonymous => Err(unauthenticated()),
            Caller::Account(_) => Err(Error::PermissionDenied(
                "this call is for services only".into(),
            )),
        }
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self, Caller::Anonymous)
    }
}

impl AccountCaller {
    /// Whether the account is council staff or an administrator.
    pub fn is_staff(&self) -> bool {
        crate::role::STAFF.iter().any(|r| self.has(*r))
    }

    /// Whether the account reads what staff read: staff, administrators and observers.
    pub fn reads_as_staff(&self) -> bool {
        crate::role::STAFF_READ.iter().any(|r| self.has(*r))
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

fn unauthenticated() -> Error {
    Error::Unauthenticated("sign in required".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::instance_scope;
    use tonic::Code;

    fn account(roles: &[Role]) -> Caller {
        Caller::Account(AccountCaller {
            account_id: "a1".into(),
            roles: roles.iter().copied().collect(),
            scopes: vec![instance_scope("i1")],
        })
    }

    fn service() -> Caller {
        Caller::Service(ServiceCaller {
            name: "consultation".into(),
        })
    }

    fn code<T>(result: Result<T, Error>) -> Code {
        match result {
            Ok(_) => Code::Ok,
            Err(e) => tonic::Status::from(e).code(),
        }
    }

    #[test]
    fn account_admits_accounts_only() {
        assert_eq!(account(&[]).account().unwrap().account_id, "a1");
        assert_eq!(code(Caller::Anonymous.account()), Code::Unauthenticated);
        assert_eq!(code(service().account()), Code::PermissionDenied);
    }

    #[test]
    fn require_any_needs_one_of_the_roles() {
        let staff_or_admin = [Role::CouncilStaff, Role::Administrator];
        let staff = account(&[Role::Citizen, Role::CouncilStaff]);
        assert!(
            staff
                .require_any(&staff_or_admin)
                .unwrap()
                .has(Role::CouncilStaff)
        );
        assert_eq!(
            code(account(&[Role::Administrator]).require_any(&staff_or_admin)),
            Code::Ok
        );
        assert_eq!(
            code(account(&[Role::Citizen]).require_any(&staff_or_admin)),
            Code::PermissionDenied
        );
        assert_eq!(code(account(&[]).require_any(&[])), Code::PermissionDenied);
        assert_eq!(
            code(Caller::Anonymous.require_any(&staff_or_admin)),
            Code::Unauthenticated
        );
        assert_eq!(
            code(service().require_any(&staff_or_admin)),
            Code::PermissionDenied
        );
    }

    #[test]
    fn service_admits_services_only() {
        assert_eq!(service().service().unwrap().name, "consultation");
        assert_eq!(code(Caller::Anonymous.service()), Code::Unauthenticated);
        assert_eq!(
            code(account(&[Role::Administrator]).service()),
            Code::PermissionDenied
        );
    }

    #[test]
    fn scopes_match_exactly() {
        let caller = account(&[Role::InstanceMember]).account().unwrap();
        assert!(caller.has_scope("instance:i1"));
        assert!(!caller.has_scope("instance:i"));
        assert!(!caller.has_scope("association:i1"));
    }

    #[test]
    fn claims_become_callers_and_unknown_roles_are_ignored() {
        let claims = |kind, roles: &[&str]| Claims {
            iss: "i".into(),
            aud: "a".into(),
            sub: "s1".into(),
            exp: 2,
            nbf: 0,
            iat: 0,
            jti: "j".into(),
            kind,
            roles: roles.iter().map(|r| r.to_string()).collect(),
            scopes: vec!["association:x".into()],
        };
        let caller = Caller::from_claims(claims(SubjectKind::Account, &["citizen", "emperor"]));
        assert_eq!(
            caller,
            Caller::Account(AccountCaller {
                account_id: "s1".into(),
                roles: BTreeSet::from([Role::Citizen]),
                scopes: vec!["association:x".into()],
            })
        );
        let caller = Caller::from_claims(claims(SubjectKind::Service, &["administrator"]));
        assert_eq!(caller, Caller::Service(ServiceCaller { name: "s1".into() }));
    }

    #[test]
    fn a_request_without_a_recorded_caller_is_anonymous() {
        let mut request = tonic::Request::new(());
        assert_eq!(Caller::of(&request), Caller::Anonymous);
        request.extensions_mut().insert(service());
        assert_eq!(Caller::of(&request), service());
    }
}
