//! The portal over the all-in-one (SQLite files, the in-process bus): every public page in
//! Arabic and French, their headers, their content, redirects, errors and JSON twins.

use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    portal, signed_in,
};

#[tokio::test(flavor = "multi_thread")]
async fn public_pages_on_the_all_in_one() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    let seeded = portal::seed(p).await;
    portal::check_pages(p, &seeded).await;
    portal::check_content(p, &seeded).await;
    portal::check_edges(p, &seeded).await;
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_in_pages_on_the_all_in_one() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    signed_in::check_register_sign_in_and_out(p).await;
    signed_in::check_form_errors(p).await;
    signed_in::check_my_account(p).await;
    signed_in::check_pages_at_once_on_an_expiring_session(p).await;
    signed_in::check_sign_in_limits_per_person(p, 8).await;
    running.stop().await;
}
