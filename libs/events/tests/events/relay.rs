//! The outbox and its relay: nothing published that was not committed, everything committed
//! published once, in order.

use std::{sync::Arc, time::Duration};

use tachawor_events::{BusKind, Relay, RelayFault, decode_payload, pending_count, republish_range};
use tachawor_storage::ManualClock;
use tokio::sync::Notify;

use crate::support::*;

const WAIT: Duration = Duration::from_secs(30);

async fn rolled_back_enqueue_publishes_nothing(store: Store, kind: BusKind) {
    let db = TestDb::migrated(store).await;
    let bus = TestBus::new(kind).await;
    let outbox = bus.outbox();

    let mut tx = db.db.begin().await.unwrap();
    outbox
        .enqueue(&mut tx, EVENT_TYPE, "account-rolled-back", &Ping::default())
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let committed = enqueue_committed(&db.db, &outbox, 1, 1).await;

    let relay = Relay::spawn(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone());
    relay.notifier().notify();
    wait_until(WAIT, "the outbox is drained", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    relay.shutdown().await;

    assert_eq!(stream_ids(&bus.bus).await, strings(&committed));
    bus.teardown().await;
    db.teardown().await;
}

async fn committed_events_reach_the_stream_once_in_order(store: Store, kind: BusKind) {
    let db = TestDb::migrated(store).await;
    let mut bus = TestBus::new(kind).await;
    bus.settings.relay.batch_size = 7;
    bus.settings.relay.max_in_flight = 3;
    let outbox = bus.outbox();
    let mut ids = Vec::new();
    for first in [0, 10, 20] {
        ids.extend(enqueue_committed(&db.db, &outbox, first, 10).await);
    }

    let relay = Relay::spawn(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone());
    wait_until(WAIT, "the outbox is drained", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    assert!(relay.is_healthy());
    // Rows are marked before the counter moves; after shutdown the count is final.
    assert_eq!(relay.shutdown().await, 30);

    let messages = bus.bus.read_stream_messages(PRODUCER).await.unwrap();
    let in_stream: Vec<String> = messages
        .iter()
        .map(|m| m.envelope().unwrap().event_id)
        .collect();
    assert_eq!(in_stream, strings(&ids), "each event once, in commit order");
    for (n, message) in messages.iter().enumerate() {
        let envelope = message.envelope().unwrap();
        assert_eq!(
            message.msg_id, envelope.event_id,
            "Nats-Msg-Id is the event id"
        );
        assert_eq!(message.subject, bus.subject(EVENT_TYPE));
        assert_eq!(envelope.r#type, EVENT_TYPE);
        assert_eq!(envelope.producer, PRODUCER);
        assert_eq!(envelope.region, REGION);
        assert_eq!(envelope.aggregate_id, format!("account-{n}"));
        assert!(envelope.occurred_at.is_some());
        assert_eq!(
            uuid::Uuid::parse_str(&envelope.event_id)
                .unwrap()
                .get_version_num(),
            7
        );
        assert_eq!(
            envelope.payload.as_ref().unwrap().type_url,
            "type.googleapis.com/tachawor.test.v1.Ping"
        );
        let ping: Ping = decode_payload(&envelope).unwrap();
        assert_eq!(ping.n, n as u64);
    }
    let unmarked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
            .fetch_one(db.db.pool())
            .await
            .unwrap();
    assert_eq!(unmarked, 0);
    bus.teardown().await;
    db.teardown().await;
}

async fn relay_stopped_between_publish_and_mark_publishes_no_duplicate(
    store: Store,
    kind: BusKind,
) {
    let db = TestDb::migrated(store).await;
    let bus = TestBus::new(kind).await;
    let ids = enqueue_committed(&db.db, &bus.outbox(), 0, 5).await;

    let crashed = Relay::new(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone())
        .with_fault(RelayFault::StopAfterPublish)
        .start();
    wait_until(WAIT, "the first relay published", || async {
        stream_ids(&bus.bus).await.len() == 5
    })
    .await;
    crashed.shutdown().await;
    assert_eq!(
        pending_count(&db.db).await.unwrap(),
        5,
        "published but never marked"
    );

    let relay = Relay::spawn(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone());
    wait_until(WAIT, "the second relay marked everything", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    assert_eq!(relay.shutdown().await, 5, "published again, acknowledged");
    assert_eq!(
        stream_ids(&bus.bus).await,
        strings(&ids),
        "the broker kept one copy of each"
    );
    bus.teardown().await;
    db.teardown().await;
}

async fn two_relays_on_postgres_share_the_work(kind: BusKind) {
    let db = TestDb::migrated(Store::Postgres).await;
    let mut bus = TestBus::new(kind).await;
    bus.settings.relay.batch_size = 10;
    let ids = enqueue_committed(&db.db, &bus.outbox(), 0, 25).await;

    let claimed = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let first = Relay::new(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone())
        .with_fault(RelayFault::HoldFirstClaim {
            claimed: claimed.clone(),
            release: release.clone(),
        })
        .start();
    claimed.notified().await;

    // The first relay holds rows 0..10 locked; the second skips them and takes the rest.
    let second = Relay::spawn(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone());
    wait_until(
        WAIT,
        "the second relay published the unlocked rows",
        || async { second.published_total() == 15 },
    )
    .await;
    assert_eq!(pending_count(&db.db).await.unwrap(), 10);
    assert_eq!(stream_ids(&bus.bus).await, strings(&ids[10..]));

    release.notify_one();
    wait_until(WAIT, "the first relay published its claim", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    assert_eq!(first.shutdown().await, 10);
    assert_eq!(second.shutdown().await, 15, "no row published by both");

    let mut in_stream = stream_ids(&bus.bus).await;
    assert_eq!(in_stream.len(), 25);
    in_stream.sort();
    let mut expected = strings(&ids);
    expected.sort();
    assert_eq!(in_stream, expected, "every event exactly once");
    bus.teardown().await;
    db.teardown().await;
}

async fn republished_range_reaches_a_broker_that_lost_it_and_old_rows_expire(
    store: Store,
    kind: BusKind,
) {
    let db = TestDb::migrated(store).await;
    let bus = TestBus::new(kind).await;
    let ids = enqueue_committed(&db.db, &bus.outbox(), 0, 3).await;
    let clock = ManualClock::starting_now();
    let relay = Relay::new(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone())
        .with_clock(Arc::new(clock.clone()))
        .start();
    wait_until(WAIT, "the outbox is drained", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;

    // The broker loses the stream, messages and de-duplication state alike.
    bus.bus.delete_stream(PRODUCER).await.unwrap();
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM outbox ORDER BY seq")
        .fetch_all(db.db.pool())
        .await
        .unwrap();
    let sent_again = republish_range(&db.db, seqs[0], seqs[2]).await.unwrap();
    assert_eq!(sent_again, 3);
    relay.notify();
    wait_until(WAIT, "the range is published again", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    assert_eq!(stream_ids(&bus.bus).await, strings(&ids));

    // Past the retention (168 h), published rows are deleted.
    clock.advance(Duration::from_secs(169 * 3_600));
    relay.notify();
    wait_until(WAIT, "old rows are deleted", || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox")
            .fetch_one(db.db.pool())
            .await
            .unwrap()
            == 0
    })
    .await;
    relay.shutdown().await;
    bus.teardown().await;
    db.teardown().await;
}

async fn shutdown_publishes_what_is_pending(store: Store, kind: BusKind) {
    let db = TestDb::migrated(store).await;
    let mut bus = TestBus::new(kind).await;
    // Nothing but the shutdown wakes this relay once it is idle.
    bus.settings.relay.poll_interval_ms = 600_000;
    let mut ids = enqueue_committed(&db.db, &bus.outbox(), 0, 1).await;
    let relay = Relay::spawn(db.db.clone(), bus.bus.clone(), bus.settings.relay.clone());
    wait_until(WAIT, "the first event is published", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    ids.extend(enqueue_committed(&db.db, &bus.outbox(), 1, 3).await);
    relay.shutdown().await;
    assert_eq!(pending_count(&db.db).await.unwrap(), 0);
    assert_eq!(stream_ids(&bus.bus).await, strings(&ids));
    bus.teardown().await;
    db.teardown().await;
}

async fn an_event_type_of_another_producer_is_refused(store: Store) {
    let db = TestDb::migrated(store).await;
    let bus = TestBus::new(BusKind::InProcess).await;
    let mut tx = db.db.begin().await.unwrap();
    for wrong in [
        "training.session.held",
        "identity.account",
        "identity.Account.x",
    ] {
        let result = bus
            .outbox()
            .enqueue(&mut tx, wrong, "a", &Ping::default())
            .await;
        assert!(
            matches!(result, Err(sqlx::Error::InvalidArgument(_))),
            "{wrong} accepted"
        );
    }
    tx.rollback().await.unwrap();
    bus.teardown().await;
    db.teardown().await;
}

macro_rules! cases {
    ($case:ident: $($name:ident => ($($arg:expr),*)),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                $case($($arg),*).await
            }
        )+
    };
}

cases!(rolled_back_enqueue_publishes_nothing:
    rolled_back_enqueue_publishes_nothing_postgres_nats => (Store::Postgres, BusKind::Nats),
    rolled_back_enqueue_publishes_nothing_sqlite_nats => (Store::Sqlite, BusKind::Nats),
    rolled_back_enqueue_publishes_nothing_postgres_in_process => (Store::Postgres, BusKind::InProcess),
    rolled_back_enqueue_publishes_nothing_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(committed_events_reach_the_stream_once_in_order:
    committed_events_reach_the_stream_once_in_order_postgres_nats => (Store::Postgres, BusKind::Nats),
    committed_events_reach_the_stream_once_in_order_sqlite_nats => (Store::Sqlite, BusKind::Nats),
    committed_events_reach_the_stream_once_in_order_postgres_in_process => (Store::Postgres, BusKind::InProcess),
    committed_events_reach_the_stream_once_in_order_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(relay_stopped_between_publish_and_mark_publishes_no_duplicate:
    relay_stopped_between_publish_and_mark_postgres_nats => (Store::Postgres, BusKind::Nats),
    relay_stopped_between_publish_and_mark_sqlite_nats => (Store::Sqlite, BusKind::Nats),
    relay_stopped_between_publish_and_mark_postgres_in_process => (Store::Postgres, BusKind::InProcess),
    relay_stopped_between_publish_and_mark_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(two_relays_on_postgres_share_the_work:
    two_relays_on_postgres_share_the_work_nats => (BusKind::Nats),
    two_relays_on_postgres_share_the_work_in_process => (BusKind::InProcess),
);

cases!(republished_range_reaches_a_broker_that_lost_it_and_old_rows_expire:
    republished_range_and_retention_postgres_nats => (Store::Postgres, BusKind::Nats),
    republished_range_and_retention_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(shutdown_publishes_what_is_pending:
    shutdown_publishes_what_is_pending_postgres_nats => (Store::Postgres, BusKind::Nats),
    shutdown_publishes_what_is_pending_sqlite_in_process => (Store::Sqlite, BusKind::InProcess),
);

cases!(an_event_type_of_another_producer_is_refused:
    an_event_type_of_another_producer_is_refused_postgres => (Store::Postgres),
    an_event_type_of_another_producer_is_refused_sqlite => (Store::Sqlite),
);
