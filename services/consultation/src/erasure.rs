//! What happens here when a person deletes their account (`identity.account.deleted`):
//!
//! - signatures on petitions still collecting are withdrawn (the law allows withdrawal until
//!   deposit), each with its `consultation.petition.signature_withdrawn` event; signatures on
//!   deposited petitions stay, as deposited, under the pseudonymous id;
//! - comments, proposals and forum contributions stay (replies, supports and answers depend on
//!   them) but lose their author: `author_id` becomes empty, shown as a "deleted participant";
//! - survey responses, supports and comment reports stay counted but are detached: each gets a
//!   random id in place of the account's;
//! - stored responses of retried writes (idempotency keys) are deleted, and so are the
//!   person's presences at training sessions (projected from training's attendance).
//!
//! Petitions the person created keep the pseudonymous agent id. This service holds no name,
//! email, phone or CIN. The consumer is durable and idempotent (events library), so an event
//! delivered twice erases once.

use std::sync::Arc;
use tachawor_proto::catalogue;

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tachawor_events::{ConsumerSettings, Envelope, Handler, HandlerError};
use tachawor_proto::events::PetitionSignatureWithdrawn;
use tachawor_runtime::{Writer, account_deletion};

use crate::{
    domain::petition::Status,
    store::{accounts, attendance, petitions},
};

/// The author id of a text whose author deleted their account.
pub const DELETED_AUTHOR: &str = "";

/// The consumer's durable name and the one event it reads.
pub fn consumer_settings() -> ConsumerSettings {
    account_deletion::consumer_settings("consultation")
}

/// Applies `identity.account.deleted`; other events are ignored.
pub struct Erasure {
    writer: Writer,
}

impl Erasure {
    pub fn new(writer: Writer) -> Arc<Self> {
        Arc::new(Self { writer })
    }
}

impl Handler for Erasure {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            match account_deletion::deleted_account(envelope)? {
                Some(account_id) => erase(&self.writer, tx, &account_id).await,
                None => Ok(()),
            }
        })
    }
}

async fn erase(
    writer: &Writer,
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<(), HandlerError> {
    withdraw_signatures(writer, conn, account_id).await?;
    accounts::detach_authorship(conn, account_id, DELETED_AUTHOR).await?;
    accounts::detach_counted(conn, account_id).await?;
    accounts::forget_idempotency_keys(conn, account_id).await?;
    attendance::forget(conn, account_id).await?;
    Ok(())
}

/// Withdraws the account's signatures from petitions still collecting. The petitions are
/// locked first, as a signature or a deposit does, so a deposit never counts a signature this
/// withdraws.
async fn withdraw_signatures(
    writer: &Writer,
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<(), HandlerError> {
    for petition_id in petitions::signed_by(conn, account_id).await? {
        petitions::lock(conn, &petition_id).await?;
        let Some(mut row) = petitions::find(conn, &petition_id).await? else {
            continue;
        };
        // Only a collecting petition lets a signature go (`domain::petition`).
        if !matches!(Status::from_sql(&row.status), Ok(s) if s.check_withdrawal().is_ok()) {
            continue;
        }
        let Some((province, signed_at)) =
            petitions::withdraw(conn, &petition_id, account_id).await?
        else {
            continue;
        };
        petitions::count(conn, &mut row, &province, -1).await?;
        writer
            .emit_on(
                conn,
                catalogue::PETITION_SIGNATURE_WITHDRAWN,
                &petition_id,
                &PetitionSignatureWithdrawn {
                    petition_id: petition_id.clone(),
                    account_id: account_id.to_string(),
                    province_code: province,
                    signed_at: Some(crate::domain::timestamp(signed_at)),
                },
            )
            .await
            .map_err(|e| HandlerError::Retry(anyhow::anyhow!("outbox: {e}")))?;
    }
    Ok(())
}
