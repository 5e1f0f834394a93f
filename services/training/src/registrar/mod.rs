//! Registrations for one session are combined: concurrent `Register` calls for the same session
//! queue here, and one task per busy session commits whatever is queued in one transaction.
//!
//! Seats are counted on the session's row under its lock, so registrations for one session
//! cannot commit in parallel; committing them one by one would pay one fsync each while holding
//! the lock. A batch takes the lock once, writes its rows, events and idempotency records in
//! one statement each and shares one commit; who is refused (not eligible, window closed,
//! already registered) is decided before writing and answered alone; a repeated idempotency
//! key is answered, under the lock, with the response stored for it. The next batch is
//! whatever queued while the previous one committed (no waiting to fill it), at most
//! [`MAX_BATCH`]. Queue order is arrival order. Across replicas the database still arbitrates:
//! each batch reads and updates the counters under the row lock.
//!
//! The handler only asks identity about the person and queues here; [`batch`] writes.

mod batch;

use tachawor_coalesce::Coalescer;
use tachawor_errors::Error;
use tachawor_proto::training::RegisterResponse;
use tachawor_region::Zone;
use tachawor_runtime::Writer;
use tokio::sync::oneshot;

use crate::eligibility::Participant;

/// The most registrations committed together.
const MAX_BATCH: usize = 128;

/// One queued registration: who, with which idempotency key, and where to answer.
pub(crate) struct Pending {
    pub account_id: String,
    pub key: String,
    pub who: Participant,
    /// The caller's span, so events written for it carry its trace.
    pub span: tracing::Span,
    pub reply: oneshot::Sender<Result<RegisterResponse, Error>>,
}

/// The per-session queues.
pub struct Registrar {
    sessions: Coalescer<String, Pending>,
}

impl Registrar {
    /// `zone` is the region's: registration also closes when a session's last day ends there.
    pub fn new(writer: Writer, zone: Zone) -> Self {
        Self {
            sessions: Coalescer::new(MAX_BATCH, move |session_id: String, batch| {
                let writer = writer.clone();
                let zone = zone.clone();
                Box::pin(async move {
                    batch::commit_batch(&writer, &zone, &session_id, batch).await;
                })
            }),
        }
    }

    /// Queues a registration for `session_id` and waits for its own answer.
    pub(crate) async fn register(
        &self,
        session_id: &str,
        account_id: &str,
        key: &str,
        who: Participant,
    ) -> Result<RegisterResponse, Error> {
        let (reply, answer) = oneshot::channel();
        self.sessions.push(
            session_id.to_owned(),
            Pending {
                account_id: account_id.to_owned(),
                key: key.to_owned(),
                who,
                span: tracing::Span::current(),
                reply,
            },
        );
        answer.await.unwrap_or_else(|_| {
            Err(Error::Unavailable(
                "the registration was interrupted, retry".into(),
            ))
        })
    }
}
