//! Session times: each day's local start and end in the region's zone, how they are read and
//! written (also by clients that know only dates), refused when wrong, and the rules that
//! follow them.

use tachawor_proto::{common::Date, events::TrainingSessionChanged, training::*};
use tachawor_testkit::matrix;

use crate::helpers::{Person, TestApp, fields, rule, ts};

async fn schedule(
    app: &TestApp,
    staff: &mut Person,
    details: SessionDetails,
) -> Result<Session, tonic::Status> {
    let program = app.program(staff).await;
    staff
        .client
        .schedule_session(ScheduleSessionRequest {
            program_id: program.program_id,
            details: Some(details),
            idempotency_key: String::new(),
        })
        .await
        .map(|r| r.into_inner().session.unwrap())
}

async fn get(app: &TestApp, session_id: &str) -> Session {
    app.anonymous()
        .get_session(GetSessionRequest {
            session_id: session_id.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .session
        .unwrap()
}

fn times(session: &Session) -> Vec<(Option<Date>, String, String)> {
    session
        .details
        .as_ref()
        .unwrap()
        .schedule
        .iter()
        .map(|d| (d.date, d.start.clone(), d.end.clone()))
        .collect()
}

async fn register(person: &mut Person, session_id: &str) -> Result<Registration, tonic::Status> {
    person
        .client
        .register(RegisterRequest {
            session_id: session_id.into(),
            idempotency_key: String::new(),
        })
        .await
        .map(|r| r.into_inner().registration.unwrap())
}

matrix! {
    async fn each_day_is_read_back_with_its_times_and_instants(app: TestApp) {
        let mut staff = app.staff().await;
        // Given out of order: answered in date order.
        let session = schedule(&app, &mut staff, app.timed_details(10, &[(2, "14:00", "18:00"), (1, "09:00", "12:30")]))
            .await.unwrap();
        let read = get(&app, &session.session_id).await;
        assert_eq!(read, session);
        assert_eq!(read.time_zone, "Africa/Casablanca");
        assert_eq!(times(&read), [
            (Some(app.day(1)), "09:00".to_string(), "12:30".to_string()),
            (Some(app.day(2)), "14:00".to_string(), "18:00".to_string()),
        ]);
        let details = read.details.unwrap();
        // Readers that know only dates still get them.
        assert_eq!(details.days, [app.day(1), app.day(2)]);
        let first = &details.schedule[0];
        assert_eq!(first.starts_at, Some(ts(app.at(1, "09:00"))));
        assert_eq!(first.ends_at, Some(ts(app.at(1, "12:30"))));
        let listed = app.anonymous().list_sessions(ListSessionsRequest { program_id: session.program_id.clone(), ..Default::default() })
            .await.unwrap().into_inner().sessions;
        assert_eq!(times(&listed[0]), times(&session));
    }

    async fn bad_times_are_named_per_day_and_nothing_is_written(app: TestApp) {
        let mut staff = app.staff().await;
        let program = app.program(&staff).await;
        let sessions_before = app.count("sessions").await;
        let outbox_before = app.count("outbox").await;
        let mut details = app.timed_details(10, &[(1, "09:00", "17:00"), (2, "17:00", "09:00"), (3, "9h", ""), (4, "", "25:00")]);
        details.schedule.push(SessionDay { date: Some(Date { year: 2026, month: 2, day: 30 }), ..Default::default() });
        let e = staff.client.schedule_session(ScheduleSessionRequest { program_id: program.program_id.clone(), details: Some(details), ..Default::default() })
            .await.unwrap_err();
        assert_eq!(fields(&e), [
            "details.schedule[1].end", "details.schedule[2].start", "details.schedule[2].end",
            "details.schedule[3].start", "details.schedule[3].end", "details.schedule[4].date",
        ]);
        // A date twice, dates that disagree with the schedule, no day at all.
        let mut twice = app.timed_details(10, &[(1, "09:00", "12:00"), (1, "14:00", "17:00")]);
        twice.days = vec![app.day(5)];
        let e = staff.client.schedule_session(ScheduleSessionRequest { program_id: program.program_id.clone(), details: Some(twice), ..Default::default() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["details.schedule", "details.days"]);
        let none = app.timed_details(10, &[]);
        let e = staff.client.schedule_session(ScheduleSessionRequest { program_id: program.program_id.clone(), details: Some(none), ..Default::default() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["details.schedule"]);
        // Today's session that is already over.
        let over = app.timed_details(10, &[(-1, "09:00", "10:00")]);
        let e = staff.client.schedule_session(ScheduleSessionRequest { program_id: program.program_id.clone(), details: Some(over), ..Default::default() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["details.schedule"]);

        assert_eq!((app.count("sessions").await, app.count("outbox").await), (sessions_before, outbox_before));

        let session = schedule(&app, &mut staff, app.timed_details(10, &[(1, "09:00", "17:00")])).await.unwrap();
        let sessions_before = app.count("sessions").await;
        let outbox_before = app.count("outbox").await;
        let e = staff.client.update_session(UpdateSessionRequest {
            session_id: session.session_id.clone(),
            details: Some(app.timed_details(10, &[(1, "18:00", "17:00")])),
        }).await.unwrap_err();
        assert_eq!(fields(&e), ["details.schedule[0].end"]);
        assert_eq!(times(&get(&app, &session.session_id).await), times(&session));
        assert_eq!((app.count("sessions").await, app.count("outbox").await), (sessions_before, outbox_before));
    }

    async fn a_client_that_knows_only_dates_keeps_the_times(app: TestApp) {
        let mut staff = app.staff().await;
        let session = schedule(&app, &mut staff, app.timed_details(10, &[(1, "09:00", "17:00")])).await.unwrap();
        // As an older client writes it back: dates only, one more day.
        let mut details = session.details.clone().unwrap();
        details.schedule.clear();
        details.days.push(app.day(2));
        let updated = staff.client.update_session(UpdateSessionRequest { session_id: session.session_id.clone(), details: Some(details) })
            .await.unwrap().into_inner().session.unwrap();
        assert_eq!(times(&updated), [
            (Some(app.day(1)), "09:00".to_string(), "17:00".to_string()),
            (Some(app.day(2)), String::new(), String::new()),
        ], "the new date has no time yet");
        // Without times a day spans the whole local day.
        let untimed = &updated.details.as_ref().unwrap().schedule[1];
        assert_eq!(untimed.starts_at, Some(ts(app.at(2, "00:00"))));
        assert_eq!(untimed.ends_at, Some(ts(app.at(3, "00:00"))));

        // Written back as read, the day without times stays without: nothing changes.
        let same = staff.client.update_session(UpdateSessionRequest { session_id: session.session_id.clone(), details: updated.details.clone() })
            .await.unwrap().into_inner().session.unwrap();
        assert_eq!(same, updated);

        // Only the times change: the event names them, not the days.
        let changed = staff.client.update_session(UpdateSessionRequest {
            session_id: session.session_id.clone(),
            details: Some({
                let mut d = updated.details.clone().unwrap();
                d.schedule = app.timed_details(10, &[(1, "10:00", "17:00"), (2, "09:00", "13:00")]).schedule;
                d.days.clear();
                d
            }),
        }).await.unwrap().into_inner().session.unwrap();
        assert_eq!(times(&changed)[1], (Some(app.day(2)), "09:00".to_string(), "13:00".to_string()));
        let events = app.events().await;
        let last: TrainingSessionChanged = events.iter().rev()
            .find(|(_, e)| e.r#type == "training.session.changed")
            .map(|(_, e)| tachawor_events::decode_payload(e).unwrap())
            .unwrap();
        assert_eq!(last.changed, ["times"]);
        assert_eq!(last.days, [app.day(1), app.day(2)]);
    }

    async fn held_check_in_and_evaluation_follow_the_times(app: TestApp) {
        let mut staff = app.staff().await;
        let session = schedule(&app, &mut staff, app.timed_details(10, &[(1, "09:00", "17:00"), (2, "14:00", "18:00")]))
            .await.unwrap();
        let mut a = app.citizen().await;
        let registration = register(&mut a, &session.session_id).await.unwrap();
        let check_in = |day| CheckInRequest { registration_id: registration.registration_id.clone(), day: Some(day), idempotency_key: String::new() };
        // Read before the clock moves: day offsets count from today.
        let first_day = app.day(1);
        let [before_start, first_start, last_morning, last_start] =
            [app.at(1, "08:59"), app.at(1, "09:00"), app.at(2, "13:00"), app.at(2, "14:00")];

        // The first day, before it starts: not held yet, no presence recorded.
        app.advance_to(before_start);
        let e = staff.client.mark_session_held(MarkSessionHeldRequest { session_id: session.session_id.clone() })
            .await.unwrap_err();
        assert_eq!(rule(&e), "session.not_started");
        let e = staff.client.check_in(check_in(first_day)).await.unwrap_err();
        assert_eq!(rule(&e), "check_in.future_day");
        app.advance_to(first_start);
        staff.client.check_in(check_in(first_day)).await.unwrap();

        // The last day's morning: the evaluation waits for its start at 14:00.
        app.advance_to(last_morning);
        let evaluation = SubmitEvaluationRequest { session_id: session.session_id.clone(), satisfaction: 5, ..Default::default() };
        let e = a.client.submit_evaluation(evaluation.clone()).await.unwrap_err();
        assert_eq!(rule(&e), "evaluation.too_early");
        app.advance_to(last_start);
        a.client.submit_evaluation(evaluation).await.unwrap();
        staff.client.mark_session_held(MarkSessionHeldRequest { session_id: session.session_id.clone() })
            .await.unwrap();
    }

    async fn registration_closes_when_the_last_day_ends(app: TestApp) {
        let mut staff = app.staff().await;
        // The window is left open for a month, the session ends tomorrow at 12:00.
        let session = schedule(&app, &mut staff, app.timed_details(10, &[(1, "09:00", "12:00")])).await.unwrap();
        let mut a = app.citizen().await;
        let mut b = app.citizen().await;
        let [last_minute, end] = [app.at(1, "11:59"), app.at(1, "12:00")];
        app.advance_to(last_minute);
        register(&mut a, &session.session_id).await.unwrap();
        app.advance_to(end);
        let e = register(&mut b, &session.session_id).await.unwrap_err();
        assert_eq!(rule(&e), "registration.closed");
    }
}
