//! Taking part in consultations through the portal (answering, proposing, supporting,
//! commenting, reporting) on the all-in-one and on separate servers.

use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    separate::Servers,
    take_part_pages,
};

/// One test for both, in this order: the all-in-one installs the process's tracing
/// subscriber, which separate servers started first would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn taking_part_on_the_all_in_one_then_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    take_part_pages::check_all(&running.platform).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    take_part_pages::check_all(&servers.platform).await;
}
