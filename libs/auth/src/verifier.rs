//! Local verification of access tokens against identity's published keys.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tachawor_proto::identity::PublicKey;
use tachawor_server::ClientTlsSettings;
use tachawor_storage::{Clock, SystemClock};
use tokio::sync::watch;

use crate::claims::{ACCESS_TOKEN_TYPE, Claims};
use crate::error::AuthError;

/// How tokens are checked and where the keys come from (`[auth]` in a service's settings).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct VerifierSettings {
    /// The `iss` tokens must carry.
    pub issuer: String,
    /// The `aud` tokens must carry.
    pub audience: String,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    pub leeway_secs: u64,
    /// How often the key set is fetched again, in seconds.
    pub key_refresh_secs: u64,
    /// A token with an unknown `kid` triggers a fetch at most this often, in seconds, so forged
    /// key ids cannot hammer identity.
    pub min_refresh_interval_secs: u64,
    /// How long start-up waits for the first key set before giving up, in seconds.
    pub startup_timeout_secs: u64,
    /// The identity service's gRPC endpoint; `https://` fetches the key set over TLS.
    pub identity_url: String,
    /// TLS for `identity_url` (`[auth.tls]`): the CA identity's certificate must chain to, and
    /// this service's certificate when identity requires one.
    pub tls: ClientTlsSettings,
}

impl Default for VerifierSettings {
    fn default() -> Self {
        Self {
            issuer: "tachawor-identity".into(),
            audience: "tachawor".into(),
            leeway_secs: 30,
            key_refresh_secs: 300,
            min_refresh_interval_secs: 10,
            startup_timeout_secs: 30,
            identity_url: "http://127.0.0.1:50051".into(),
            tls: ClientTlsSettings::default(),
        }
    }
}

/// Tokens longer than this are refused before any parsing.
const MAX_TOKEN_LEN: usize = 8 * 1024;

/// Verifies access tokens. Cheap to clone: clones share the key set.
#[derive(Clone)]
pub struct Verifier {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) settings: VerifierSettings,
    /// Signature, `iss` and `aud` checks; times are checked against `clock` instead.
    validation: Validation,
    /// The published keys; a token's `kid` is resolved only against this set.
    keys: RwLock<Keys>,
    /// Tokens that passed every check but time under the current key set, with their claims: a
    /// client presents the same token on every call for minutes, and an Ed25519 verification
    /// costs far more than a lookup.
    verified: RwLock<Verified>,
    /// Marked when a token names a key we do not have, so the refresh task fetches early; marks
    /// coalesce until the task next fetches.
    pub(crate) unknown_key_seen: watch::Sender<()>,
    clock: Arc<dyn Clock>,
}

struct Keys {
    /// Bumped at each replacement, so a verification against an older set is not cached.
    generation: u64,
    by_kid: KeySet,
}

#[derive(Default)]
struct Verified {
    generation: u64,
    claims: HashMap<Box<str>, Claims>,
}

/// Bounds the cache of verified tokens (about a kilobyte each): a few thousand people active at
/// once each verified once, not at every call (an Ed25519 check costs more than most reads).
#[cfg(not(test))]
const MAX_VERIFIED: usize = 4096;
#[cfg(test)]
const MAX_VERIFIED: usize = 4;

impl Verifier {
    /// A verifier with an empty key set (every token refused until keys are set).
    pub fn new(settings: &VerifierSettings) -> Self {
        Self::with_clock(settings, Arc::new(SystemClock))
    }

