//! Least privilege on a NATS server with the test authorization (libs/testkit/nats/test.conf,
//! production's permissions with the prefix as a wildcard): a service user publishes only on
//! its own subjects, reads streams only through its own durable consumers, gets only its own
//! replies and cannot create or delete a stream; the admin can.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use futures::future::BoxFuture;
use tachawor_events::{
    Bus, BusKind, ConsumerSettings, Envelope, EventsSettings, Handler, HandlerError, Relay,
    pending_count,
};
use tokio::sync::oneshot;

use crate::support::*;

const WAIT: Duration = Duration::from_secs(30);

struct Count(AtomicUsize);

impl Handler for Count {
    fn handle<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
        _envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }
}

/// `base` as `service` runs in production: its own user and reply prefix, no stream management.
fn as_service(base: &EventsSettings, service: &str) -> EventsSettings {
    EventsSettings {
        auth: test_user(service),
        inbox_prefix: format!("_INBOX_{service}"),
        manage_streams: false,
        ..base.clone()
    }
}

async fn connected(settings: &EventsSettings) -> Bus {
    let bus = Bus::connect(settings).await.expect("valid settings");
    wait_until(Duration::from_secs(10), "the bus connects", || async {
        bus.is_connected()
    })
    .await;
    bus
}

#[tokio::test]
async fn service_users_are_confined_and_only_the_admin_manages_streams() {
    let mut server = NatsServer::new();
    server.start().await;
    let mut base = settings(BusKind::Nats);
    base.nats_url = server.url();
    base.request_timeout_ms = 1_000;
    let prefix = base.subject_prefix.clone();

    let admin = connected(&EventsSettings {
        auth: test_user("admin"),
        ..base.clone()
    })
    .await;
    for producer in ["identity", "training"] {
        admin
            .ensure_stream(producer)
            .await
            .expect("the admin creates streams");
    }

    // Identity's relay publishes identity's events as identity.
    let identity = connected(&as_service(&base, "identity")).await;
    let db = TestDb::migrated(Store::Sqlite).await;
    let outbox = tachawor_events::Outbox::new(
        PRODUCER,
        REGION,
        &base,
        Arc::new(tachawor_storage::SystemClock),
    );
    let ids = enqueue_committed(&db.db, &outbox, 0, 3).await;
    let relay = Relay::spawn(db.db.clone(), identity.clone(), base.relay.clone());
    wait_until(WAIT, "the relay publishes as identity", || async {
        pending_count(&db.db).await.unwrap() == 0
    })
    .await;
    relay.shutdown().await;
    assert_eq!(stream_ids(&admin).await, strings(&ids));

    // Not on training's subjects, not managing streams.
    let forged = identity
        .publish_bytes(
            &format!("{prefix}.training.session.held"),
            "forged-1",
            vec![1],
        )
        .await;
    assert!(forged.is_err(), "identity published on training's subject");
    assert!(
        admin
            .read_stream_messages("training")
            .await
            .unwrap()
            .is_empty(),
        "nothing reached training's stream"
    );
    assert!(
        identity.delete_stream("identity").await.is_err(),
        "identity deleted a stream"
    );
    assert!(
        identity.ensure_stream("consultation").await.is_err(),
        "identity created a stream"
    );
    assert_eq!(
        stream_ids(&admin).await.len(),
        3,
        "identity's stream is whole"
    );

    // A user's replies go only to its own prefix: borrowing another's gets no acknowledgement.
    let borrowed = connected(&EventsSettings {
        inbox_prefix: "_INBOX_reporting".into(),
        ..as_service(&base, "identity")
    })
    .await;
    assert!(
        borrowed
            .publish_bytes(
                &format!("{prefix}.identity.account.registered"),
                "x-1",
                vec![1]
            )
            .await
            .is_err(),
        "identity received a reply under reporting's prefix"
    );

    // Reporting reads identity's stream through its durable consumer, and publishes nothing
    // of identity's.
    let reporting = connected(&as_service(&base, "reporting")).await;
    let consumer_db = TestDb::migrated(Store::Sqlite).await;
    let count = Arc::new(Count(AtomicUsize::new(0)));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = reporting.run_consumer(
        consumer_db.db.clone(),
        ConsumerSettings::new("reporting", &["identity.>"]),
        count.clone(),
        async {
            let _ = stopped.await;
        },
    );
    wait_until(WAIT, "reporting applies identity's events", || async {
        count.0.load(Ordering::SeqCst) == 3
    })
    .await;
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    assert!(
        reporting
            .publish_bytes(
                &format!("{prefix}.identity.account.deleted"),
                "forged-2",
                vec![1]
            )
            .await
            .is_err(),
        "reporting published on identity's subject"
    );
    assert!(reporting.delete_stream("identity").await.is_err());

    // The admin may delete.
    admin
        .delete_stream("identity")
        .await
        .expect("the admin deletes streams");
    assert!(
        admin.read_stream_messages("identity").await.is_err(),
        "the stream is gone"
    );
    admin.delete_stream("training").await.unwrap();
    db.teardown().await;
    consumer_db.teardown().await;
}
