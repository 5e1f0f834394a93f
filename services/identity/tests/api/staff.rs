//! Staff work on accounts: searching, granting roles, verifying, the audit trail.

use tachawor_proto::{common::PageRequest, identity::*};
use tachawor_testkit::matrix;
use tonic::Code;

use prost::Message;
use tachawor_proto::events::AccountResidenceCorrected;

use crate::helpers::{TestApp, fields};

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

    async fn staff_correct_a_verified_residence_with_a_reason(app: TestApp) {
        const CIN: &str = "GH777888";
        let (id, mut citizen) = app.citizen().await;
        let (unverified, _) = app.citizen().await;
        let (staff_id, mut staff) = app.staff().await;
        let correct = |account_id: &str, province: &str| CorrectResidenceRequest {
            account_id: account_id.into(),
            residence_province_code: province.into(),
            reason: "Recorded Tarfaya for Boujdour by mistake".into(),
        };
        // Before verification there is nothing to correct.
        let refused = staff.correct_residence(correct(&unverified, "boujdour")).await.unwrap_err();
        assert_eq!(tachawor_errors::violated_rule(&refused).as_deref(), Some("account.not_verified"));
        app.verify(&id, CIN, "tarfaya").await;
        let written = async || (app.count("accounts").await, app.count("audit_log").await, app.count("outbox").await);
        let before = written().await;

        // Who may correct: staff and administrators only.
        assert_eq!(app.anonymous().correct_residence(correct(&id, "boujdour")).await.unwrap_err().code(), Code::Unauthenticated);
        assert_eq!(citizen.correct_residence(correct(&id, "boujdour")).await.unwrap_err().code(), Code::PermissionDenied);
        assert_eq!(app.service().await.correct_residence(correct(&id, "boujdour")).await.unwrap_err().code(), Code::PermissionDenied);
        // Bad input names every field; the same province is no correction; nobody is NOT_FOUND.
        let bad = staff
            .correct_residence(CorrectResidenceRequest { account_id: "someone".into(), residence_province_code: "paris".into(), reason: " ".into() })
            .await
            .unwrap_err();
        let mut named = fields(&bad);
        named.sort();
        assert_eq!(named, vec!["account_id", "reason", "residence_province_code"]);
        let long = CorrectResidenceRequest { reason: "r".repeat(501), ..correct(&id, "boujdour") };
        assert_eq!(fields(&staff.correct_residence(long).await.unwrap_err()), vec!["reason"]);
        let same = staff.correct_residence(correct(&id, "tarfaya")).await.unwrap_err();
        assert_eq!(tachawor_errors::violated_rule(&same).as_deref(), Some("account.residence_unchanged"));
        let nobody = staff.correct_residence(correct(&uuid::Uuid::new_v4().to_string(), "boujdour")).await.unwrap_err();
        assert_eq!(nobody.code(), Code::NotFound);
        assert_eq!(written().await, before, "refused corrections write nothing");

        // Staff correct it; eligibility follows; the person is still verified by the same CIN.
        let account = staff.correct_residence(correct(&id, "boujdour")).await.unwrap().into_inner().account.unwrap();
        assert_eq!(account.residence_province_code, "boujdour");
        assert!(account.verified);
        let eligibility = app.service().await.get_eligibility(GetEligibilityRequest { account_id: id.clone() }).await.unwrap().into_inner();
        assert_eq!(eligibility.residence_province_code, "boujdour");
        // An administrator moves it outside the region.
        let outside = app.admin().await.correct_residence(correct(&id, "")).await.unwrap().into_inner().account.unwrap();
        assert_eq!(outside.residence_province_code, "");

        // Audited with the reason, never the CIN.
        let audit = staff
            .list_audit_log(ListAuditLogRequest { target_id: id.clone(), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .entries;
        let corrections: Vec<_> = audit.iter().filter(|e| e.action == "account.correct_residence").collect();
        assert_eq!(corrections.len(), 2, "{audit:?}");
        let first = corrections.iter().find(|e| e.after_json.contains("boujdour")).expect("the first correction");
        assert_eq!(first.actor_id, staff_id);
        assert!(first.before_json.contains("tarfaya"), "{first:?}");
        assert!(first.after_json.contains("by mistake"), "{first:?}");
        for e in &audit {
            assert!(!e.before_json.contains(CIN) && !e.after_json.contains(CIN), "{e:?}");
        }

        // Announced with both provinces, never the CIN.
        let mut announced: Vec<_> = app
            .events()
            .await
            .into_iter()
            .filter(|(_, e)| e.r#type == "identity.account.residence_corrected")
            .map(|(_, e)| {
                let bytes = e.payload.unwrap().value;
                assert!(!bytes.windows(CIN.len()).any(|w| w == CIN.as_bytes()));
                let p = AccountResidenceCorrected::decode(bytes.as_slice()).unwrap();
                (p.account_id, p.previous_province_code, p.province_code)
            })
            .collect();
        announced.sort();
        let mut expected = vec![
            (id.clone(), "tarfaya".to_string(), "boujdour".to_string()),
            (id.clone(), "boujdour".to_string(), String::new()),
        ];
        expected.sort();
        assert_eq!(announced, expected);
    }
}

matrix! {
    async fn an_observer_is_granted_by_an_administrator_reads_the_audit_log_and_acts_on_nothing(app: TestApp) {
        let observer = app.people().observer().await;
        let mut o = app.with_token(&observer.token);
        // The role is in the account and in its token.
        let me = o.get_my_account(GetMyAccountRequest {}).await.unwrap().into_inner().account.unwrap();
        assert!(me.roles.contains(&(Role::Observer as i32)), "{:?}", me.roles);
        // Reads what staff read: the audit log, with the grant in it.
        let log = o.list_audit_log(ListAuditLogRequest::default()).await.expect("the observer reads the audit log").into_inner();
        assert!(log.entries.iter().any(|e| e.target_id == observer.id), "the grant is in the log");
        // Acts on nothing, and reads no one's contacts.
        let someone = app.register("observed@example.ma").await;
        let refused = [
            o.search_accounts(SearchAccountsRequest::default()).await.map(|_| ()),
            o.verify_account(VerifyAccountRequest { account_id: someone.clone(), cin: "AB123456".into(), residence_province_code: "laayoune".into(), ..Default::default() }).await.map(|_| ()),
            o.set_roles(SetRolesRequest { account_id: someone.clone(), roles: vec![Role::Observer as i32] }).await.map(|_| ()),
            o.create_instance(CreateInstanceRequest::default()).await.map(|_| ()),
        ];
        for (i, answer) in refused.into_iter().enumerate() {
            assert_eq!(answer.map_err(|s| s.code()).unwrap_err(), Code::PermissionDenied, "call {i}");
        }
        let mut admin = app.admin().await;
        let found = admin.search_accounts(SearchAccountsRequest { query: "observed@".into(), ..Default::default() }).await.unwrap().into_inner();
        assert!(!found.accounts[0].verified, "nothing was verified");
    }
}
