//! A durable consumer a service runs beside its API (for example, erasing what it holds of a
//! person when identity reports a deleted account), stopped with the service.

use std::sync::Arc;

use futures::future::BoxFuture;
use tachawor_events::{ConsumerSettings, Envelope, EventsError, Handler, HandlerError};
use tachawor_server::WriteGeneration;
use tokio::{sync::oneshot, task::JoinHandle};

use crate::{Runtime, Writer};

/// A running consumer; [`Consuming::stop`] lets it finish the message it is handling.
pub struct Consuming {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), EventsError>>,
}

impl Runtime {
    /// Runs `handler` on the events `settings` selects, on the service's database and bus:
    /// durable, acknowledged after commit, each event applied once; what it commits outdates
    /// the cached public answers, as the service's own writes do.
    pub fn consume(&self, settings: ConsumerSettings, handler: Arc<dyn Handler>) -> Consuming {
        let handler = outdating_cached_answers(handler, &self.writer);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = self
            .bus()
            .run_consumer(self.db().clone(), settings, handler, async move {
                let _ = stopped.await;
            });
        Consuming { stop, task }
    }
}

impl Consuming {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "consumer ended with an error"),
            Err(e) => tracing::warn!(error = %e, "consumer task failed"),
        }
    }
}

/// `handler`, whose committed events also outdate the answers the service's response cache
/// keeps (a service running its consumers itself wraps them with it).
pub fn outdating_cached_answers(handler: Arc<dyn Handler>, writer: &Writer) -> Arc<dyn Handler> {
    Arc::new(Outdating {
        handler,
        generation: writer.generation().clone(),
    })
}

struct Outdating {
    handler: Arc<dyn Handler>,
    generation: WriteGeneration,
}

impl Handler for Outdating {
    fn handle<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        self.handler.handle(tx, envelope)
    }

    fn begin<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
        events: &'a [&'a Envelope],
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        self.handler.begin(tx, events)
    }

    fn finish<'a>(
        &'a self,
        tx: &'a mut sqlx::AnyConnection,
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        self.handler.finish(tx)
    }

    fn committed(&self) {
        self.handler.committed();
        self.generation.bump();
    }
}
