//! Bad input to every account, session, staff and internal RPC: INVALID_ARGUMENT naming each
//! bad field, and nothing written.

use tachawor_proto::{common::PageRequest, identity::*};
use tachawor_testkit::matrix;

use crate::helpers::{TestApp, fields};

const TABLES: &[&str] = &[
    "accounts",
    "account_roles",
    "consents",
    "token_families",
    "refresh_tokens",
    "audit_log",
    "outbox",
    "contact_secrets",
    "attempt_limits",
];

async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(app.count(table).await);
    }
    counts
}

matrix! {
    async fn every_bad_field_is_named_and_nothing_is_written(app: TestApp) {
        let (_, mut citizen) = app.citizen().await;
        let (_, mut staff) = app.staff().await;
        let mut admin = app.admin().await;
        let mut service = app.service().await;
        let mut anonymous = app.anonymous();
        let before = snapshot(&app).await;

        let e = anonymous
            .register(RegisterRequest {
                email: "not-an-email".into(),
                phone: "12".into(),
                password: "short".into(),
                display_name: "x".into(),
                locale: 99,
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["email", "phone", "password", "display_name", "locale"]);

        let e = anonymous.register(RegisterRequest::default()).await.unwrap_err();
        assert!(fields(&e).contains(&"email".to_string()));

        let e = anonymous.login(LoginRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["identifier", "password"]);

        let e = anonymous.refresh(RefreshRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["refresh_token"]);

        let e = anonymous.logout(LogoutRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["refresh_token"]);

        let e = anonymous.issue_service_token(IssueServiceTokenRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["client_id", "client_secret"]);

        let e = citizen
            .update_my_profile(UpdateMyProfileRequest {
                display_name: "y".into(),
                locale: 42,
                profile: Some(Profile { gender: 9, age_band: 99, province_code: "casablanca".into() }),
                clear_profile: true,
            })
            .await
            .unwrap_err();
        assert_eq!(
            fields(&e),
            ["display_name", "locale", "profile.gender", "profile.age_band", "profile.province_code", "clear_profile"]
        );

        let e = citizen
            .record_consent(RecordConsentRequest { purpose: "Not A Slug".into(), version: "".into(), granted: true })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["purpose", "version"]);

        let e = citizen.delete_my_account(DeleteMyAccountRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["password"]);

        let e = staff
            .verify_account(VerifyAccountRequest {
                account_id: "not-a-uuid".into(),
                cin: "123".into(),
                method: "In Person!".into(),
                residence_province_code: "rabat".into(),
                legal_name: "x".repeat(201),
            })
            .await
            .unwrap_err();
        assert_eq!(
            fields(&e),
            ["account_id", "cin", "method", "residence_province_code", "legal_name"]
        );

        let e = admin
            .set_roles(SetRolesRequest { account_id: "x".into(), roles: vec![Role::InstanceMember as i32] })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["account_id", "roles"]);

        let e = admin.set_roles(SetRolesRequest { account_id: uuid::Uuid::now_v7().to_string(), roles: vec![] }).await.unwrap_err();
        assert_eq!(fields(&e), ["roles"]);

        let e = staff
            .search_accounts(SearchAccountsRequest {
                query: "q".repeat(101),
                role: 77,
                verified_only: false,
                page: Some(PageRequest { page_size: -1, page_token: String::new() }),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["query", "role", "page.page_size"]);

        let e = staff
            .list_audit_log(ListAuditLogRequest {
                target_type: "Account Type".into(),
                target_id: "%%".into(),
                actor_id: "nope".into(),
                page: None,
                action: "Account Verify".into(),
                since: Some(prost_types::Timestamp { seconds: 0, nanos: 1_000_000_000 }),
                until: None,
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["target_type", "target_id", "actor_id", "action", "since"]);
        let e = staff
            .list_audit_log(ListAuditLogRequest {
                since: Some(tachawor_proto::dates::timestamp(10_000)),
                until: Some(tachawor_proto::dates::timestamp(9_000)),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["until"]);

        let e = staff
            .list_audit_log(ListAuditLogRequest {
                page: Some(PageRequest { page_size: 10, page_token: "forged".into() }),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["page.page_token"]);

        let e = service.get_eligibility(GetEligibilityRequest { account_id: "nope".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["account_id"]);
        let e = service.get_verified_name(GetVerifiedNameRequest { account_id: "nope".into() }).await.unwrap_err();
        assert_eq!(fields(&e), ["account_id"]);
        let e = service.batch_get_eligibility(BatchGetEligibilityRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["account_ids"]);
        let e = service
            .batch_get_eligibility(BatchGetEligibilityRequest {
                account_ids: vec![uuid::Uuid::now_v7().to_string(), "nope".into()],
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["account_ids[1]"]);
        let e = service
            .batch_get_eligibility(BatchGetEligibilityRequest {
                account_ids: (0..101).map(|_| uuid::Uuid::now_v7().to_string()).collect(),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["account_ids"]);

        let e = citizen
            .request_contact_verification(RequestContactVerificationRequest { channel: 7 })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["channel"]);
        let e = anonymous
            .confirm_contact(ConfirmContactRequest { channel: 0, secret: " ".into() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["channel", "secret"]);
        let e = citizen
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Phone as i32, secret: "1".repeat(257) })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["secret"]);
        let e = citizen
            .change_contact(ChangeContactRequest { channel: 0, value: "x".into(), password: String::new() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["channel", "password"]);
        let e = citizen
            .change_contact(ChangeContactRequest {
                channel: ContactChannel::Email as i32,
                value: "0612345678".into(),
                password: "a long enough password".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["value"]);
        let e = citizen
            .change_contact(ChangeContactRequest {
                channel: ContactChannel::Phone as i32,
                value: "not a phone".into(),
                password: "a long enough password".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["value"]);
        let e = citizen
            .change_password(ChangePasswordRequest { current_password: String::new(), new_password: "short".into() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["current_password", "new_password"]);
        let e = anonymous
            .request_password_reset(RequestPasswordResetRequest { identifier: "nobody".into(), locale: 42 })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["identifier", "locale"]);
        let e = anonymous
            .reset_password(ResetPasswordRequest { secret: String::new(), identifier: "abc".into(), new_password: "short".into() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["secret", "identifier", "new_password"]);
        let mut notification = app.with_token(&app.service_token("notification").await);
        let e = notification
            .get_delivery_contact(GetDeliveryContactRequest { account_id: "nope".into(), channel: 5, request_id: "nope".into() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["account_id", "channel", "request_id"]);

        assert_eq!(snapshot(&app).await, before, "a refused request wrote something");
    }
}
