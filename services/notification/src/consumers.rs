//! The durable consumers (one per producer, `<consumer_name>-<producer>` on `<producer>.>`)
//! that turn events into messages.

use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tachawor_events::{ConsumerSettings, Envelope, Handler, HandlerError};
use tachawor_runtime::{Consuming, Runtime};
use tachawor_storage::Clock;

use crate::{metrics::Metrics, recipients};

/// The producers whose events tell people something.
pub const PRODUCERS: [&str; 3] = ["identity", "consultation", "training"];

/// Applies events: who is concerned, and the messages they get.
struct Notifier {
    clock: Arc<dyn Clock>,
    metrics: Metrics,
}

impl Handler for Notifier {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            let now = self.clock.now_millis();
            match recipients::apply(tx, envelope, now).await {
                Ok(delivered) => {
                    let occurred = envelope
                        .occurred_at
                        .as_ref()
                        .map(tachawor_proto::dates::millis)
                        .unwrap_or(now);
                    for _ in 0..delivered {
                        self.metrics.delivered(now - occurred);
                    }
                    Ok(())
                }
                Err(e) => {
                    self.metrics.abandoned();
                    Err(e)
                }
            }
        })
    }

    fn committed(&self) {
        self.metrics.committed();
    }
}

/// Starts one consumer per producer.
pub(crate) fn start(runtime: &Runtime, clock: Arc<dyn Clock>, base: &str) -> Vec<Consuming> {
    let notifier: Arc<dyn Handler> = Arc::new(Notifier {
        clock,
        metrics: Metrics::new(),
    });
    PRODUCERS
        .iter()
        .map(|p| {
            runtime.consume(
                ConsumerSettings::new(&format!("{base}-{p}"), &[&format!("{p}.>")]),
                notifier.clone(),
            )
        })
        .collect()
}
