//! Training's audit log: what staff do to other people's participation (cancelling their seat,
//! checking them in, issuing certificates) is recorded in the action's transaction, by account
//! id only, and staff read it newest first, filtered and paged.

use std::time::Duration;

use tachawor_proto::{common::PageRequest, dates, training::*};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Person, TestApp, fields, register_for, ts};

async fn log(staff: &mut Person, req: ListAuditLogRequest) -> ListAuditLogResponse {
    staff.client.list_audit_log(req).await.unwrap().into_inner()
}

fn actions(entries: &[tachawor_proto::common::AuditEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.action.as_str()).collect()
}

matrix! {
    async fn staff_actions_on_others_are_audited_and_listed_newest_first(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[0]).await;
        let (mut a, mut b, mut c) = (app.citizen().await, app.citizen().await, app.citizen().await);
        let ra = register_for(&mut a, &session.session_id).await;
        let rb = register_for(&mut b, &session.session_id).await;
        let rc = register_for(&mut c, &session.session_id).await;
        let tick = || app.clock.advance(Duration::from_secs(1));
        let start = app.clock.now_millis();

        // A participant cancelling their own seat is not a staff action: no entry.
        c.client.cancel_registration(CancelRegistrationRequest { registration_id: rc, idempotency_key: String::new() }).await.unwrap();
        tick();
        staff.client.check_in(CheckInRequest { registration_id: ra.clone(), day: Some(app.day(0)), idempotency_key: String::new() }).await.unwrap();
        tick();
        staff.client.cancel_registration(CancelRegistrationRequest { registration_id: rb.clone(), idempotency_key: String::new() }).await.unwrap();
        tick();
        staff.client.mark_session_held(MarkSessionHeldRequest { session_id: session.session_id.clone() }).await.unwrap();
        let certificate = staff.client
            .issue_certificate(IssueCertificateRequest {
                session_id: session.session_id.clone(),
                account_id: a.id.clone(),
                certificate_name: "Aicha Benali".into(),
                idempotency_key: String::new(),
            })
            .await.unwrap().into_inner().certificate.unwrap();
        tick();

        let all = log(&mut staff, ListAuditLogRequest::default()).await;
        assert_eq!(actions(&all.entries), ["certificate.issue", "registration.cancel", "attendance.check_in"]);
        assert!(all.next_page_token.is_empty());
        let [issued, cancelled, checked_in] = &all.entries[..] else { unreachable!() };
        assert!(all.entries.iter().all(|e| e.actor_id == staff.id));
        assert_eq!((issued.target_type.as_str(), issued.target_id.as_str()), ("certificate", certificate.certificate_id.as_str()));
        assert_eq!((cancelled.target_type.as_str(), cancelled.target_id.as_str()), ("registration", rb.as_str()));
        assert_eq!(checked_in.target_id, ra);
        assert!(cancelled.after_json.contains(&b.id), "the cancelled participant is named by account id");
        assert!(issued.after_json.contains(&a.id));
        for e in &all.entries {
            let json = format!("{}{}", e.before_json, e.after_json);
            assert!(!json.contains("Aicha") && !json.contains('@'), "personal data in {}", e.action);
        }

        // Filters: action, target, actor, time range; pages.
        let by_action = log(&mut staff, ListAuditLogRequest { action: "registration.cancel".into(), ..Default::default() }).await;
        assert_eq!(actions(&by_action.entries), ["registration.cancel"]);
        let by_target = log(&mut staff, ListAuditLogRequest { target_type: "registration".into(), target_id: ra.clone(), ..Default::default() }).await;
        assert_eq!(actions(&by_target.entries), ["attendance.check_in"]);
        let nobody = log(&mut staff, ListAuditLogRequest { actor_id: a.id.clone(), ..Default::default() }).await;
        assert!(nobody.entries.is_empty());
        let window = log(&mut staff, ListAuditLogRequest { since: Some(dates::timestamp(start + 1500)), until: Some(dates::timestamp(start + 2500)), ..Default::default() }).await;
        assert_eq!(actions(&window.entries), ["registration.cancel"]);
        let first = log(&mut staff, ListAuditLogRequest { page: Some(PageRequest { page_size: 2, page_token: String::new() }), ..Default::default() }).await;
        assert_eq!(actions(&first.entries), ["certificate.issue", "registration.cancel"]);
        let rest = log(&mut staff, ListAuditLogRequest { page: Some(PageRequest { page_size: 2, page_token: first.next_page_token }), ..Default::default() }).await;
        assert_eq!(actions(&rest.entries), ["attendance.check_in"]);
        assert!(rest.next_page_token.is_empty());

        let e = a.client.list_audit_log(ListAuditLogRequest::default()).await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);
    }

    async fn a_bad_audit_filter_is_refused_naming_each_field(app: TestApp) {
        let mut staff = app.staff().await;
        let e = staff.client
            .list_audit_log(ListAuditLogRequest {
                actor_id: "someone".into(),
                action: "Check In".into(),
                target_type: "Registration".into(),
                target_id: "a;b".into(),
                page: Some(PageRequest { page_size: -1, page_token: "zz".into() }),
                since: Some(prost_types::Timestamp { seconds: 1, nanos: -5 }),
                until: None,
            })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["target_type", "target_id", "actor_id", "action", "since", "page.page_size"]);
        let e = staff.client
            .list_audit_log(ListAuditLogRequest { since: Some(ts(2_000)), until: Some(ts(2_000)), ..Default::default() })
            .await.unwrap_err();
        assert_eq!(fields(&e), ["until"]);
    }
}
