//! Identity's own tests: `tachawor_identity::testing::TestIdentity` on a fresh environment,
//! with the environment's events.

use std::{collections::HashMap, ops::Deref};

use tachawor_events::Envelope;
pub use tachawor_identity::testing::{Client, PASSWORD, TestIdentity};
use tachawor_storage::ManualClock;
use tachawor_testkit::{Backend, Harness, TestEnv};
use tonic::Status;

pub struct TestApp {
    identity: TestIdentity,
    env: TestEnv,
}

impl Deref for TestApp {
    type Target = TestIdentity;
    fn deref(&self) -> &TestIdentity {
        &self.identity
    }
}

impl Harness for TestApp {
    async fn start(backend: Backend) -> Self {
        Self::start_with(backend, HashMap::new()).await
    }
}

impl TestApp {
    /// Starts with extra settings (`"tokens.access_ttl_secs"` → value).
    pub async fn start_with(backend: Backend, overrides: HashMap<&str, String>) -> Self {
        Self::start_in(TestEnv::start(backend).await, overrides).await
    }

    /// Starts in a prepared environment (an outage test's own NATS server).
    pub async fn start_in(env: TestEnv, overrides: HashMap<&str, String>) -> Self {
        let identity = TestIdentity::start_in(&env, ManualClock::starting_now(), overrides).await;
        Self { identity, env }
    }

    /// Every event in the identity stream, once the outbox has drained.
    pub async fn events(&self) -> Vec<(String, Envelope)> {
        self.env.events(&self.identity.db, "identity").await
    }
}

/// The signed-in person's account.
pub async fn my_account(client: &mut Client) -> tachawor_proto::identity::Account {
    client
        .get_my_account(tachawor_proto::identity::GetMyAccountRequest {})
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap()
}

/// The field names an `INVALID_ARGUMENT` status lists.
pub fn fields(status: &Status) -> Vec<String> {
    assert_eq!(
        status.code(),
        tonic::Code::InvalidArgument,
        "expected INVALID_ARGUMENT, got {status:?}"
    );
    tachawor_errors::violated_fields(status)
}
