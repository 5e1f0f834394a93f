//! Bad input: INVALID_ARGUMENT naming every bad field, NOT_FOUND for unknown ids, nothing
//! written.

use tachawor_errors::violated_fields;
use tachawor_proto::reporting::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::*;

fn fields<T: std::fmt::Debug>(r: Result<tonic::Response<T>, tonic::Status>) -> Vec<String> {
    let status = r.expect_err("refused");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let mut f = violated_fields(&status);
    f.sort();
    f
}

matrix! {
    async fn unknown_indicator_names_are_not_echoed_whole(app: TestApp) {
        // 2,000 made-up names of 1,000 characters: about 2 MB sent, a short answer back.
        let names: Vec<String> = (0..2000).map(|i| format!("{i}{}", "x".repeat(1000))).collect();
        let status = app
            .anonymous()
            .get_indicators(GetIndicatorsRequest { indicators: names, ..Default::default() })
            .await
            .expect_err("refused");
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(status.message().len() <= 1024, "{} bytes", status.message().len());
        assert_eq!(violated_fields(&status), ["indicators", "indicators"]);
        let message = status.message();
        assert!(message.contains("indicators: at most 50 names"), "{message}");
        assert!(message.ends_with(" and 1995 more"), "{message}");
        assert!(message.len() < 400, "{message}");
    }

    async fn every_rpc_names_each_bad_field(app: TestApp) {
        let mut staff = app.client(Who::Staff).await;
        assert_eq!(
            fields(staff.get_indicators(GetIndicatorsRequest {
                indicators: vec!["registrations".into(), "bogus".into()],
                from_month: "2025-13".into(),
                to_month: "2025/01".into(),
                split_by: 42,
            }).await),
            ["from_month", "indicators", "split_by", "to_month"]
        );
        assert_eq!(
            fields(staff.get_indicators(GetIndicatorsRequest {
                from_month: "2026-02".into(),
                to_month: "2026-01".into(),
                ..Default::default()
            }).await),
            ["to_month"]
        );
        assert_eq!(
            fields(staff.export_indicators(ExportIndicatorsRequest {
                indicators: vec!["nope".into()],
                format: ExportFormat::Markdown as i32,
                ..Default::default()
            }).await),
            ["format", "indicators"]
        );
        assert_eq!(
            fields(staff.export_indicators(ExportIndicatorsRequest::default()).await),
            ["format"]
        );
        assert_eq!(
            fields(staff.get_commitment(GetCommitmentRequest { commitment_id: "".into() }).await),
            ["commitment_id"]
        );
        assert_eq!(
            fields(staff.get_commitment(GetCommitmentRequest {
                commitment_id: "MALAA0004; DROP".into(),
            }).await),
            ["commitment_id"]
        );
        assert_eq!(
            fields(staff.export_progress_report(ExportProgressReportRequest {
                commitment_id: "".into(),
                format: 99,
            }).await),
            ["commitment_id", "format"]
        );
        assert_eq!(
            fields(staff.set_milestone_status(SetMilestoneStatusRequest {
                milestone_id: "".into(),
                status: MilestoneStatus::Unspecified as i32,
                justification: "short".into(),
            }).await),
            ["justification", "milestone_id", "status"]
        );
        assert_eq!(
            fields(staff.set_milestone_status(SetMilestoneStatusRequest {
                milestone_id: "MALAA0004-1".into(),
                status: 17,
                justification: "A justification with a \u{0007} bell in it.".into(),
            }).await),
            ["justification", "status"]
        );
        assert_eq!(
            fields(staff.list_audit_log(ListAuditLogRequest {
                actor_id: "admin".into(),
                action: "Rebuild!".into(),
                target_type: "Read Models".into(),
                target_id: "a b".into(),
                since: Some(tachawor_proto::dates::timestamp(5_000)),
                until: Some(tachawor_proto::dates::timestamp(1_000)),
                page: Some(tachawor_proto::common::PageRequest { page_size: 10, page_token: "nope".into() }),
            }).await),
            ["action", "actor_id", "page.page_token", "target_id", "target_type", "until"]
        );

        // Unknown ids.
        let missing = staff
            .get_commitment(GetCommitmentRequest { commitment_id: "XYZ0001".into() })
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);
        let missing = staff
            .export_progress_report(ExportProgressReportRequest {
                commitment_id: "XYZ0001".into(),
                format: ExportFormat::Csv as i32,
            })
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);
        let missing = staff
            .set_milestone_status(SetMilestoneStatusRequest {
                milestone_id: "MALAA0004-9".into(),
                status: MilestoneStatus::Finished as i32,
                justification: "This milestone does not exist.".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);

        for table in ["rp_milestone_status", "audit_log"] {
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(app.db.pool())
                .await
                .unwrap();
            assert_eq!(n, 0, "{table}");
        }
    }
}
