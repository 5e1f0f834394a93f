//! Exports: CSV, JSON and Markdown; aggregates only; no public cell under 5 people.

use tachawor_proto::reporting::{
    Dimension, ExportFormat, ExportIndicatorsRequest, ExportProgressReportRequest,
};
use tachawor_testkit::matrix;

use crate::{helpers::*, indicators::training_scenario};

matrix! {
    async fn public_indicator_exports_hold_no_personal_data_and_no_small_cell(app: TestApp) {
        let people = training_scenario(&app).await;
        let mut anonymous = app.anonymous();
        for split in [Dimension::Province, Dimension::Gender, Dimension::AgeBand, Dimension::ActorKind] {
            let csv = anonymous
                .export_indicators(ExportIndicatorsRequest {
                    split_by: split as i32,
                    format: ExportFormat::Csv as i32,
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(csv.content_type, "text/csv; charset=utf-8");
            assert_eq!(csv.file_name, "indicators.csv");
            let text = String::from_utf8(csv.content).unwrap();
            let mut lines = text.lines();
            assert_eq!(
                lines.next().unwrap(),
                "indicator,month,dimension,group,value,people,suppressed"
            );
            let mut rows = 0;
            for line in lines {
                rows += 1;
                let f: Vec<&str> = line.split(',').collect();
                assert_eq!(f.len(), 7, "{line}");
                if f[6] == "true" {
                    assert_eq!((f[4], f[5]), ("", ""), "{line}");
                } else {
                    let people: i64 = f[5].parse().unwrap();
                    assert!(people == 0 || people >= 5, "small cell in public export: {line}");
                }
            }
            assert!(rows > 0);
            assert!(text.contains(",true"), "{split:?}: something was suppressed");
            for person in &people {
                assert!(!text.contains(person.as_str()), "an account id in an export");
            }
        }

        let json = anonymous
            .export_indicators(ExportIndicatorsRequest {
                split_by: Dimension::Province as i32,
                format: ExportFormat::Json as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(json.content_type, "application/json");
        let body: serde_json::Value = serde_json::from_slice(&json.content).unwrap();
        assert_eq!(body["exact"], false);
        assert_eq!(body["split_by"], "province");
        let cells = body["cells"].as_array().unwrap();
        let boujdour = cells
            .iter()
            .find(|c| c["indicator"] == "registrations" && c["group"] == "boujdour")
            .unwrap();
        assert_eq!(boujdour["suppressed"], true);
        assert!(boujdour["value"].is_null());
        for person in &people {
            assert!(!String::from_utf8_lossy(&json.content).contains(person.as_str()));
        }

        // Staff get the exact figures in the same file.
        let exact = app
            .client(Who::Staff)
            .await
            .export_indicators(ExportIndicatorsRequest {
                indicators: vec!["registrations".into()],
                split_by: Dimension::Province as i32,
                format: ExportFormat::Csv as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        let text = String::from_utf8(exact.content).unwrap();
        assert!(text.contains("registrations,2025-09,province,boujdour,2,2,false"), "{text}");
    }

    async fn the_progress_report_exports_as_csv_json_and_markdown(app: TestApp) {
        training_scenario(&app).await;
        let anonymous = app.anonymous();
        let export = |format: ExportFormat| {
            let mut client = anonymous.clone();
            async move {
                client
                    .export_progress_report(ExportProgressReportRequest {
                        commitment_id: "MALAA0004".into(),
                        format: format as i32,
                    })
                    .await
                    .unwrap()
                    .into_inner()
            }
        };
        let md = export(ExportFormat::Markdown).await;
        assert_eq!(md.content_type, "text/markdown; charset=utf-8");
        assert_eq!(md.file_name, "malaa0004-progress-2025-09-01.md");
        let text = String::from_utf8(md.content).unwrap();
        assert!(text.starts_with("# MALAA0004"));
        assert!(text.contains("Organizing the Regional Forum for Dialogue and Consultation"));
        assert!(text.contains("| 1 | Training sessions for members of consultative instances"));
        assert!(
            text.contains("- Progress: 1 of 4 (a target the region set: the commitment names none)"),
            "{text}"
        );

        let csv = String::from_utf8(export(ExportFormat::Csv).await.content).unwrap();
        assert_eq!(csv.lines().count(), 6);
        let first = csv.lines().nth(1).unwrap();
        assert!(first.starts_with("MALAA0004,MALAA0004-1,1,"), "{first}");
        assert!(csv.lines().next().unwrap().contains(",target,target_set_by,"));
        assert!(first.contains(",4,region,"), "{first}");

        let json: serde_json::Value =
            serde_json::from_slice(&export(ExportFormat::Json).await.content).unwrap();
        let milestones = json["milestones"].as_array().unwrap();
        assert_eq!(milestones.len(), 5);
        // Six attended the milestone-1 session: shown rounded down to a multiple of 5 (an
        // exact count over months would give back the months withheld); counts under 5 would
        // be withheld.
        assert_eq!(milestones[0]["evidence"]["participants"], 5);
        assert_eq!(milestones[0]["evidence"]["sessions_held"], 1);
        assert_eq!(milestones[0]["proposed_status"], "in_progress");
        assert_eq!(milestones[0]["evidence"]["target_set_by"], "region");
    }
}
