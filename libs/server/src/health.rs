//! `grpc.health.v1` statuses driven by probes: SERVING only while every probe passes.

use std::{sync::Arc, time::Duration};

use futures::future::{BoxFuture, join_all};
use tokio::sync::oneshot;
use tonic_health::{ServingStatus, server::HealthReporter};

/// A readiness check (database reachable, bus connected): resolves to `true` when healthy.
pub type Probe = Arc<dyn Fn() -> BoxFuture<'static, bool> + Send + Sync>;

/// Wraps an async closure as a [`Probe`]:
/// `probe(move || { let db = db.clone(); async move { db.is_reachable().await } })`.
pub fn probe<F, Fut>(check: F) -> Probe
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send + 'static,
{
    Arc::new(move || Box::pin(check()))
}

/// Runs the probes and publishes the outcome under the overall name `""` and the service's.
pub(crate) struct HealthMonitor {
    reporter: HealthReporter,
    service_name: &'static str,
    probes: Vec<(&'static str, Probe)>,
    /// Both the period and each probe's time limit: a probe that hangs counts as failing.
    interval: Duration,
    /// Last published state, so only changes are logged.
    serving: Option<bool>,
}

impl HealthMonitor {
    pub(crate) fn new(
        reporter: HealthReporter,
        service_name: &'static str,
        probes: Vec<(&'static str, Probe)>,
        interval: Duration,
    ) -> Self {
        Self {
            reporter,
            service_name,
            probes,
            interval: interval.max(Duration::from_millis(1)),
            serving: None,
        }
    }

    /// Runs every probe once and publishes SERVING or NOT_SERVING.
    pub(crate) async fn check(&mut self) {
        let limit = self.interval;
        let outcomes = join_all(self.probes.iter().map(|(name, probe)| async move {
            let healthy = tokio::time::timeout(limit, probe()).await.unwrap_or(false);
            (*name, healthy)
        }))
        .await;
        let failing: Vec<&str> = outcomes
            .into_iter()
            .filter_map(|(name, healthy)| (!healthy).then_some(name))
            .collect();
        let serving = failing.is_empty();
        if self.serving == Some(serving) {
            return;
        }
        if serving {
            tracing::info!(service = self.service_name, "health probes pass: SERVING");
        } else {
            tracing::warn!(
                service = self.service_name,
                failing = ?failing,
                "health probes failing: NOT_SERVING"
            );
        }
        let status = if serving {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        publish(&self.reporter, self.service_name, status).await;
        self.serving = Some(serving);
    }

    /// Re-checks every interval until `stop` fires (or its sender is dropped).
    pub(crate) async fn run(mut self, mut stop: oneshot::Receiver<()>) {
        let mut ticker = tokio::time::interval(self.interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate and the caller has just checked.
        ticker.tick().await;
        loop {
            tokio::select! {
                biased;
                _ = &mut stop => return,
                _ = async {
                    ticker.tick().await;
                    self.check().await;
                } => {}
            }
        }
    }
}

/// Reports NOT_SERVING, then withdraws the statuses so `Watch` streams end instead of holding
/// the drain open. New calls cannot arrive by then: the listener is closing.
pub(crate) async fn stop_serving(mut reporter: HealthReporter, service_name: &'static str) {
    publish(&reporter, service_name, ServingStatus::NotServing).await;
    for name in ["", service_name] {
        reporter.clear_service_status(name).await;
    }
}

async fn publish(reporter: &HealthReporter, service_name: &'static str, status: ServingStatus) {
    for name in ["", service_name] {
        reporter.set_service_status(name, status).await;
    }
}
