//! ImportPastSessions: sessions held before the platform, with their attendance, imported by
//! staff; every bad row listed and nothing written, dry runs, idempotence, and the events
//! reporting counts.

use tachawor_events::decode_event;
use tachawor_proto::{catalogue::Event, common::ImportSummary, training::*};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::*;

/// `YYYY-MM-DD` of the day `offset` days from today.
fn day(app: &TestApp, offset: i64) -> String {
    tachawor_proto::dates::date_str(&app.day(offset)).expect("a date")
}

/// A good row: a training session of `program_id` on the days `offsets` from today.
fn row(app: &TestApp, program_id: &str, offsets: &[i64], attended: &str) -> PastSessionImportRow {
    PastSessionImportRow {
        line: 0,
        program_id: program_id.into(),
        title_ar: "ورشة الديمقراطية التشاركية".into(),
        title_fr: "Atelier démocratie participative".into(),
        kind: "training_session".into(),
        province_code: "laayoune".into(),
        address: "Siège du Conseil régional".into(),
        days: offsets.iter().map(|o| day(app, *o)).collect(),
        start: "09:00".into(),
        end: "13:00".into(),
        attended_count: attended.into(),
        attendee_account_ids: Vec::new(),
    }
}

async fn import(
    client: &mut Client,
    rows: Vec<PastSessionImportRow>,
    dry_run: bool,
) -> ImportSummary {
    client
        .import_past_sessions(ImportPastSessionsRequest { rows, dry_run })
        .await
        .expect("import")
        .into_inner()
        .summary
        .expect("summary")
}

/// What a write changes: sessions, registrations, attendance, audit and outbox rows.
async fn written(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "sessions",
        "registrations",
        "attendance",
        "audit_log",
        "outbox",
    ] {
        counts.push(app.count(table).await);
    }
    counts
}

