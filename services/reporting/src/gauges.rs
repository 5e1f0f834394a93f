//! The headline indicators as OpenTelemetry gauges, for the dashboards: every indicator's total
//! over all months, exact, recomputed every `reporting.gauge_refresh_secs`.
//!
//! The consumers' own metrics (lag per stream, events processed and dead-lettered) come from
//! the events library.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use opentelemetry::{KeyValue, global, metrics::ObservableGauge};
use tachawor_storage::Database;

/// Each indicator's total, attribute `indicator`.
const INDICATOR_TOTAL: &str = "tachawor.reporting.indicator";

type Totals = Arc<Mutex<Vec<(&'static str, f64)>>>;

/// Keeps the gauge registered while the service runs.
pub(crate) struct Gauges {
    _gauge: ObservableGauge<f64>,
    totals: Totals,
}

impl Gauges {
    pub(crate) fn new() -> Self {
        let totals: Totals = Arc::default();
        let source = Arc::downgrade(&totals);
        let gauge = global::meter("tachawor")
            .f64_observable_gauge(INDICATOR_TOTAL)
            .with_unit("{value}")
            .with_description("Each indicator's total over every month, as reporting computes it")
            .with_callback(move |observer| {
                let Some(totals) = source.upgrade() else {
                    return;
                };
                let totals = totals.lock().unwrap_or_else(|e| e.into_inner());
                for (name, value) in totals.iter() {
                    observer.observe(*value, &[KeyValue::new("indicator", *name)]);
                }
            })
            .build();
        Self {
            _gauge: gauge,
            totals,
        }
    }

    /// Recomputes the totals until the task is aborted.
    pub(crate) async fn refresh(self: Arc<Self>, db: Database, every: Duration) {
        let mut tick = tokio::time::interval(every.max(Duration::from_secs(1)));
        loop {
            tick.tick().await;
            match crate::measures::headline(&db).await {
                Ok(values) => {
                    *self.totals.lock().unwrap_or_else(|e| e.into_inner()) = values;
                }
                Err(e) => tracing::warn!(error = %e, "could not compute the headline indicators"),
            }
        }
    }
}
