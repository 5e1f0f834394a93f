//! Reads cost a constant number of SQL statements per page, whatever the page size: every list
//! RPC of every service, on the all-in-one (SQLite, in-process bus) and on separate servers
//! (PostgreSQL, NATS). See `src/reads.rs` for what is covered. The statement counter is a
//! process-global subscriber, so this check has a test binary of its own; its tests run one at
//! a time so each call's statements are its own.

use std::collections::HashMap;

use tachawor_system_tests::{
    all_in_one::{Running, SCENARIO_CONFIG},
    reads,
    separate::Servers,
    statements::Statements,
};

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread")]
async fn list_pages_cost_the_same_on_the_all_in_one() {
    let statements = Statements::install();
    let _alone = ONE_AT_A_TIME.lock().await;
    let running = Running::start(SCENARIO_CONFIG).await;
    reads::measure(&running.platform, statements).await;
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn list_pages_cost_the_same_on_separate_servers() {
    let statements = Statements::install();
    let _alone = ONE_AT_A_TIME.lock().await;
    let servers = Servers::start(HashMap::new()).await;
    reads::measure(&servers.platform, statements).await;
}
