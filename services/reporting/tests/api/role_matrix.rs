//! Who may call what: every RPC for anonymous callers, citizens, staff, administrators,
//! observers and other services.

use tachawor_proto::reporting::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::*;

fn code<T>(r: Result<tonic::Response<T>, tonic::Status>) -> Code {
    match r {
        Ok(_) => Code::Ok,
        Err(s) => s.code(),
    }
}

matrix! {
    async fn every_rpc_answers_each_kind_of_caller_as_documented(app: TestApp) {
        for who in EVERYONE {
            let mut c = app.client(who).await;
            let staff = matches!(who, Who::Staff | Who::Admin);
            let figures = c.get_indicators(GetIndicatorsRequest::default()).await.unwrap();
            assert_eq!(figures.into_inner().exact, staff, "{who:?}");
            assert_eq!(code(c.list_commitments(ListCommitmentsRequest {}).await), Code::Ok);
            assert_eq!(
                code(c.get_commitment(GetCommitmentRequest { commitment_id: "MALAA0004".into() }).await),
                Code::Ok
            );
            assert_eq!(
                code(c.export_indicators(ExportIndicatorsRequest {
                    format: ExportFormat::Json as i32,
                    ..Default::default()
                }).await),
                Code::Ok
            );
            assert_eq!(
                code(c.export_progress_report(ExportProgressReportRequest {
                    commitment_id: "MALAA0004".into(),
                    format: ExportFormat::Markdown as i32,
                }).await),
                Code::Ok
            );
            let set = c
                .set_milestone_status(SetMilestoneStatusRequest {
                    milestone_id: "MALAA0004-1".into(),
                    status: MilestoneStatus::InProgress as i32,
                    justification: "Sessions are being scheduled.".into(),
                })
                .await;
            let expected = match who {
                Who::Anonymous => Code::Unauthenticated,
                Who::Citizen | Who::Service => Code::PermissionDenied,
                Who::Staff | Who::Admin => Code::Ok,
            };
            assert_eq!(code(set), expected, "SetMilestoneStatus as {who:?}");
            let rebuild = c.rebuild(RebuildRequest {}).await;
            let expected = match who {
                Who::Anonymous => Code::Unauthenticated,
                Who::Admin => Code::Ok,
                _ => Code::PermissionDenied,
            };
            assert_eq!(code(rebuild), expected, "Rebuild as {who:?}");
            let listed = c.list_audit_log(ListAuditLogRequest::default()).await;
            let expected = match who {
                Who::Anonymous => Code::Unauthenticated,
                Who::Citizen | Who::Service => Code::PermissionDenied,
                Who::Staff | Who::Admin => Code::Ok,
            };
            assert_eq!(code(listed), expected, "ListAuditLog as {who:?}");
        }
        // Staff read the log newest first, filtered by action.
        let mut admin = app.client(Who::Admin).await;
        let log = admin.list_audit_log(ListAuditLogRequest::default()).await.unwrap().into_inner();
        let actions: Vec<_> = log.entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["rebuild", "set_milestone_status", "set_milestone_status"]);
        let rebuilds = admin
            .list_audit_log(ListAuditLogRequest { action: "rebuild".into(), ..Default::default() })
            .await.unwrap().into_inner();
        assert_eq!(rebuilds.entries.len(), 1);
        assert_eq!(rebuilds.entries[0].target_type, "read_models");
        // An observer reads the exact figures and the log, and changes nothing.
        let mut observer = app.with_token(&app.identity.people().observer().await.token);
        let figures = observer.get_indicators(GetIndicatorsRequest::default()).await.unwrap();
        assert!(figures.into_inner().exact, "the observer reads exact figures");
        let seen = observer.list_audit_log(ListAuditLogRequest::default()).await.unwrap().into_inner();
        assert_eq!(seen.entries.len(), 3);
        let set = observer
            .set_milestone_status(SetMilestoneStatusRequest {
                milestone_id: "MALAA0004-1".into(),
                status: MilestoneStatus::InProgress as i32,
                justification: "Observed.".into(),
            })
            .await;
        assert_eq!(code(set), Code::PermissionDenied, "SetMilestoneStatus as observer");
        assert_eq!(code(observer.rebuild(RebuildRequest {}).await), Code::PermissionDenied, "Rebuild as observer");
        // Refused calls wrote nothing: two status changes (staff, admin), one rebuild.
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(audited, 3);
    }
}
