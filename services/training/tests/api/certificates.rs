//! Certificates for attendance, public verification, and evaluations after a session.

use tachawor_proto::training::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Person, TestApp, rule};

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

fn certificate(session_id: &str, name: &str) -> IssueCertificateRequest {
    IssueCertificateRequest {
        session_id: session_id.into(),
        account_id: String::new(),
        certificate_name: name.into(),
        idempotency_key: String::new(),
    }
}

matrix! {
    async fn certificates_go_to_those_who_attended_and_verify_publicly(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[0, 1]).await;
        let mut full = app.citizen().await;
        let mut half = app.citizen().await;
        let mut absent = app.citizen().await;
        let rf = register(&mut full, &session.session_id).await;
        let rh = register(&mut half, &session.session_id).await;
        register(&mut absent, &session.session_id).await;
        let day = |registration_id: &str, offset| CheckInRequest {
            registration_id: registration_id.into(),
            day: Some(app.day(offset)),
            idempotency_key: String::new(),
        };
        staff.client.check_in(day(&rf.registration_id, 0)).await.unwrap();
        staff.client.check_in(day(&rh.registration_id, 0)).await.unwrap();

        let e = full.client.issue_certificate(certificate(&session.session_id, "Aicha Benali")).await.unwrap_err();
        assert_eq!(rule(&e), "certificate.session_not_held");

        app.advance_days(1);
        staff.client.check_in(day(&rf.registration_id, 0)).await.unwrap();
        staff.client.mark_session_held(MarkSessionHeldRequest { session_id: session.session_id.clone() }).await.unwrap();

        // Below the threshold (every day), and registered only: refused.
        let e = half.client.issue_certificate(certificate(&session.session_id, "Omar Haddad")).await.unwrap_err();
        assert_eq!(rule(&e), "certificate.attendance_below_threshold");
        let e = absent.client.issue_certificate(certificate(&session.session_id, "Sara Idrissi")).await.unwrap_err();
        assert_eq!(rule(&e), "certificate.attendance_below_threshold");
        assert_eq!(app.count("certificates").await, 0);

        let issued = full.client
            .issue_certificate(certificate(&session.session_id, "Aicha Benali"))
            .await.unwrap().into_inner().certificate.unwrap();
        assert_eq!(issued.account_id, full.id);
        let e = full.client.issue_certificate(certificate(&session.session_id, "Aicha Benali")).await.unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);

        let mut anyone = app.anonymous();
        let checked = anyone
            .verify_certificate(VerifyCertificateRequest { verification_code: issued.verification_code.to_lowercase() })
            .await.unwrap().into_inner();
        // An unverified participant's own name is not shown until staff approve it.
        assert_eq!(checked.holder_name, "");
        assert_eq!(checked.name_status, CertificateNameStatus::Pending as i32);
        assert_eq!(issued.holder_name, "Aicha Benali");
        // Staff find it among the names awaiting approval, and no longer once approved.
        let pending = staff.client
            .list_pending_certificate_names(ListPendingCertificateNamesRequest::default())
            .await.unwrap().into_inner().certificates;
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].certificate_id, issued.certificate_id);
        assert_eq!(pending[0].holder_name, "Aicha Benali");
        assert_eq!(pending[0].name_status, CertificateNameStatus::Pending as i32);
        let approved = staff.client
            .approve_certificate_name(ApproveCertificateNameRequest {
                certificate_id: issued.certificate_id.clone(),
                holder_name: String::new(),
            })
            .await.unwrap().into_inner().certificate.unwrap();
        assert_eq!(approved.name_status, CertificateNameStatus::Approved as i32);
        let pending = staff.client
            .list_pending_certificate_names(ListPendingCertificateNamesRequest::default())
            .await.unwrap().into_inner().certificates;
        assert!(pending.is_empty(), "an approved name awaits nothing: {pending:?}");
        let checked = anyone
            .verify_certificate(VerifyCertificateRequest { verification_code: issued.verification_code.clone() })
            .await.unwrap().into_inner();
        assert_eq!(checked.holder_name, "Aicha Benali");
        assert_eq!(checked.days, vec![app.day(-1), app.day(0)]);
        assert_eq!(checked.session_title, session.details.unwrap().title);
        let e = anyone
            .verify_certificate(VerifyCertificateRequest { verification_code: "ABCDE-FGHJK-LMNPQ".into() })
            .await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound);

        // Staff may issue on a participant's behalf once the threshold is met.
        let threshold = session_threshold(&app, &mut staff).await;
        let mut p = app.citizen().await;
        let r = register(&mut p, &threshold).await;
        staff.client.check_in(CheckInRequest { registration_id: r.registration_id, day: Some(app.day(0)), idempotency_key: String::new() }).await.unwrap();
        staff.client.mark_session_held(MarkSessionHeldRequest { session_id: threshold.clone() }).await.unwrap();
        let mut request = certificate(&threshold, "Youssef Alaoui");
        request.account_id = p.id.clone();
        let e = p.client.issue_certificate(IssueCertificateRequest { account_id: full.id.clone(), ..request.clone() }).await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);
        let c = staff.client.issue_certificate(request).await.unwrap().into_inner().certificate.unwrap();
        assert_eq!(c.account_id, p.id);
    }

    async fn evaluations_come_after_the_session_once_per_participant(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[0, 1]).await;
        let mut a = app.citizen().await;
        let mut b = app.citizen().await;
        let mut outsider = app.citizen().await;
        let ra = register(&mut a, &session.session_id).await;
        let rb = register(&mut b, &session.session_id).await;
        for r in [&ra, &rb] {
            staff.client.check_in(CheckInRequest { registration_id: r.registration_id.clone(), day: Some(app.day(0)), idempotency_key: String::new() }).await.unwrap();
        }
        let evaluation = |satisfaction, pre, post, key: &str| SubmitEvaluationRequest {
            session_id: session.session_id.clone(),
            satisfaction,
            comment: "Très utile".into(),
            pre_test_score: pre,
            post_test_score: post,
            idempotency_key: key.into(),
        };
        let e = a.client.submit_evaluation(evaluation(5, None, None, "")).await.unwrap_err();
        assert_eq!(rule(&e), "evaluation.too_early");
        app.advance_days(1);
        let first = a.client.submit_evaluation(evaluation(5, Some(40), Some(80), "e-1")).await.unwrap().into_inner();
        let again = a.client.submit_evaluation(evaluation(5, Some(40), Some(80), "e-1")).await.unwrap().into_inner();
        assert_eq!(first, again);
        let e = a.client.submit_evaluation(evaluation(1, None, None, "")).await.unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        b.client.submit_evaluation(evaluation(3, None, Some(60), "")).await.unwrap();
        let e = outsider.client.submit_evaluation(evaluation(3, None, None, "")).await.unwrap_err();
        assert_eq!(rule(&e), "evaluation.not_a_participant");
        let summary = staff.client
            .get_evaluation_summary(GetEvaluationSummaryRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner();
        assert_eq!(summary.evaluation_count, 2);
        assert_eq!(summary.average_satisfaction, 4.0);
        assert_eq!(summary.satisfaction_counts, vec![0, 0, 1, 0, 1]);
        assert_eq!((summary.pre_test_count, summary.average_pre_test_score), (1, 40.0));
        assert_eq!((summary.post_test_count, summary.average_post_test_score), (2, 70.0));
        assert_eq!(summary.comments.len(), 2);
    }
}

/// A one-day session with a 50 % threshold: its id.
async fn session_threshold(app: &TestApp, staff: &mut Person) -> String {
    let mut details = app.details(10, &[0], Eligibility::Open);
    details.attendance_threshold_percent = 50;
    app.session_with(staff, details).await.session_id
}
