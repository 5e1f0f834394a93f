//! Signing and verification: what passes, and everything that must not.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use tachawor_auth::{AuthError, SigningKey};

use crate::helpers::*;

#[test]
fn a_signed_token_verifies_to_its_claims() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let claims = claims(NOW);
    let token = key.sign(&claims).unwrap();

    assert_eq!(verifier.verify(&token), Ok(claims));
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.kid.as_deref(), Some(key.kid()));
}

#[test]
fn the_published_key_is_an_ed25519_jwk() {
    let key = SigningKey::generate();
    let public = key.public_key();
    assert_eq!(public.kid, key.kid());
    assert_eq!(
        (
            public.kty.as_str(),
            public.crv.as_str(),
            public.alg.as_str()
        ),
        ("OKP", "Ed25519", "EdDSA")
    );
    assert_eq!(public.x.len(), 43, "32 bytes, base64url without padding");
    assert!(!public.x.contains('='));
    assert_ne!(
        SigningKey::generate().kid(),
        key.kid(),
        "key ids are random"
    );
}

#[test]
fn a_key_survives_pkcs8_storage() {
    let key = SigningKey::generate();
    let restored = SigningKey::from_pkcs8_der(key.kid(), &key.to_pkcs8_der()).unwrap();
    assert_eq!(restored.public_key(), key.public_key());

    let (verifier, _) = verifier_at_now(&[&key]);
    let token = restored.sign(&claims(NOW)).unwrap();
    assert!(verifier.verify(&token).is_ok());

    assert!(matches!(
        SigningKey::from_pkcs8_der("k", b"not a key"),
        Err(AuthError::InvalidKey(_))
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_der("", &key.to_pkcs8_der()),
        Err(AuthError::InvalidKey(_))
    ));
    assert!(format!("{key:?}").contains(key.kid()));
}

#[test]
fn expiry_and_not_before_are_checked_with_the_leeway() {
    let key = SigningKey::generate();
    let (verifier, clock) = verifier_at_now(&[&key]);
    let token = key.sign(&claims(NOW)).unwrap(); // valid from NOW to NOW + 900

    clock.set((NOW + 900 + 30) * 1000);
    assert!(verifier.verify(&token).is_ok(), "within the 30 s leeway");
    clock.set((NOW + 900 + 31) * 1000);
    assert_eq!(verifier.verify(&token), Err(AuthError::Expired));

    clock.set((NOW - 30) * 1000);
    assert!(verifier.verify(&token).is_ok(), "within the 30 s leeway");
    clock.set((NOW - 31) * 1000);
    assert_eq!(verifier.verify(&token), Err(AuthError::NotYetValid));
}

#[test]
fn the_system_clock_is_used_by_default() {
    let key = SigningKey::generate();
    let verifier = tachawor_auth::Verifier::new(&Default::default());
    verifier.set_keys(&[key.public_key()]);
    let now = wall_now();
    assert!(verifier.verify(&key.sign(&claims(now)).unwrap()).is_ok());
    let mut old = claims(now - 3600);
    old.exp = now - 60;
    assert_eq!(
        verifier.verify(&key.sign(&old).unwrap()),
        Err(AuthError::Expired)
    );
}

#[test]
fn wrong_issuer_or_audience_is_refused() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let mut claims_ = claims(NOW);
    claims_.iss = "someone-else".into();
    assert_eq!(
        verifier.verify(&key.sign(&claims_).unwrap()),
        Err(AuthError::WrongIssuer)
    );
    let mut claims_ = claims(NOW);
    claims_.aud = "another-platform".into();
    assert_eq!(
        verifier.verify(&key.sign(&claims_).unwrap()),
        Err(AuthError::WrongAudience)
    );
}

#[test]
fn a_token_of_another_type_is_refused() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    for typ in [Some("JWT"), Some("id+jwt"), None] {
        let mut header = access_header(key.kid());
        header.typ = typ.map(str::to_string);
        let token = sign_with_header(&key, &header, &claims(NOW));
        assert_eq!(
            verifier.verify(&token),
            Err(AuthError::WrongType),
            "{typ:?}"
        );
    }
    let mut header = access_header(key.kid());
    header.typ = Some("application/AT+JWT".into());
    let token = sign_with_header(&key, &header, &claims(NOW));
    assert!(verifier.verify(&token).is_ok(), "media type form accepted");
}

#[test]
fn an_unknown_or_missing_kid_is_refused() {
    let trusted = SigningKey::generate();
    let stranger = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&trusted]);
    let token = stranger.sign(&claims(NOW)).unwrap();
    assert_eq!(
        verifier.verify(&token),
        Err(AuthError::UnknownKey {
            kid: stranger.kid().into()
        })
    );
    let mut header = access_header("x");
    header.kid = None;
    let token = sign_with_header(&trusted, &header, &claims(NOW));
    assert!(matches!(
        verifier.verify(&token),
        Err(AuthError::Malformed(_))
    ));
}

#[test]
fn alg_none_is_refused() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let header = json!({"alg": "none", "typ": "at+jwt", "kid": key.kid()});
    let payload = serde_json::to_vec(&claims(NOW)).unwrap();
    let unsigned = format!("{}.{}.", b64(header.to_string().as_bytes()), b64(&payload));
    let refused = verifier.verify(&unsigned).unwrap_err();
    assert!(refused.is_rejection(), "{refused:?}");
    // The same with the original signature kept.
    let signed = key.sign(&claims(NOW)).unwrap();
    let [_, body, signature] = parts(&signed);
    let forged = format!("{}.{body}.{signature}", b64(header.to_string().as_bytes()));
    assert!(verifier.verify(&forged).is_err());
}

