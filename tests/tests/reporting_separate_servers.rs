//! Identity, consultation, training and reporting as separate servers on PostgreSQL (a
//! database each) and NATS: after the scenario, reporting's indicators and the commitment
//! tracker equal the figures the test computed from what it did, and again after a rebuild.

use std::collections::HashMap;

use tachawor_system_tests::{figures, scenario, separate::Servers};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reporting_counts_what_happened_across_separate_servers() {
    // The legal minimum of 300 signatures for this region, each province at least 15.
    let servers = Servers::start(HashMap::new()).await;
    let p = &servers.platform;
    let expected = scenario::run(p).await;
    assert!(expected.late_answer);
    let staff = p.staff(&p.admin().await).await;
    figures::wait_for(p, &staff, &expected).await;
    figures::rebuild_and_wait(p, &staff, &expected).await;
}
