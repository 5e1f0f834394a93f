//! One running service as the platform holds it: its name, its address and its task.
//!
//! Each service starts serving as soon as it is built, because the next ones need it (they
//! fetch identity's keys at start). All stop when the platform's stop signal turns true, or
//! when the platform is dropped.

use std::{future::Future, net::SocketAddr, pin::Pin};

use tokio::{sync::watch, task::JoinHandle};

pub(crate) type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

pub(crate) struct Hosted {
    pub name: &'static str,
    pub addr: SocketAddr,
    pub task: JoinHandle<anyhow::Result<()>>,
}

impl Hosted {
    /// Spawns `run` (the service's `run_until_stopped`) with a future that resolves on `stop`.
    pub fn start<F, R>(
        name: &'static str,
        addr: SocketAddr,
        mut stop: watch::Receiver<bool>,
        run: F,
    ) -> Self
    where
        F: FnOnce(Stop) -> R,
        R: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let signal: Stop = Box::pin(async move {
            // A dropped sender stops the service too.
            let _ = stop.wait_for(|s| *s).await;
        });
        Self {
            name,
            addr,
            task: tokio::spawn(run(signal)),
        }
    }
}
