//! The connection pool as a metric: `tachawor.db.pool.connections` (unit `{connection}`), an
//! observable gauge from the global meter (`tachawor`) with attributes `pool` (the service) and
//! `state`: `in_use`, `idle`, `max`. A pool whose last [`crate::Database`] was dropped reports
//! nothing.

use std::sync::Weak;

use opentelemetry::{KeyValue, global};
use sqlx::AnyPool;

/// Listed in `deploy/observability/metrics.txt`, which the dashboards are checked against.
pub const POOL_CONNECTIONS: &str = "tachawor.db.pool.connections";

pub(crate) fn observe_pool(name: &str, pool: Weak<AnyPool>) {
    let attrs = |state: &'static str| {
        [
            KeyValue::new("pool", name.to_owned()),
            KeyValue::new("state", state),
        ]
    };
    let (in_use, idle, max) = (attrs("in_use"), attrs("idle"), attrs("max"));
    global::meter("tachawor")
        .i64_observable_gauge(POOL_CONNECTIONS)
        .with_unit("{connection}")
        .with_description("Database connections of the service's pool, by state")
        .with_callback(move |observer| {
            let Some(pool) = pool.upgrade() else { return };
            let size = i64::from(pool.size());
            let idle_now = i64::try_from(pool.num_idle()).unwrap_or(size);
            observer.observe(size.saturating_sub(idle_now).max(0), &in_use);
            observer.observe(idle_now, &idle);
            observer.observe(i64::from(pool.options().get_max_connections()), &max);
        })
        .build();
}
