//! The portal's training pages for a signed-in person, on the all-in-one (SQLite, in-process
//! bus) and on separate servers (PostgreSQL, NATS).

use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    separate::Servers,
    training_pages,
};

/// Both platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn training_pages_on_the_all_in_one_then_on_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    training_pages::check_journey(p, "all-in-one").await;
    training_pages::check_registration_closed(p).await;
    training_pages::check_session_times(p).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    training_pages::check_journey(p, "separate").await;
    training_pages::check_registration_closed(p).await;
    training_pages::check_session_times(p).await;
}