    /// As [`Verifier::new`], reading the time from `clock` (tests move it).
    pub fn with_clock(settings: &VerifierSettings, clock: Arc<dyn Clock>) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Self {
            inner: Arc::new(Inner {
                settings: settings.clone(),
                validation,
                keys: RwLock::new(Keys {
                    generation: 0,
                    by_kid: HashMap::new(),
                }),
                verified: RwLock::new(Verified::default()),
                unknown_key_seen: watch::Sender::new(()),
                clock,
            }),
        }
    }

    pub fn settings(&self) -> &VerifierSettings {
        &self.inner.settings
    }

    /// Replaces the key set. Keys that are not usable Ed25519 JWKs, or repeat a `kid`, are left
    /// out with a warning; returns how many keys were installed.
    pub fn set_keys(&self, keys: &[PublicKey]) -> usize {
        let set = key_set(keys);
        let installed = set.len();
        self.install(set);
        installed
    }

    pub(crate) fn install(&self, set: KeySet) {
        let generation = {
            let mut keys = self.inner.keys.write().expect("key set lock poisoned");
            keys.generation += 1;
            keys.by_kid = set;
            keys.generation
        };
        let mut verified = self.inner.verified.write().expect("cache lock poisoned");
        verified.generation = generation;
        verified.claims.clear();
    }

    /// The key ids currently trusted.
    pub fn kids(&self) -> Vec<String> {
        let keys = self.inner.keys.read().expect("key set lock poisoned");
        let mut kids: Vec<_> = keys.by_kid.keys().cloned().collect();
        kids.sort();
        kids
    }

    /// Verifies an access token and returns its claims.
    ///
    /// Refused: any `alg` but EdDSA (so `none` and HMAC-with-the-public-key tricks fail), a `typ`
    /// other than `at+jwt`, a `kid` outside the key set, a bad signature, a wrong `iss` or `aud`,
    /// `exp` passed or `nbf` not reached (each with the configured leeway), missing claims.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let cached = self
            .inner
            .verified
            .read()
            .expect("cache lock poisoned")
            .claims
            .get(token)
            .cloned();
        if let Some(claims) = cached {
            self.check_times(&claims)?;
            return Ok(claims);
        }
        let (claims, generation) = self.verify_uncached(token)?;
        self.check_times(&claims)?;
        self.remember(token, &claims, generation);
        Ok(claims)
    }

    /// Every check but time, and the generation of the key set used.
    fn verify_uncached(&self, token: &str) -> Result<(Claims, u64), AuthError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(AuthError::Malformed("token too long".into()));
        }
        let header = jsonwebtoken::decode_header(token)?;
        if header.alg != Algorithm::EdDSA {
            return Err(AuthError::AlgorithmNotAllowed);
        }
        if !is_access_token_type(header.typ.as_deref()) {
            return Err(AuthError::WrongType);
        }
        if header.crit.is_some() {
            return Err(AuthError::Malformed("critical header extensions".into()));
        }
        let kid = header
            .kid
            .ok_or_else(|| AuthError::Malformed("no kid".into()))?;
        let (key, generation) = {
            let keys = self.inner.keys.read().expect("key set lock poisoned");
            (keys.by_kid.get(&kid).cloned(), keys.generation)
        };
        let Some(key) = key else {
            self.inner.unknown_key_seen.send_replace(());
            return Err(AuthError::UnknownKey { kid });
        };
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &self.inner.validation)?.claims;
        Ok((claims, generation))
    }

    fn remember(&self, token: &str, claims: &Claims, generation: u64) {
        let mut verified = self.inner.verified.write().expect("cache lock poisoned");
        // Keys were replaced since this token was checked: the cache belongs to the new set.
        if verified.generation != generation {
            return;
        }
        if verified.claims.len() >= MAX_VERIFIED {
            let now = self.now_secs();
            verified.claims.retain(|_, c| c.exp >= now);
            if verified.claims.len() >= MAX_VERIFIED {
                // Still full of live tokens: keep an arbitrary half, so more people than the
                // bound still find their token cached half the time rather than never.
                let mut kept = 0;
                verified.claims.retain(|_, _| {
                    kept += 1;
                    kept <= MAX_VERIFIED / 2
                });
            }
        }
        verified.claims.insert(token.into(), claims.clone());
    }

    fn now_secs(&self) -> i64 {
        self.inner.clock.now_millis().div_euclid(1000)
    }

    fn check_times(&self, claims: &Claims) -> Result<(), AuthError> {
        let now = self.now_secs();
        let leeway = i64::try_from(self.inner.settings.leeway_secs).unwrap_or(i64::MAX);
        if now > claims.exp.saturating_add(leeway) {
            return Err(AuthError::Expired);
        }
        if claims.nbf > now.saturating_add(leeway) {
            return Err(AuthError::NotYetValid);
        }
        Ok(())
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("settings", &self.inner.settings)
            .field("kids", &self.kids())
            .finish()
    }
}

/// Published keys by `kid`.
pub(crate) type KeySet = HashMap<String, Arc<DecodingKey>>;

/// The usable keys of a published set; unusable keys and repeated key ids are left out with a
/// warning.
pub(crate) fn key_set(keys: &[PublicKey]) -> KeySet {
    let mut set = HashMap::with_capacity(keys.len());
    for key in keys {
        if set.contains_key(&key.kid) {
            tracing::warn!(kid = %key.kid, "key set repeats a key id; later copy ignored");
            continue;
        }
        match decoding_key(key) {
            Ok(decoding) => {
                set.insert(key.kid.clone(), Arc::new(decoding));
            }
            Err(error) => tracing::warn!(kid = %key.kid, %error, "published key ignored"),
        }
    }
    set
}

/// RFC 9068 allows the media type spelled out too; media types compare case-insensitively.
fn is_access_token_type(typ: Option<&str>) -> bool {
    typ.is_some_and(|t| {
        t.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE) || t.eq_ignore_ascii_case("application/at+jwt")
    })
}

