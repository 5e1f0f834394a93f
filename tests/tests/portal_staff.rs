//! The portal's staff console on the all-in-one (SQLite, in-process bus) and on separate
//! servers (PostgreSQL, NATS).

use std::collections::HashMap;

use tachawor_system_tests::staff_answers;
use tachawor_system_tests::staff_consultations;
use tachawor_system_tests::staff_sessions_edit;
use tachawor_system_tests::staff_tracker;
use tachawor_system_tests::{
    all_in_one::{PORTAL_CONFIG, Running},
    separate::Servers,
    staff_pages,
};

/// Both platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn the_staff_console_on_the_all_in_one_then_on_separate_servers() {
    // The petitions desk deposits petitions: a small petition minimum, so few signers.
    let config = format!("{PORTAL_CONFIG}{}", staff_pages::PETITION_SETTINGS);
    let running = Running::start(&config).await;
    let p = &running.platform;
    staff_pages::check_who_opens_it(p).await;
    staff_pages::check_verification_desk(p).await;
    staff_pages::check_sessions_desk(p).await;
    staff_pages::check_moderation_desk(p).await;
    staff_tracker::check_tracker_desk(p).await;
    staff_tracker::check_audit_view(p).await;
    staff_tracker::check_observer(p).await;
    staff_sessions_edit::check_sessions_edit_desk(p).await;
    staff_answers::check_answers_desk(p).await;
    staff_consultations::check_consultations_desk(p).await;
    // Last: on separate servers it moves the clock past the petitions' answer period.
    staff_pages::check_petitions_desk(p).await;
    running.stop().await;

    let servers = Servers::start(HashMap::from([(
        "petitions.minimum_signatures",
        staff_pages::PETITION_MINIMUM.to_string(),
    )]))
    .await;
    let p = &servers.platform;
    staff_pages::check_who_opens_it(p).await;
    staff_pages::check_verification_desk(p).await;
    staff_pages::check_sessions_desk(p).await;
    staff_pages::check_moderation_desk(p).await;
    staff_tracker::check_tracker_desk(p).await;
    staff_tracker::check_audit_view(p).await;
    staff_tracker::check_observer(p).await;
    staff_sessions_edit::check_sessions_edit_desk(p).await;
    staff_answers::check_answers_desk(p).await;
    staff_consultations::check_consultations_desk(p).await;
    // Last: on separate servers it moves the clock past the petitions' answer period.
    staff_pages::check_petitions_desk(p).await;
}
