//! A unary gRPC answer held in memory (headers, message frames, trailers) and sent again as it
//! was: what the response cache serves, and what the benchmarks' replay route answers.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;
use tonic::body::Body;

/// One answer, as recorded from the service or given by a benchmark.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) headers: HeaderMap,
    /// The length-prefixed message frames, as they went out.
    pub(crate) body: Bytes,
    pub(crate) trailers: HeaderMap,
}

impl Recorded {
    /// An OK answer carrying `body` (gRPC frames).
    pub(crate) fn ok(body: Bytes) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/grpc"),
        );
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", http::HeaderValue::from_static("0"));
        Self {
            headers,
            body,
            trailers,
        }
    }

    /// Bytes it holds, roughly: what the cache's bound counts.
    pub(crate) fn weight(&self) -> usize {
        let fields = |map: &HeaderMap| {
            map.iter()
                .map(|(name, value)| name.as_str().len() + value.len() + 32)
                .sum::<usize>()
        };
        self.body.len() + fields(&self.headers) + fields(&self.trailers)
    }

    pub(crate) fn response(&self) -> http::Response<Body> {
        let mut response = http::Response::new(Body::new(Replayed {
            data: Some(self.body.clone()).filter(|b| !b.is_empty()),
            trailers: Some(self.trailers.clone()),
        }));
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// The body of a recorded answer: its frames in one piece, then its trailers.
struct Replayed {
    data: Option<Bytes>,
    trailers: Option<HeaderMap>,
}

impl HttpBody for Replayed {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        Poll::Ready(self.trailers.take().map(|t| Ok(Frame::trailers(t))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.trailers.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// What reading a body up to a bound gave.
pub(crate) enum Read {
    /// The whole body: its data, and its trailers if any.
    Whole(Bytes, Option<HeaderMap>),
    /// Longer than the bound: the body again, what was read first included.
    TooLong(Body),
}

/// Reads `body` whole if it holds at most `limit` bytes of data.
pub(crate) async fn read_at_most(mut body: Body, limit: usize) -> Result<Read, tonic::Status> {
    let mut data = BytesMut::new();
    let mut trailers = None;
    while let Some(frame) = body.frame().await {
        let frame = frame?;
        match frame.into_data() {
            Ok(chunk) => {
                data.extend_from_slice(&chunk);
                if data.len() > limit {
                    return Ok(Read::TooLong(Body::new(Prefixed {
                        prefix: Some(data.freeze()),
                        rest: body,
                    })));
                }
            }
            Err(frame) => trailers = frame.into_trailers().ok(),
        }
    }
    Ok(Read::Whole(data.freeze(), trailers))
}

/// A body whose first bytes were already read.
struct Prefixed {
    prefix: Option<Bytes>,
    rest: Body,
}

impl HttpBody for Prefixed {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(prefix) = self.prefix.take() {
            return Poll::Ready(Some(Ok(Frame::data(prefix))));
        }
        Pin::new(&mut self.rest).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.prefix.is_none() && self.rest.is_end_stream()
    }
}
