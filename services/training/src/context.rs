//! What every RPC handler needs: the database, the writer, eligibility, the region and settings.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_region::{Region, Zone};
use tachawor_runtime::Writer;
use tachawor_storage::Database;

use crate::{eligibility::Eligibility, registrar::Registrar, settings::Settings};

pub struct Context {
    /// For reads; writes go through `writer`.
    pub db: Database,
    pub writer: Writer,
    pub eligibility: Eligibility,
    pub region: Arc<Region>,
    pub settings: Arc<Settings>,
    /// Combines concurrent registrations for a session into one transaction.
    pub registrar: Registrar,
    /// Sessions' material.
    pub documents: tachawor_documents::Documents,
}

tachawor_runtime::writes_through!(Context);

impl Context {
    /// Today at the venue (the region's time zone), `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        self.region.time_zone.date_of(self.now())
    }

    /// The region's time zone, which session times are in.
    pub fn zone(&self) -> &Zone {
        &self.region.time_zone
    }
}
