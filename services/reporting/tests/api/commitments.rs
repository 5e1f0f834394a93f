//! The commitment tracker: reference data, evidence from real activity, the proposed status,
//! the late flag and the IRM level, with the clock injected; statuses set by staff.

use tachawor_proto::{
    common::ActorKind,
    events::*,
    reporting::{
        CompletionLevel, ListCommitmentsRequest, Milestone, MilestoneStatus,
        SetMilestoneStatusRequest,
    },
};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn status(m: &Milestone) -> MilestoneStatus {
    MilestoneStatus::try_from(m.proposed_status).unwrap()
}

fn level(m: &Milestone) -> CompletionLevel {
    CompletionLevel::try_from(m.completion_level).unwrap()
}

async fn meeting(app: &TestApp, event_type: &str, at: i64, session: &str) {
    if event_type == "training.session.scheduled" {
        app.publish(
            event_type,
            at,
            &TrainingSessionScheduled {
                session_id: session.into(),
                milestone_ref: "MALAA0004-2".into(),
                kind: "regional_meeting".into(),
                province_code: "laayoune".into(),
                ..Default::default()
            },
        )
        .await;
    } else {
        app.publish(
            event_type,
            at,
            &TrainingSessionHeld {
                session_id: session.into(),
                milestone_ref: "MALAA0004-2".into(),
                kind: "regional_meeting".into(),
                province_code: "laayoune".into(),
                confirmed_count: 40,
                attended_count: 35,
                ..Default::default()
            },
        )
        .await;
    }
}

