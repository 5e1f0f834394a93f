//! The server interceptor turns the `authorization` header into a `Caller`, or refuses the call.

use std::collections::BTreeSet;

use tachawor_auth::{AccountCaller, AuthInterceptor, BearerInterceptor, Caller, Role, SigningKey};
use tonic::service::Interceptor;
use tonic::{Code, Request};

use crate::helpers::*;

fn with_authorization(value: &str) -> Request<()> {
    let mut request = Request::new(());
    request
        .metadata_mut()
        .insert("authorization", value.parse().unwrap());
    request
}

fn intercept(interceptor: &mut AuthInterceptor, request: Request<()>) -> Result<Caller, Code> {
    interceptor
        .call(request)
        .map(|r| {
            r.extensions()
                .get::<Caller>()
                .cloned()
                .expect("caller recorded")
        })
        .map_err(|status| status.code())
}

#[test]
fn no_header_is_anonymous() {
    let (verifier, _) = verifier_at_now(&[]);
    let mut interceptor = AuthInterceptor::new(verifier);
    assert_eq!(
        intercept(&mut interceptor, Request::new(())),
        Ok(Caller::Anonymous)
    );
}

#[test]
fn an_account_token_gives_an_account_caller() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let mut interceptor = AuthInterceptor::new(verifier);
    let mut claims = claims(NOW);
    claims.roles = vec!["citizen".into(), "instance_member".into()];
    claims.scopes = vec!["instance:i-1".into()];
    let token = key.sign(&claims).unwrap();

    for scheme in ["Bearer", "bearer", "BEARER"] {
        let caller = intercept(
            &mut interceptor,
            with_authorization(&format!("{scheme} {token}")),
        );
        assert_eq!(
            caller,
            Ok(Caller::Account(AccountCaller {
                account_id: claims.sub.clone(),
                roles: BTreeSet::from([Role::Citizen, Role::InstanceMember]),
                scopes: vec!["instance:i-1".into()],
            }))
        );
    }
}

#[test]
fn a_service_token_gives_a_service_caller() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let mut interceptor = AuthInterceptor::new(verifier);
    let token = key.sign(&service_claims(NOW, "reporting")).unwrap();
    let caller = intercept(
        &mut interceptor,
        with_authorization(&format!("Bearer {token}")),
    );
    assert_eq!(caller.unwrap().service().unwrap().name, "reporting");
}

#[test]
fn an_invalid_header_is_unauthenticated_at_once() {
    let key = SigningKey::generate();
    let stranger = SigningKey::generate();
    let (verifier, clock) = verifier_at_now(&[&key]);
    let mut interceptor = AuthInterceptor::new(verifier);
    let valid = key.sign(&claims(NOW)).unwrap();
    let values = [
        "Bearer garbage".to_string(),
        "Bearer ".to_string(),
        "Bearer".to_string(),
        format!("Basic {valid}"),
        valid.clone(),
        format!("Bearer {}", stranger.sign(&claims(NOW)).unwrap()),
    ];
    for value in &values {
        assert_eq!(
            intercept(&mut interceptor, with_authorization(value)),
            Err(Code::Unauthenticated),
            "{value:?}"
        );
    }

    clock.set((NOW + 3600) * 1000);
    let status = interceptor
        .call(with_authorization(&format!("Bearer {valid}")))
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    assert_eq!(
        status.message(),
        "access token expired",
        "so the client refreshes"
    );
}

#[test]
fn a_non_ascii_header_is_unauthenticated() {
    let (verifier, _) = verifier_at_now(&[]);
    let mut interceptor = AuthInterceptor::new(verifier);
    let mut request = Request::new(());
    request.metadata_mut().insert(
        "authorization",
        tonic::metadata::MetadataValue::try_from(&b"Bearer \xff\xfe"[..]).unwrap(),
    );
    assert_eq!(
        intercept(&mut interceptor, request),
        Err(Code::Unauthenticated)
    );
}

#[test]
fn the_bearer_interceptor_presents_its_token() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let token = key.sign(&claims(NOW)).unwrap();
    let mut client_side = BearerInterceptor::new(&token).unwrap();
    let request = client_side.call(Request::new(())).unwrap();
    assert_eq!(
        request.metadata().get("authorization").unwrap(),
        format!("Bearer {token}").as_str()
    );
    let caller = intercept(&mut AuthInterceptor::new(verifier), request).unwrap();
    assert!(matches!(caller, Caller::Account(_)));

    assert!(BearerInterceptor::new("line\nbreak").is_err());
    assert!(!format!("{client_side:?}").contains(&token));
}

/// What `Call::of` makes of a request carrying `x-tachawor-client-address: <reported>`.
fn reported_peer(
    interceptor: &mut AuthInterceptor,
    token: Option<&str>,
    reported: &str,
) -> Option<std::net::IpAddr> {
    let mut request = match token {
        Some(token) => with_authorization(&format!("Bearer {token}")),
        None => Request::new(()),
    };
    request
        .metadata_mut()
        .insert(tachawor_auth::CLIENT_ADDRESS, reported.parse().unwrap());
    let request = interceptor.call(request).expect("accepted");
    tachawor_auth::Call::of(&request).peer
}

#[test]
fn only_a_trusted_front_may_report_the_client_address() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let mut interceptor = AuthInterceptor::new(verifier).trusting_fronts(["portal"]);
    let portal = key.sign(&service_claims(NOW, "portal")).unwrap();
    let reporting = key.sign(&service_claims(NOW, "reporting")).unwrap();
    let person = key.sign(&claims(NOW)).unwrap();

    assert_eq!(
        reported_peer(&mut interceptor, Some(&portal), "2001:db8::1"),
        Some("2001:db8::1".parse().unwrap())
    );
    assert_eq!(
        reported_peer(&mut interceptor, Some(&portal), " 192.0.2.7 "),
        Some("192.0.2.7".parse().unwrap())
    );
    // Not an address: ignored, not refused.
    assert_eq!(
        reported_peer(&mut interceptor, Some(&portal), "somewhere"),
        None
    );
    // Anyone else's header is ignored (the request here has no peer of its own).
    assert_eq!(reported_peer(&mut interceptor, None, "192.0.2.7"), None);
    assert_eq!(
        reported_peer(&mut interceptor, Some(&reporting), "192.0.2.7"),
        None
    );
    assert_eq!(
        reported_peer(&mut interceptor, Some(&person), "192.0.2.7"),
        None
    );
    // An interceptor trusting no front ignores the portal too.
    let (verifier, _) = verifier_at_now(&[&key]);
    let mut untrusting = AuthInterceptor::new(verifier);
    assert_eq!(
        reported_peer(&mut untrusting, Some(&portal), "192.0.2.7"),
        None
    );
}
