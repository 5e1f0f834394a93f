//! The consultation service's audit log, read by staff: newest first, filtered, paged, refused
//! to everyone else and for bad filters.

use std::time::Duration;

use tachawor_proto::{common::PageRequest, consultation::*, dates};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_fields, ts};

matrix! {
    async fn staff_read_the_log_of_consultation_changes(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let mut s = app.client(&staff);
        let id = app.draft_consultation(&staff).await;
        let created = app.clock.now_millis();
        app.clock.advance(Duration::from_secs(1));
        s.open_consultation(OpenConsultationRequest { consultation_id: id.clone(), closes_at: ts(app.clock.now_millis() + 86_400_000) })
            .await.unwrap();

        let log = s.list_audit_log(ListAuditLogRequest::default()).await.unwrap().into_inner();
        let actions: Vec<_> = log.entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["consultation.open", "consultation.create"]);
        assert!(log.entries.iter().all(|e| e.actor_id == staff.id && e.target_type == "consultation" && e.target_id == id));
        assert_eq!(log.entries[1].occurred_at, Some(dates::timestamp(created)));

        let only = |action: &str| ListAuditLogRequest { action: action.into(), actor_id: staff.id.clone(), ..Default::default() };
        let created_only = s.list_audit_log(only("consultation.create")).await.unwrap().into_inner();
        assert_eq!(created_only.entries.len(), 1);
        let before_open = s
            .list_audit_log(ListAuditLogRequest { until: Some(dates::timestamp(created + 1)), ..Default::default() })
            .await.unwrap().into_inner();
        assert_eq!(before_open.entries.len(), 1);
        assert_eq!(before_open.entries[0].action, "consultation.create");
        let elsewhere = s
            .list_audit_log(ListAuditLogRequest { target_id: uuid::Uuid::new_v4().to_string(), ..Default::default() })
            .await.unwrap().into_inner();
        assert!(elsewhere.entries.is_empty());
        let first = s
            .list_audit_log(ListAuditLogRequest { page: Some(PageRequest { page_size: 1, page_token: String::new() }), ..Default::default() })
            .await.unwrap().into_inner();
        assert_eq!(first.entries.len(), 1);
        assert!(!first.next_page_token.is_empty());

        let refused = app.client(&citizen).list_audit_log(ListAuditLogRequest::default()).await.unwrap_err();
        assert_eq!(refused.code(), Code::PermissionDenied);
        assert_fields(
            s.list_audit_log(ListAuditLogRequest {
                actor_id: "staff".into(),
                action: "consultation open".into(),
                target_type: "Consultation".into(),
                target_id: "#1".into(),
                since: Some(dates::timestamp(created + 1)),
                until: Some(dates::timestamp(created)),
                page: Some(PageRequest { page_size: -1, page_token: String::new() }),
            })
            .await,
            &["actor_id", "action", "target_type", "target_id", "until", "page.page_size"],
        );
    }
}