#[test]
fn hmac_keyed_with_the_public_key_is_refused() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let public = key.public_key();
    let raw = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &public.x)
        .unwrap();
    for secret in [raw.as_slice(), public.x.as_bytes()] {
        for alg in [Algorithm::HS256, Algorithm::HS512] {
            let mut header = Header::new(alg);
            header.typ = Some("at+jwt".into());
            header.kid = Some(key.kid().into());
            let token =
                jsonwebtoken::encode(&header, &claims(NOW), &EncodingKey::from_secret(secret))
                    .unwrap();
            assert_eq!(
                verifier.verify(&token),
                Err(AuthError::AlgorithmNotAllowed),
                "{alg:?}"
            );
        }
    }
}

#[test]
fn a_tampered_payload_is_refused() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    let token = key.sign(&claims(NOW)).unwrap();
    let [header, _, signature] = parts(&token);
    let mut promoted = claims(NOW);
    promoted.roles.push("administrator".into());
    let body = b64(&serde_json::to_vec(&promoted).unwrap());
    assert_eq!(
        verifier.verify(&format!("{header}.{body}.{signature}")),
        Err(AuthError::BadSignature)
    );
    // A flipped signature bit too.
    let mut sig = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        &signature,
    )
    .unwrap();
    sig[0] ^= 1;
    let [header, body, _] = parts(&token);
    assert_eq!(
        verifier.verify(&format!("{header}.{body}.{}", b64(&sig))),
        Err(AuthError::BadSignature)
    );
}

#[test]
fn another_key_under_the_same_kid_is_refused() {
    let genuine = SigningKey::generate();
    let impostor_der = SigningKey::generate().to_pkcs8_der();
    let impostor = SigningKey::from_pkcs8_der(genuine.kid(), &impostor_der).unwrap();
    let (verifier, _) = verifier_at_now(&[&genuine]);
    assert_eq!(
        verifier.verify(&impostor.sign(&claims(NOW)).unwrap()),
        Err(AuthError::BadSignature)
    );
}

#[test]
fn garbage_and_incomplete_claims_are_refused() {
    let key = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&key]);
    for garbage in ["", "abc", "a.b.c", "..", "Bearer x", &"a".repeat(10_000)] {
        let refused = verifier.verify(garbage).unwrap_err();
        assert!(refused.is_rejection(), "{garbage:?}: {refused:?}");
    }
    let mut incomplete = serde_json::to_value(claims(NOW)).unwrap();
    incomplete.as_object_mut().unwrap().remove("kind");
    let token = sign_with_header(&key, &access_header(key.kid()), &incomplete);
    assert!(matches!(
        verifier.verify(&token),
        Err(AuthError::Malformed(_))
    ));
    let mut listed_audience = serde_json::to_value(claims(NOW)).unwrap();
    listed_audience["aud"] = json!(["tachawor", "other"]);
    let token = sign_with_header(&key, &access_header(key.kid()), &listed_audience);
    assert!(verifier.verify(&token).is_err());
}

#[test]
fn keys_rotate_with_overlap() {
    let old = SigningKey::generate();
    let new = SigningKey::generate();
    let (verifier, _) = verifier_at_now(&[&old]);
    let old_token = old.sign(&claims(NOW)).unwrap();
    let new_token = new.sign(&claims(NOW)).unwrap();
    assert!(verifier.verify(&new_token).is_err(), "not yet published");

    assert_eq!(verifier.set_keys(&[old.public_key(), new.public_key()]), 2);
    assert!(verifier.verify(&old_token).is_ok());
    assert!(verifier.verify(&new_token).is_ok());

    assert_eq!(verifier.set_keys(&[new.public_key()]), 1);
    assert_eq!(
        verifier.verify(&old_token),
        Err(AuthError::UnknownKey {
            kid: old.kid().into()
        })
    );
    assert!(verifier.verify(&new_token).is_ok());
    assert_eq!(verifier.kids(), vec![new.kid().to_string()]);
}

#[test]
fn unusable_published_keys_are_left_out() {
    let good = SigningKey::generate();
    let mut wrong_curve = SigningKey::generate().public_key();
    wrong_curve.crv = "X25519".into();
    let mut short = SigningKey::generate().public_key();
    short.x = b64(&[1u8; 16]);
    let mut not_base64 = SigningKey::generate().public_key();
    not_base64.x = "!!!".into();
    let mut wrong_alg = SigningKey::generate().public_key();
    wrong_alg.alg = "HS256".into();
    let mut small_order = SigningKey::generate().public_key();
    small_order.x = b64(&{
        let mut identity = [0u8; 32];
        identity[0] = 1;
        identity
    });
    let mut duplicate = SigningKey::generate().public_key();
    duplicate.kid = good.kid().into();

    let verifier = tachawor_auth::Verifier::new(&Default::default());
    let installed = verifier.set_keys(&[
        good.public_key(),
        wrong_curve,
        short,
        not_base64,
        wrong_alg,
        small_order,
        duplicate,
    ]);
    assert_eq!(installed, 1);
    assert_eq!(verifier.kids(), vec![good.kid().to_string()]);
    assert!(
        verifier
            .verify(&good.sign(&claims(wall_now())).unwrap())
            .is_ok()
    );
}
