//! What every RPC handler needs: the database, the writer, identity, the region and settings.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_auth::{AccountCaller, Role};
use tachawor_errors::Error;
use tachawor_proto::catalogue::EventType;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::{Database, Transaction};

use tachawor_auth::EligibilityClient;

use crate::settings::Settings;

/// Council staff and administrators: who creates and steers.
pub const STAFF: &[Role] = &[Role::CouncilStaff, Role::Administrator];

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    /// Identity's internal RPCs (GetEligibility).
    pub identity: EligibilityClient,
    pub region: Arc<Region>,
    pub settings: Arc<Settings>,
}

impl Context {
    pub fn now(&self) -> i64 {
        self.writer.now()
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

    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, Error> {
        Ok(self.db.pool().acquire().await?)
    }
}

/// Whether a signed-in caller is staff.
pub fn is_staff(caller: Option<&AccountCaller>) -> bool {
    caller.is_some_and(|c| STAFF.iter().any(|r| c.has(*r)))
}

/// The caller when signed in as a person, else `None` (anonymous or another service).
pub fn person(call: &Call) -> Option<AccountCaller> {
    call.account().ok()
}
