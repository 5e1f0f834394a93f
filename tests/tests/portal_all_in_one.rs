//! The portal over the all-in-one (SQLite files, the in-process bus): every public page in
//! Arabic and French, their headers, their content, redirects, errors and JSON twins.

use tachawor_system_tests::{all_in_one::Running, portal};

/// Cheap password hashing, read by every service of the all-in-one; warnings only.
const CONFIG: &str = r#"
[telemetry]
log_filter = "warn"

[passwords]
memory_kib = 64
iterations = 1
"#;

#[tokio::test(flavor = "multi_thread")]
async fn public_pages_on_the_all_in_one() {
    let running = Running::start(CONFIG).await;
    let p = &running.platform;
    let seeded = portal::seed(p).await;
    portal::check_pages(p, &seeded).await;
    portal::check_content(p, &seeded).await;
    portal::check_edges(p, &seeded).await;
    running.stop().await;
}
