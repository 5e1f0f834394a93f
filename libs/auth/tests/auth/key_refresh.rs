//! Background refresh of the key set, on tokio's paused clock so minutes pass at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tachawor_auth::{
    AuthError, BoxFuture, KeySource, SigningKey, Verifier, VerifierSettings, start_key_refresh,
};
use tachawor_proto::identity::PublicKey;
use tokio::time::Instant;

use crate::helpers::*;

/// A key source under the test's control.
#[derive(Default)]
struct FakeKeys {
    keys: Mutex<Vec<PublicKey>>,
    /// Fetches answered with an error before the keys are served.
    failures_left: AtomicUsize,
    /// Answer every fetch with an error while set.
    down: std::sync::atomic::AtomicBool,
    fetches: AtomicUsize,
}

impl FakeKeys {
    fn serving(keys: &[&SigningKey]) -> Arc<Self> {
        let fake = Arc::new(Self::default());
        fake.publish(keys);
        fake
    }
    fn publish(&self, keys: &[&SigningKey]) {
        *self.keys.lock().unwrap() = keys.iter().map(|k| k.public_key()).collect();
    }
    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl KeySource for FakeKeys {
    fn fetch(&self) -> BoxFuture<'_, Result<Vec<PublicKey>, AuthError>> {
        Box::pin(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            let failing = self
                .failures_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if failing || self.down.load(Ordering::SeqCst) {
                return Err(AuthError::Unavailable("identity down".into()));
            }
            Ok(self.keys.lock().unwrap().clone())
        })
    }
}

fn settings() -> VerifierSettings {
    VerifierSettings {
        key_refresh_secs: 300,
        min_refresh_interval_secs: 10,
        startup_timeout_secs: 5,
        ..Default::default()
    }
}

/// Polls `done` on the (paused) tokio clock until it holds, for at most `within`.
async fn eventually(within: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "condition not met within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(start_paused = true)]
async fn start_retries_until_the_first_key_set_arrives() {
    let key = SigningKey::generate();
    let source = FakeKeys::serving(&[&key]);
    source.failures_left.store(3, Ordering::SeqCst);
    let verifier = Verifier::new(&settings());

    let task = start_key_refresh(verifier.clone(), source.clone())
        .await
        .unwrap();
    assert_eq!(source.fetches(), 4);
    assert_eq!(verifier.kids(), vec![key.kid().to_string()]);
    assert!(
        verifier
            .verify(&key.sign(&claims(wall_now())).unwrap())
            .is_ok()
    );
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn start_fails_when_no_key_set_arrives_in_time() {
    let source = FakeKeys::serving(&[]);
    source.down.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let result = start_key_refresh(Verifier::new(&settings()), source.clone()).await;
    assert!(matches!(result, Err(AuthError::Unavailable(_))));
    assert!(started.elapsed() <= Duration::from_secs(5));
    assert!(source.fetches() > 1, "retried");

    // An empty key set is no key set.
    let empty = FakeKeys::serving(&[]);
    let result = start_key_refresh(Verifier::new(&settings()), empty).await;
    assert!(matches!(result, Err(AuthError::Unavailable(_))));
}

#[tokio::test(start_paused = true)]
async fn keys_are_refreshed_periodically_and_kept_when_identity_fails() {
    let old = SigningKey::generate();
    let new = SigningKey::generate();
    let source = FakeKeys::serving(&[&old]);
    let verifier = Verifier::new(&settings());
    let task = start_key_refresh(verifier.clone(), source.clone())
        .await
        .unwrap();
    let started = Instant::now();

    source.publish(&[&old, &new]);
    eventually(Duration::from_secs(301), || verifier.kids().len() == 2).await;
    assert!(
        started.elapsed() >= Duration::from_secs(300),
        "not before the period"
    );

    // Identity down, then serving garbage: the current keys stay.
    source.down.store(true, Ordering::SeqCst);
    eventually(Duration::from_secs(301), || source.fetches() == 3).await;
    source.down.store(false, Ordering::SeqCst);
    let mut unusable = new.public_key();
    unusable.x = "bad".into();
    *source.keys.lock().unwrap() = vec![unusable];
    eventually(Duration::from_secs(301), || source.fetches() == 4).await;
    tokio::task::yield_now().await;
    assert_eq!(verifier.kids().len(), 2);

    // Rotation completes: the old key is withdrawn and its tokens fail.
    source.publish(&[&new]);
    eventually(Duration::from_secs(301), || verifier.kids().len() == 1).await;
    assert_eq!(verifier.kids(), vec![new.kid().to_string()]);
    let now = wall_now();
    assert!(verifier.verify(&old.sign(&claims(now)).unwrap()).is_err());
    assert!(verifier.verify(&new.sign(&claims(now)).unwrap()).is_ok());
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn an_unknown_kid_triggers_an_early_rate_limited_refresh() {
    let old = SigningKey::generate();
    let new = SigningKey::generate();
    let source = FakeKeys::serving(&[&old]);
    let verifier = Verifier::new(&settings());
    let task = start_key_refresh(verifier.clone(), source.clone())
        .await
        .unwrap();
    let first_fetch = Instant::now();

    source.publish(&[&old, &new]);
    let token = new.sign(&claims(wall_now())).unwrap();
    assert!(matches!(
        verifier.verify(&token),
        Err(AuthError::UnknownKey { .. })
    ));
    // Polls the key set, not `verify`, which would itself ask for more refreshes.
    eventually(Duration::from_secs(11), || verifier.kids().len() == 2).await;
    assert!(verifier.verify(&token).is_ok());
    let refreshed = Instant::now();
    assert!(
        refreshed - first_fetch >= Duration::from_secs(10),
        "rate-limited"
    );
    assert_eq!(source.fetches(), 2);

    // A flood of forged key ids costs at most one fetch per interval.
    let stranger = SigningKey::generate();
    let forged = stranger.sign(&claims(wall_now())).unwrap();
    for _ in 0..100 {
        assert!(verifier.verify(&forged).is_err());
    }
    tokio::time::sleep(Duration::from_secs(9)).await;
    assert_eq!(
        source.fetches(),
        2,
        "nothing before the interval has passed"
    );
    eventually(Duration::from_secs(2), || source.fetches() == 3).await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(source.fetches(), 3, "the flood was one fetch");
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn the_task_ends_when_the_verifier_is_dropped() {
    let key = SigningKey::generate();
    let verifier = Verifier::new(&settings());
    let task = start_key_refresh(verifier.clone(), FakeKeys::serving(&[&key]))
        .await
        .unwrap();
    drop(verifier);
    tokio::time::timeout(Duration::from_secs(301), task)
        .await
        .expect("task ended")
        .unwrap();
}
