//! Registrations for one session are combined: concurrent `Register` calls for the same session
//! queue here, and one task per busy session commits whatever is queued in one transaction.
//!
//! Seats are counted on the session's row under its lock, so registrations for one session
//! cannot commit in parallel; committing them one by one would pay one fsync each while holding
//! the lock. A batch takes the lock once, writes its rows, events and idempotency records in
//! one statement each and shares one commit; who is refused (not eligible, window closed,
//! already registered) is decided before writing and answered alone. The next batch is
//! whatever queued while the previous one committed (no waiting to fill it), at most
//! [`MAX_BATCH`]. Queue order
//! is arrival order. Across replicas the database still arbitrates: each batch reads and
//! updates the counters under the row lock.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use tachawor_errors::Error;
use tachawor_proto::training::RegisterResponse;
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

type Queues = Arc<Mutex<HashMap<String, VecDeque<Pending>>>>;

/// The per-session queues. A session has an entry while its task runs.
#[derive(Default)]
pub struct Registrar {
    queues: Queues,
}

fn locked(queues: &Queues) -> MutexGuard<'_, HashMap<String, VecDeque<Pending>>> {
    queues.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Registrar {
    /// Queues a registration for `session_id` and waits for its own answer.
    pub(crate) async fn register(
        &self,
        writer: &Writer,
        session_id: &str,
        account_id: &str,
        key: &str,
        who: Participant,
    ) -> Result<RegisterResponse, Error> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            account_id: account_id.to_owned(),
            key: key.to_owned(),
            who,
            span: tracing::Span::current(),
            reply,
        };
        let start = {
            let mut queues = locked(&self.queues);
            match queues.get_mut(session_id) {
                Some(queue) => {
                    queue.push_back(pending);
                    false
                }
                None => {
                    queues.insert(session_id.to_owned(), VecDeque::from([pending]));
                    true
                }
            }
        };
        if start {
            tokio::spawn(run(
                self.queues.clone(),
                writer.clone(),
                session_id.to_owned(),
            ));
        }
        answer.await.unwrap_or_else(|_| {
            Err(Error::Unavailable(
                "the registration was interrupted, retry".into(),
            ))
        })
    }
}

/// Commits batches for one session until its queue is empty, then removes the entry (under the
/// same lock the callers queue under, so no call is left behind).
async fn run(queues: Queues, writer: Writer, session_id: String) {
    let mut guard = Entry {
        queues: &queues,
        session_id: &session_id,
        done: false,
    };
    loop {
        let batch: Vec<Pending> = {
            let mut all = locked(&queues);
            let Some(queue) = all.get_mut(&session_id) else {
                guard.done = true;
                return;
            };
            if queue.is_empty() {
                all.remove(&session_id);
                guard.done = true;
                return;
            }
            let n = queue.len().min(MAX_BATCH);
            queue.drain(..n).collect()
        };
        super::registrations::commit_batch(&writer, &session_id, batch).await;
    }
}

/// Removes a session's entry if its task ends abnormally (a panic, the runtime shutting down):
/// the queued callers are then answered `UNAVAILABLE` and the next call starts a new task.
struct Entry<'a> {
    queues: &'a Queues,
    session_id: &'a str,
    done: bool,
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        if !self.done {
            locked(self.queues).remove(self.session_id);
        }
    }
}
