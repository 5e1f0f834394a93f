//! The service token cache, on a manual clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tachawor_auth::{AuthError, BoxFuture, IssuedToken, ServiceTokenSource, TokenIssuer};
use tachawor_storage::{Clock, ManualClock};
use tokio::sync::Semaphore;

/// Issues `token-<n>` valid for `life` from the clock's current time.
struct FakeIssuer {
    clock: ManualClock,
    life: Duration,
    issued: AtomicUsize,
    /// Calls that reached the issuer, answered or not.
    entered: AtomicUsize,
    down: AtomicBool,
    /// When set, each issue waits for a permit, so tests can hold callers inside a renewal.
    gate: Option<Semaphore>,
}

impl FakeIssuer {
    fn new(clock: &ManualClock, life: Duration) -> Self {
        Self {
            clock: clock.clone(),
            life,
            issued: AtomicUsize::new(0),
            entered: AtomicUsize::new(0),
            down: AtomicBool::new(false),
            gate: None,
        }
    }
    fn issued(&self) -> usize {
        self.issued.load(Ordering::SeqCst)
    }
}

impl TokenIssuer for FakeIssuer {
    fn issue(&self) -> BoxFuture<'_, Result<IssuedToken, AuthError>> {
        Box::pin(async move {
            self.entered.fetch_add(1, Ordering::SeqCst);
            if let Some(gate) = &self.gate {
                gate.acquire().await.unwrap().forget();
            }
            if self.down.load(Ordering::SeqCst) {
                return Err(AuthError::Unavailable("identity down".into()));
            }
            let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(IssuedToken {
                access_token: format!("token-{n}"),
                expires_at_millis: self.clock.now_millis() + self.life.as_millis() as i64,
            })
        })
    }
}

fn source(issuer: &Arc<FakeIssuer>, clock: &ManualClock) -> ServiceTokenSource {
    ServiceTokenSource::with_issuer(issuer.clone(), Arc::new(clock.clone()))
}

#[tokio::test]
async fn a_token_is_reused_until_a_minute_before_expiry() {
    let clock = ManualClock::new(1_000_000);
    let issuer = Arc::new(FakeIssuer::new(&clock, Duration::from_secs(15 * 60)));
    let tokens = source(&issuer, &clock);

    assert_eq!(tokens.token().await.unwrap(), "token-1");
    clock.advance(Duration::from_secs(13 * 60 + 59));
    assert_eq!(tokens.token().await.unwrap(), "token-1");
    assert_eq!(
        tokens.clone().token().await.unwrap(),
        "token-1",
        "clones share it"
    );
    clock.advance(Duration::from_secs(2)); // 59 s before expiry
    assert_eq!(tokens.token().await.unwrap(), "token-2");
    assert_eq!(tokens.token().await.unwrap(), "token-2");
    assert_eq!(issuer.issued(), 2);
}

#[tokio::test]
async fn short_lived_tokens_are_renewed_in_their_last_fifth() {
    let clock = ManualClock::new(0);
    let issuer = Arc::new(FakeIssuer::new(&clock, Duration::from_secs(10)));
    let tokens = source(&issuer, &clock);

    assert_eq!(tokens.token().await.unwrap(), "token-1");
    clock.advance(Duration::from_millis(7_999));
    assert_eq!(tokens.token().await.unwrap(), "token-1");
    clock.advance(Duration::from_millis(1));
    assert_eq!(tokens.token().await.unwrap(), "token-2");
}

#[tokio::test]
async fn a_failed_renewal_falls_back_to_the_token_while_it_lasts() {
    let clock = ManualClock::new(0);
    let issuer = Arc::new(FakeIssuer::new(&clock, Duration::from_secs(600)));
    let tokens = source(&issuer, &clock);
    assert_eq!(tokens.token().await.unwrap(), "token-1");

    issuer.down.store(true, Ordering::SeqCst);
    clock.advance(Duration::from_secs(590));
    assert_eq!(tokens.token().await.unwrap(), "token-1", "still valid");
    clock.advance(Duration::from_secs(10));
    assert!(matches!(
        tokens.token().await,
        Err(AuthError::Unavailable(_))
    ));

    issuer.down.store(false, Ordering::SeqCst);
    assert_eq!(tokens.token().await.unwrap(), "token-2");
}

#[tokio::test]
async fn no_token_and_no_identity_is_an_error() {
    let clock = ManualClock::new(0);
    let issuer = Arc::new(FakeIssuer::new(&clock, Duration::from_secs(600)));
    issuer.down.store(true, Ordering::SeqCst);
    assert!(source(&issuer, &clock).token().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_renewal() {
    let clock = ManualClock::new(0);
    let issuer = Arc::new(FakeIssuer {
        gate: Some(Semaphore::new(0)),
        ..FakeIssuer::new(&clock, Duration::from_secs(600))
    });
    let tokens = source(&issuer, &clock);

    let callers: Vec<_> = (0..8)
        .map(|_| {
            let tokens = tokens.clone();
            tokio::spawn(async move { tokens.token().await })
        })
        .collect();
    // Let every caller reach the renewal before identity answers.
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    issuer.gate.as_ref().unwrap().add_permits(1);
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap(), "token-1");
    }
    assert_eq!(issuer.issued(), 1);

    // During a renewal, callers keep using the still-valid token instead of waiting.
    clock.advance(Duration::from_secs(590));
    let renewing = {
        let tokens = tokens.clone();
        tokio::spawn(async move { tokens.token().await })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while issuer.entered.load(Ordering::SeqCst) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "renewal never started"
        );
        tokio::task::yield_now().await;
    }
    let meanwhile = tokio::time::timeout(Duration::from_secs(1), tokens.token())
        .await
        .expect("a caller during a renewal does not wait for it");
    assert_eq!(meanwhile.unwrap(), "token-1");
    issuer.gate.as_ref().unwrap().add_permits(1);
    assert_eq!(renewing.await.unwrap().unwrap(), "token-2");
    assert_eq!(tokens.token().await.unwrap(), "token-2");
}
