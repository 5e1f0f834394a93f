//! A consumer trusts a stream only with its own producer's events: an envelope whose producer,
//! type or subject belongs to another producer (a compromised service passing its messages off
//! as another's) is dead-lettered, counted and acknowledged, and the consumer goes on.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::future::BoxFuture;
use prost::Message;
use tachawor_events::{
    BusKind, ConsumerSettings, Envelope, Handler, HandlerError, dead_letters, type_url,
};
use tokio::sync::oneshot;

use crate::support::*;

const WAIT: Duration = Duration::from_secs(30);

/// Remembers the events it was given.
#[derive(Default)]
struct Applied(Mutex<Vec<String>>);

impl Handler for Applied {
    fn handle<'a>(
        &'a self,
        _tx: &'a mut sqlx::AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        self.0.lock().unwrap().push(envelope.event_id.clone());
        Box::pin(async { Ok(()) })
    }
}

fn envelope(producer: &str, event_type: &str) -> Envelope {
    Envelope {
        event_id: uuid::Uuid::now_v7().to_string(),
        r#type: event_type.to_string(),
        producer: producer.to_string(),
        region: REGION.to_string(),
        aggregate_id: "account-1".to_string(),
        payload: Some(prost_types::Any {
            type_url: type_url::<Ping>(),
            value: Ping {
                account_id: "account-1".into(),
                n: 1,
            }
            .encode_to_vec(),
        }),
        ..Envelope::default()
    }
}

async fn envelopes_of_another_producer_are_dead_lettered(store: Store, kind: BusKind) {
    let db = TestDb::migrated(store).await;
    let bus = TestBus::new(kind).await;
    let registered = bus.subject("identity.account.registered");

    // Training's event, on identity's stream.
    let other_producer = envelope("training", "training.session.held");
    // Says identity, with training's type.
    let other_type = envelope("identity", "training.session.held");
    // Identity's own type, on the subject of another type.
    let other_subject = envelope("identity", "identity.account.deleted");
    for (e, subject) in [
        (&other_producer, &registered),
        (&other_type, &registered),
        (&other_subject, &registered),
    ] {
        bus.bus
            .publish_bytes(subject, &e.event_id, e.encode_to_vec())
            .await
            .unwrap();
    }
    let good = envelope("identity", "identity.account.registered");
    bus.bus.publish(&good).await.unwrap();

    let applied = Arc::new(Applied::default());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = bus.bus.run_consumer(
        db.db.clone(),
        ConsumerSettings::new("reporting", &["identity.>"]),
        applied.clone(),
        async {
            let _ = stopped.await;
        },
    );
    wait_until(WAIT, "the forged messages are dead-lettered", || async {
        dead_letters(&db.db, "reporting").await.unwrap().len() == 3
    })
    .await;
    wait_until(WAIT, "the good event is applied", || async {
        applied.0.lock().unwrap().len() == 1
    })
    .await;
    let _ = stop.send(());
    task.await.unwrap().unwrap();

    assert_eq!(*applied.0.lock().unwrap(), vec![good.event_id.clone()]);
    let letters = dead_letters(&db.db, "reporting").await.unwrap();
    let reason = |e: &Envelope| {
        letters
            .iter()
            .find(|l| l.event_id.as_deref() == Some(e.event_id.as_str()))
            .map(|l| l.reason.clone())
            .unwrap()
    };
    assert_eq!(
        reason(&other_producer),
        "envelope producer does not match its stream"
    );
    assert_eq!(
        reason(&other_type),
        "event type does not belong to its stream's producer"
    );
    assert_eq!(
        reason(&other_subject),
        "subject does not match the event type"
    );
    let processed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM processed_events")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(processed, 1, "only the good event is recorded as processed");
    bus.teardown().await;
    db.teardown().await;
}

#[tokio::test]
async fn forged_envelopes_are_dead_lettered_postgres_nats() {
    envelopes_of_another_producer_are_dead_lettered(Store::Postgres, BusKind::Nats).await;
}

#[tokio::test]
async fn forged_envelopes_are_dead_lettered_sqlite_in_process() {
    envelopes_of_another_producer_are_dead_lettered(Store::Sqlite, BusKind::InProcess).await;
}

#[tokio::test]
async fn forged_envelopes_are_dead_lettered_postgres_in_process() {
    envelopes_of_another_producer_are_dead_lettered(Store::Postgres, BusKind::InProcess).await;
}

#[tokio::test]
async fn forged_envelopes_are_dead_lettered_sqlite_nats() {
    envelopes_of_another_producer_are_dead_lettered(Store::Sqlite, BusKind::Nats).await;
}
