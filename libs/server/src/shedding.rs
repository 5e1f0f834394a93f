//! Load shedding across every connection: at most `max_concurrent_calls` calls run at once, and a
//! call over the limit is refused at once with RESOURCE_EXHAUSTED instead of waiting in a queue
//! that grows with the load. Health checks are exempt so probes still answer under load.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::{Layer, Service};

/// Calls to these services never count against the limit nor are refused.
const EXEMPT_PREFIX: &str = "/grpc.health.v1.Health/";

/// Shares one pool of permits among every clone of the service, so across all connections.
#[derive(Debug, Clone)]
pub(crate) struct LoadShedLayer {
    permits: Option<Arc<Semaphore>>,
    limit: usize,
}

impl LoadShedLayer {
    /// `limit` 0 disables the limit.
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            permits: (limit > 0).then(|| Arc::new(Semaphore::new(limit))),
            limit,
        }
    }
}

impl<S> Layer<S> for LoadShedLayer {
    type Service = LoadShed<S>;

    fn layer(&self, inner: S) -> Self::Service {
        LoadShed {
            inner,
            permits: self.permits.clone(),
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct LoadShed<S> {
    inner: S,
    permits: Option<Arc<Semaphore>>,
    limit: usize,
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for LoadShed<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let permit = match &self.permits {
            Some(permits) if !request.uri().path().starts_with(EXEMPT_PREFIX) => {
                match permits.clone().try_acquire_owned() {
                    Ok(permit) => Some(permit),
                    Err(_) => {
                        tracing::debug!(limit = self.limit, "server busy: call refused");
                        let refused = tonic::Status::resource_exhausted(format!(
                            "server busy: {} calls in progress, retry shortly",
                            self.limit
                        ));
                        return Box::pin(std::future::ready(Ok(refused.into_http())));
                    }
                }
            }
            _ => None,
        };
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await;
            // The call's work ends with its response: every Tachawor RPC is unary.
            drop::<Option<OwnedSemaphorePermit>>(permit);
            response
        })
    }
}
