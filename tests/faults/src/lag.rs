//! How far reporting trails the writes, sampled once a second while the load runs: at each
//! sample, the age of the oldest acknowledged write that reporting does not count yet. It
//! assumes counts arrive in the order the writes were acknowledged, which the per-stream
//! consumers keep closely enough for a figure in seconds.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use tachawor_system_tests::Platform;
use tokio::time::Instant;

use crate::{
    check,
    load::{Kind, Outcome, Targets, Write},
};

/// (when, what reporting counted of the load's kinds in all).
#[derive(Default, Clone)]
pub struct Samples(Arc<Mutex<Vec<(Instant, usize)>>>);

/// Asks reporting once a second until the task is aborted; an unanswered sample is skipped.
pub fn monitor(p: Arc<Platform>, t: Targets, samples: Samples) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let asked = tokio::time::timeout(Duration::from_secs(2), check::reported(&p, &t));
            if let Ok(Ok(totals)) = asked.await {
                let counted = totals.values().sum::<f64>() as usize;
                samples
                    .0
                    .lock()
                    .expect("samples")
                    .push((Instant::now(), counted));
            }
        }
    })
}

/// Acknowledgement times of the writes reporting counts, oldest first.
pub fn counted_acks(writes: &[Write]) -> Vec<Instant> {
    let mut acks: Vec<Instant> = writes
        .iter()
        .filter(|w| w.kind != Kind::Account && w.outcome == Outcome::Acked)
        .map(|w| w.at)
        .collect();
    acks.sort();
    acks
}

impl Samples {
    /// The worst lag seen in `[from, to)`; `None` when reporting answered no sample then.
    pub fn worst(&self, acks: &[Instant], from: Instant, to: Instant) -> Option<Duration> {
        let all = self.0.lock().expect("samples");
        all.iter()
            .filter(|(at, _)| *at >= from && *at < to)
            .map(|(at, counted)| {
                let acked = acks.partition_point(|a| a <= at);
                match acks.get(*counted) {
                    Some(oldest) if *counted < acked => *at - *oldest,
                    _ => Duration::ZERO,
                }
            })
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lag_is_the_age_of_the_oldest_uncounted_ack() {
        let t0 = Instant::now();
        let s = |secs: u64| t0 + Duration::from_secs(secs);
        let acks = vec![s(1), s(2), s(3), s(4)];
        let samples = Samples::default();
        samples.0.lock().unwrap().extend([
            (s(5), 4), // everything counted
            (s(6), 1), // the write acked at 2 s still missing
            (s(7), 9), // counts beyond the acks seen (an ack still on its way)
        ]);
        assert_eq!(samples.worst(&acks, s(5), s(6)), Some(Duration::ZERO));
        assert_eq!(
            samples.worst(&acks, s(5), s(8)),
            Some(Duration::from_secs(4))
        );
        assert_eq!(samples.worst(&acks, s(8), s(9)), None);
    }
}
