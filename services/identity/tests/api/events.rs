//! Events: each state change once in the stream, with no personal data, even across a broker
//! outage.

use std::{collections::HashMap, time::Duration};

use prost::Message;
use tachawor_proto::{
    common::{AgeBand, Gender},
    events::{AccountProfileUpdated, AccountRegistered},
    identity::*,
};
use tachawor_testkit::{NatsServer, TestEnv, matrix};

use crate::helpers::{PASSWORD, TestApp};

matrix! {
    async fn each_change_is_published_once_without_personal_data(app: TestApp) {
        let email = "fatima.zahra@example.ma";
        let phone = "0661112233";
        let name = "Fatima Zahra Ouali";
        let cin = "JH987654";
        app.anonymous()
            .register(RegisterRequest {
                email: email.into(),
                phone: phone.into(),
                password: PASSWORD.into(),
                display_name: name.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let id = app.account_id_of(email).await;
        app.verify(&id, cin, "boujdour").await;
        let tokens = app.login(email).await;
        let mut me = app.with_token(&tokens.access_token);
        me.record_consent(RecordConsentRequest { purpose: "statistics".into(), version: "2026-1".into(), granted: true })
            .await
            .unwrap();
        me.update_my_profile(UpdateMyProfileRequest {
            profile: Some(Profile {
                gender: Gender::Female as i32,
                age_band: AgeBand::AgeBand2534 as i32,
                province_code: "boujdour".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
        me.delete_my_account(DeleteMyAccountRequest { password: PASSWORD.into() }).await.unwrap();

        let events = app.events().await;
        let mine: Vec<_> = events.iter().filter(|(_, e)| e.aggregate_id == id).collect();
        let kinds: Vec<&str> = mine.iter().map(|(_, e)| e.r#type.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "identity.account.registered",
                // Register asks for the verification of the email and of the phone.
                "identity.contact.message_requested",
                "identity.contact.message_requested",
                "identity.account.verified",
                "identity.account.profile_updated",
                "identity.account.deleted",
            ]
        );
        let ids: std::collections::HashSet<_> = events.iter().map(|(_, e)| e.event_id.clone()).collect();
        assert_eq!(ids.len(), events.len(), "an event appears twice");
        for (subject, envelope) in &events {
            assert!(subject.ends_with(&envelope.r#type), "{subject} carries {}", envelope.r#type);
            assert_eq!(envelope.producer, "identity");
            assert_eq!(envelope.region, "laayoune-sakia-el-hamra");
            let bytes = envelope.encode_to_vec();
            let text = String::from_utf8_lossy(&bytes);
            for secret in [email, "+212661112233", name, cin, "Fatima"] {
                assert!(!text.contains(secret), "{} carries personal data", envelope.r#type);
            }
        }
        let profile: AccountProfileUpdated = tachawor_events::decode_payload(
            &mine[4].1,
        )
        .unwrap();
        assert_eq!(profile.province_code, "boujdour");
        assert_eq!(profile.gender, Gender::Female as i32);
        let registered: AccountRegistered = tachawor_events::decode_payload(&mine[0].1).unwrap();
        assert_eq!(registered.account_id, id);
    }
}

/// With the broker down, registrations still commit; when it is back every event is in the
/// stream exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_commit_while_nats_is_down_and_are_published_once_when_it_returns() {
    let mut nats = NatsServer::start().await;
    let env = TestEnv::start_on_server(&nats).await;
    let app = TestApp::start_in(env, HashMap::new()).await;
    nats.kill();

    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(app.register(&format!("outage{i}@example.ma")).await);
    }
    assert_eq!(
        app.count("accounts").await,
        11,
        "the admin and ten registrations"
    );
    // Once the relay has tried to publish them, and failed, they are still in the outbox.
    let failed_before = app.relay.failed_rounds();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while app.relay.failed_rounds() <= failed_before {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the relay never tried to publish"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        tachawor_events::pending_count(&app.db).await.unwrap() >= 10,
        "events left the outbox with no broker"
    );

    nats.restart().await;
    let events = app.events().await;
    for id in &ids {
        let n = events
            .iter()
            .filter(|(_, e)| e.aggregate_id == *id && e.r#type == "identity.account.registered")
            .count();
        assert_eq!(n, 1, "account {id} registered {n} times in the stream");
    }
}
