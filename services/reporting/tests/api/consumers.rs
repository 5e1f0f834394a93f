//! The consumers: a redelivered event counted once, poison set aside while the consumer keeps
//! going, an event forged on another producer's stream set aside, unknown types ignored, a
//! rebuild giving the same figures.

use prost::Message;
use tachawor_events::dead_letters;
use tachawor_proto::{
    events::*,
    reporting::{Dimension, GetIndicatorsRequest, RebuildRequest},
};
use tachawor_testkit::matrix;

use crate::{helpers::*, indicators::training_scenario};

fn registration(person: &str) -> TrainingRegistrationChanged {
    TrainingRegistrationChanged {
        registration_id: uuid::Uuid::new_v4().to_string(),
        session_id: uuid::Uuid::new_v4().to_string(),
        participant: participant(person, "laayoune"),
        ..Default::default()
    }
}

matrix! {
    async fn a_redelivered_event_is_counted_once(app: TestApp) {
        let first = app
            .publish("training.registration.confirmed", day("2025-09-03"), &registration("a"))
            .await;
        // The same event published again (the broker drops it) and a copy under another
        // message id (the consumer must drop it), then one more event.
        app.publish_envelope(&first).await;
        app.publish_raw("training.registration.confirmed", first.encode_to_vec(), false)
            .await;
        // The same registration seen again in another event (promoted after confirmed).
        let mut again = envelope(
            "training.registration.promoted",
            day("2025-09-04"),
            &tachawor_events::decode_payload::<TrainingRegistrationChanged>(&first).unwrap(),
        );
        again.aggregate_id = "x".into();
        app.publish_envelope(&again).await;
        app.publish("training.registration.confirmed", day("2025-09-05"), &registration("b"))
            .await;
        app.settle().await;

        let mut staff = app.client(Who::Staff).await;
        let cells = app.exact(&mut staff, "registrations", Dimension::Unspecified).await;
        assert_eq!(cell(&cells, "2025-09", "").unwrap().value, 2.0);
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM processed_events")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 3);
    }

    async fn poison_is_set_aside_and_the_consumer_keeps_going(app: TestApp) {
        // A known type whose payload cannot be read.
        let mut bad = envelope("training.registration.confirmed", app.now(), &registration("a"));
        bad.payload.as_mut().unwrap().value = vec![0xff, 0xff, 0xff];
        app.publish_envelope(&bad).await;
        // A known type carrying another type's payload.
        let mut wrong = envelope("training.certificate.issued", app.now(), &registration("a"));
        wrong.r#type = "training.certificate.issued".into();
        app.publish_envelope(&wrong).await;
        // Not an envelope at all.
        app.publish_raw("training.session.held", b"not protobuf \xff\xff".to_vec(), true)
            .await;
        // A type this version does not know: acknowledged, ignored.
        app.publish(
            "training.session.renamed",
            app.now(),
            &TrainingSessionCancelled::default(),
        )
        .await;
        app.publish("training.registration.confirmed", day("2025-09-05"), &registration("b"))
            .await;
        app.settle().await;

        let dead = dead_letters(app.db(), "reporting-training").await.unwrap();
        assert_eq!(dead.len(), 3, "{dead:?}");
        assert!(dead.iter().any(|d| d.event_id.as_deref() == Some(bad.event_id.as_str())));
        assert!(dead.iter().all(|d| d.deliveries == 1), "not retried: {dead:?}");
        let mut staff = app.client(Who::Staff).await;
        let cells = app.exact(&mut staff, "registrations", Dimension::Unspecified).await;
        assert_eq!(cell(&cells, "2025-09", "").unwrap().value, 1.0);
    }

    async fn an_event_forged_on_another_producers_stream_is_set_aside(app: TestApp) {
        // Consultation's stream carrying what says it is training's registration: what a
        // compromised consultation could publish, allowed only its own subjects.
        let forged = envelope("training.registration.confirmed", day("2025-09-03"), &registration("a"));
        app.publish_raw("consultation.petition.signed", forged.encode_to_vec(), true)
            .await;
        app.publish("training.registration.confirmed", day("2025-09-05"), &registration("b"))
            .await;
        app.settle().await;

        let dead = dead_letters(app.db(), "reporting-consultation").await.unwrap();
        assert_eq!(dead.len(), 1, "{dead:?}");
        assert_eq!(dead[0].event_id.as_deref(), Some(forged.event_id.as_str()));
        assert_eq!(dead[0].reason, "envelope producer does not match its stream");
        let mut staff = app.client(Who::Staff).await;
        let cells = app.exact(&mut staff, "registrations", Dimension::Unspecified).await;
        assert_eq!(cell(&cells, "2025-09", "").unwrap().value, 1.0, "the forgery is not counted");
    }

    async fn a_rebuild_replays_the_streams_into_the_same_figures(app: TestApp) {
        training_scenario(&app).await;
        let mut staff = app.client(Who::Staff).await;
        let mut figures = Vec::new();
        for split in [Dimension::Unspecified, Dimension::Province, Dimension::Gender] {
            figures.push(
                staff
                    .get_indicators(GetIndicatorsRequest {
                        split_by: split as i32,
                        ..Default::default()
                    })
                    .await
                    .unwrap()
                    .into_inner()
                    .cells,
            );
        }
        let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM processed_events")
            .fetch_one(app.db.pool())
            .await
            .unwrap();

        let mut admin = app.client(Who::Admin).await;
        let rebuilt = admin.rebuild(RebuildRequest {}).await.unwrap().into_inner();
        assert_eq!(
            rebuilt.consumers,
            ["reporting-identity", "reporting-consultation", "reporting-training"]
        );
        app.settle().await;
        let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM processed_events")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(after, before);
        for (i, split) in [Dimension::Unspecified, Dimension::Province, Dimension::Gender]
            .into_iter()
            .enumerate()
        {
            let again = staff
                .get_indicators(GetIndicatorsRequest {
                    split_by: split as i32,
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner()
                .cells;
            assert_eq!(again, figures[i], "{split:?}");
        }
        let (audited,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'rebuild'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 1);
    }
}
