//! Events: every state change once in the stream, with statistical attributes and no personal
//! data.

use std::collections::{HashMap, HashSet};

use prost::Message;
use tachawor_proto::{
    common::ActorKind,
    events::{TrainingCertificateIssued, TrainingRegistrationChanged},
    training::*,
};
use tachawor_testkit::matrix;

use crate::helpers::TestApp;

matrix! {
    async fn each_change_is_published_once_without_personal_data(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 1, &[0]).await;
        let mut a = app.citizen().await;
        let mut b = app.citizen().await;
        app.identity.verify(&b.id, "JH987654", "boujdour").await;
        let register = RegisterRequest { session_id: session.session_id.clone(), idempotency_key: "r".into() };
        let ra = a.client.register(register.clone()).await.unwrap().into_inner().registration.unwrap();
        let rb = b.client.register(register.clone()).await.unwrap().into_inner().registration.unwrap();
        // A retried call is replayed, not published again.
        b.client.register(register).await.unwrap();
        a.client.cancel_registration(CancelRegistrationRequest { registration_id: ra.registration_id.clone(), idempotency_key: String::new() })
            .await.unwrap();
        staff.client.check_in(CheckInRequest { registration_id: rb.registration_id.clone(), day: Some(app.day(0)), idempotency_key: "c".into() })
            .await.unwrap();
        staff.client.check_in(CheckInRequest { registration_id: rb.registration_id.clone(), day: Some(app.day(0)), idempotency_key: "c".into() })
            .await.unwrap();
        let mut details = session.details.clone().unwrap();
        details.facilitators = vec!["Nadia Tazi".into()];
        staff.client.update_session(UpdateSessionRequest { session_id: session.session_id.clone(), details: Some(details) })
            .await.unwrap();
        staff.client.mark_session_held(MarkSessionHeldRequest { session_id: session.session_id.clone() }).await.unwrap();
        let comment = "Le formateur Karim était excellent";
        let evaluation = b.client.submit_evaluation(SubmitEvaluationRequest {
            session_id: session.session_id.clone(), satisfaction: 4, comment: comment.into(),
            pre_test_score: Some(30), post_test_score: Some(70), idempotency_key: String::new(),
        }).await.unwrap().into_inner();
        let holder = "Fatima Zahra Ouali";
        let certificate = b.client.issue_certificate(IssueCertificateRequest {
            session_id: session.session_id.clone(), account_id: String::new(),
            certificate_name: holder.into(), idempotency_key: String::new(),
        }).await.unwrap().into_inner().certificate.unwrap();
        let other = staff.client.schedule_session(ScheduleSessionRequest {
            program_id: session.program_id.clone(),
            details: Some(app.details(5, &[2], Eligibility::Open)),
            idempotency_key: String::new(),
        }).await.unwrap().into_inner().session.unwrap();
        staff.client.cancel_session(CancelSessionRequest { session_id: other.session_id.clone(), reason: "Report".into() })
            .await.unwrap();

        let events = app.events().await;
        let by_aggregate = |id: &str| -> Vec<String> {
            events.iter().filter(|(_, e)| e.aggregate_id == id).map(|(_, e)| e.r#type.clone()).collect()
        };
        assert_eq!(by_aggregate(&session.program_id), ["training.program.created"]);
        assert_eq!(
            by_aggregate(&session.session_id),
            ["training.session.scheduled", "training.session.changed", "training.session.held"]
        );
        assert_eq!(by_aggregate(&other.session_id), ["training.session.scheduled", "training.session.cancelled"]);
        assert_eq!(
            by_aggregate(&ra.registration_id),
            ["training.registration.confirmed", "training.registration.cancelled"]
        );
        assert_eq!(
            by_aggregate(&rb.registration_id),
            ["training.registration.waitlisted", "training.registration.promoted", "training.attendance.recorded"]
        );
        assert_eq!(by_aggregate(&evaluation.evaluation_id), ["training.evaluation.submitted"]);
        assert_eq!(by_aggregate(&certificate.certificate_id), ["training.certificate.issued"]);
        let types: HashSet<&str> = events.iter().map(|(_, e)| e.r#type.as_str()).collect();
        assert_eq!(types.len(), 12, "every kind of event: {types:?}");
        assert_eq!(events.len(), 13);
        let ids: HashSet<_> = events.iter().map(|(_, e)| e.event_id.clone()).collect();
        assert_eq!(ids.len(), events.len(), "an event appears twice");

        for (subject, envelope) in &events {
            assert!(subject.ends_with(&envelope.r#type), "{subject} carries {}", envelope.r#type);
            assert_eq!(envelope.producer, "training");
            let bytes = envelope.encode_to_vec();
            let text = String::from_utf8_lossy(&bytes);
            for secret in [holder, "Fatima", "Test Person", comment, "Nadia", &certificate.verification_code, "people.test", "JH987654"] {
                assert!(!text.contains(secret), "{} carries personal data", envelope.r#type);
            }
        }
        let stats: HashMap<&str, TrainingRegistrationChanged> = events
            .iter()
            .filter(|(_, e)| e.r#type.starts_with("training.registration."))
            .map(|(_, e)| (e.r#type.as_str(), tachawor_events::decode_payload(e).unwrap()))
            .collect();
        let promoted = stats["training.registration.promoted"].participant.clone().unwrap();
        assert_eq!(promoted.account_id, b.id);
        assert_eq!(promoted.province_code, "boujdour");
        assert_eq!(promoted.actor_kind, ActorKind::Citizen as i32);
        assert_eq!(stats["training.registration.cancelled"].previous_status, "confirmed");
        let issued: TrainingCertificateIssued = tachawor_events::decode_payload(
            &events.iter().find(|(_, e)| e.r#type == "training.certificate.issued").unwrap().1,
        ).unwrap();
        assert_eq!(issued.milestone_ref, "MALAA0004-1");
    }
}
