//! The staff console's Forum, programs and certificate names desks, the moderation queue's
//! Forum contributions, the documents staff attach, the consultations instances propose for
//! staff's approval, the creating forms sent twice and the lists read past a page, on the
//! all-in-one (SQLite, in-process bus) and on separate servers (PostgreSQL, NATS).

use std::collections::HashMap;

use tachawor_system_tests::{
    Platform,
    all_in_one::{PORTAL_CONFIG, Running},
    instance_proposals,
    separate::Servers,
    staff_documents, staff_forum, staff_keys, staff_programs, staff_whole,
};

async fn check(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let program = staff_programs::check_programs_and_names(p, &staff).await;
    staff_forum::check_forum_desk(p, &staff, &program).await;
    staff_documents::check_documents(p, &staff).await;
    instance_proposals::check_proposals(p, &staff).await;
    staff_keys::check_forms_sent_twice(p, &staff).await;
    staff_whole::check_programs_past_a_page(p, &staff).await;
}

/// Both platforms in one test: the all-in-one installs the process's tracing, which a test
/// harness started first in the same binary would already have taken.
#[tokio::test(flavor = "multi_thread")]
async fn the_forum_programs_and_names_desks_on_the_all_in_one_then_on_separate_servers() {
    let running = Running::start(PORTAL_CONFIG).await;
    check(&running.platform).await;
    running.stop().await;

    let servers = Servers::start(HashMap::new()).await;
    check(&servers.platform).await;
}
