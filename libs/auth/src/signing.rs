//! The identity service's private key: signs access tokens and publishes its public half.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::TryRngCore;
use tachawor_proto::identity::PublicKey;

use crate::claims::{ACCESS_TOKEN_TYPE, Claims};
use crate::error::AuthError;

/// An Ed25519 private key and the key id published with it.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    key: ed25519_dalek::SigningKey,
    /// The same key as PKCS#8, the form jsonwebtoken signs with.
    encoding: EncodingKey,
    /// Prepared once: `typ`, `alg` and `kid` never change for a key.
    header: Header,
}

impl SigningKey {
    /// A fresh key from the operating system's random source, with a random key id.
    pub fn generate() -> Self {
        let mut seed = [0u8; ed25519_dalek::SECRET_KEY_LENGTH];
        rand::rngs::OsRng
            .try_fill_bytes(&mut seed)
            .expect("operating system random source available");
        let kid = uuid::Uuid::new_v4().simple().to_string();
        Self::from_dalek(kid, ed25519_dalek::SigningKey::from_bytes(&seed))
            .expect("a fresh key encodes as PKCS#8")
    }

    /// Loads a key stored as a PKCS#8 DER document.
    pub fn from_pkcs8_der(kid: &str, der: &[u8]) -> Result<Self, AuthError> {
        check_kid(kid)?;
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map_err(|e| AuthError::InvalidKey(format!("not an Ed25519 PKCS#8 key: {e}")))?;
        Self::from_dalek(kid.to_string(), key)
    }

    fn from_dalek(kid: String, key: ed25519_dalek::SigningKey) -> Result<Self, AuthError> {
        let der = key
            .to_pkcs8_der()
            .map_err(|e| AuthError::InvalidKey(e.to_string()))?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_string());
        header.kid = Some(kid.clone());
        Ok(Self {
            kid,
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            key,
            header,
        })
    }

    /// The key as a PKCS#8 DER document (private: store it encrypted).
    pub fn to_pkcs8_der(&self) -> Vec<u8> {
        self.key
            .to_pkcs8_der()
            .expect("an Ed25519 key encodes as PKCS#8")
            .as_bytes()
            .to_vec()
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public half as a JSON Web Key (RFC 8037), as `GetKeySet` publishes it.
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            kid: self.kid.clone(),
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            alg: "EdDSA".into(),
            x: URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes()),
        }
    }

    /// Signs `claims` as an access token: `{"typ":"at+jwt","alg":"EdDSA","kid":...}`.
    pub fn sign(&self, claims: &Claims) -> Result<String, AuthError> {
        jsonwebtoken::encode(&self.header, claims, &self.encoding)
            .map_err(|e| AuthError::Signing(e.to_string()))
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Key ids travel in token headers and key sets: keep them short and printable.
fn check_kid(kid: &str) -> Result<(), AuthError> {
    let printable = kid.bytes().all(|b| b.is_ascii_graphic());
    if kid.is_empty() || kid.len() > 128 || !printable {
        return Err(AuthError::InvalidKey(
            "key id must be 1 to 128 printable ASCII characters".into(),
        ));
    }
    Ok(())
}
