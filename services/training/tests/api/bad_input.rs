//! Bad input to every RPC: INVALID_ARGUMENT naming each bad field, and nothing written.

use tachawor_proto::{
    common::{Date, LocalizedText, PageRequest},
    training::*,
};
use tachawor_testkit::matrix;

use crate::helpers::{TestApp, fields, program_request, text};

const TABLES: &[&str] = &[
    "programs",
    "sessions",
    "registrations",
    "attendance",
    "check_in_codes",
    "check_in_failures",
    "evaluations",
    "certificates",
    "outbox",
    "idempotency_keys",
    "attachments",
    "audit_log",
];

async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(app.count(table).await);
    }
    counts
}

const LONG_KEY: &str = "a key that is far longer than the sixty-four characters a key may have";

matrix! {
    async fn every_bad_field_is_named_and_nothing_is_written(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 5, &[0]).await;
        let mut citizen = app.citizen().await;
        let mut anonymous = app.anonymous();
        let before = snapshot(&app).await;
        let bad_page = Some(PageRequest { page_size: -1, page_token: "zz".into() });

        let e = staff.client.create_program(CreateProgramRequest {
            // Training keeps no Tamazight: refused rather than dropped.
            title: Some(LocalizedText { ar: String::new(), fr: "x".repeat(201), en: "y".repeat(201), zgh: "ⴰⵎⴰⵏ".into() }),
            objectives: None,
            audiences: vec![0, 99],
            milestone_ref: "milestone one".into(),
            province_codes: vec!["paris".into()],
            idempotency_key: String::new(),
        }).await.unwrap_err();
        assert_eq!(fields(&e), ["title.ar", "title.fr", "title.en", "title.zgh", "objectives.ar", "objectives.fr", "audiences", "milestone_ref", "province_codes"]);

        let e = anonymous.get_program(GetProgramRequest { program_id: "nope".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["program_id"]);
        let e = anonymous.list_programs(ListProgramsRequest { page: bad_page.clone(), milestone_ref: "x".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["page.page_size", "milestone_ref"]);

        let bad_details = SessionDetails {
            kind: 9,
            title: Some(text("ok")),
            days: vec![Date { year: 2026, month: 2, day: 30 }],
            venue: Some(Venue { province_code: "paris".into(), address: String::new() }),
            online_url: "ftp://x".into(),
            capacity: 0,
            registration_opens_at: None,
            registration_closes_at: None,
            facilitators: vec![String::new()],
            materials: vec![Material { title: "Guide".into(), url: "not a link".into() }],
            eligibility: 0,
            attendance_threshold_percent: 101,
            schedule: Vec::new(),
        };
        let all_details = [
            "details.kind", "details.days", "details.venue.province_code", "details.venue.address",
            "details.online_url", "details.capacity", "details.registration_opens_at",
            "details.registration_closes_at", "details.facilitators", "details.materials",
            "details.eligibility", "details.attendance_threshold_percent",
        ];
        let e = staff.client.schedule_session(ScheduleSessionRequest { program_id: "x".into(), details: Some(bad_details.clone()), ..Default::default() })
            .await.unwrap_err();
        let mut expected = vec!["program_id"];
        expected.extend(all_details);
        assert_eq!(fields(&e), expected);
        let mut past = app.details(5, &[-1], Eligibility::Open);
        past.venue = None;
        let e = staff.client.schedule_session(ScheduleSessionRequest { program_id: session.program_id.clone(), details: Some(past), ..Default::default() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["details.venue", "details.days"]);
        let e = staff.client.update_session(UpdateSessionRequest { session_id: "x".into(), details: Some(bad_details) })
            .await.unwrap_err();
        let mut expected = vec!["session_id"];
        expected.extend(all_details);
        assert_eq!(fields(&e), expected);
        let e = staff.client.cancel_session(CancelSessionRequest { session_id: "x".into(), reason: " ".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id", "reason"]);
        let e = staff.client.mark_session_held(MarkSessionHeldRequest { session_id: "x".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id"]);
        let e = anonymous.get_session(GetSessionRequest { session_id: "x".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id"]);
        let e = anonymous.list_sessions(ListSessionsRequest { page: bad_page.clone(), program_id: "x".into(), province_code: "paris".into(), status: 9 })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["page.page_size", "program_id", "province_code", "status"]);

        let e = citizen.client.register(RegisterRequest { session_id: "x".into(), idempotency_key: LONG_KEY.into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id", "idempotency_key"]);
        let e = citizen.client.cancel_registration(CancelRegistrationRequest { registration_id: "x".into(), idempotency_key: "bad key".into() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["registration_id", "idempotency_key"]);
        let e = citizen.client.list_my_registrations(ListMyRegistrationsRequest { page: bad_page.clone() }).await.unwrap_err();
        assert_eq!(fields(&e), ["page.page_size"]);
        let e = staff.client.list_registrations(ListRegistrationsRequest { session_id: "x".into(), status: 9, page: bad_page.clone() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["session_id", "status", "page.page_size"]);
        let e = staff.client.export_registrations(ExportRegistrationsRequest { session_id: "x".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id"]);

        let e = staff.client.issue_check_in_code(IssueCheckInCodeRequest { session_id: "x".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id"]);
        let e = staff.client.check_in(CheckInRequest { registration_id: "x".into(), day: Some(Date::default()), idempotency_key: LONG_KEY.into() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["registration_id", "day", "idempotency_key"]);
        let e = citizen.client.check_in_with_code(CheckInWithCodeRequest { session_id: "x".into(), code: "12ab".into(), idempotency_key: LONG_KEY.into() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["session_id", "code", "idempotency_key"]);

        let e = citizen.client.submit_evaluation(SubmitEvaluationRequest {
            session_id: "x".into(), satisfaction: 6, comment: "c".repeat(2001),
            pre_test_score: Some(-1), post_test_score: Some(101), idempotency_key: LONG_KEY.into(),
        }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id", "satisfaction", "comment", "pre_test_score", "post_test_score", "idempotency_key"]);
        let e = staff.client.get_evaluation_summary(GetEvaluationSummaryRequest { session_id: "x".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id"]);

        let e = staff.client.issue_certificate(IssueCertificateRequest {
            session_id: "x".into(), account_id: "y".into(), certificate_name: "n".repeat(201), idempotency_key: LONG_KEY.into(),
        }).await.unwrap_err();
        assert_eq!(fields(&e), ["session_id", "account_id", "certificate_name", "idempotency_key"]);
        let e = staff.client.approve_certificate_name(ApproveCertificateNameRequest {
            certificate_id: "c".into(), holder_name: "n\u{7}".into(),
        }).await.unwrap_err();
        assert_eq!(fields(&e), ["certificate_id", "holder_name"]);
        let e = staff.client.list_pending_certificate_names(ListPendingCertificateNamesRequest { page: bad_page.clone() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["page.page_size"]);
        let e = staff.client.export_my_data(ExportMyDataRequest {
            page: Some(tachawor_proto::common::PageRequest { page_size: 5, page_token: "forged".into() }),
        }).await.unwrap_err();
        assert_eq!(fields(&e), ["page.page_token"]);
        let e = anonymous.verify_certificate(VerifyCertificateRequest { verification_code: "hello".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["verification_code"]);

        // A valid program request is accepted, so the failures above were the fields'.
        staff.client.create_program(program_request()).await.unwrap();
        let mut after = snapshot(&app).await;
        after[0] -= 1;
        after[8] -= 1;
        assert_eq!(before, after, "bad input wrote something");
    }
}
