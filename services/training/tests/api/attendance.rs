//! Attendance: staff check-in and one-time codes shown at the venue, per session day.

use std::time::Duration;

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

matrix! {
    async fn codes_and_wrong_code_counts_are_deleted_once_their_day_is_over(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[0, 2]).await;
        let mut a = app.citizen().await;
        register(&mut a, &session.session_id).await;
        let mut wrong_attempt = async || {
            let issued = staff.client
                .issue_check_in_code(IssueCheckInCodeRequest { session_id: session.session_id.clone() })
                .await.unwrap().into_inner();
            let wrong = if issued.code == "000000" { "111111" } else { "000000" };
            let e = a.client.check_in_with_code(CheckInWithCodeRequest {
                session_id: session.session_id.clone(), code: wrong.into(), idempotency_key: String::new(),
            }).await.unwrap_err();
            assert_eq!(rule(&e), "check_in.code_invalid");
        };
        wrong_attempt().await;
        assert_eq!(tachawor_training::maintenance::prune(&app.ctx).await.unwrap(), 0, "today's rows stay");
        assert_eq!((app.count("check_in_codes").await, app.count("check_in_failures").await), (1, 1));

        app.advance_days(2);
        wrong_attempt().await;
        assert_eq!(tachawor_training::maintenance::prune(&app.ctx).await.unwrap(), 2, "the first day's code and count go");
        assert_eq!((app.count("check_in_codes").await, app.count("check_in_failures").await), (1, 1));
    }

    async fn a_code_works_once_and_not_after_it_expires(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[0, 1]).await;
        let mut a = app.citizen().await;
        let mut b = app.citizen().await;
        let mut c = app.citizen().await;
        for p in [&mut a, &mut b, &mut c] {
            register(p, &session.session_id).await;
        }
        let issued = staff.client
            .issue_check_in_code(IssueCheckInCodeRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner();
        assert_eq!(issued.code.len(), 6);
        assert_eq!(issued.day, Some(app.day(0)));
        let with_code = |code: &str, key: &str| CheckInWithCodeRequest {
            session_id: session.session_id.clone(),
            code: code.into(),
            idempotency_key: key.into(),
        };

        let done = a.client.check_in_with_code(with_code(&issued.code, "a-1")).await.unwrap().into_inner();
        let registration = done.registration.clone().unwrap();
        assert_eq!(registration.attended_days, vec![app.day(0)]);
        assert_eq!(registration.attendance_rate_percent, 50, "derived from one day of two");
        // The same request retried is replayed; the code used again is refused.
        let replayed = a.client.check_in_with_code(with_code(&issued.code, "a-1")).await.unwrap().into_inner();
        assert_eq!(done, replayed);
        let e = a.client.check_in_with_code(with_code(&issued.code, "")).await.unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);

        // A code never shown is refused, and counted.
        let wrong = if issued.code == "000000" { "111111" } else { "000000" };
        let e = b.client.check_in_with_code(with_code(wrong, "")).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.code_invalid");
        assert_eq!(app.count("check_in_failures").await, 1);

        // Past its life, the code no longer works.
        app.clock.advance(Duration::from_secs(301));
        let e = c.client.check_in_with_code(with_code(&issued.code, "")).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.code_expired");
        assert_eq!(app.count("attendance").await, 1);

        // A fresh code works for the next person.
        let fresh = staff.client
            .issue_check_in_code(IssueCheckInCodeRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner();
        c.client.check_in_with_code(with_code(&fresh.code, "")).await.unwrap();
        assert_eq!(app.count("attendance").await, 2);
    }

    async fn wrong_codes_are_limited(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[0]).await;
        let mut a = app.citizen().await;
        register(&mut a, &session.session_id).await;
        let issued = staff.client
            .issue_check_in_code(IssueCheckInCodeRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner();
        let wrong = if issued.code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            let e = a.client.check_in_with_code(CheckInWithCodeRequest {
                session_id: session.session_id.clone(), code: wrong.into(), idempotency_key: String::new(),
            }).await.unwrap_err();
            assert_eq!(rule(&e), "check_in.code_invalid");
        }
        let e = a.client.check_in_with_code(CheckInWithCodeRequest {
            session_id: session.session_id.clone(), code: issued.code.clone(), idempotency_key: String::new(),
        }).await.unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted);
    }

    async fn check_in_outside_the_sessions_days_is_refused(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[1, 3]).await;
        let mut a = app.citizen().await;
        let r = register(&mut a, &session.session_id).await;
        let staff_check_in = |day| CheckInRequest {
            registration_id: r.registration_id.clone(),
            day: Some(day),
            idempotency_key: String::new(),
        };
        // Today is not a session day: no code can be issued, no presence recorded.
        let e = staff.client
            .issue_check_in_code(IssueCheckInCodeRequest { session_id: session.session_id.clone() })
            .await.unwrap_err();
        assert_eq!(rule(&e), "check_in.not_a_session_day");
        let e = staff.client.check_in(staff_check_in(app.day(0))).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.not_a_session_day");
        let e = staff.client.check_in(staff_check_in(app.day(2))).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.not_a_session_day");
        // A session day still to come cannot be recorded yet.
        let e = staff.client.check_in(staff_check_in(app.day(1))).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.future_day");
        app.advance_days(2);
        let e = staff.client
            .issue_check_in_code(IssueCheckInCodeRequest { session_id: session.session_id.clone() })
            .await.unwrap_err();
        assert_eq!(rule(&e), "check_in.not_a_session_day");
        // Yesterday was the first day: staff may still record it, once.
        let done = staff.client.check_in(staff_check_in(app.day(-1))).await.unwrap().into_inner();
        assert_eq!(done.registration.unwrap().attendance_rate_percent, 50);
        let e = staff.client.check_in(staff_check_in(app.day(-1))).await.unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        assert_eq!(app.count("attendance").await, 1);
    }

    async fn only_confirmed_participants_check_in(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 1, &[0]).await;
        let mut a = app.citizen().await;
        let mut b = app.citizen().await;
        register(&mut a, &session.session_id).await;
        let waiting = register(&mut b, &session.session_id).await;
        assert_eq!(waiting.status, RegistrationStatus::Waitlisted as i32);
        let e = staff.client.check_in(CheckInRequest {
            registration_id: waiting.registration_id, day: Some(app.day(0)), idempotency_key: String::new(),
        }).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.not_confirmed");
        let mut stranger = app.citizen().await;
        let e = stranger.client.check_in_with_code(CheckInWithCodeRequest {
            session_id: session.session_id.clone(), code: "123456".into(), idempotency_key: String::new(),
        }).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound);
    }
}
