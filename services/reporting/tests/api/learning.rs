//! The learning gain (post-test minus pre-test score) per month, per program and per milestone,
//! counted once however often an evaluation is delivered, withheld in public output when few
//! are behind it; and the consultations the instances launch.

use prost::Message;
use tachawor_proto::{
    common::{AgeBand, Gender},
    events::*,
    reporting::{
        Dimension, ExportFormat, ExportIndicatorsRequest, ExportProgressReportRequest,
        GetIndicatorsRequest, GetIndicatorsResponse, LearningGain, MilestoneEvidence,
    },
};
use tachawor_testkit::matrix;

use crate::helpers::*;

async fn learning(app: &TestApp, who: Who) -> GetIndicatorsResponse {
    app.client(who)
        .await
        .get_indicators(GetIndicatorsRequest {
            indicators: vec!["learning_gain".into()],
            ..Default::default()
        })
        .await
        .expect("indicators")
        .into_inner()
}

async fn exported(app: &TestApp, who: Who, format: ExportFormat) -> String {
    let file = app
        .client(who)
        .await
        .export_indicators(ExportIndicatorsRequest {
            indicators: vec!["learning_gain".into()],
            format: format as i32,
            ..Default::default()
        })
        .await
        .expect("export")
        .into_inner();
    String::from_utf8(file.content).unwrap()
}

async fn evidence(app: &TestApp, who: Who, milestone: &str) -> MilestoneEvidence {
    milestones(app, who)
        .await
        .into_iter()
        .find(|m| m.milestone_id == milestone)
        .and_then(|m| m.evidence)
        .expect("the milestone's evidence")
}

fn gain(program_id: &str, participants: i64, average_gain: f64) -> LearningGain {
    LearningGain {
        program_id: program_id.into(),
        participants,
        average_gain,
        suppressed: false,
    }
}

/// Program `a` (milestone 1): six evaluations scored, gains 10, 20, 30, -10, 0 and 10 (mean
/// 10), and one without scores; program `b` (milestone 3): gains 4 and 8 (mean 6). Every
/// evaluation of `a` is delivered a second time under another message id.
async fn scenario(app: &TestApp) -> (String, String) {
    let (a, b) = (
        "0a000000-0000-4000-8000-000000000000",
        "0b000000-0000-4000-8000-000000000000",
    );
    for (program, milestone) in [(a, "MALAA0004-1"), (b, "MALAA0004-3")] {
        app.publish(
            "training.program.created",
            day("2025-09-01"),
            &TrainingProgramCreated {
                program_id: program.into(),
                milestone_ref: milestone.into(),
                ..Default::default()
            },
        )
        .await;
    }
    let scores: [(&str, Option<(i32, i32)>); 9] = [
        (a, Some((40, 50))),
        (a, Some((30, 50))),
        (a, Some((20, 50))),
        (a, Some((70, 60))),
        (a, Some((55, 55))),
        (a, Some((0, 10))),
        (a, None),
        (b, Some((50, 54))),
        (b, Some((42, 50))),
    ];
    for (program, score) in scores {
        let person = app
            .person("laayoune", Gender::Female, AgeBand::AgeBand2534)
            .await;
        let sent = app
            .publish(
                "training.evaluation.submitted",
                day("2025-10-02"),
                &TrainingEvaluationSubmitted {
                    evaluation_id: uuid::Uuid::new_v4().to_string(),
                    session_id: uuid::Uuid::new_v4().to_string(),
                    program_id: program.into(),
                    satisfaction: 4,
                    pre_test_score: score.map(|s| s.0),
                    post_test_score: score.map(|s| s.1),
                    participant: participant(&person, "laayoune"),
                },
            )
            .await;
        if program == a {
            app.publish_raw("training.evaluation.submitted", sent.encode_to_vec(), false)
                .await;
        }
    }
    app.settle().await;
    (a.into(), b.into())
}

