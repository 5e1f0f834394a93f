//! The portal over the services as separate servers on PostgreSQL and NATS: the same checks
//! as on the all-in-one.

use tachawor_system_tests::{
    portal,
    separate::{self, Servers},
    signed_in,
};

#[tokio::test(flavor = "multi_thread")]
async fn public_pages_on_separate_servers() {
    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    let seeded = portal::seed(p).await;
    portal::check_pages(p, &seeded).await;
    portal::check_content(p, &seeded).await;
    portal::check_edges(p, &seeded).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_in_pages_on_separate_servers() {
    let servers = Servers::start(Default::default()).await;
    let p = &servers.platform;
    signed_in::check_register_sign_in_and_out(p).await;
    signed_in::check_form_errors(p).await;
    signed_in::check_my_account(p).await;
    signed_in::check_pages_at_once_on_an_expiring_session(p).await;
    signed_in::check_sign_in_limits_per_person(p, separate::FAILURES_PER_PEER).await;
}
