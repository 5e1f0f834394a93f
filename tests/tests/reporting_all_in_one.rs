//! The same scenario in the all-in-one (SQLite files, the in-process bus, the system clock):
//! reporting's figures equal what the test did, and again after a rebuild.

use tachawor_system_tests::{
    all_in_one::{Running, SCENARIO_CONFIG},
    figures, scenario,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reporting_counts_what_happened_in_the_all_in_one() {
    let running = Running::start(SCENARIO_CONFIG).await;
    let p = &running.platform;
    let expected = scenario::run(p).await;
    assert!(!expected.late_answer, "the system clock is not moved");
    let staff = p.staff(&p.admin().await).await;
    figures::wait_for(p, &staff, &expected).await;
    figures::rebuild_and_wait(p, &staff, &expected).await;
    running.stop().await;
}
