//! Taking part in consultations through the portal (answering, proposing, supporting,
//! commenting, reporting) on the all-in-one and on separate servers.

use tachawor_system_tests::{all_in_one::Running, separate::Servers, take_part_pages};

/// As `portal_all_in_one.rs`: cheap password hashing, loopback as the trusted proxy.
const CONFIG: &str = r#"
[telemetry]
log_filter = "warn"

[passwords]
memory_kib = 64
iterations = 1

[server]
trusted_proxies = ["127.0.0.1"]

[login_limits]
max_failures_per_peer = 8
"#;

/// One test for both, in this order: the all-in-one installs the process's tracing
/// subscriber, which separate servers started first would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn taking_part_on_the_all_in_one_then_separate_servers() {
    let running = Running::start(CONFIG).await;
    take_part_pages::check_all(&running.platform).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    take_part_pages::check_all(&servers.platform).await;
}
