//! What happens here when a person deletes their account (`identity.account.deleted`):
//!
//! - signatures on petitions still collecting are withdrawn (the law allows withdrawal until
//!   deposit), each with its `consultation.petition.signature_withdrawn` event; signatures on
//!   deposited petitions stay, as deposited, under the pseudonymous id;
//! - comments, proposals and forum contributions stay (replies, supports and answers depend on
//!   them) but lose their author: `author_id` becomes empty, shown as a "deleted participant";
//! - survey responses, supports and comment reports stay counted but are detached: each gets a
//!   random id in place of the account's;
//! - stored responses of retried writes (idempotency keys) are deleted.
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
    for table in ["comments", "proposals", "forum_contributions"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET author_id = $1 WHERE author_id = $2"
        )))
        .bind(DELETED_AUTHOR)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    }
    // Each row gets its own random id: still counted, no longer anyone's, and the unique
    // (thing, account) keys keep holding.
    for (table, key) in [
        ("responses", "response_id"),
        ("supports", "proposal_id"),
        ("comment_reports", "comment_id"),
    ] {
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {key} FROM {table} WHERE account_id = $1"
        )))
        .bind(account_id)
        .fetch_all(&mut *conn)
        .await?;
        for (id,) in rows {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET account_id = $1 WHERE {key} = $2 AND account_id = $3"
            )))
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&id)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query("DELETE FROM idempotency_keys WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
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
    let petitions: Vec<(String,)> = sqlx::query_as(
        "SELECT petition_id FROM petition_signatures WHERE account_id = $1 ORDER BY petition_id",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    for (petition_id,) in petitions {
        crate::store::petitions::lock(conn, &petition_id).await?;
        let collecting: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM petitions WHERE petition_id = $1 AND status = 'collecting'",
        )
        .bind(&petition_id)
        .fetch_optional(&mut *conn)
        .await?;
        if collecting.is_none() {
            continue;
        }
        let Some((province, signed_at)) =
            crate::store::petitions::withdraw(conn, &petition_id, account_id).await?
        else {
            continue;
        };
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
