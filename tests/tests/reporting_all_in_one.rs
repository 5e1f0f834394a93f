//! The same scenario in the all-in-one (SQLite files, the in-process bus, the system clock):
//! reporting's figures equal what the test did, and again after a rebuild.

use tachawor_system_tests::{all_in_one::Running, figures, scenario};

/// Read by every service: cheap password hashing for identity (and room for every account the
/// scenario makes from one address) and a small petition minimum for consultation, so few
/// accounts are needed; warnings only in the test's output.
const CONFIG: &str = r#"
[telemetry]
log_filter = "warn"

[passwords]
memory_kib = 64
iterations = 1

[register_limits]
max_per_peer = 100000

[petitions]
minimum_signatures = 8
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reporting_counts_what_happened_in_the_all_in_one() {
    let running = Running::start(CONFIG).await;
    let p = &running.platform;
    let expected = scenario::run(p).await;
    assert!(!expected.late_answer, "the system clock is not moved");
    let staff = p.staff(&p.admin().await).await;
    figures::wait_for(p, &staff, &expected).await;
    figures::rebuild_and_wait(p, &staff, &expected).await;
    running.stop().await;
}
