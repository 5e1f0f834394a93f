//! Keys, claims and hand-made tokens shared by the tests.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use tachawor_auth::{Claims, SigningKey, SubjectKind, Verifier, VerifierSettings};
use tachawor_storage::ManualClock;

/// A fixed "now" for verifiers on a manual clock, in unix seconds.
pub const NOW: i64 = 1_800_000_000;

pub fn claims(now: i64) -> Claims {
    Claims {
        iss: "tachawor-identity".into(),
        aud: "tachawor".into(),
        sub: "0190f3a2-7c4e-7b1a-9d2e-3f4a5b6c7d8e".into(),
        exp: now + 900,
        nbf: now,
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        kind: SubjectKind::Account,
        roles: vec!["citizen".into()],
        scopes: vec![],
    }
}

pub fn service_claims(now: i64, name: &str) -> Claims {
    Claims {
        sub: name.into(),
        kind: SubjectKind::Service,
        roles: vec![],
        ..claims(now)
    }
}

/// A verifier on a manual clock set to [`NOW`], trusting `keys`.
pub fn verifier_at_now(keys: &[&SigningKey]) -> (Verifier, ManualClock) {
    let clock = ManualClock::new(NOW * 1000);
    let verifier = Verifier::with_clock(&VerifierSettings::default(), Arc::new(clock.clone()));
    let published: Vec<_> = keys.iter().map(|k| k.public_key()).collect();
    assert_eq!(verifier.set_keys(&published), keys.len());
    (verifier, clock)
}

/// The current wall-clock time in unix seconds.
pub fn wall_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Signs any claims with `key` under any header, bypassing `SigningKey::sign`'s fixed header.
pub fn sign_with_header(
    key: &SigningKey,
    header: &Header,
    claims: &impl serde::Serialize,
) -> String {
    let encoding = EncodingKey::from_ed_der(&key.to_pkcs8_der());
    jsonwebtoken::encode(header, claims, &encoding).unwrap()
}

/// The header `SigningKey::sign` uses, to vary one field at a time.
pub fn access_header(kid: &str) -> Header {
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some("at+jwt".into());
    header.kid = Some(kid.into());
    header
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The three dot-separated parts of a token.
pub fn parts(token: &str) -> [String; 3] {
    let p: Vec<_> = token.split('.').map(str::to_string).collect();
    p.try_into().expect("three parts")
}
