//! Administration: rebuilding the read models from the streams.

use serde_json::json;
use tachawor_errors::Error;
use tachawor_proto::reporting::{RebuildRequest, RebuildResponse};

use tachawor_runtime::audit;

use crate::context::{Call, Context};

/// Clears the read models and replays every stream from the start; figures fill in again as
/// the consumers catch up.
pub async fn rebuild(
    ctx: &Context,
    call: &Call,
    _req: RebuildRequest,
) -> Result<RebuildResponse, Error> {
    let admin = call.require_any(super::ADMIN)?;
    let consumers = ctx.consumers.names();
    ctx.consumers.rebuild().await.map_err(Error::internal)?;
    let mut tx = ctx.begin().await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &admin.account_id,
            action: "rebuild",
            target_type: "read_models",
            target_id: "read_models",
            before: json!(null),
            after: json!({ "consumers": consumers }),
        },
        ctx.now(),
    )
    .await?;
    ctx.commit(tx).await?;
    tracing::info!("read models rebuilt from the streams");
    Ok(RebuildResponse { consumers })
}
