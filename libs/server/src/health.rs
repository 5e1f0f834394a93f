//! `grpc.health.v1` statuses driven by checks.
//!
//! Three questions, three answers:
//! - Ready (`""` and the service's own name): SERVING while every check callers cannot be served
//!   without passes (the database). Kubernetes' startup and readiness probes ask this.
//! - Alive ([`LIVENESS`]): SERVING from the start until shutdown, whatever the checks say: a
//!   process that answers is not wedged. A database or broker outage must not get pods
//!   restarted, only taken out of their Service while they cannot serve.
//! - Degraded: a failing check the service serves without (the event bus: writes wait in the
//!   outbox) is logged when it starts and stops failing, and leaves the service SERVING.

use std::{sync::Arc, time::Duration};

use futures::future::{BoxFuture, join_all};
use tokio::sync::oneshot;
use tonic_health::{ServingStatus, server::HealthReporter};

/// A readiness check (database reachable, bus connected): resolves to `true` when healthy.
pub type Probe = Arc<dyn Fn() -> BoxFuture<'static, bool> + Send + Sync>;

/// The health name that answers whether the process is alive (not whether it can serve).
pub const LIVENESS: &str = "tachawor.liveness";

/// A named probe, and whether the service can serve its callers while it fails.
#[derive(Clone)]
pub struct Check {
    name: &'static str,
    probe: Probe,
    required: bool,
}

impl Check {
    /// Callers cannot be served while it fails (the database): NOT_SERVING.
    pub fn required(name: &'static str, probe: Probe) -> Self {
        Self {
            name,
            probe,
            required: true,
        }
    }

    /// The service serves without it, degraded (the event bus): logged, still SERVING.
    pub fn degrading(name: &'static str, probe: Probe) -> Self {
        Self {
            name,
            probe,
            required: false,
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the service is unready while it fails.
    pub fn is_required(&self) -> bool {
        self.required
    }
}

/// Wraps an async closure as a [`Probe`]:
/// `probe(move || { let db = db.clone(); async move { db.is_reachable().await } })`.
pub fn probe<F, Fut>(check: F) -> Probe
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send + 'static,
{
    Arc::new(move || Box::pin(check()))
}

/// Runs the checks and publishes readiness under the overall name `""` and the service's.
pub(crate) struct HealthMonitor {
    reporter: HealthReporter,
    service_name: &'static str,
    checks: Vec<Check>,
    /// Both the period and each probe's time limit: a probe that hangs counts as failing.
    interval: Duration,
    /// Last published state, so only changes are logged.
    serving: Option<bool>,
    /// The degrading checks failing at the last round, so only changes are logged.
    degraded: Vec<&'static str>,
}

impl HealthMonitor {
    pub(crate) fn new(
        reporter: HealthReporter,
        service_name: &'static str,
        checks: Vec<Check>,
        interval: Duration,
    ) -> Self {
        Self {
            reporter,
            service_name,
            checks,
            interval: interval.max(Duration::from_millis(1)),
            serving: None,
            degraded: Vec::new(),
        }
    }

    /// Runs every check once, publishes SERVING or NOT_SERVING and logs a change of degraded
    /// conditions.
    pub(crate) async fn check(&mut self) {
        let limit = self.interval;
        let outcomes = join_all(self.checks.iter().map(|check| async move {
            let healthy = tokio::time::timeout(limit, (check.probe)())
                .await
                .unwrap_or(false);
            (check, healthy)
        }))
        .await;
        let failing = |required: bool| -> Vec<&'static str> {
            outcomes
                .iter()
                .filter(|(check, healthy)| check.required == required && !healthy)
                .map(|(check, _)| check.name)
                .collect()
        };
        let (failing, degraded) = (failing(true), failing(false));
        self.log_degraded(degraded);
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

    fn log_degraded(&mut self, degraded: Vec<&'static str>) {
        if degraded == self.degraded {
            return;
        }
        if degraded.is_empty() {
            tracing::info!(service = self.service_name, "no longer degraded");
        } else {
            tracing::warn!(
                service = self.service_name,
                failing = ?degraded,
                "degraded: serving without what these checks watch"
            );
        }
        self.degraded = degraded;
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
    reporter
        .set_service_status(LIVENESS, ServingStatus::NotServing)
        .await;
    for name in ["", service_name, LIVENESS] {
        reporter.clear_service_status(name).await;
    }
}

async fn publish(reporter: &HealthReporter, service_name: &'static str, status: ServingStatus) {
    for name in ["", service_name] {
        reporter.set_service_status(name, status).await;
    }
}
