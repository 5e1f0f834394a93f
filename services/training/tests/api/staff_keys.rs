//! The creations staff send from the console's forms, a program and a session, take an
//! idempotency key: the same caller sending the same key again gets the first answer back,
//! with no second row and no second event; a key over 64 characters is refused naming
//! `idempotency_key`, with nothing written.

use tachawor_proto::training::*;
use tachawor_testkit::matrix;

use crate::helpers::{TestApp, fields, program_request};

const TABLES: &[&str] = &["programs", "sessions", "outbox", "idempotency_keys"];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(app.count(table).await);
    }
    counts
}

/// How many events of type `t` the stream holds.
async fn events_of(app: &TestApp, t: &str) -> usize {
    app.events()
        .await
        .iter()
        .filter(|(_, e)| e.r#type == t)
        .count()
}

matrix! {
    async fn a_program_or_a_session_sent_twice_with_its_key_is_created_once(app: TestApp) {
        let (mut staff, other) = tokio::join!(app.staff(), app.admin());
        let program = |key: &str| CreateProgramRequest { idempotency_key: key.into(), ..program_request() };

        // A program: the same answer, one row, one event.
        let before = counts(&app).await;
        let first = staff.client.create_program(program("form-program-1")).await.unwrap().into_inner();
        let again = staff.client.create_program(program("form-program-1")).await.unwrap().into_inner();
        assert_eq!(first, again);
        // programs +1, outbox +1, idempotency_keys +1.
        let after = counts(&app).await;
        assert_eq!(after, vec![before[0] + 1, before[1], before[2] + 1, before[3] + 1]);
        assert_eq!(events_of(&app, "training.program.created").await, 1);
        let program_id = first.program.unwrap().program_id;

        // Another caller's same key is their own creation; no key creates each time.
        let mut other = other;
        let theirs = other.client.create_program(program("form-program-1")).await.unwrap().into_inner().program.unwrap();
        assert_ne!(theirs.program_id, program_id);
        staff.client.create_program(program("")).await.unwrap();
        staff.client.create_program(program("")).await.unwrap();
        assert_eq!(app.count("programs").await, before[0] + 4);

        // A session: the same answer, one row, one event.
        let session = |key: &str| ScheduleSessionRequest {
            program_id: program_id.clone(),
            details: Some(app.details(20, &[3], Eligibility::Open)),
            idempotency_key: key.into(),
        };
        let before = counts(&app).await;
        let first = staff.client.schedule_session(session("form-session-1")).await.unwrap().into_inner();
        let again = staff.client.schedule_session(session("form-session-1")).await.unwrap().into_inner();
        assert_eq!(first, again);
        let after = counts(&app).await;
        assert_eq!(after, vec![before[0], before[1] + 1, before[2] + 1, before[3] + 1]);
        assert_eq!(events_of(&app, "training.session.scheduled").await, 1);

        // A key over 64 characters: refused naming it, nothing written.
        let long = "k".repeat(65);
        let before = counts(&app).await;
        let e = staff.client.create_program(program(&long)).await.unwrap_err();
        assert_eq!(fields(&e), ["idempotency_key"]);
        let e = staff.client.schedule_session(session(&long)).await.unwrap_err();
        assert_eq!(fields(&e), ["idempotency_key"]);
        assert_eq!(counts(&app).await, before);
    }
}
