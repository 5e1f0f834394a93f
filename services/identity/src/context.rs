//! What every RPC handler needs: the database, the writer, keys, the region and settings.

use std::sync::Arc;

pub use tachawor_auth::Call;
use tachawor_auth::Claims;
use tachawor_errors::Error;
use tachawor_region::Region;
use tachawor_runtime::Writer;
use tachawor_storage::Database;

use crate::{
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

tachawor_runtime::writes_through!(Context);

impl Context {
    /// Today's date at the region's venues (its time zone), `YYYY-MM-DD`, for memberships and
    /// mandates: a membership ended at 00:30 in Laayoune ends on that day, not on the UTC
    /// day before.
    pub fn today(&self) -> String {
        self.region.time_zone.date_of(self.now())
    }

    /// Signs claims with the current key.
    pub fn sign(&self, claims: &Claims) -> Result<String, Error> {
        self.keys
            .signing_key()
            .sign(claims)
            .map_err(Error::internal)
    }
}
