//! The portal's petition and association pages for a signed-in person, on the all-in-one
//! (SQLite files, the in-process bus) and on separate servers (PostgreSQL + NATS).

use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    petition_pages,
    separate::Servers,
};

/// Both platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn petition_pages_on_the_all_in_one_then_on_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    petition_pages::check_petition_journey(p).await;
    petition_pages::check_associations(p).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    petition_pages::check_petition_journey(p).await;
    petition_pages::check_associations(p).await;
}
