//! The token signing keys: stored sealed in the database so every replica signs with the same
//! key, rotated on a schedule, and published through `GetKeySet`.
//!
//! A new key is published at once but signs only after `signing_key_prepublish_secs`, so every
//! verifier has fetched it before meeting a token it signed. A key stays published until the
//! tokens it signed have expired (its successor's activation plus the longest token lifetime);
//! then it is deleted.

use std::sync::{Arc, RwLock};

use tachawor_auth::{SigningKey, Verifier};
use tachawor_proto::identity::PublicKey;
use tachawor_storage::{Clock, Database};

use crate::{
    protect::Sealer,
    settings::TokenSettings,
    store::keys::{self as store, NewKey},
};

const SEAL_CONTEXT: &[u8] = b"tachawor.identity.signing_key";

pub struct KeyStore {
    db: Database,
    sealer: Sealer,
    clock: Arc<dyn Clock>,
    settings: TokenSettings,
    /// Identity verifies its own tokens with the same keys it publishes.
    verifier: Verifier,
    /// Published keys, oldest activation first.
    keys: RwLock<Vec<(i64, Arc<SigningKey>)>>,
}

impl KeyStore {
    /// Loads the keys; on a new database creates the first one, active at once.
    pub async fn open(
        db: Database,
        sealer: Sealer,
        clock: Arc<dyn Clock>,
        settings: TokenSettings,
        verifier: Verifier,
    ) -> anyhow::Result<Self> {
        let store = Self {
            db,
            sealer,
            clock,
            settings,
            verifier,
            keys: RwLock::new(Vec::new()),
        };
        store.reload().await?;
        if store.keys.read().expect("keys lock").is_empty() {
            store.insert_key(0).await?;
        }
        Ok(store)
    }

    /// How long a superseded key stays published: the longest token lifetime plus a margin.
    fn overlap_millis(&self) -> i64 {
        (self
            .settings
            .access_ttl_secs
            .max(self.settings.service_token_ttl_secs)
            + 120)
            * 1000
    }

    /// Reads the keys again (another replica may have rotated) and drops expired ones.
    pub async fn reload(&self) -> anyhow::Result<()> {
        let now = self.clock.now_millis();
        let mut conn = self.db.pool().acquire().await?;
        let rows = store::all(&mut conn).await?;
        drop(conn);
        let mut keys = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            // Superseded when the next key activated; published until the overlap has passed.
            let superseded_at = rows.get(i + 1).map(|next| next.activates_at);
            if superseded_at.is_some_and(|at| at <= now - self.overlap_millis()) {
                continue;
            }
            let der = self
                .sealer
                .open(&row.private_key_ciphertext, SEAL_CONTEXT)
                .map_err(|e| anyhow::anyhow!("signing key {}: {e}", row.kid))?;
            let key = SigningKey::from_pkcs8_der(&row.kid, &der)?;
            keys.push((row.activates_at, Arc::new(key)));
        }
        let published: Vec<PublicKey> = keys.iter().map(|(_, k)| k.public_key()).collect();
        self.verifier.set_keys(&published);
        *self.keys.write().expect("keys lock") = keys;
        Ok(())
    }

    async fn insert_key(&self, prepublish_secs: i64) -> anyhow::Result<String> {
        let now = self.clock.now_millis();
        let key = SigningKey::generate();
        let sealed = self.sealer.seal(&key.to_pkcs8_der(), SEAL_CONTEXT);
        let mut tx = self.db.begin().await?;
        let new = NewKey {
            kid: key.kid(),
            private_key_ciphertext: sealed,
            public_x: key.public_key().x,
            activates_at: now + prepublish_secs * 1000,
        };
        store::insert(&mut tx, new, now).await?;
        // Keys superseded longer ago than the overlap sign nothing still valid.
        store::delete_superseded(&mut tx, now - self.overlap_millis()).await?;
        tx.commit().await?;
        let kid = key.kid().to_string();
        self.reload().await?;
        tracing::info!(kid, prepublish_secs, "signing key created");
        Ok(kid)
    }

    /// Creates the next key: published now, signing after the pre-publication delay.
    pub async fn rotate(&self) -> anyhow::Result<String> {
        self.insert_key(self.settings.signing_key_prepublish_secs)
            .await
    }

    /// Rotates when the newest key is older than the rotation period.
    pub async fn rotate_if_due(&self) -> anyhow::Result<()> {
        let newest = self
            .keys
            .read()
            .expect("keys lock")
            .last()
            .map(|(at, _)| *at)
            .unwrap_or(i64::MIN);
        if self.clock.now_millis() - newest >= self.settings.signing_key_rotation_secs * 1000 {
            self.rotate().await?;
        }
        Ok(())
    }

    /// The key that signs now: the latest one already active.
    pub fn signing_key(&self) -> Arc<SigningKey> {
        let now = self.clock.now_millis();
        let keys = self.keys.read().expect("keys lock");
        keys.iter()
            .rev()
            .find(|(at, _)| *at <= now)
            .or(keys.first())
            .map(|(_, k)| k.clone())
            .expect("the store always holds a key")
    }

    pub fn published(&self) -> Vec<PublicKey> {
        self.keys
            .read()
            .expect("keys lock")
            .iter()
            .map(|(_, k)| k.public_key())
            .collect()
    }
}
