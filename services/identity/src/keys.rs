//! The token signing keys: stored sealed in the database so every replica signs with the same
//! key, rotated on a schedule with overlap, and published through `GetKeySet`.
//!
//! A retired key stays published until every token it signed has expired; then it is deleted.

use std::sync::{Arc, RwLock};

use sqlx::FromRow;
use tachawor_auth::{SigningKey, Verifier};
use tachawor_proto::identity::PublicKey;
use tachawor_storage::{Clock, Database};

use crate::{protect::Sealer, settings::TokenSettings};

const SEAL_CONTEXT: &[u8] = b"tachawor.identity.signing_key";

#[derive(Debug, FromRow)]
struct KeyRow {
    kid: String,
    private_key_ciphertext: Vec<u8>,
    created_at: i64,
    retired_at: Option<i64>,
}

pub struct KeyStore {
    db: Database,
    sealer: Sealer,
    clock: Arc<dyn Clock>,
    settings: TokenSettings,
    /// Identity verifies its own tokens with the same keys it publishes.
    verifier: Verifier,
    state: RwLock<State>,
}

struct State {
    signing: Arc<SigningKey>,
    signing_since: i64,
    published: Vec<PublicKey>,
}

impl KeyStore {
    /// Loads the keys, creating the first one on a new database.
    pub async fn open(
        db: Database,
        sealer: Sealer,
        clock: Arc<dyn Clock>,
        settings: TokenSettings,
        verifier: Verifier,
    ) -> anyhow::Result<Self> {
        let first = SigningKey::generate();
        let store = Self {
            db,
            sealer,
            clock,
            settings,
            verifier,
            state: RwLock::new(State {
                signing: Arc::new(first),
                signing_since: 0,
                published: Vec::new(),
            }),
        };
        if !store.reload().await? {
            store.rotate().await?;
        }
        Ok(store)
    }

    /// How long a retired key must stay published: the longest token lifetime plus a margin.
    fn overlap_millis(&self) -> i64 {
        (self.settings.access_ttl_secs.max(self.settings.service_token_ttl_secs) + 120) * 1000
    }

    /// Reads the keys again (another replica may have rotated). False when there is none.
    pub async fn reload(&self) -> anyhow::Result<bool> {
        let now = self.clock.now_millis();
        let rows: Vec<KeyRow> = sqlx::query_as(
            "SELECT kid, private_key_ciphertext, created_at, retired_at FROM signing_keys \
             WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC, kid",
        )
        .bind(now - self.overlap_millis())
        .fetch_all(self.db.pool())
        .await?;
        let mut keys = Vec::with_capacity(rows.len());
        for row in &rows {
            let der = self
                .sealer
                .open(&row.private_key_ciphertext, SEAL_CONTEXT)
                .map_err(|e| anyhow::anyhow!("signing key {}: {e}", row.kid))?;
            keys.push((SigningKey::from_pkcs8_der(&row.kid, &der)?, row));
        }
        let Some(active) = keys.iter().position(|(_, row)| row.retired_at.is_none()) else {
            return Ok(false);
        };
        let published: Vec<PublicKey> = keys.iter().map(|(k, _)| k.public_key()).collect();
        self.verifier.set_keys(&published);
        let signing_since = keys[active].1.created_at;
        let signing = keys.swap_remove(active).0;
        *self.state.write().expect("key state lock") = State {
            signing: Arc::new(signing),
            signing_since,
            published,
        };
        Ok(true)
    }

    /// Makes a new key the signing key; the others are retired but stay published for the
    /// overlap. Returns the new key's id.
    pub async fn rotate(&self) -> anyhow::Result<String> {
        let now = self.clock.now_millis();
        let key = SigningKey::generate();
        let sealed = self.sealer.seal(&key.to_pkcs8_der(), SEAL_CONTEXT);
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_key_ciphertext, public_x, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(key.kid())
        .bind(sealed)
        .bind(key.public_key().x)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at <= $1")
            .bind(now - self.overlap_millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let kid = key.kid().to_string();
        self.reload().await?;
        tracing::info!(kid, "signing key rotated");
        Ok(kid)
    }

    /// Rotates when the signing key is older than the rotation period.
    pub async fn rotate_if_due(&self) -> anyhow::Result<()> {
        let since = self.state.read().expect("key state lock").signing_since;
        if self.clock.now_millis() - since >= self.settings.signing_key_rotation_secs * 1000 {
            self.rotate().await?;
        }
        Ok(())
    }

    pub fn signing_key(&self) -> Arc<SigningKey> {
        self.state.read().expect("key state lock").signing.clone()
    }

    pub fn published(&self) -> Vec<PublicKey> {
        self.state.read().expect("key state lock").published.clone()
    }
}
