//! Data rights: the certificate name comes from the verified identity (or waits for staff);
//! what a deleted account leaves here; the person's export of their own data.

use std::time::Duration;

use tachawor_identity::testing::PASSWORD;
use tachawor_proto::{common::PageRequest, identity::DeleteMyAccountRequest, training::*};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Person, TestApp, rule};

/// A person verified by staff with `legal_name` (none when empty), and their email.
async fn verified(app: &TestApp, legal_name: &str) -> (Person, String) {
    let people = app.identity.people();
    // Signed in again once verified, as after a verification in person.
    let person = people
        .sign_in(people.resident("laayoune", legal_name).await)
        .await;
    let email = person.email.clone();
    (app.signed_in(person), email)
}

async fn register(person: &mut Person, session_id: &str) -> Registration {
    person
        .client
        .register(RegisterRequest {
            session_id: session_id.into(),
            idempotency_key: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .registration
        .unwrap()
}

/// A one-day session today, attended by `people`, then marked held.
async fn held_session(app: &TestApp, staff: &mut Person, people: &mut [&mut Person]) -> String {
    let session = app.session(staff, 10, &[0]).await.session_id;
    for person in people.iter_mut() {
        let r = register(person, &session).await;
        staff
            .client
            .check_in(CheckInRequest {
                registration_id: r.registration_id,
                day: Some(app.day(0)),
                idempotency_key: String::new(),
            })
            .await
            .unwrap();
    }
    staff
        .client
        .mark_session_held(MarkSessionHeldRequest {
            session_id: session.clone(),
        })
        .await
        .unwrap();
    session
}

fn certificate(session_id: &str, name: &str) -> IssueCertificateRequest {
    IssueCertificateRequest {
        session_id: session_id.into(),
        account_id: String::new(),
        certificate_name: name.into(),
        idempotency_key: String::new(),
    }
}

async fn verify(app: &TestApp, code: &str) -> VerifyCertificateResponse {
    app.anonymous()
        .verify_certificate(VerifyCertificateRequest {
            verification_code: code.into(),
        })
        .await
        .unwrap()
        .into_inner()
}

matrix! {
    async fn the_certificate_name_is_the_verified_legal_name_or_waits_for_staff(app: TestApp) {
        let mut staff = app.staff().await;
        let (mut named, _) = verified(&app, "Aicha Benali").await;
        let (mut unnamed, _) = verified(&app, "").await;
        let mut citizen = app.citizen().await;
        let session = held_session(&app, &mut staff, &mut [&mut named, &mut unnamed, &mut citizen]).await;

        // Whatever the participant types, the verified legal name is printed.
        let c = named.client
            .issue_certificate(certificate(&session, "Queen of the Sahara"))
            .await.unwrap().into_inner().certificate.unwrap();
        assert_eq!(c.holder_name, "Aicha Benali");
        assert_eq!(c.name_status, CertificateNameStatus::Verified as i32);
        let checked = verify(&app, &c.verification_code).await;
        assert_eq!(checked.holder_name, "Aicha Benali");
        let e = staff.client
            .approve_certificate_name(ApproveCertificateNameRequest {
                certificate_id: c.certificate_id.clone(),
                holder_name: "Someone Else".into(),
            })
            .await.unwrap_err();
        assert_eq!(rule(&e), "certificate.name_verified");

        // No verified name: the name asked for is pending, hidden, until staff approve it.
        let e = citizen.client.issue_certificate(certificate(&session, "")).await.unwrap_err();
        assert_eq!(rule(&e), "certificate.name_required");
        let p = citizen.client
            .issue_certificate(certificate(&session, "Omar Hadad"))
            .await.unwrap().into_inner().certificate.unwrap();
        assert_eq!(p.name_status, CertificateNameStatus::Pending as i32);
        let checked = verify(&app, &p.verification_code).await;
        assert_eq!((checked.holder_name.as_str(), checked.name_status), ("", CertificateNameStatus::Pending as i32));
        let e = citizen.client
            .approve_certificate_name(ApproveCertificateNameRequest { certificate_id: p.certificate_id.clone(), holder_name: String::new() })
            .await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied, "a participant approves nothing");
        staff.client
            .approve_certificate_name(ApproveCertificateNameRequest {
                certificate_id: p.certificate_id.clone(),
                holder_name: "Omar Haddad".into(),
            })
            .await.unwrap();
        let checked = verify(&app, &p.verification_code).await;
        assert_eq!((checked.holder_name.as_str(), checked.name_status), ("Omar Haddad", CertificateNameStatus::Approved as i32));

        // Verified without a recorded name: as unverified.
        let u = unnamed.client
            .issue_certificate(certificate(&session, "Sara Idrissi"))
            .await.unwrap().into_inner().certificate.unwrap();
        assert_eq!(u.name_status, CertificateNameStatus::Pending as i32);
        let e = staff.client
            .approve_certificate_name(ApproveCertificateNameRequest { certificate_id: uuid::Uuid::new_v4().to_string(), holder_name: String::new() })
            .await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound);

        // Names never reach events or the audit log.
        for (_, e) in app.events().await {
            let bytes = prost::Message::encode_to_vec(&e);
            for name in ["Aicha", "Omar", "Sara"] {
                assert!(!String::from_utf8_lossy(&bytes).contains(name), "{} carries a name", e.r#type);
            }
        }
        let audit: Vec<(String,)> = sqlx::query_as("SELECT after_json FROM audit_log")
            .fetch_all(app.db.pool()).await.unwrap();
        assert!(audit.iter().all(|(a,)| !a.contains("Omar")));
    }

    async fn a_deleted_account_loses_its_certificate_name_and_future_seats(app: TestApp) {
        let mut staff = app.staff().await;
        let (mut leaving, email) = verified(&app, "Aicha Benali").await;
        let mut stays = app.citizen().await;
        let past = held_session(&app, &mut staff, &mut [&mut leaving, &mut stays]).await;
        let issued = leaving.client
            .issue_certificate(certificate(&past, ""))
            .await.unwrap().into_inner().certificate.unwrap();
        app.advance_days(1);
        leaving.client
            .submit_evaluation(SubmitEvaluationRequest {
                session_id: past.clone(),
                satisfaction: 4,
                comment: "Aicha's own words".into(),
                pre_test_score: None,
                post_test_score: None,
                idempotency_key: String::new(),
            })
            .await
            .unwrap();
        // A future session with one seat: the leaving person holds it, another waits.
        let future = app.session(&staff, 1, &[3]).await.session_id;
        let seat = register(&mut leaving, &future).await;
        assert_eq!(seat.status, RegistrationStatus::Confirmed as i32);
        let waiting = register(&mut stays, &future).await;
        assert_eq!(waiting.status, RegistrationStatus::Waitlisted as i32);
        let summary_before = staff.client
            .get_evaluation_summary(GetEvaluationSummaryRequest { session_id: past.clone() })
            .await.unwrap().into_inner();

        let token = app.sign_in(&email).await;
        app.identity
            .with_token(&token)
            .delete_my_account(DeleteMyAccountRequest { password: PASSWORD.into() })
            .await
            .unwrap();
        let mut erased = None;
        for _ in 0..200 {
            let checked = verify(&app, &issued.verification_code).await;
            if checked.name_status == CertificateNameStatus::Erased as i32 {
                erased = Some(checked);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let checked = erased.expect("the certificate name is erased");
        assert_eq!(checked.holder_name, "", "no name once the holder is gone");
        assert!(checked.issued_at.is_some(), "but the certificate was issued");

        // The future seat goes to the waitlist; the past participation stays counted.
        let shown = staff.client
            .get_session(GetSessionRequest { session_id: future.clone() })
            .await.unwrap().into_inner().session.unwrap();
        assert_eq!((shown.confirmed_count, shown.waitlisted_count), (1, 0));
        let mine = stays.client
            .list_my_registrations(ListMyRegistrationsRequest { page: None })
            .await.unwrap().into_inner().registrations;
        let promoted = mine.iter().find(|r| r.session_id == future).unwrap();
        assert_eq!(promoted.status, RegistrationStatus::Confirmed as i32);
        let past_rows = staff.client
            .list_registrations(ListRegistrationsRequest { session_id: past.clone(), status: 0, page: None })
            .await.unwrap().into_inner().registrations;
        let kept = past_rows.iter().find(|r| r.account_id == leaving.id).expect("past registration kept");
        assert_eq!(kept.status, RegistrationStatus::Confirmed as i32);
        assert_eq!(kept.attended_days, vec![app.day(-1)]);
        let summary = staff.client
            .get_evaluation_summary(GetEvaluationSummaryRequest { session_id: past.clone() })
            .await.unwrap().into_inner();
        assert_eq!(summary.evaluation_count, summary_before.evaluation_count);
        assert_eq!(summary.average_satisfaction, summary_before.average_satisfaction);
        let (words,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM evaluations WHERE comment LIKE '%Aicha%'")
            .fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(words, 0, "the person's words are erased");

        let mut counts = std::collections::HashMap::<String, usize>::new();
        for (_, e) in app.events().await {
            *counts.entry(e.r#type).or_default() += 1;
        }
        // The deleted account's last token still verifies, but writes nothing personal.
        let e = leaving.client
            .submit_evaluation(SubmitEvaluationRequest {
                session_id: past.clone(),
                satisfaction: 1,
                comment: "Written after deletion".into(),
                pre_test_score: None,
                post_test_score: None,
                idempotency_key: "late".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated, "{e:?}");
        assert_eq!(counts.get("training.registration.cancelled"), Some(&1));
        assert_eq!(counts.get("training.registration.promoted"), Some(&1));
    }

    async fn export_my_data_gives_the_caller_their_own_data(app: TestApp) {
        let mut staff = app.staff().await;
        let (mut me, _) = verified(&app, "Aicha Benali").await;
        let mut other = app.citizen().await;
        let past = held_session(&app, &mut staff, &mut [&mut me, &mut other]).await;
        me.client.issue_certificate(certificate(&past, "")).await.unwrap();
        app.advance_days(1);
        me.client
            .submit_evaluation(SubmitEvaluationRequest {
                session_id: past.clone(),
                satisfaction: 5,
                comment: "Utile".into(),
                pre_test_score: Some(40),
                post_test_score: Some(80),
                idempotency_key: String::new(),
            })
            .await
            .unwrap();
        let future = app.session(&staff, 5, &[3]).await.session_id;
        register(&mut me, &future).await;

        let export = me.client
            .export_my_data(ExportMyDataRequest { page: None })
            .await.unwrap().into_inner();
        assert_eq!(export.account_id, me.id);
        assert_eq!(export.registrations.len(), 2);
        let attended = export.registrations.iter().find(|r| r.session_id == past).unwrap();
        assert_eq!(attended.attended_days, vec![app.day(-1)]);
        assert_eq!(export.evaluations.len(), 1);
        assert_eq!((export.evaluations[0].satisfaction, export.evaluations[0].comment.as_str()), (5, "Utile"));
        assert_eq!(export.evaluations[0].post_test_score, Some(80));
        assert_eq!(export.certificates.len(), 1);
        assert_eq!(export.certificates[0].holder_name, "Aicha Benali");
        assert!(export.next_page_token.is_empty());

        let first = me.client
            .export_my_data(ExportMyDataRequest { page: Some(PageRequest { page_size: 1, page_token: String::new() }) })
            .await.unwrap().into_inner();
        assert_eq!(first.registrations.len(), 1);
        assert!(!first.next_page_token.is_empty());
        let second = me.client
            .export_my_data(ExportMyDataRequest { page: Some(PageRequest { page_size: 1, page_token: first.next_page_token }) })
            .await.unwrap().into_inner();
        assert_eq!(second.registrations.len(), 1);
        assert!(second.certificates.is_empty() && second.evaluations.is_empty());
        assert!(second.next_page_token.is_empty());

        let theirs = other.client
            .export_my_data(ExportMyDataRequest { page: None })
            .await.unwrap().into_inner();
        assert_eq!(theirs.account_id, other.id);
        assert_eq!(theirs.registrations.len(), 1);
        assert!(theirs.certificates.is_empty() && theirs.evaluations.is_empty());
        let e = app.anonymous().export_my_data(ExportMyDataRequest { page: None }).await.unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);
    }
}
