//! Serving concurrent requests in batches: see the README.

use std::{
    collections::{HashMap, VecDeque},
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use futures::future::BoxFuture;

type Handler<K, T> = dyn Fn(K, Vec<T>) -> BoxFuture<'static, ()> + Send + Sync;
type Queues<K, T> = Arc<Mutex<HashMap<K, VecDeque<T>>>>;

/// Per-key queues, each drained by at most one task at a time. Cheap to clone.
pub struct Coalescer<K, T> {
    queues: Queues<K, T>,
    handler: Arc<Handler<K, T>>,
    max_batch: usize,
}

impl<K, T> Clone for Coalescer<K, T> {
    fn clone(&self) -> Self {
        Self {
            queues: self.queues.clone(),
            handler: self.handler.clone(),
            max_batch: self.max_batch,
        }
    }
}

fn locked<K, T>(queues: &Queues<K, T>) -> MutexGuard<'_, HashMap<K, VecDeque<T>>> {
    queues.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<K, T> Coalescer<K, T>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    T: Send + 'static,
{
    /// `handler` gets each batch in queue order; it answers the items itself (they usually
    /// carry a reply channel).
    pub fn new<F>(max_batch: usize, handler: F) -> Self
    where
        F: Fn(K, Vec<T>) -> BoxFuture<'static, ()> + Send + Sync + 'static,
    {
        Self {
            queues: Arc::default(),
            handler: Arc::new(handler),
            max_batch: max_batch.max(1),
        }
    }

    /// Queues `item` under `key`, and starts the key's task when none runs. Must be called
    /// within a Tokio runtime.
    pub fn push(&self, key: K, item: T) {
        let start = {
            let mut queues = locked(&self.queues);
            match queues.get_mut(&key) {
                Some(queue) => {
                    queue.push_back(item);
                    false
                }
                None => {
                    queues.insert(key.clone(), VecDeque::from([item]));
                    true
                }
            }
        };
        if start {
            tokio::spawn(self.clone().drain(key));
        }
    }

    /// Hands the key's queue to the handler batch by batch until it is empty, then removes the
    /// key (under the lock `push` takes, so no item is left behind).
    async fn drain(self, key: K) {
        let mut guard = Entry {
            queues: &self.queues,
            key: &key,
            done: false,
        };
        loop {
            let batch: Vec<T> = {
                let mut all = locked(&self.queues);
                let Some(queue) = all.get_mut(&key) else {
                    guard.done = true;
                    return;
                };
                if queue.is_empty() {
                    all.remove(&key);
                    guard.done = true;
                    return;
                }
                let n = queue.len().min(self.max_batch);
                queue.drain(..n).collect()
            };
            (self.handler)(key.clone(), batch).await;
        }
    }
}

/// Removes a key's queue if its task ends abnormally (a panic, the runtime shutting down):
/// the queued items are dropped and the next push starts a new task.
struct Entry<'a, K: Eq + Hash, T> {
    queues: &'a Queues<K, T>,
    key: &'a K,
    done: bool,
}

impl<K: Eq + Hash, T> Drop for Entry<'_, K, T> {
    fn drop(&mut self) {
        if !self.done {
            locked(self.queues).remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::{Notify, oneshot};

    use super::*;

    type Item = (u32, oneshot::Sender<usize>);

    /// A handler that answers each item with the size of its batch. With `gate`, it says it
    /// entered and waits to be released before answering.
    fn sizes(gate: Option<(Arc<Notify>, Arc<Notify>)>) -> Coalescer<&'static str, Item> {
        Coalescer::new(3, move |_key, batch: Vec<Item>| {
            let gate = gate.clone();
            Box::pin(async move {
                if let Some((entered, release)) = gate {
                    entered.notify_one();
                    release.notified().await;
                }
                let n = batch.len();
                for (_, reply) in batch {
                    let _ = reply.send(n);
                }
            })
        })
    }

    #[tokio::test]
    async fn a_lone_item_goes_at_once_and_later_ones_are_batched_in_order() {
        let (entered, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        let coalescer = sizes(Some((entered.clone(), release.clone())));
        let (first, first_answer) = oneshot::channel();
        coalescer.push("s", (0, first));
        entered.notified().await;
        // The first batch (one item) is in the handler; seven more queue meanwhile.
        let answers: Vec<_> = (1..8)
            .map(|i| {
                let (reply, answer) = oneshot::channel();
                coalescer.push("s", (i, reply));
                answer
            })
            .collect();
        release.notify_one();
        for _ in 0..3 {
            entered.notified().await;
            release.notify_one();
        }
        assert_eq!(first_answer.await.unwrap(), 1);
        let mut got = Vec::new();
        for answer in answers {
            got.push(answer.await.unwrap());
        }
        assert_eq!(
            got,
            [3, 3, 3, 3, 3, 3, 1],
            "batches of at most 3, in queue order"
        );
        // The draining task removes the key after answering its last batch: wait for that,
        // not for a fixed time.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while !locked(&coalescer.queues).is_empty() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the key is gone once drained"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    #[tokio::test]
    async fn keys_are_served_apart() {
        let coalescer = sizes(None);
        let (a, a_answer) = oneshot::channel();
        let (b, b_answer) = oneshot::channel();
        coalescer.push("a", (0, a));
        coalescer.push("b", (1, b));
        assert_eq!((a_answer.await.unwrap(), b_answer.await.unwrap()), (1, 1));
    }

    #[tokio::test]
    async fn a_panicking_handler_drops_its_queue_and_the_next_push_starts_afresh() {
        let coalescer: Coalescer<&'static str, Item> =
            Coalescer::new(3, |_key, batch: Vec<Item>| {
                Box::pin(async move {
                    if batch.iter().any(|(i, _)| *i == 13) {
                        panic!("unlucky");
                    }
                    for (_, reply) in batch {
                        let _ = reply.send(1);
                    }
                })
            });
        let (unlucky, unlucky_answer) = oneshot::channel();
        coalescer.push("s", (13, unlucky));
        assert!(unlucky_answer.await.is_err(), "its reply channel closed");
        let (next, next_answer) = oneshot::channel();
        coalescer.push("s", (1, next));
        assert_eq!(next_answer.await.unwrap(), 1);
    }
}
