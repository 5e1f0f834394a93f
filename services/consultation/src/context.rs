//! What every RPC handler needs: the database, the writer, identity, the region and settings.

use std::sync::Arc;

use tachawor_auth::AccountCaller;
pub use tachawor_auth::Call;
use tachawor_errors::Error;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::Database;

use tachawor_auth::EligibilityClient;

use crate::settings::Settings;

pub use tachawor_auth::{STAFF, STAFF_READ};

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    /// Identity's internal RPCs (GetEligibility).
    pub identity: EligibilityClient,
    pub region: Arc<Region>,
    pub settings: Arc<Settings>,
    /// Attachments' bytes.
    pub documents: tachawor_documents::Documents,
}

tachawor_runtime::writes_through!(Context);

impl Context {
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, Error> {
        Ok(self.db.pool().acquire().await?)
    }

    /// Today's date at the region's venues (its time zone), `YYYY-MM-DD`: an association's
    /// age and a receipt's year are counted as people there count them.
    pub fn today(&self) -> String {
        self.region.time_zone.date_of(self.now())
    }
}

/// Whether a signed-in caller reads as staff do (drafts, hidden comments, results before the
/// close): council staff, administrators and observers. Acting takes `STAFF`.
pub fn reads_as_staff(caller: Option<&AccountCaller>) -> bool {
    caller.is_some_and(AccountCaller::reads_as_staff)
}

/// The caller when signed in as a person, else `None` (anonymous or another service).
pub fn person(call: &Call) -> Option<AccountCaller> {
    call.account().ok()
}
