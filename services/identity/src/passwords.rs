//! Password hashing with argon2id, run on the blocking pool so it never stalls the async threads,
//! and bounded: each hash holds `memory_kib` while it runs, so only as many run at once as the
//! settings allow. A call that cannot start within `queue_wait_ms` is `RESOURCE_EXHAUSTED`.
//! Passwords are wiped from memory once hashed.

use std::{sync::Arc, time::Duration};

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use tachawor_errors::Error;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use zeroize::Zeroizing;

use crate::settings::PasswordSettings;

#[derive(Clone)]
pub struct Passwords {
    argon2: Arc<Argon2<'static>>,
    /// Verified against when an identifier is unknown, so both cases take the same time.
    dummy_hash: Arc<String>,
    /// One permit per hash allowed to run; FIFO, so waiting callers are served in turn.
    permits: Arc<Semaphore>,
    queue_wait: Duration,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords").finish_non_exhaustive()
    }
}

impl Passwords {
    pub fn new(settings: &PasswordSettings) -> anyhow::Result<Self> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("invalid argon2 parameters: {e}"))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let dummy_hash = argon2
            .hash_password(b"an unguessable dummy password")
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))?
            .to_string();
        Ok(Self {
            argon2: Arc::new(argon2),
            dummy_hash: Arc::new(dummy_hash),
            permits: Arc::new(Semaphore::new(settings.concurrency())),
            queue_wait: Duration::from_millis(settings.queue_wait_ms),
        })
    }

    /// A turn to hash or verify, waiting up to `queue_wait_ms` for it. Taken before a login
    /// attempt is counted, so an attempt turned away for lack of a turn counts nothing.
    pub async fn turn(&self) -> Result<Turn, Error> {
        match tokio::time::timeout(self.queue_wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn { _permit: permit }),
            _ => Err(Error::ResourceExhausted(
                "too many sign-ins and registrations at once; try again in a few seconds".into(),
            )),
        }
    }

    /// The PHC string of a new hash of `password`.
    pub async fn hash(&self, password: String) -> Result<String, Error> {
        let password = Zeroizing::new(password);
        let turn = self.turn().await?;
        self.hash_in(turn, password).await
    }

    /// As [`Passwords::hash`], in a turn already taken.
    pub async fn hash_in(&self, turn: Turn, password: Zeroizing<String>) -> Result<String, Error> {
        let argon2 = self.argon2.clone();
        tokio::task::spawn_blocking(move || {
            // The turn is held until the hash is done, even if the caller has gone.
            let _turn = turn;
            argon2
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| Error::internal(anyhow::anyhow!("argon2: {e}")))
        })
        .await
        .map_err(Error::internal)?
    }

    /// Whether `password` matches `hash`; with no hash, spends the same time and answers false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, Error> {
        let password = Zeroizing::new(password);
        let turn = self.turn().await?;
        self.verify_in(turn, password, hash).await
    }

    /// As [`Passwords::verify`], in a turn already taken.
    pub async fn verify_in(
        &self,
        turn: Turn,
        password: Zeroizing<String>,
        hash: Option<String>,
    ) -> Result<bool, Error> {
        let argon2 = self.argon2.clone();
        let (hash, known) = match hash {
            Some(h) => (h, true),
            None => ((*self.dummy_hash).clone(), false),
        };
        let matches = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            argon2
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .map_err(Error::internal)?;
        Ok(matches && known)
    }
}

/// The right to run one hash now; the next waiting caller gets it when this is dropped.
#[derive(Debug)]
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap(max_concurrent: usize, queue_wait_ms: u64) -> Passwords {
        Passwords::new(&PasswordSettings {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            min_length: 10,
            memory_budget_mib: 64,
            max_concurrent,
            queue_wait_ms,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let p = cheap(0, 1000);
        let hash = p.hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("correct horse"));
        assert!(
            p.verify("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !p.verify("wrong horse battery".into(), Some(hash))
                .await
                .unwrap()
        );
        assert!(
            !p.verify("an unguessable dummy password".into(), None)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn salts_differ() {
        let p = cheap(0, 1000);
        let a = p.hash("same password!".into()).await.unwrap();
        let b = p.hash("same password!".into()).await.unwrap();
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn no_more_hashes_run_than_allowed_and_late_callers_are_refused() {
        let p = cheap(2, 50);
        // Both turns taken, as two long hashes would.
        let held = [p.turn().await.unwrap(), p.turn().await.unwrap()];
        let started = std::time::Instant::now();
        let e = p.hash("a long enough password".into()).await.unwrap_err();
        assert_eq!(
            tonic::Status::from(e).code(),
            tonic::Code::ResourceExhausted
        );
        assert!(
            started.elapsed() >= Duration::from_millis(50),
            "it waited its turn first"
        );
        drop(held);
        assert!(p.hash("a long enough password".into()).await.is_ok());
    }

    #[tokio::test]
    async fn a_waiting_caller_gets_the_next_turn() {
        let p = cheap(1, 2000);
        let held = p.turn().await.unwrap();
        let waiting = tokio::spawn({
            let p = p.clone();
            async move { p.hash("a long enough password".into()).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(held);
        assert!(waiting.await.unwrap().is_ok());
    }
}
