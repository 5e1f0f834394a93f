//! Calls spread over a service's replicas, each reached on a channel of its own.
//!
//! tonic's `Channel::balance_list` picks a replica at random and keeps picking one that died
//! (its reconnection fails fast and counts as ready), so a page read failed whenever its call
//! landed there. Here calls go round-robin; a replica whose call failed in transport (refused,
//! reset, timed out) or that answered UNAVAILABLE is passed over for a while; and a read, which
//! changes nothing, is sent again to the next replica after such a failure, so one replica dying
//! or hanging costs a reader time, not an error page. A write is sent once: whether a failed
//! one took effect is for its caller (and its idempotency key) to settle.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use futures::future::BoxFuture;
use http_body_util::{BodyExt, Full};
use tonic::{body::Body, transport::Channel};
use tower::{Service, ServiceExt};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long a replica that failed is passed over by new calls (unless every replica failed).
const PASS_OVER: Duration = Duration::from_secs(2);

/// The `grpc-status` of UNAVAILABLE: the replica is shedding load or shutting down.
const UNAVAILABLE: &str = "14";

#[derive(Clone, Debug)]
pub struct Replicas {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    channels: Vec<Channel>,
    /// Per replica, when it last failed (milliseconds since `epoch`, plus one); 0: it answers.
    failed_at: Vec<AtomicU64>,
    next: AtomicUsize,
    epoch: Instant,
}

/// Whether a gRPC method only reads, so sending it twice is harmless: the platform's `Get…` and
/// `List…` methods, and the standard health check.
pub fn is_read(path: &str) -> bool {
    if path == "/grpc.health.v1.Health/Check" {
        return true;
    }
    let method = path.rsplit('/').next().unwrap_or_default();
    method.starts_with("Get") || method.starts_with("List")
}

impl Replicas {
    /// `None` when there is no channel to spread over.
    pub fn new(channels: Vec<Channel>) -> Option<Self> {
        if channels.is_empty() {
            return None;
        }
        let failed_at = channels.iter().map(|_| AtomicU64::new(0)).collect();
        Some(Self {
            shared: Arc::new(Shared {
                channels,
                failed_at,
                next: AtomicUsize::new(0),
                epoch: Instant::now(),
            }),
        })
    }

    /// The replicas in the order this call tries them: round-robin, those that failed lately
    /// last.
    fn order(&self) -> Vec<usize> {
        let shared = &self.shared;
        let count = shared.channels.len();
        let start = shared.next.fetch_add(1, Ordering::Relaxed);
        let now = self.now();
        let (answering, passed_over): (Vec<usize>, Vec<usize>) =
            (0..count).map(|k| (start + k) % count).partition(|&i| {
                let failed = shared.failed_at[i].load(Ordering::Relaxed);
                failed == 0 || now.saturating_sub(failed - 1) >= PASS_OVER.as_millis() as u64
            });
        answering.into_iter().chain(passed_over).collect()
    }

    fn now(&self) -> u64 {
        self.shared.epoch.elapsed().as_millis() as u64
    }

    fn mark(&self, replica: usize, failed: bool) {
        let value = if failed { self.now() + 1 } else { 0 };
        self.shared.failed_at[replica].store(value, Ordering::Relaxed);
    }

    /// One attempt on one replica; `Err` or an UNAVAILABLE answer marks it failed.
    async fn send(
        &self,
        replica: usize,
        request: http::Request<Body>,
    ) -> Result<http::Response<Body>, BoxError> {
        let mut channel = self.shared.channels[replica].clone();
        let answer = match channel.ready().await {
            Ok(channel) => channel.call(request).await,
            Err(error) => Err(error),
        };
        let failed = match &answer {
            Ok(response) => unavailable(response),
            Err(_) => true,
        };
        self.mark(replica, failed);
        answer.map_err(Into::into)
    }
}

/// A trailers-only answer saying UNAVAILABLE (nothing was done).
fn unavailable(response: &http::Response<Body>) -> bool {
    response
        .headers()
        .get("grpc-status")
        .is_some_and(|status| status == UNAVAILABLE)
}

