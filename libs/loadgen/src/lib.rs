//! A gRPC load generator for the benchmarks, needing nothing but this workspace: one prepared
//! unary call (method path, encoded request, optional bearer token) sent over a few HTTP/2
//! connections with a fixed number of calls in flight in total, for a fixed duration.
//!
//! It speaks HTTP/2 with `h2` directly, as `h2load` does, so that the client costs little of
//! the CPU it shares with the server. Every answer is read to its trailers; an answer that is
//! not `grpc-status: 0` counts as an error and is not timed.
//!
//! ```ignore
//! let call = Call::new("/grpc.health.v1.Health/Check", &HealthCheckRequest::default());
//! let report = tachawor_loadgen::run(addr, &call, &Load::default()).await;
//! println!("{:.0} req/s, p99 {:?}, {} errors", report.per_second, report.p99, report.errors);
//! ```

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use bytes::{BufMut, Bytes, BytesMut};
use h2::client::SendRequest;
use tokio::net::TcpStream;

/// One prepared unary call.
#[derive(Clone, Debug)]
pub struct Call {
    pub path: String,
    /// The request as a gRPC frame: flag, length, message.
    pub frame: Bytes,
    /// `authorization: Bearer <token>` when set.
    pub bearer: Option<String>,
}

impl Call {
    /// `message` to the method at `path` (`/package.Service/Method`), without credentials.
    pub fn new(path: &str, message: &impl prost::Message) -> Self {
        Self::raw(path, &message.encode_to_vec())
    }

    /// Already encoded message bytes to `path`.
    pub fn raw(path: &str, message: &[u8]) -> Self {
        let mut frame = BytesMut::with_capacity(5 + message.len());
        frame.put_u8(0);
        frame.put_u32(message.len() as u32);
        frame.put_slice(message);
        Self {
            path: path.to_string(),
            frame: frame.freeze(),
            bearer: None,
        }
    }

    pub fn with_bearer(mut self, token: &str) -> Self {
        self.bearer = Some(token.to_string());
        self
    }

    fn request(&self, addr: SocketAddr) -> http::Request<()> {
        let mut request = http::Request::post(format!("http://{addr}{}", self.path))
            .header("content-type", "application/grpc")
            .header("te", "trailers");
        if let Some(token) = &self.bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.body(()).expect("a valid request")
    }
}

/// How hard and how long.
#[derive(Clone, Debug)]
pub struct Load {
    /// HTTP/2 connections, each carrying its share of the calls in flight.
    pub connections: usize,
    /// Calls in flight at any moment, across the connections.
    pub in_flight: usize,
    pub duration: Duration,
}

impl Default for Load {
    fn default() -> Self {
        Self {
            connections: 4,
            in_flight: 50,
            duration: Duration::from_secs(5),
        }
    }
}

/// What a run measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// OK answers.
    pub requests: u64,
    /// Answers other than OK, and calls that failed.
    pub errors: u64,
    /// The first error seen, to say what went wrong.
    pub first_error: Option<String>,
    /// OK answers per second of the run.
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

/// One call's answer: its message frames, or why it failed.
pub async fn once(addr: SocketAddr, call: &Call) -> Result<Bytes, String> {
    let sender = connect(addr).await?;
    send(sender, addr, call).await.map(|(_, body)| body)
}

/// Sends `call` for `load.duration` with `load.in_flight` calls in flight over
/// `load.connections` connections, and measures the OK answers.
pub async fn run(addr: SocketAddr, call: &Call, load: &Load) -> Report {
    let mut senders = Vec::new();
    for _ in 0..load.connections.max(1) {
        senders.push(connect(addr).await.expect("connect to the server"));
    }
    let started = Instant::now();
    let until = started + load.duration;
    let workers: Vec<_> = (0..load.in_flight.max(1))
        .map(|i| {
            let mut sender = senders[i % senders.len()].clone();
            let call = call.clone();
            tokio::spawn(async move {
                let (mut times, mut errors, mut first_error) = (Vec::new(), 0u64, None);
                while Instant::now() < until {
                    let t = Instant::now();
                    match send(sender.clone(), addr, &call).await {
                        Ok((next, _)) => {
                            times.push(t.elapsed());
                            sender = next;
                        }
                        Err(e) => {
                            errors += 1;
                            first_error.get_or_insert(e);
                        }
                    }
                }
                (times, errors, first_error)
            })
        })
        .collect();
    let (mut times, mut errors, mut first_error) = (Vec::new(), 0, None);
    for worker in workers {
        let (t, e, f) = worker.await.expect("a worker");
        times.extend(t);
        errors += e;
        first_error = first_error.or(f);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_unstable();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    Report {
        requests: times.len() as u64,
        errors,
        first_error,
        per_second: times.len() as f64 / elapsed,
        p50: at(0.50),
        p99: at(0.99),
    }
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Bytes>, String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    tcp.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = h2::client::Builder::new()
        .initial_window_size(1 << 20)
        .initial_connection_window_size(1 << 24)
        .handshake(tcp)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// One call on a connection; the sender back, ready for the next, and the answer's frames.
async fn send(
    sender: SendRequest<Bytes>,
    addr: SocketAddr,
    call: &Call,
) -> Result<(SendRequest<Bytes>, Bytes), String> {
    let mut sender = sender.ready().await.map_err(|e| e.to_string())?;
    let (response, mut stream) = sender
        .send_request(call.request(addr), false)
        .map_err(|e| e.to_string())?;
    stream
        .send_data(call.frame.clone(), true)
        .map_err(|e| e.to_string())?;
    let response = response.await.map_err(|e| e.to_string())?;
    if response.status() != http::StatusCode::OK {
        return Err(format!("HTTP {}", response.status()));
    }
    if let Some(status) = response.headers().get("grpc-status") {
        // Trailers only: a refusal.
        return Err(grpc_error(status, response.headers()));
    }
    let mut body = response.into_body();
    let mut data = BytesMut::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.map_err(|e| e.to_string())?;
        let _ = body.flow_control().release_capacity(chunk.len());
        data.extend_from_slice(&chunk);
    }
    let trailers = body
        .trailers()
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    match trailers.get("grpc-status") {
        Some(status) if status == "0" => Ok((sender, data.freeze())),
        Some(status) => Err(grpc_error(status, &trailers)),
        None => Err("no grpc-status".into()),
    }
}

fn grpc_error(status: &http::HeaderValue, fields: &http::HeaderMap) -> String {
    let message = fields
        .get("grpc-message")
        .and_then(|m| m.to_str().ok())
        .unwrap_or_default();
    format!("grpc-status {status:?} {message}")
}