matrix! {
    async fn past_sessions_are_imported_held_after_the_fact_with_their_attendance(app: TestApp) {
        let mut staff = app.staff().await;
        let program = app.program(&staff).await;
        let mut attendee = app.citizen().await;
        let mut first = row(&app, &program.program_id, &[-40, -39], "25");
        first.attendee_account_ids = vec![attendee.id.clone()];
        let mut second = row(&app, &program.program_id, &[-10], "8");
        second.kind = "regional_meeting".into();
        // Today is the limit.
        let third = row(&app, &program.program_id, &[0], "0");
        let rows = vec![first, second, third];

        let before = written(&app).await;
        let dry = import(&mut staff.client, rows.clone(), true).await;
        assert_eq!((dry.created, dry.unchanged, dry.written), (3, 0, false));
        assert!(dry.problems.is_empty(), "{:?}", dry.problems);
        assert_eq!(written(&app).await, before, "a dry run writes nothing");

        let done = import(&mut staff.client, rows.clone(), false).await;
        assert_eq!((done.created, done.unchanged, done.written), (3, 0, true));
        let sessions = staff
            .client
            .list_sessions(ListSessionsRequest {
                program_id: program.program_id.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .sessions;
        assert_eq!(sessions.len(), 3);
        let imported = sessions
            .iter()
            .find(|s| s.recorded_attended_count == 25)
            .expect("the first row's session");
        assert!(sessions.iter().all(|s| s.recorded_after_the_fact));
        assert!(sessions.iter().all(|s| s.status == SessionStatus::Held as i32));
        assert_eq!(imported.confirmed_count, 1);
        let details = imported.details.clone().unwrap();
        assert_eq!(details.schedule.len(), 2);
        assert_eq!((details.schedule[0].start.as_str(), details.schedule[0].end.as_str()), ("09:00", "13:00"));

        // The account among them attended every day; no one registers for a held session.
        let mine = attendee
            .client
            .list_my_registrations(ListMyRegistrationsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .registrations;
        assert_eq!(mine.len(), 1);
        assert_eq!((mine[0].attended_days.len(), mine[0].attendance_rate_percent), (2, 100));
        let mut other = app.citizen().await;
        let refused = other
            .client
            .register(RegisterRequest { session_id: imported.session_id.clone(), idempotency_key: String::new() })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");

        // Scheduled, attended and held, after the fact, with the whole count.
        let events = app.events().await;
        let of_session: Vec<Event> = events
            .iter()
            .filter(|(_, e)| e.aggregate_id == imported.session_id)
            .filter_map(|(_, e)| decode_event(e).unwrap())
            .collect();
        assert!(matches!(&of_session[..], [Event::SessionScheduled(s), Event::SessionHeld(h)]
            if s.recorded_after_the_fact && h.recorded_after_the_fact
                && h.attended_count == 25 && h.confirmed_count == 1
                && h.milestone_ref == program.milestone_ref && h.days.len() == 2),
            "{of_session:?}");
        let attended: Vec<Event> = events
            .iter()
            .filter(|(_, e)| e.r#type == "training.attendance.recorded")
            .filter_map(|(_, e)| decode_event(e).unwrap())
            .collect();
        assert_eq!(attended.len(), 2);
        assert!(attended.iter().all(|e| matches!(e, Event::AttendanceRecorded(a)
            if a.method == "import" && a.session_id == imported.session_id)));

        // A second run changes nothing.
        let after = written(&app).await;
        let again = import(&mut staff.client, rows, false).await;
        assert_eq!((again.created, again.unchanged, again.written), (0, 3, true));
        assert!(again.problems.is_empty());
        assert_eq!(written(&app).await, after);
    }

    async fn every_bad_row_is_listed_and_nothing_is_written(app: TestApp) {
        let mut staff = app.staff().await;
        let program = app.program(&staff).await;
        let p = program.program_id.as_str();
        let mut rows = vec![row(&app, p, &[-30], "12")];
        // Each on its own day: no two share the natural key.
        let mut bad = |f: &dyn Fn(&mut PastSessionImportRow)| {
            let mut r = row(&app, p, &[-100 - rows.len() as i64], "5");
            f(&mut r);
            rows.push(r);
        };
        bad(&|r| r.days = vec![day(&app, 1)]);
        bad(&|r| r.program_id = uuid::Uuid::new_v4().to_string());
        bad(&|r| r.province_code = "atlantis".into());
        bad(&|r| r.kind = "party".into());
        bad(&|r| r.end = "08:00".into());
        bad(&|r| r.attended_count = "-3".into());
        bad(&|r| {
            r.attended_count = "1".into();
            r.attendee_account_ids = vec![uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string()];
        });
        bad(&|r| r.title_fr = String::new());
        bad(&|r| r.days = vec!["2025-13-01".into()]);
        bad(&|r| r.attendee_account_ids = vec![uuid::Uuid::new_v4().to_string()]);
        // The first row again.
        rows.push(row(&app, p, &[-30], "12"));

        let before = written(&app).await;
        let summary = import(&mut staff.client, rows, false).await;
        let got: Vec<(u32, &str, &str)> = summary
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "days", "future"),
                (4, "program_id", "unknown"),
                (5, "province_code", "unknown"),
                (6, "kind", "invalid"),
                (7, "end", "invalid"),
                (8, "attended_count", "invalid"),
                (9, "attendee_account_ids", "invalid"),
                (10, "title_fr", "required"),
                (11, "days", "invalid"),
                (12, "attendee_account_ids", "unknown"),
                (13, "days", "duplicate"),
            ]
        );
        assert!(!summary.written);
        assert_eq!(written(&app).await, before);
    }

    async fn a_batch_is_bounded_and_staff_only(app: TestApp) {
        let mut staff = app.staff().await;
        let program = app.program(&staff).await;
        let empty = staff
            .client
            .import_past_sessions(ImportPastSessionsRequest::default())
            .await
            .unwrap_err();
        assert_eq!(fields(&empty), ["rows"]);
        let rows = vec![row(&app, &program.program_id, &[-5], "3"); 1001];
        let long = staff
            .client
            .import_past_sessions(ImportPastSessionsRequest { rows: rows.clone(), dry_run: true })
            .await
            .unwrap_err();
        assert_eq!(fields(&long), ["rows"]);
        let mut citizen = app.citizen().await;
        let denied = citizen
            .client
            .import_past_sessions(ImportPastSessionsRequest { rows: rows[..1].to_vec(), dry_run: false })
            .await
            .unwrap_err();
        assert_eq!(denied.code(), Code::PermissionDenied);
        assert_eq!(app.count("sessions").await, 0);
    }
}
