//! Housekeeping while the service runs: check-in codes and wrong-code counts only matter on
//! their day, so older ones are deleted.

use std::{sync::Arc, time::Duration};

use crate::{context::Context, store::attendance};

/// How often the service tidies up.
const EVERY: Duration = Duration::from_secs(600);

/// A day, in milliseconds: a code is kept that long after it expires, so a participant who
/// types it late still hears "expired" rather than "invalid".
const DAY_MILLIS: i64 = 86_400_000;

/// Runs [`prune`] every ten minutes until aborted.
pub(crate) async fn run(ctx: Arc<Context>) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        if let Err(e) = prune(&ctx).await {
            tracing::warn!(error = %e, "could not prune check-in codes and failures");
        }
    }
}

/// Deletes check-in codes that expired more than a day ago and wrong-code counts of days
/// before the venue's today; answers how many rows went.
pub async fn prune(ctx: &Context) -> Result<u64, sqlx::Error> {
    let now = ctx.now();
    let yesterday = ctx.zone().date_of(now - DAY_MILLIS);
    let mut conn = ctx.db.pool().acquire().await?;
    let codes = attendance::prune_codes(&mut conn, now - DAY_MILLIS).await?;
    let failures = attendance::prune_failures(&mut conn, &yesterday).await?;
    Ok(codes + failures)
}
