//! What happens here when a person deletes their account (`identity.account.deleted`):
//!
//! - the name on their certificates is erased; the certificates stay issued, and public
//!   verification says so without a name;
//! - their registrations for sessions that have not started are cancelled, each with its
//!   `training.registration.cancelled` event, and the waitlist is promoted as for any
//!   cancellation;
//! - their evaluation comments are erased (their words); the scores stay;
//! - past registrations and attendance stay under the pseudonymous id, for statistics.
//!
//! The consumer is durable and idempotent (events library): an event delivered twice erases
//! once.

use std::sync::Arc;
use tachawor_proto::catalogue;

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tachawor_events::{ConsumerSettings, Envelope, Handler, HandlerError};
use tachawor_proto::events::TrainingRegistrationChanged;
use tachawor_runtime::account_deletion;

use crate::{
    api::promote,
    context::Context,
    domain::{
        registration::Status,
        session::{self, Status as SessionStatus},
    },
    store::{certificates, evaluations, registrations, sessions},
};

/// The consumer's durable name and the one event it reads.
pub fn consumer_settings() -> ConsumerSettings {
    account_deletion::consumer_settings("training")
}

/// Applies `identity.account.deleted`; other events are ignored.
pub struct Erasure {
    ctx: Arc<Context>,
}

impl Erasure {
    pub fn new(ctx: Arc<Context>) -> Arc<Self> {
        Arc::new(Self { ctx })
    }
}

impl Handler for Erasure {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            let Some(account_id) = account_deletion::deleted_account(envelope)? else {
                return Ok(());
            };
            erase(&self.ctx, tx, &account_id)
                .await
                .map_err(|e| HandlerError::Retry(anyhow::anyhow!("erasure: {e}")))
        })
    }
}

async fn erase(
    ctx: &Context,
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<(), tachawor_errors::Error> {
    certificates::erase_names(conn, account_id).await?;
    evaluations::erase_comments(conn, account_id).await?;
    let upcoming = registrations::upcoming_of(conn, account_id, &ctx.today()).await?;
    for (registration_id, session_id) in upcoming {
        // As CancelRegistration: the session's row lock, then the registration read again.
        if !sessions::lock(conn, &session_id).await? {
            continue;
        }
        let Some(session) = sessions::find(conn, &session_id).await? else {
            continue;
        };
        let Some(row) = registrations::find(conn, &registration_id).await? else {
            continue;
        };
        let first_start = session.schedule().first_start(ctx.zone());
        if session.status != SessionStatus::Scheduled
            || !first_start.is_some_and(|start| session::not_started(ctx.now(), start))
        {
            continue;
        }
        let Ok(cancelled) = row.status.cancel() else {
            continue;
        };
        registrations::set_status(conn, &registration_id, cancelled, Some(ctx.now())).await?;
        ctx.writer
            .emit_on(
                conn,
                catalogue::REGISTRATION_CANCELLED,
                &registration_id,
                &TrainingRegistrationChanged {
                    registration_id: registration_id.clone(),
                    session_id: session_id.clone(),
                    program_id: session.program_id.clone(),
                    participant: Some(row.participant()),
                    previous_status: row.status.as_sql().into(),
                },
            )
            .await?;
        if row.status == Status::Confirmed {
            sessions::add_confirmed(conn, &session_id, -1).await?;
            promote(ctx, conn, &session_id, &session.program_id, 1).await?;
        }
    }
    Ok(())
}
