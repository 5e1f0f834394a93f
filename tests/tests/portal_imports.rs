//! The staff console's imports through the portal on the all-in-one (SQLite, in-process bus)
//! and on separate servers (PostgreSQL, NATS).

use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    import_pages,
    separate::Servers,
    session_import_pages,
};

/// Both platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn imports_on_the_all_in_one_then_on_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    import_pages::check_who_opens_the_desk(p).await;
    import_pages::check_bad_files_write_nothing(p).await;
    import_pages::check_import_with_progress_then_again(p).await;
    session_import_pages::check_past_sessions(p).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    import_pages::check_who_opens_the_desk(p).await;
    import_pages::check_bad_files_write_nothing(p).await;
    import_pages::check_import_with_progress_then_again(p).await;
    session_import_pages::check_past_sessions(p).await;
}
