//! A broker that is down, at start or later: events wait in the outbox and are published
//! exactly once when it is back.

use std::time::Duration;

use tachawor_events::{Bus, BusKind, Relay, pending_count};

use crate::support::*;

async fn events_wait_for_an_unreachable_broker_and_are_published_once(store: Store) {
    let db = TestDb::migrated(store).await;
    let mut server = NatsServer::new();
    let mut settings = settings(BusKind::Nats);
    settings.nats_url = server.url();
    settings.auth = test_user("admin");
    settings.request_timeout_ms = 500;

    // The service starts while NATS is not there yet.
    let bus = Bus::connect(&settings)
        .await
        .expect("connect returns while NATS is down");
    assert!(!bus.is_connected());
    let outbox = tachawor_events::Outbox::new(
        PRODUCER,
        REGION,
        &settings,
        std::sync::Arc::new(tachawor_storage::SystemClock),
    );
    let mut ids = enqueue_committed(&db.db, &outbox, 0, 3).await;
    let relay = Relay::spawn(db.db.clone(), bus.clone(), settings.relay.clone());
    wait_until(Duration::from_secs(15), "a relay round fails", || async {
        relay.failed_rounds() > 0
    })
    .await;
    assert!(!relay.is_healthy());
    assert_eq!(pending_count(&db.db).await.unwrap(), 3, "rows are kept");

    server.start().await;
    wait_until(
        Duration::from_secs(30),
        "the relay publishes once NATS is up",
        || async { pending_count(&db.db).await.unwrap() == 0 },
    )
    .await;
    // The round that published them marks the relay healthy as it ends, just after the rows go.
    wait_until(
        Duration::from_secs(5),
        "the relay reports healthy again",
        || async { relay.is_healthy() },
    )
    .await;

    // NATS goes away with events being committed.
    server.kill();
    ids.extend(enqueue_committed(&db.db, &outbox, 3, 4).await);
    let failed = relay.failed_rounds();
    relay.notify();
    wait_until(
        Duration::from_secs(15),
        "rounds fail while NATS is down",
        || async { relay.failed_rounds() >= failed + 2 },
    )
    .await;
    assert!(!relay.is_healthy());
    assert_eq!(pending_count(&db.db).await.unwrap(), 4, "rows are kept");

    server.start().await;
    wait_until(
        Duration::from_secs(30),
        "the relay publishes once NATS is back",
        || async { pending_count(&db.db).await.unwrap() == 0 },
    )
    .await;
    wait_until(
        Duration::from_secs(15),
        "the relay reports healthy",
        || async { relay.is_healthy() },
    )
    .await;
    relay.shutdown().await;

    assert_eq!(
        stream_ids(&bus).await,
        strings(&ids),
        "each event exactly once, in order"
    );
    db.teardown().await;
}

#[tokio::test]
async fn events_wait_for_an_unreachable_broker_postgres() {
    events_wait_for_an_unreachable_broker_and_are_published_once(Store::Postgres).await;
}

#[tokio::test]
async fn events_wait_for_an_unreachable_broker_sqlite() {
    events_wait_for_an_unreachable_broker_and_are_published_once(Store::Sqlite).await;
}
