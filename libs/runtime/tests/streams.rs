//! `<binary> streams`: the admin creates or updates a service's stream, which the service's
//! own NATS user (confined as in production) may not; nothing to do on the in-process bus.

use tachawor_events::{Bus, BusKind, Envelope, EventsSettings};
use tachawor_testkit::{NatsServer, admin_user, as_service, unique_prefix};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_creates_the_stream_the_service_publishes_into() {
    let server = NatsServer::start().await;
    let base = EventsSettings {
        nats_url: server.url(),
        subject_prefix: unique_prefix(),
        request_timeout_ms: 1_000,
        ..EventsSettings::default()
    };
    let admin = EventsSettings {
        auth: admin_user(),
        ..base.clone()
    };
    tachawor_runtime::create_streams(&admin, "identity")
        .await
        .expect("the admin creates the stream");
    // Run again by the next rollout: the stream is brought in line, not recreated.
    tachawor_runtime::create_streams(&admin, "identity")
        .await
        .unwrap();

    let service = Bus::connect(&as_service(base, "identity")).await.unwrap();
    assert!(!service.manages_streams());
    let envelope = Envelope {
        event_id: uuid::Uuid::now_v7().to_string(),
        r#type: "identity.account.registered".into(),
        producer: "identity".into(),
        ..Envelope::default()
    };
    service
        .publish(&envelope)
        .await
        .expect("published as identity");
    let stream = Bus::connect(&admin)
        .await
        .unwrap()
        .read_stream("identity")
        .await
        .unwrap();
    assert_eq!(stream.len(), 1);
    assert_eq!(stream[0].1.event_id, envelope.event_id);

    let in_process = EventsSettings {
        bus: BusKind::InProcess,
        ..EventsSettings::default()
    };
    tachawor_runtime::create_streams(&in_process, "identity")
        .await
        .expect("nothing to do on the in-process bus");
}
