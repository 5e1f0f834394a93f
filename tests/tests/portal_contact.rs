//! The portal's contact and password pages on the all-in-one (SQLite, in-process bus) and on
//! separate servers (PostgreSQL, NATS). The flows that need a link or a code sent run on
//! separate servers, where the test reads identity's stream as the notification service does.

use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    contact_pages,
    separate::Servers,
};

/// Both platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn contact_and_password_pages_on_the_all_in_one_then_on_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    contact_pages::check_signed_out(p).await;
    contact_pages::check_forgot(p).await;
    contact_pages::check_change_password(p).await;
    contact_pages::check_contact_page(p).await;
    contact_pages::check_header_count(p).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    contact_pages::check_signed_out(p).await;
    contact_pages::check_forgot(p).await;
    contact_pages::check_change_password(p).await;
    contact_pages::check_contact_page(p).await;
    contact_pages::check_header_count(p).await;
    contact_pages::check_email_flows(&servers).await;
    contact_pages::check_phone_flows(&servers).await;
}
