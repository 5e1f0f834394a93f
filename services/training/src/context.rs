//! What every RPC handler needs: the database, the writer, eligibility, the region and settings.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_errors::Error;
use tachawor_proto::catalogue::EventType;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::{Database, Transaction};

use crate::{domain, eligibility::Eligibility, registrar::Registrar, settings::Settings};

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    pub eligibility: Eligibility,
    pub region: Arc<Region>,
    pub settings: Arc<Settings>,
    /// Combines concurrent registrations for a session into one transaction.
    pub registrar: Registrar,
}

impl Context {
    pub fn now(&self) -> i64 {
        self.writer.now()
    }

    /// Today at the venue, `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        domain::local_day(self.now(), self.settings.training.utc_offset_minutes)
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
}
