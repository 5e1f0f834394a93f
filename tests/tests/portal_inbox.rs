//! The portal's inbox, notification preferences and following consultations on the all-in-one (SQLite, in-process bus)
//! and on separate servers (PostgreSQL, NATS); then the portal without notification, and with
//! notification down.

use tachawor_all_in_one::{Part, Selection};
use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    inbox_pages,
    separate::Servers,
};

/// Every service but notification.
fn without_notification() -> Selection {
    Selection::of(Part::ALL.into_iter().filter(|p| *p != Part::Notification))
        .expect("the portal runs without notification")
}

/// All platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_on_the_all_in_one_then_on_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    inbox_pages::check_anonymous(p).await;
    let told = inbox_pages::tell(p).await;
    inbox_pages::check_inbox(p, &told).await;
    inbox_pages::check_marking_read(p, &told).await;
    inbox_pages::check_preferences(p).await;
    inbox_pages::check_following(p, &told).await;
    running.stop().await;

    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    inbox_pages::check_anonymous(p).await;
    let told = inbox_pages::tell(p).await;
    inbox_pages::check_inbox(p, &told).await;
    inbox_pages::check_marking_read(p, &told).await;
    inbox_pages::check_preferences(p).await;
    inbox_pages::check_following(p, &told).await;
    drop(servers);

    // A region that runs the portal without notification.
    let running = Running::start_hosting(PORTAL_CONFIG, without_notification()).await;
    inbox_pages::check_without_notification(&running.platform).await;
    running.stop().await;

    // Notification's address given, nothing listening there.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address");
    let config = format!("{PORTAL_CONFIG}\n[services]\nnotification_url = \"http://{dead}\"\n");
    let running = Running::start_hosting(&config, without_notification()).await;
    inbox_pages::check_notification_down(&running.platform).await;
    running.stop().await;
}
