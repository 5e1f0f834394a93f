//! Sessions held before the platform existed, imported by training after the fact: they count
//! in the month they were held, not the month of their events, as evidence of their program's
//! milestone, with their whole attendance as participants (people without an account too).

use tachawor_proto::{common::Date, events::*, reporting::Dimension};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn date(s: &str) -> Date {
    tachawor_proto::dates::date_from_str(s).expect("date")
}

/// An imported session's events, published now (September 2025) as training does.
async fn imported(
    app: &TestApp,
    (milestone, kind): (&str, &str),
    days: &[&str],
    attended: i32,
    accounts: &[&str],
) {
    let session_id = uuid::Uuid::new_v4().to_string();
    let days: Vec<Date> = days.iter().map(|d| date(d)).collect();
    app.publish(
        "training.session.scheduled",
        app.now(),
        &TrainingSessionScheduled {
            session_id: session_id.clone(),
            milestone_ref: milestone.into(),
            kind: kind.into(),
            province_code: "laayoune".into(),
            days: days.clone(),
            recorded_after_the_fact: true,
            ..Default::default()
        },
    )
    .await;
    for account in accounts {
        let registration_id = uuid::Uuid::new_v4().to_string();
        for day in &days {
            app.publish(
                "training.attendance.recorded",
                app.now(),
                &TrainingAttendanceRecorded {
                    registration_id: registration_id.clone(),
                    session_id: session_id.clone(),
                    day: Some(*day),
                    method: "import".into(),
                    participant: participant(account, "laayoune"),
                    ..Default::default()
                },
            )
            .await;
        }
    }
    app.publish(
        "training.session.held",
        app.now(),
        &TrainingSessionHeld {
            session_id,
            milestone_ref: milestone.into(),
            kind: kind.into(),
            province_code: "laayoune".into(),
            days,
            confirmed_count: accounts.len() as i32,
            attended_count: attended,
            recorded_after_the_fact: true,
            ..Default::default()
        },
    )
    .await;
}

matrix! {
    async fn imported_sessions_count_in_the_month_they_were_held(app: TestApp) {
        // Milestone 2: thirty people over two July days, two of them with accounts.
        imported(&app, ("MALAA0004-2", "regional_meeting"), &["2025-07-10", "2025-07-11"], 30, &["a-1", "a-2"]).await;
        // Milestone 3 (training sessions): twelve people in August, none with an account.
        imported(&app, ("MALAA0004-3", "training_session"), &["2025-08-20"], 12, &[]).await;
        app.settle().await;

        // Exact, as staff read them.
        let m = milestones(&app, Who::Staff).await;
        let two = m[1].evidence.expect("evidence");
        assert_eq!((two.sessions_scheduled, two.sessions_held, two.participants), (1, 1, 30));
        let three = m[2].evidence.expect("evidence");
        assert_eq!((three.sessions_held, three.participants), (1, 12));

        let mut staff = app.client(Who::Staff).await;
        let held = app.exact(&mut staff, "sessions_held", Dimension::Unspecified).await;
        assert_eq!(total(&held, "sessions_held", "2025-07"), 1.0);
        assert_eq!(total(&held, "sessions_held", "2025-08"), 1.0);
        assert_eq!(total(&held, "sessions_held", "2025-09"), 0.0, "{held:?}");
        // The accounts among them count once each, however many days they came.
        let people = app.exact(&mut staff, "participants", Dimension::Unspecified).await;
        assert_eq!(total(&people, "participants", "2025-07"), 2.0);
        assert_eq!(total(&people, "participants", "2025-09"), 0.0);
        let rate = app.exact(&mut staff, "attendance_rate", Dimension::Unspecified).await;
        // Everyone recorded came: as many expected as attended, not only the accounts.
        let (july, august) = (total(&rate, "attendance_rate", "2025-07"), total(&rate, "attendance_rate", "2025-08"));
        assert!(july > 0.0 && july == august, "{rate:?}");
    }
}
