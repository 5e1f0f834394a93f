//! Staff work on accounts: searching, granting roles, verifying, the audit trail.

use tachawor_proto::{common::PageRequest, identity::*};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::TestApp;

matrix! {
    async fn search_finds_by_prefix_role_and_verification_page_by_page(app: TestApp) {
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(app.register(&format!("searchable.{i}@example.ma")).await);
        }
        app.register("someone.else@example.ma").await;
        app.verify(&ids[1], "AB111222", "laayoune").await;
        let (staff_id, mut staff) = app.staff().await;

        let search = |query: &str, role: Role, verified_only: bool, page: Option<PageRequest>| {
            SearchAccountsRequest { query: query.into(), role: role as i32, verified_only, page }
        };
        let first = staff
            .search_accounts(search("SEARCHABLE", Role::Unspecified, false, Some(PageRequest { page_size: 2, page_token: String::new() })))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(first.accounts.len(), 2);
        assert!(!first.next_page_token.is_empty());
        let second = staff
            .search_accounts(search("searchable", Role::Unspecified, false, Some(PageRequest { page_size: 2, page_token: first.next_page_token })))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(second.accounts.len(), 1);
        assert!(second.next_page_token.is_empty());
        let mut found: Vec<String> = first.accounts.iter().chain(&second.accounts).map(|a| a.account_id.clone()).collect();
        found.sort();
        let mut expected = ids.clone();
        expected.sort();
        assert_eq!(found, expected);

        let verified = staff.search_accounts(search("searchable", Role::Unspecified, true, None)).await.unwrap().into_inner();
        assert_eq!(verified.accounts.iter().map(|a| a.account_id.as_str()).collect::<Vec<_>>(), [ids[1].as_str()]);

        let staff_only = staff.search_accounts(search("", Role::CouncilStaff, false, None)).await.unwrap().into_inner();
        assert!(staff_only.accounts.iter().any(|a| a.account_id == staff_id));
        assert!(staff_only.accounts.iter().all(|a| a.roles.contains(&(Role::CouncilStaff as i32))));

        // LIKE wildcards in a query are taken literally.
        let none = staff.search_accounts(search("%", Role::Unspecified, false, None)).await.unwrap().into_inner();
        assert!(none.accounts.is_empty());
    }

    async fn roles_are_granted_audited_and_an_administrator_keeps_their_own(app: TestApp) {
        let (id, _) = app.citizen().await;
        let mut admin = app.admin().await;
        let account = admin
            .set_roles(SetRolesRequest { account_id: id.clone(), roles: vec![Role::Citizen as i32, Role::CouncilStaff as i32] })
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap();
        assert!(account.roles.contains(&(Role::CouncilStaff as i32)));
        let audit = admin
            .list_audit_log(ListAuditLogRequest { target_id: id.clone(), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .entries;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "account.set_roles");
        assert!(audit[0].before_json.contains("citizen") && audit[0].after_json.contains("council_staff"));
        // The same entry by action and by the instant it was made; none before it.
        let at = audit[0].occurred_at.unwrap();
        let by_action = admin
            .list_audit_log(ListAuditLogRequest { action: "account.set_roles".into(), since: Some(at), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .entries;
        assert!(by_action.iter().any(|e| e.entry_id == audit[0].entry_id));
        assert!(by_action.iter().all(|e| e.action == "account.set_roles"));
        let earlier = admin
            .list_audit_log(ListAuditLogRequest { target_id: id.clone(), until: Some(at), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .entries;
        assert!(earlier.is_empty());

        let me = admin.get_my_account(GetMyAccountRequest {}).await.unwrap().into_inner().account.unwrap();
        let refused = admin
            .set_roles(SetRolesRequest { account_id: me.account_id, roles: vec![Role::Citizen as i32] })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::FailedPrecondition);
        assert_eq!(tachawor_errors::violated_rule(&refused).as_deref(), Some("roles.self_demotion"));

        let missing = admin
            .set_roles(SetRolesRequest { account_id: uuid::Uuid::now_v7().to_string(), roles: vec![Role::Citizen as i32] })
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);
    }

    async fn an_account_is_verified_once(app: TestApp) {
        let (id, _) = app.citizen().await;
        app.verify(&id, "CD333444", "es-semara").await;
        let (_, mut staff) = app.staff().await;
        let again = staff
            .verify_account(VerifyAccountRequest { account_id: id.clone(), cin: "EF555666".into(), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(tachawor_errors::violated_rule(&again).as_deref(), Some("account.already_verified"));
        let eligibility = app
            .service()
            .await
            .get_eligibility(GetEligibilityRequest { account_id: id })
            .await
            .unwrap()
            .into_inner();
        assert!(eligibility.verified);
        assert_eq!(eligibility.residence_province_code, "es-semara");
        assert_eq!(eligibility.verification_method, "cin_in_person");
    }
}
