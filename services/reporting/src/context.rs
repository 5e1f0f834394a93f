//! What every RPC handler needs: the database, the clock, the commitments and the consumers.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::Database;

use crate::{consumers::Consumers, settings::Settings, tracker::CommitmentsFile};

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    pub region: Arc<Region>,
    pub commitments: Arc<CommitmentsFile>,
    pub(crate) consumers: Arc<Consumers>,
    pub settings: Arc<Settings>,
}

tachawor_runtime::writes_through!(Context);
