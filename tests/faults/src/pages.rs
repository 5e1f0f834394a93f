//! The portal under the same faults: its replica reaches every service's replicas (calls spread
//! over them), keeps no page cache (`pages.cache_ttl_ms = 0`, so every read reaches the services),
//! and readers ask for public pages, in Arabic and French, the whole time; each read is recorded
//! with its status and what it took.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    time::Instant,
};

use crate::load::Targets;

/// Bound on one page read, as a browser's patience.
const PATIENCE: Duration = Duration::from_secs(10);

/// One page read: when it ended, whether it answered 200, what it took.
#[derive(Clone, Copy)]
pub struct Read {
    pub at: Instant,
    pub ok: bool,
    pub took: Duration,
}

#[derive(Default, Clone)]
pub struct Reads(pub Arc<Mutex<Vec<Read>>>);

/// The public pages the readers go through, in turn.
pub fn paths(t: &Targets) -> Vec<String> {
    vec![
        "/ar/".into(),
        "/fr/consultations".into(),
        format!("/ar/consultations/{}", t.consultation),
        format!("/fr/petitions/{}", t.petition),
        "/ar/training".into(),
        format!("/fr/training/sessions/{}", t.session),
        "/ar/transparency".into(),
    ]
}

/// The status of `GET path`, or `None` when no answer came within [`PATIENCE`].
pub async fn status(addr: SocketAddr, path: &str) -> Option<u16> {
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).await.ok()?;
        line.split(' ').nth(1)?.parse().ok()
    };
    tokio::time::timeout(PATIENCE, ask).await.ok().flatten()
}

/// `readers` at once, each going through `paths` until `stop` is set.
pub fn read(
    addr: SocketAddr,
    paths: Vec<String>,
    readers: usize,
    reads: Reads,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..readers)
        .map(|r| {
            let (paths, reads, stop) = (paths.clone(), reads.clone(), stop.clone());
            tokio::spawn(async move {
                for path in paths.iter().cycle().skip(r) {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let began = Instant::now();
                    let ok = status(addr, path).await == Some(200);
                    let at = Instant::now();
                    reads.0.lock().expect("reads").push(Read {
                        at,
                        ok,
                        took: at - began,
                    });
                    // A reader's pace, not a flood: the portal's own speed is the bench's.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        })
        .collect()
}

/// The paths that do not answer 200 now.
pub async fn failing(addr: SocketAddr, paths: &[String]) -> Vec<String> {
    let mut failing = Vec::new();
    for path in paths {
        if status(addr, path).await != Some(200) {
            failing.push(path.clone());
        }
    }
    failing
}

impl Reads {
    /// (answered 200, all, 99th percentile of what they took) between `from` and `to`.
    pub fn window(&self, from: Instant, to: Instant) -> (usize, usize, Option<Duration>) {
        let all = self.0.lock().expect("reads");
        let mine: Vec<&Read> = all.iter().filter(|r| r.at >= from && r.at < to).collect();
        let mut took: Vec<Duration> = mine.iter().map(|r| r.took).collect();
        took.sort();
        let p99 = crate::quantile(&took, 0.99);
        (mine.iter().filter(|r| r.ok).count(), mine.len(), p99)
    }
}
