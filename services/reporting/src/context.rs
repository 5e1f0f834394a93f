//! What every RPC handler needs: the database, the clock, the commitments and the consumers.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_errors::Error;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::{Database, Transaction};

use crate::{commitments::CommitmentsFile, consumers::Consumers, settings::Settings};

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    pub region: Arc<Region>,
    pub commitments: Arc<CommitmentsFile>,
    pub(crate) consumers: Arc<Consumers>,
    pub settings: Arc<Settings>,
}

impl Context {
    pub fn now(&self) -> i64 {
        self.writer.now()
    }

    pub async fn begin(&self) -> Result<Transaction, Error> {
        self.writer.begin().await
    }

    pub async fn commit(&self, tx: Transaction) -> Result<(), Error> {
        self.writer.commit(tx).await
    }
}
