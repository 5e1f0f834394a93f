//! The portal over the services as separate servers on PostgreSQL and NATS: the same checks
//! as on the all-in-one.

use tachawor_system_tests::{portal, separate::Servers};

#[tokio::test(flavor = "multi_thread")]
async fn public_pages_on_separate_servers() {
    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    let seeded = portal::seed(p).await;
    portal::check_pages(p, &seeded).await;
    portal::check_content(p, &seeded).await;
    portal::check_edges(p, &seeded).await;
}
