//! The benchmarks' yardstick for a public read: the same server answering the same bytes from
//! memory, through the same layers (telemetry, limits), with nothing computed.
//!
//! Mounted only when `server.replay_for_benchmarks` is true (never in production): a call to
//! `/tachawor.bench.Replay/Record` keeps its request's message frames as the answer, then every
//! call to `/tachawor.bench.Replay/Play` reads its request and answers those frames, as the
//! response cache answers a hit. One answer per server; `Play` before any `Record` is
//! FAILED_PRECONDITION.

use std::{
    convert::Infallible,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use bytes::Bytes;
use futures::future::BoxFuture;
use tonic::{body::Body, server::NamedService};

use crate::recorded::{Read, Recorded, read_at_most};

#[derive(Clone)]
pub(crate) struct Replay {
    answer: Arc<Mutex<Option<Recorded>>>,
    max_bytes: usize,
}

impl Replay {
    pub(crate) fn new(max_bytes: usize) -> Self {
        Self {
            answer: Arc::default(),
            max_bytes,
        }
    }

    async fn answer(self, request: http::Request<Body>) -> http::Response<Body> {
        let record = request.uri().path().ends_with("/Record");
        let message = match read_at_most(request.into_body(), self.max_bytes).await {
            Ok(Read::Whole(message, _)) => message,
            Ok(Read::TooLong(_)) => {
                return tonic::Status::resource_exhausted("answer too large").into_http();
            }
            Err(status) => return status.into_http(),
        };
        let Ok(mut answer) = self.answer.lock() else {
            return tonic::Status::internal("replay poisoned").into_http();
        };
        if record {
            *answer = Some(Recorded::ok(message));
            // An empty message.
            return Recorded::ok(Bytes::from_static(&[0, 0, 0, 0, 0])).response();
        }
        match answer.as_ref() {
            Some(recorded) => recorded.response(),
            None => tonic::Status::failed_precondition("nothing recorded").into_http(),
        }
    }
}

impl NamedService for Replay {
    const NAME: &'static str = "tachawor.bench.Replay";
}

impl tower::Service<http::Request<Body>> for Replay {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let replay = self.clone();
        Box::pin(async move { Ok(replay.answer(request).await) })
    }
}
