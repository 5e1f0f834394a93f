//! What every RPC handler needs: the database, the writer, keys, the region and settings.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_auth::Claims;
use tachawor_errors::Error;
use tachawor_proto::catalogue::EventType;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::{Database, Transaction};

use crate::{
    domain,
    keys::KeyStore,
    passwords::Passwords,
    protect::{Fingerprinter, Sealer},
    settings::Settings,
};

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    pub passwords: Passwords,
    /// Seals national ID numbers.
    pub cin_sealer: Sealer,
    /// Keyed fingerprints of national ID numbers, for uniqueness.
    pub cin_fingerprints: Fingerprinter,
    pub keys: Arc<KeyStore>,
    pub region: Arc<Region>,
    pub settings: Arc<Settings>,
}

impl Context {
    pub fn now(&self) -> i64 {
        self.writer.now()
    }

    /// Today's date (UTC), `YYYY-MM-DD`, for memberships and mandates.
    pub fn today(&self) -> String {
        domain::date_of_millis(self.now())
    }

    pub async fn begin(&self) -> Result<Transaction, Error> {
        self.writer.begin().await
    }

    /// Commits and wakes the outbox relay.
    pub async fn commit(&self, tx: Transaction) -> Result<(), Error> {
        self.writer.commit(tx).await
    }

    /// Writes an event to the outbox inside `tx`.
    pub async fn emit<M: prost::Name>(
        &self,
        tx: &mut Transaction,
        event_type: EventType<M>,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<(), Error> {
        self.writer
            .emit(tx, event_type, aggregate_id, payload)
            .await
    }

    /// Signs claims with the current key.
    pub fn sign(&self, claims: &Claims) -> Result<String, Error> {
        self.keys
            .signing_key()
            .sign(claims)
            .map_err(Error::internal)
    }
}
