//! Readiness as the manifests probe it: `grpc.health.v1` service `""` (the database answers),
//! every replica asked once a second; Kubernetes takes a pod out of its Service after
//! `failureThreshold` (2) failed probes `periodSeconds` (5) apart, so a replica counts as
//! unready only after 10 s without SERVING.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::time::Instant;
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus, health_client};

/// How long readiness may fail before the kubelet acts (2 probes, 5 s apart).
pub const UNREADY_AFTER: Duration = Duration::from_secs(10);

/// One answer (or none) of one replica.
#[derive(Clone, Copy)]
pub struct Sample {
    pub at: Instant,
    pub replica: usize,
    pub serving: bool,
}

#[derive(Default, Clone)]
pub struct Samples(pub Arc<Mutex<Vec<Sample>>>);

/// Whether the replica at `endpoint` answers SERVING for `service` within a second.
pub async fn serving(endpoint: &str, service: &str) -> bool {
    let call = async {
        let channel = tonic::transport::Endpoint::from_shared(endpoint.to_string())
            .ok()?
            .connect()
            .await
            .ok()?;
        let answer = health_client::HealthClient::new(channel)
            .check(HealthCheckRequest {
                service: service.to_string(),
            })
            .await
            .ok()?;
        Some(answer.into_inner().status == ServingStatus::Serving as i32)
    };
    tokio::time::timeout(Duration::from_secs(1), call)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

/// Asks every endpoint once a second until the task is aborted.
pub fn monitor(endpoints: Vec<String>, samples: Samples) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let answers = futures::future::join_all(endpoints.iter().map(|e| serving(e, ""))).await;
            let at = Instant::now();
            let mut all = samples.0.lock().expect("samples");
            for (replica, serving) in answers.into_iter().enumerate() {
                all.push(Sample {
                    at,
                    replica,
                    serving,
                });
            }
        }
    })
}

impl Samples {
    /// The longest stretch each replica went without SERVING between `from` and `to`, for
    /// the replicas whose stretch reached [`UNREADY_AFTER`].
    pub fn unready(&self, from: Instant, to: Instant) -> Vec<(usize, Duration)> {
        let all = self.0.lock().expect("samples");
        let mut worst: Vec<(usize, Duration)> = Vec::new();
        let replicas = all.iter().map(|s| s.replica + 1).max().unwrap_or(0);
        for replica in 0..replicas {
            let mut since: Option<Instant> = None;
            let mut longest = Duration::ZERO;
            for s in all
                .iter()
                .filter(|s| s.replica == replica && s.at >= from && s.at <= to)
            {
                if s.serving {
                    since = None;
                } else {
                    let start = *since.get_or_insert(s.at);
                    longest = longest.max(s.at - start + Duration::from_secs(1));
                }
            }
            if longest >= UNREADY_AFTER {
                worst.push((replica, longest));
            }
        }
        worst
    }
}
