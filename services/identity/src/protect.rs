//! Protection of data at rest: AES-256-GCM sealing and HMAC-SHA256 fingerprints.
//!
//! The national ID number (CIN) is personal data under Law 09-08: it is stored only sealed, with
//! a keyed fingerprint for the one-verified-account-per-CIN rule. Signing keys are sealed too.

use aes_gcm::{
    Aes256Gcm, KeyInit, Nonce,
    aead::{Aead, Payload},
};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

const NONCE_LEN: usize = 12;

/// Decodes a base64 secret that must hold exactly 32 bytes.
pub fn key_bytes(name: &str, secret: &SecretString) -> anyhow::Result<[u8; 32]> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(secret.expose_secret().trim())
        .map_err(|_| anyhow::anyhow!("secrets.{name} must be base64"))?;
    raw.try_into().map_err(|_| {
        anyhow::anyhow!(
            "secrets.{name} must be 32 bytes (generate one with `openssl rand -base64 32`)"
        )
    })
}

/// Seals and opens small values with AES-256-GCM; the nonce is stored in front of the output.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl Sealer {
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(&key.into()),
        }
    }

    /// `context` is bound to the ciphertext (associated data), so a value sealed for one purpose
    /// does not open for another.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .expect("AES-GCM encryption of a small value cannot fail");
        [nonce.as_slice(), &ciphertext].concat()
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> anyhow::Result<Vec<u8>> {
        anyhow::ensure!(sealed.len() > NONCE_LEN, "sealed value too short");
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at the nonce length");
        self.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .map_err(|_| anyhow::anyhow!("sealed value does not open with this key"))
    }
}

/// A keyed fingerprint: equal inputs give equal outputs, but only with the key.
#[derive(Clone)]
pub struct Fingerprinter {
    key: [u8; 32],
}

impl Fingerprinter {
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    pub fn fingerprint(&self, value: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key size");
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a high-entropy value (refresh tokens), in hex.
pub fn sha256_hex(value: &str) -> String {
    use sha2::Digest;
    hex(&Sha256::digest(value.as_bytes()))
}

/// Compares secrets without leaking, through timing, how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::Digest;
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// A random token of 32 bytes, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A Moroccan national ID number in canonical form (upper case, no spaces): one or two letters
/// then digits. `None` when it does not look like one.
pub fn normalise_cin(raw: &str) -> Option<String> {
    let cin: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let letters = cin.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = &cin[letters..];
    ((1..=2).contains(&letters)
        && (1..=8).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit()))
    .then_some(cin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_key_and_context() {
        let sealer = Sealer::new([7; 32]);
        let sealed = sealer.seal(b"AB123456", b"cin");
        assert!(!sealed.windows(8).any(|w| w == b"AB123456"));
        assert_eq!(sealer.open(&sealed, b"cin").unwrap(), b"AB123456");
        assert!(sealer.open(&sealed, b"other").is_err());
        assert!(Sealer::new([8; 32]).open(&sealed, b"cin").is_err());
        assert_ne!(sealed, sealer.seal(b"AB123456", b"cin"), "nonces are fresh");
    }

    #[test]
    fn fingerprints_are_stable_and_keyed() {
        let a = Fingerprinter::new([1; 32]);
        assert_eq!(a.fingerprint("AB123456"), a.fingerprint("AB123456"));
        assert_ne!(
            a.fingerprint("AB123456"),
            Fingerprinter::new([2; 32]).fingerprint("AB123456")
        );
        assert_eq!(a.fingerprint("x").len(), 64);
    }

    #[test]
    fn cins_are_normalised_or_refused() {
        assert_eq!(normalise_cin(" ab 123456 ").as_deref(), Some("AB123456"));
        assert_eq!(normalise_cin("J123456").as_deref(), Some("J123456"));
        assert_eq!(normalise_cin("123456"), None);
        assert_eq!(normalise_cin("ABC123"), None);
        assert_eq!(normalise_cin("AB12C4"), None);
        assert_eq!(normalise_cin("AB"), None);
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        let good = SecretString::from(base64::engine::general_purpose::STANDARD.encode([3u8; 32]));
        assert_eq!(key_bytes("k", &good).unwrap(), [3u8; 32]);
        let short = SecretString::from(base64::engine::general_purpose::STANDARD.encode([3u8; 16]));
        assert!(key_bytes("k", &short).is_err());
        assert!(key_bytes("k", &SecretString::from("not base64!".to_string())).is_err());
    }
}