/// Checks a published key fully before jsonwebtoken sees it (its verifier slices the key bytes
/// without checking their length).
fn decoding_key(key: &PublicKey) -> Result<DecodingKey, AuthError> {
    if key.kid.is_empty() {
        return Err(AuthError::InvalidKey("empty kid".into()));
    }
    if key.kty != "OKP" || key.crv != "Ed25519" || !(key.alg.is_empty() || key.alg == "EdDSA") {
        return Err(AuthError::InvalidKey(format!(
            "not an Ed25519 signing key (kty {:?}, crv {:?}, alg {:?})",
            key.kty, key.crv, key.alg
        )));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(&key.x)
        .map_err(|e| AuthError::InvalidKey(format!("x is not base64url: {e}")))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| AuthError::InvalidKey("x is not 32 bytes".into()))?;
    let point = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| AuthError::InvalidKey("x is not a curve point".into()))?;
    if point.is_weak() {
        return Err(AuthError::InvalidKey("x is a small-order point".into()));
    }
    Ok(DecodingKey::from_ed_der(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::SubjectKind;
    use crate::signing::SigningKey;
    use tachawor_storage::ManualClock;

    const NOW: i64 = 1_800_000_000;

    fn claims(jti: usize, exp: i64) -> Claims {
        Claims {
            iss: "tachawor-identity".into(),
            aud: "tachawor".into(),
            sub: "a".into(),
            exp,
            nbf: NOW,
            iat: NOW,
            jti: jti.to_string(),
            kind: SubjectKind::Account,
            roles: vec![],
            scopes: vec![],
        }
    }

    fn cached(verifier: &Verifier) -> usize {
        verifier.inner.verified.read().unwrap().claims.len()
    }

    #[test]
    fn the_cache_stays_bounded_and_drops_expired_tokens_first() {
        let key = SigningKey::generate();
        let clock = ManualClock::new(NOW * 1000);
        let verifier = Verifier::with_clock(&VerifierSettings::default(), Arc::new(clock.clone()));
        verifier.set_keys(&[key.public_key()]);

        let short: Vec<_> = (0..3)
            .map(|i| key.sign(&claims(i, NOW + 10)).unwrap())
            .collect();
        let long = key.sign(&claims(3, NOW + 900)).unwrap();
        for token in short.iter().chain([&long]) {
            verifier.verify(token).unwrap();
        }
        assert_eq!(cached(&verifier), MAX_VERIFIED);

        clock.set((NOW + 60) * 1000);
        let another = key.sign(&claims(4, NOW + 900)).unwrap();
        verifier.verify(&another).unwrap();
        assert_eq!(
            cached(&verifier),
            2,
            "expired tokens evicted, live ones kept"
        );
        assert_eq!(verifier.verify(&short[0]), Err(AuthError::Expired));
        assert!(verifier.verify(&long).is_ok());
    }

    #[test]
    fn a_cache_full_of_live_tokens_keeps_half_of_them() {
        let key = SigningKey::generate();
        let clock = ManualClock::new(NOW * 1000);
        let verifier = Verifier::with_clock(&VerifierSettings::default(), Arc::new(clock));
        verifier.set_keys(&[key.public_key()]);
        let tokens: Vec<_> = (0..=MAX_VERIFIED)
            .map(|i| key.sign(&claims(i, NOW + 900)).unwrap())
            .collect();
        for token in &tokens[..MAX_VERIFIED] {
            verifier.verify(token).unwrap();
        }
        assert_eq!(cached(&verifier), MAX_VERIFIED);
        verifier.verify(&tokens[MAX_VERIFIED]).unwrap();
        assert_eq!(cached(&verifier), MAX_VERIFIED / 2 + 1);
        for token in &tokens {
            assert!(
                verifier.verify(token).is_ok(),
                "an evicted token is verified again"
            );
        }
    }

    #[test]
    fn a_check_against_replaced_keys_is_not_cached() {
        let key = SigningKey::generate();
        let clock = ManualClock::new(NOW * 1000);
        let verifier = Verifier::with_clock(&VerifierSettings::default(), Arc::new(clock));
        verifier.set_keys(&[key.public_key()]);
        let token = key.sign(&claims(0, NOW + 900)).unwrap();

        // A verification racing a key replacement: checked under the old set, stored after.
        let (checked, generation) = verifier.verify_uncached(&token).unwrap();
        verifier.set_keys(&[]);
        verifier.remember(&token, &checked, generation);
        assert_eq!(cached(&verifier), 0);
        assert!(matches!(
            verifier.verify(&token),
            Err(AuthError::UnknownKey { .. })
        ));

        verifier.set_keys(&[key.public_key()]);
        verifier.verify(&token).unwrap();
        assert_eq!(cached(&verifier), 1);
        verifier.set_keys(&[key.public_key()]);
        assert_eq!(cached(&verifier), 0, "any replacement empties the cache");
    }

    #[test]
    fn settings_have_defaults_for_every_key() {
        let settings: VerifierSettings =
            serde_json::from_str(r#"{"identity_url": "http://identity:50051"}"#).unwrap();
        assert_eq!(
            settings,
            VerifierSettings {
                identity_url: "http://identity:50051".into(),
                ..VerifierSettings::default()
            }
        );
        assert_eq!(settings.issuer, "tachawor-identity");
        assert_eq!(settings.audience, "tachawor");
        assert_eq!(settings.leeway_secs, 30);
        assert_eq!(settings.key_refresh_secs, 300);
        assert_eq!(settings.min_refresh_interval_secs, 10);
        assert_eq!(settings.startup_timeout_secs, 30);
    }
}