matrix! {
    async fn the_learning_gain_is_the_mean_of_post_minus_pre_per_month_program_and_milestone(app: TestApp) {
        let (a, b) = scenario(&app).await;
        let exact = learning(&app, Who::Staff).await;
        assert!(exact.exact);
        // (60 + 12) / 8 evaluations with both scores.
        let month = cell(&exact.cells, "2025-10", "").expect("a cell for October");
        assert_eq!((month.value, month.people), (9.0, 8));
        assert_eq!(exact.learning_gains, [gain("", 8, 9.0), gain(&a, 6, 10.0), gain(&b, 2, 6.0)]);
        let mut staff = app.client(Who::Staff).await;
        let by_province = app.exact(&mut staff, "learning_gain", Dimension::Province).await;
        assert_eq!(cell(&by_province, "2025-10", "laayoune").map(|c| c.value), Some(9.0));

        let first = evidence(&app, Who::Staff, "MALAA0004-1").await;
        assert_eq!((first.learning_gain_participants, first.learning_gain_average), (6, 10.0));
        let third = evidence(&app, Who::Staff, "MALAA0004-3").await;
        assert_eq!((third.learning_gain_participants, third.learning_gain_average), (2, 6.0));
        let fifth = evidence(&app, Who::Staff, "MALAA0004-5").await;
        assert_eq!((fifth.learning_gain_participants, fifth.learning_gain_average), (0, 0.0));

        // The progress report carries it.
        let csv = staff
            .export_progress_report(ExportProgressReportRequest {
                commitment_id: "MALAA0004".into(),
                format: ExportFormat::Csv as i32,
            })
            .await
            .unwrap()
            .into_inner();
        let csv = String::from_utf8(csv.content).unwrap();
        // Counted from the end (titles may hold commas): the gain's two columns, then the
        // justification (none set).
        let header: Vec<&str> = csv.lines().next().unwrap().rsplit(',').take(3).collect();
        assert_eq!(header, ["justification", "learning_gain_average", "learning_gain_participants"]);
        let first_row: Vec<&str> = csv.lines().find(|l| l.contains("MALAA0004-1")).unwrap().rsplit(',').take(3).collect();
        assert_eq!(first_row, ["", "10", "6"]);
        let md = staff
            .export_progress_report(ExportProgressReportRequest {
                commitment_id: "MALAA0004".into(),
                format: ExportFormat::Markdown as i32,
            })
            .await
            .unwrap()
            .into_inner();
        let md = String::from_utf8(md.content).unwrap();
        assert!(md.contains("Learning gain (post-test minus pre-test score): 10 over 6 participants"), "{md}");

        // Public: 8 behind the overall figure, shown; program b's 2 withheld, and a with it
        // (else a subtraction gives b back); milestone 1's figure is a's, so it is withheld.
        let public = learning(&app, Who::Anonymous).await;
        assert!(!public.exact);
        assert_eq!(public.learning_gains[0], gain("", 8, 9.0));
        for g in &public.learning_gains[1..] {
            assert_eq!((g.suppressed, g.participants, g.average_gain), (true, 0, 0.0), "{g:?}");
        }
        let first = evidence(&app, Who::Anonymous, "MALAA0004-1").await;
        assert_eq!((first.learning_gain_participants, first.learning_gain_average), (-1, 0.0));

        // The exports carry the gain per program, withheld as on screen.
        let csv = exported(&app, Who::Staff, ExportFormat::Csv).await;
        let rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("learning_gain_by_program,")).collect();
        assert_eq!(rows, [
            "learning_gain_by_program,,program,,9,8,false".to_string(),
            format!("learning_gain_by_program,,program,{a},10,6,false"),
            format!("learning_gain_by_program,,program,{b},6,2,false"),
        ]);
        let json: serde_json::Value =
            serde_json::from_str(&exported(&app, Who::Anonymous, ExportFormat::Json).await).unwrap();
        let gains = json["learning_gains"].as_array().expect("learning_gains");
        assert_eq!(gains.len(), 3);
        assert_eq!(gains[0], serde_json::json!({
            "program_id": "", "participants": 8, "average_gain": 9.0, "suppressed": false
        }));
        for g in &gains[1..] {
            assert_eq!((&g["participants"], &g["average_gain"], &g["suppressed"]),
                (&serde_json::Value::Null, &serde_json::Value::Null, &serde_json::json!(true)), "{g}");
        }
    }

    async fn consultations_the_instances_launch_are_counted_once(app: TestApp) {
        let instance = uuid::Uuid::new_v4().to_string();
        let (one, two) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        for id in [&one, &two] {
            app.publish(
                "consultation.consultation.proposed",
                day("2026-03-02"),
                &ConsultationProposed { consultation_id: id.clone(), instance_id: instance.clone() },
            )
            .await;
        }
        let approved = app
            .publish(
                "consultation.consultation.approved",
                day("2026-04-01"),
                &ConsultationLaunchDecided { consultation_id: one.clone(), instance_id: instance.clone() },
            )
            .await;
        app.publish_raw("consultation.consultation.approved", approved.encode_to_vec(), false).await;
        app.publish(
            "consultation.consultation.rejected",
            day("2026-04-01"),
            &ConsultationLaunchDecided { consultation_id: two.clone(), instance_id: instance.clone() },
        )
        .await;
        app.settle().await;
        let mut staff = app.client(Who::Staff).await;
        let proposed = app.exact(&mut staff, "instance_consultations_proposed", Dimension::Unspecified).await;
        assert_eq!(cell(&proposed, "2026-03", "").map(|c| c.value), Some(2.0));
        let launched = app.exact(&mut staff, "instance_consultations_launched", Dimension::Unspecified).await;
        assert_eq!(launched.iter().map(|c| (c.month.as_str(), c.value)).collect::<Vec<_>>(), [("2026-04", 1.0)]);
        // Acts of institutions: the public sees them as they are.
        let public = app
            .client(Who::Anonymous)
            .await
            .get_indicators(GetIndicatorsRequest { indicators: vec!["instance_consultations_launched".into()], ..Default::default() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(cell(&public.cells, "2026-04", "").map(|c| (c.value, c.suppressed)), Some((1.0, false)));
    }
}
