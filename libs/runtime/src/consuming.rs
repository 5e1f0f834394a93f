//! A durable consumer a service runs beside its API (for example, erasing what it holds of a
//! person when identity reports a deleted account), stopped with the service.

use std::sync::Arc;

use tachawor_events::{ConsumerSettings, EventsError, Handler};
use tokio::{sync::oneshot, task::JoinHandle};

use crate::Runtime;

/// A running consumer; [`Consuming::stop`] lets it finish the message it is handling.
pub struct Consuming {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), EventsError>>,
}

impl Runtime {
    /// Runs `handler` on the events `settings` selects, on the service's database and bus:
    /// durable, acknowledged after commit, each event applied once.
    pub fn consume(&self, settings: ConsumerSettings, handler: Arc<dyn Handler>) -> Consuming {
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
