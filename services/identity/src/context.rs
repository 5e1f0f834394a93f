//! What every RPC handler needs: the database, the outbox, the clock, keys and settings.

use std::{net::IpAddr, sync::Arc};

use tachawor_auth::{AccountCaller, Caller, Claims, Role, ServiceCaller};
use tachawor_errors::Error;
use tachawor_events::Outbox;
use tachawor_region::Region;
use tachawor_storage::{Clock, Database, Transaction};

use crate::{
    domain,
    keys::KeyStore,
    passwords::Passwords,
    protect::{Fingerprinter, Sealer},
    settings::Settings,
};

pub struct Context {
    pub db: Database,
    pub outbox: Outbox,
    /// Wakes the outbox relay after a commit, so events leave without waiting for a poll.
    pub relay_wakeup: Arc<tokio::sync::Notify>,
    pub clock: Arc<dyn Clock>,
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
        self.clock.now_millis()
    }

    /// Today's date (UTC), `YYYY-MM-DD`, for memberships and mandates.
    pub fn today(&self) -> String {
        domain::date_of_millis(self.now())
    }

    pub async fn begin(&self) -> Result<Transaction, Error> {
        Ok(self.db.begin().await?)
    }

    /// Commits and wakes the relay.
    pub async fn commit(&self, tx: Transaction) -> Result<(), Error> {
        tx.commit().await?;
        self.relay_wakeup.notify_one();
        Ok(())
    }

    /// Signs claims with the current key.
    pub fn sign(&self, claims: &Claims) -> Result<String, Error> {
        self.keys
            .signing_key()
            .sign(claims)
            .map_err(Error::internal)
    }

    /// Writes an event to the outbox inside `tx`.
    pub async fn emit<M: prost::Name>(
        &self,
        tx: &mut Transaction,
        event_type: &str,
        aggregate_id: &str,
        payload: &M,
    ) -> Result<(), Error> {
        self.outbox
            .enqueue(tx, event_type, aggregate_id, payload)
            .await?;
        Ok(())
    }
}

/// Who is calling and from where.
pub struct Call {
    pub caller: Caller,
    pub peer: Option<IpAddr>,
}

impl Call {
    pub fn of<T>(request: &tonic::Request<T>) -> Self {
        Self {
            caller: Caller::of(request),
            peer: request.remote_addr().map(|a| a.ip()),
        }
    }

    /// The signed-in person; anonymous callers and services are refused.
    pub fn account(&self) -> Result<AccountCaller, Error> {
        self.caller.clone().account()
    }

    /// The signed-in person, who must hold one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<AccountCaller, Error> {
        self.caller.clone().require_any(roles)
    }

    /// Another service; end users are refused.
    pub fn service(&self) -> Result<ServiceCaller, Error> {
        self.caller.clone().service()
    }
}
