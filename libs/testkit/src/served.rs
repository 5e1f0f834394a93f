//! A service a test serves, and the kinds of caller a role matrix goes through.

use std::{future::Future, pin::Pin};

use tokio::{sync::oneshot, task::JoinHandle};

/// A server a test spawned: told to stop, and its task aborted, when dropped.
pub struct Served<T> {
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<T>>,
}

/// The signal handed to a spawned server: resolves when its [`Served`] is dropped.
pub type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

impl<T: Send + 'static> Served<T> {
    /// Spawns `run(stop)` (a service's `run_until_stopped`).
    pub fn spawn<F, Fut>(run: F) -> Self
    where
        F: FnOnce(Stop) -> Fut,
        Fut: Future<Output = T> + Send + 'static,
    {
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(Box::pin(async move {
            let _ = stopped.await;
        })));
        Self {
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }
}

impl<T> Drop for Served<T> {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Who calls, in a role matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Citizen,
    Staff,
    Admin,
    /// Another service, with its service token.
    Service,
}

pub const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Citizen,
    Who::Staff,
    Who::Admin,
    Who::Service,
];