impl Service<http::Request<Body>> for Replicas {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Each attempt waits for its own channel to be ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let replicas = self.clone();
        Box::pin(async move {
            let order = replicas.order();
            if !is_read(request.uri().path()) {
                return replicas.send(order[0], request).await;
            }
            // A unary read's body is one small message: kept to be sent again.
            let (parts, body) = request.into_parts();
            let body = body.collect().await?.to_bytes();
            // With a single address (a Kubernetes Service, say) a second attempt opens a new
            // connection, which may reach another pod.
            let attempts = order.len().max(2);
            let mut answer = None;
            for attempt in 0..attempts {
                let replica = order[attempt % order.len()];
                let request =
                    http::Request::from_parts(parts.clone(), Body::new(Full::new(body.clone())));
                let this = replicas.send(replica, request).await;
                let retry = match &this {
                    Ok(response) => unavailable(response),
                    Err(_) => true,
                };
                answer = Some(this);
                if !retry {
                    break;
                }
                tracing::debug!(
                    path = parts.uri.path(),
                    replica,
                    "read sent again to the next replica"
                );
            }
            answer.expect("at least one attempt")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tachawor_testkit::{
        answering_replica as answering, dead_replica as dead, hung_replica as hung,
    };
    use tonic::{Code, client::Grpc, codegen::http::uri::PathAndQuery};
    use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse, health_client::HealthClient};
    use tonic_prost::ProstCodec;

    fn replicas(urls: &[String], timeout: Duration) -> Replicas {
        let channels = urls
            .iter()
            .map(|url| {
                Channel::from_shared(url.clone())
                    .unwrap()
                    .timeout(timeout)
                    .connect_timeout(timeout)
                    .connect_lazy()
            })
            .collect();
        Replicas::new(channels).unwrap()
    }

    #[test]
    fn reads_are_the_get_and_list_methods_and_the_health_check() {
        assert!(is_read("/tachawor.training.v1.TrainingService/GetSession"));
        assert!(is_read(
            "/tachawor.consultation.v1.ConsultationService/ListPetitions"
        ));
        assert!(is_read("/grpc.health.v1.Health/Check"));
        assert!(!is_read("/tachawor.training.v1.TrainingService/CheckIn"));
        assert!(!is_read(
            "/tachawor.consultation.v1.ConsultationService/SignPetition"
        ));
        assert!(!is_read(
            "/tachawor.identity.v1.IdentityService/ExportMyData"
        ));
    }

    #[test]
    fn no_channel_is_no_replicas() {
        assert!(Replicas::new(Vec::new()).is_none());
    }

    #[tokio::test]
    async fn every_read_is_answered_while_a_replica_is_dead() {
        let replicas = replicas(&[dead().await, answering().await], Duration::from_secs(2));
        let mut client = HealthClient::new(replicas);
        for _ in 0..10 {
            client
                .check(HealthCheckRequest::default())
                .await
                .expect("the answering replica answers every read");
        }
    }

    #[tokio::test]
    async fn every_read_is_answered_while_a_replica_hangs() {
        let replicas = replicas(
            &[hung().await, answering().await],
            Duration::from_millis(300),
        );
        let mut client = HealthClient::new(replicas.clone());
        for _ in 0..6 {
            client
                .check(HealthCheckRequest::default())
                .await
                .expect("the answering replica answers every read");
        }
        // The hung replica timed out once and was passed over by the calls after it.
        assert_ne!(replicas.shared.failed_at[0].load(Ordering::Relaxed), 0);
        assert_eq!(replicas.shared.failed_at[1].load(Ordering::Relaxed), 0);
    }

    #[tokio::test]
    async fn a_write_is_sent_once() {
        // The first call goes to the first replica, which is dead: a write is not sent again.
        let replicas = replicas(&[dead().await, answering().await], Duration::from_secs(2));
        let mut grpc = Grpc::new(replicas);
        grpc.ready().await.unwrap();
        let write = PathAndQuery::from_static("/grpc.health.v1.Health/Write");
        let failed = grpc
            .unary::<_, HealthCheckResponse, _>(
                tonic::Request::new(HealthCheckRequest::default()),
                write.clone(),
                ProstCodec::default(),
            )
            .await
            .expect_err("the dead replica cannot answer");
        assert_eq!(failed.code(), Code::Unavailable, "{failed}");
        // The next call passes over the dead replica and reaches the live one, which does not
        // know the method: the write was never sent there before.
        let next = grpc
            .unary::<_, HealthCheckResponse, _>(
                tonic::Request::new(HealthCheckRequest::default()),
                write,
                ProstCodec::default(),
            )
            .await
            .expect_err("the live replica has no such method");
        assert_eq!(next.code(), Code::Unimplemented, "{next}");
    }
}
