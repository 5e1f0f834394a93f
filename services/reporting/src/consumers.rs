//! The durable consumers that feed the read models (one per producer), and the rebuild: stop
//! them, clear the read models, forget the consumers so the streams replay from the start,
//! start them again.

use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tachawor_events::{Bus, ConsumerSettings, Envelope, EventsError, Handler, HandlerError};
use tachawor_runtime::{Writer, outdating_cached_answers};
use tachawor_storage::Database;
use tokio::{
    sync::{Mutex, oneshot},
    task::JoinHandle,
};

use crate::{
    projection,
    settings::ReportingSettings,
    store::{self, cells::Deltas},
};

/// Applies events to the read models. Consumers (and replicas) apply their batches at the same
/// time without deadlocking: a transaction first locks the accounts its events are about, in
/// order; facts are then written event by event (a person's facts under their account's lock);
/// what the events add to the aggregates is gathered and written once before the commit, each
/// cell once and in key order.
#[derive(Default)]
struct Projector {
    /// The current transaction's changes to the aggregates (a consumer runs one at a time).
    gathered: std::sync::Mutex<Deltas>,
}

impl Projector {
    fn gathered(&self) -> std::sync::MutexGuard<'_, Deltas> {
        self.gathered.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Handler for Projector {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            // Kept only if the event applies: one that fails is rolled back alone.
            let mut deltas = Deltas::default();
            projection::apply(tx, envelope, &mut deltas).await?;
            self.gathered().absorb(deltas);
            Ok(())
        })
    }

    fn begin<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        events: &'a [&'a Envelope],
    ) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        *self.gathered() = Deltas::default();
        Box::pin(store::lock_accounts(tx, projection::accounts_of(events)))
    }

    fn finish<'a>(&'a self, tx: &'a mut AnyConnection) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        let deltas = std::mem::take(&mut *self.gathered());
        Box::pin(deltas.write(tx))
    }
}

struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), EventsError>>,
}

/// The service's consumers, started and stopped together.
pub(crate) struct Consumers {
    bus: Bus,
    db: Database,
    settings: Vec<ConsumerSettings>,
    /// What the projections commit outdates the public answers the service keeps.
    writer: Writer,
    /// Held for the whole of a rebuild, so two rebuilds do not interleave.
    running: Mutex<Vec<Running>>,
}

impl Consumers {
    /// `<base>-<producer>`, reading `<producer>.>`, for each producer.
    pub(crate) fn new(
        bus: Bus,
        db: Database,
        writer: Writer,
        reporting: &ReportingSettings,
    ) -> Self {
        let base = &reporting.consumer_name;
        let settings = reporting
            .producers
            .iter()
            .map(|p| ConsumerSettings {
                apply_together: reporting.apply_together,
                ..ConsumerSettings::new(&format!("{base}-{p}"), &[&format!("{p}.>")])
            })
            .collect();
        Self {
            bus,
            db,
            settings,
            writer,
            running: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn names(&self) -> Vec<String> {
        self.settings
            .iter()
            .map(|s| s.durable_name.clone())
            .collect()
    }

    pub(crate) async fn start(&self) {
        let mut running = self.running.lock().await;
        self.start_locked(&mut running);
    }

    fn start_locked(&self, running: &mut Vec<Running>) {
        if !running.is_empty() {
            return;
        }
        for settings in &self.settings {
            let (stop, stopped) = oneshot::channel::<()>();
            let task = self.bus.run_consumer(
                self.db.clone(),
                settings.clone(),
                outdating_cached_answers(Arc::new(Projector::default()), &self.writer),
                async move {
                    let _ = stopped.await;
                },
            );
            running.push(Running { stop, task });
        }
    }

    async fn stop_locked(running: &mut Vec<Running>) {
        for r in running.drain(..) {
            let _ = r.stop.send(());
            match r.task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "consumer ended with an error"),
                Err(e) => tracing::warn!(error = %e, "consumer task failed"),
            }
        }
    }

    pub(crate) async fn stop(&self) {
        let mut running = self.running.lock().await;
        Self::stop_locked(&mut running).await;
    }

    /// Clears the read models and replays every stream from the start. The consumers run
    /// again whatever happens, so a failed rebuild leaves the service consuming.
    pub(crate) async fn rebuild(&self) -> anyhow::Result<()> {
        let mut running = self.running.lock().await;
        Self::stop_locked(&mut running).await;
        let result = async {
            let mut tx = self.db.begin().await?;
            store::clear_read_models(&mut tx).await?;
            tx.commit().await?;
            for settings in &self.settings {
                self.bus.reset_consumer(&self.db, settings).await?;
            }
            Ok(())
        }
        .await;
        self.start_locked(&mut running);
        result
    }
}
