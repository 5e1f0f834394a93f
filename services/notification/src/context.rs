//! What every RPC handler needs: the database and the writer.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_runtime::Writer;
use tachawor_storage::Database;

use crate::settings::Settings;

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    pub settings: Arc<Settings>,
}

tachawor_runtime::writes_through!(Context);