matrix! {
    async fn the_reference_data_is_malaa0004_and_its_five_milestones(app: TestApp) {
        let list = app
            .anonymous()
            .list_commitments(ListCommitmentsRequest {})
            .await
            .unwrap()
            .into_inner()
            .commitments;
        assert_eq!(list.len(), 1);
        let c = &list[0];
        assert_eq!(c.commitment_id, "MALAA0004");
        assert_eq!(c.ogp_value, "Civic Participation");
        let starts = c.starts_on.unwrap();
        let ends = c.ends_on.unwrap();
        assert_eq!((starts.year, starts.month, ends.year, ends.month), (2025, 6, 2027, 6));
        assert_eq!(c.milestones.len(), 5);
        assert!(c.title.as_ref().unwrap().fr.contains("Laâyoune"));
        // 1 September 2025: nothing yet, nothing late.
        for m in &c.milestones {
            assert_eq!(status(m), MilestoneStatus::NotStarted, "{}", m.milestone_id);
            assert_eq!(m.status, MilestoneStatus::Unspecified as i32);
            assert!(!m.late);
            assert_eq!(level(m), CompletionLevel::NotStarted);
        }
        let forum = &c.milestones[3];
        assert_eq!(forum.milestone_id, "MALAA0004-4");
        assert_eq!(forum.starts_on.unwrap().year, 2026);
    }

    async fn evidence_moves_the_proposed_status_and_the_clock_the_late_flag(app: TestApp) {
        let session = uuid::Uuid::new_v4().to_string();
        meeting(&app, "training.session.scheduled", app.now(), &session).await;
        // A session under another milestone is not evidence for this one.
        app.publish(
            "training.session.held",
            app.now(),
            &TrainingSessionHeld {
                session_id: uuid::Uuid::new_v4().to_string(),
                milestone_ref: "MALAA0004-3".into(),
                kind: "training_session".into(),
                ..Default::default()
            },
        )
        .await;
        app.settle().await;
        let m = milestones(&app, Who::Anonymous).await;
        let meeting_milestone = &m[1];
        assert_eq!(meeting_milestone.evidence.unwrap().sessions_scheduled, 1);
        assert_eq!(meeting_milestone.evidence.unwrap().sessions_held, 0);
        assert_eq!(status(meeting_milestone), MilestoneStatus::InProgress);
        assert_eq!(level(meeting_milestone), CompletionLevel::Limited);
        assert_eq!(m[2].evidence.unwrap().sessions_held, 1);

        // Past the end of December 2025 with the meeting not held: incomplete and late.
        app.clock.set(day("2026-01-05"));
        let m = milestones(&app, Who::Anonymous).await;
        assert_eq!(status(&m[1]), MilestoneStatus::Incomplete);
        assert!(m[1].late);
        // Milestone 1 runs to December 2026 and has no activity: past half its window? No.
        assert_eq!(status(&m[0]), MilestoneStatus::NotStarted);
        assert!(!m[0].late);

        // Held (late, but held): finished, complete, no longer late.
        meeting(&app, "training.session.held", day("2026-01-04"), &session).await;
        app.settle().await;
        let m = milestones(&app, Who::Anonymous).await;
        let e = m[1].evidence.unwrap();
        assert_eq!((e.sessions_held, e.participants, e.measure, e.target), (1, 35, 1, 1));
        assert_eq!(status(&m[1]), MilestoneStatus::Finished);
        assert!(!m[1].late);
        assert_eq!(level(&m[1]), CompletionLevel::Complete);

        // Milestone 1 with nothing by October 2026: stuck.
        app.clock.set(day("2026-10-01"));
        let m = milestones(&app, Who::Anonymous).await;
        assert_eq!(status(&m[0]), MilestoneStatus::Stuck);
    }

    async fn staff_set_a_status_with_a_justification_and_it_is_audited(app: TestApp) {
        let mut staff = app.client(Who::Staff).await;
        let set = staff
            .set_milestone_status(SetMilestoneStatusRequest {
                milestone_id: "MALAA0004-3".into(),
                status: MilestoneStatus::Finished as i32,
                justification: "Two sessions held in Laâyoune and Es-Semara in July.".into(),
            })
            .await
            .unwrap()
            .into_inner()
            .milestone
            .unwrap();
        assert_eq!(set.status, MilestoneStatus::Finished as i32);
        assert!(set.justification.contains("Es-Semara"));
        assert_eq!(set.status_set_at.unwrap().seconds * 1000, app.now() / 1000 * 1000);
        // Claimed finished with nothing behind it.
        assert_eq!(level(&set), CompletionLevel::NoEvidence);
        assert!(!set.late);

        // Shown to everyone, with the proposal from the evidence beside it.
        app.clock.set(day("2026-02-01"));
        let m = milestones(&app, Who::Anonymous).await;
        assert_eq!(m[2].status, MilestoneStatus::Finished as i32);
        assert_eq!(status(&m[2]), MilestoneStatus::Incomplete);
        assert!(!m[2].late, "staff say it is finished");

        // Set again: the audit log keeps both changes.
        staff
            .set_milestone_status(SetMilestoneStatusRequest {
                milestone_id: "MALAA0004-3".into(),
                status: MilestoneStatus::Incomplete as i32,
                justification: "The second session was not held after all.".into(),
            })
            .await
            .unwrap();
        let m = milestones(&app, Who::Anonymous).await;
        assert!(m[2].late);
        assert_eq!(level(&m[2]), CompletionLevel::NoEvidence);
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT target_id, before_json, after_json FROM audit_log \
             WHERE action = 'set_milestone_status' ORDER BY occurred_at, entry_id",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "MALAA0004-3");
        assert_eq!(rows[0].1, "null");
        assert!(rows[1].1.contains("finished") && rows[1].2.contains("incomplete"));
    }

    async fn the_platform_milestone_counts_use_within_its_window(app: TestApp) {
        // Before the window: not evidence for milestone 5.
        app.publish(
            "consultation.response.submitted",
            day("2026-06-01"),
            &ConsultationResponseSubmitted {
                response_id: uuid::Uuid::new_v4().to_string(),
                account_id: uuid::Uuid::new_v4().to_string(),
                actor_kind: ActorKind::Citizen as i32,
                ..Default::default()
            },
        )
        .await;
        for _ in 0..6 {
            app.publish(
                "consultation.response.submitted",
                day("2027-02-01"),
                &ConsultationResponseSubmitted {
                    response_id: uuid::Uuid::new_v4().to_string(),
                    account_id: uuid::Uuid::new_v4().to_string(),
                    actor_kind: ActorKind::Citizen as i32,
                    ..Default::default()
                },
            )
            .await;
        }
        app.settle().await;
        app.clock.set(day("2027-03-01"));
        let m = milestones(&app, Who::Staff).await;
        let e = m[4].evidence.unwrap();
        assert_eq!((e.platform_contributions, e.measure, e.target), (6, 6, 500));
        assert_eq!(status(&m[4]), MilestoneStatus::InProgress);
        assert_eq!(level(&m[4]), CompletionLevel::Limited);
    }
}
