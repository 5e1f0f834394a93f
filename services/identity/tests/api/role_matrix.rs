//! Who may call what: every account, staff and internal RPC called as anonymous, citizen, staff,
//! administrator and another service. Requests are empty, so an allowed caller gets past the
//! role check and stops at validation: nothing is changed by this test.

use tachawor_proto::identity::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, TestApp};

/// What a caller may expect.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Past authorization: any answer but UNAUTHENTICATED or PERMISSION_DENIED.
    Allowed,
    Unauthenticated,
    Denied,
}
use Expect::*;

async fn call(client: &mut Client, rpc: &str) -> Result<(), tonic::Status> {
    macro_rules! go {
        ($method:ident, $req:expr) => {
            client.$method($req).await.map(|_| ())
        };
    }
    match rpc {
        "Register" => go!(register, RegisterRequest::default()),
        "Login" => go!(login, LoginRequest::default()),
        "Refresh" => go!(refresh, RefreshRequest::default()),
        "Logout" => go!(logout, LogoutRequest::default()),
        "GetKeySet" => go!(get_key_set, GetKeySetRequest::default()),
        "ListProvinces" => go!(list_provinces, ListProvincesRequest::default()),
        "IssueServiceToken" => go!(issue_service_token, IssueServiceTokenRequest::default()),
        "GetMyAccount" => go!(get_my_account, GetMyAccountRequest::default()),
        "UpdateMyProfile" => go!(
            update_my_profile,
            UpdateMyProfileRequest {
                display_name: "x".into(),
                ..Default::default()
            }
        ),
        "RecordConsent" => go!(record_consent, RecordConsentRequest::default()),
        "ExportMyData" => go!(export_my_data, ExportMyDataRequest::default()),
        "DeleteMyAccount" => go!(delete_my_account, DeleteMyAccountRequest::default()),
        "VerifyAccount" => go!(verify_account, VerifyAccountRequest::default()),
        "CorrectResidence" => go!(correct_residence, CorrectResidenceRequest::default()),
        "SetRoles" => go!(set_roles, SetRolesRequest::default()),
        "SearchAccounts" => go!(
            search_accounts,
            SearchAccountsRequest {
                query: "nobody-matches-this".into(),
                ..Default::default()
            }
        ),
        "ListAuditLog" => go!(list_audit_log, ListAuditLogRequest::default()),
        "RotateSigningKey" => go!(rotate_signing_key, RotateSigningKeyRequest::default()),
        "GetEligibility" => go!(get_eligibility, GetEligibilityRequest::default()),
        "BatchGetEligibility" => go!(batch_get_eligibility, BatchGetEligibilityRequest::default()),
        "GetVerifiedName" => go!(get_verified_name, GetVerifiedNameRequest::default()),
        "RequestContactVerification" => go!(
            request_contact_verification,
            RequestContactVerificationRequest::default()
        ),
        "ConfirmContact" => go!(confirm_contact, ConfirmContactRequest::default()),
        // A code (not a link) needs its signed-in owner.
        "ConfirmContact(phone)" => go!(
            confirm_contact,
            ConfirmContactRequest {
                channel: ContactChannel::Phone as i32,
                secret: "123456".into(),
            }
        ),
        "ChangeContact" => go!(change_contact, ChangeContactRequest::default()),
        "ChangePassword" => go!(change_password, ChangePasswordRequest::default()),
        "RequestPasswordReset" => go!(
            request_password_reset,
            RequestPasswordResetRequest::default()
        ),
        "ResetPassword" => go!(reset_password, ResetPasswordRequest::default()),
        "GetDeliveryContact" => go!(get_delivery_contact, GetDeliveryContactRequest::default()),
        "ImportAssociations" => go!(import_associations, ImportAssociationsRequest::default()),
        "ImportInstanceMembers" => go!(
            import_instance_members,
            ImportInstanceMembersRequest::default()
        ),
        other => panic!("no such RPC in the matrix: {other}"),
    }
}

/// RPC → expectation for anonymous, citizen, staff, administrator, service.
const MATRIX: &[(&str, [Expect; 5])] = &[
    ("Register", [Allowed, Allowed, Allowed, Allowed, Allowed]),
    ("Login", [Allowed, Allowed, Allowed, Allowed, Allowed]),
    ("Refresh", [Allowed, Allowed, Allowed, Allowed, Allowed]),
    ("Logout", [Allowed, Allowed, Allowed, Allowed, Allowed]),
    ("GetKeySet", [Allowed, Allowed, Allowed, Allowed, Allowed]),
    (
        "ListProvinces",
        [Allowed, Allowed, Allowed, Allowed, Allowed],
    ),
    (
        "IssueServiceToken",
        [Allowed, Allowed, Allowed, Allowed, Allowed],
    ),
    (
        "GetMyAccount",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "UpdateMyProfile",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "RecordConsent",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "ExportMyData",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "DeleteMyAccount",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "CorrectResidence",
        [Unauthenticated, Denied, Allowed, Allowed, Denied],
    ),
    (
        "VerifyAccount",
        [Unauthenticated, Denied, Allowed, Allowed, Denied],
    ),
    (
        "SetRoles",
        [Unauthenticated, Denied, Denied, Allowed, Denied],
    ),
    (
        "SearchAccounts",
        [Unauthenticated, Denied, Allowed, Allowed, Denied],
    ),
    (
        "ListAuditLog",
        [Unauthenticated, Denied, Allowed, Allowed, Denied],
    ),
    (
        "RotateSigningKey",
        [Unauthenticated, Denied, Denied, Allowed, Denied],
    ),
    (
        "GetEligibility",
        [Unauthenticated, Denied, Denied, Denied, Allowed],
    ),
    (
        "BatchGetEligibility",
        [Unauthenticated, Denied, Denied, Denied, Allowed],
    ),
    (
        "GetVerifiedName",
        [Unauthenticated, Denied, Denied, Denied, Allowed],
    ),
    (
        "RequestContactVerification",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    // The emailed link's token is the credential: anyone holding it (the portal too) confirms.
    (
        "ConfirmContact",
        [Allowed, Allowed, Allowed, Allowed, Allowed],
    ),
    (
        "ConfirmContact(phone)",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "ChangeContact",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    (
        "ChangePassword",
        [Unauthenticated, Allowed, Allowed, Allowed, Denied],
    ),
    // Anonymous, or the portal with its service token naming the person's address.
    (
        "RequestPasswordReset",
        [Allowed, Allowed, Allowed, Allowed, Allowed],
    ),
    (
        "ResetPassword",
        [Allowed, Allowed, Allowed, Allowed, Allowed],
    ),
    // The notification service only (below); another service is refused.
    (
        "GetDeliveryContact",
        [Unauthenticated, Denied, Denied, Denied, Denied],
    ),
    (
        "ImportAssociations",
        [Unauthenticated, Denied, Allowed, Allowed, Denied],
    ),
    (
        "ImportInstanceMembers",
        [Unauthenticated, Denied, Allowed, Allowed, Denied],
    ),
];

matrix! {
    async fn every_rpc_answers_each_kind_of_caller_as_the_matrix_says(app: TestApp) {
        let mut callers = [
            ("anonymous", app.anonymous()),
            ("citizen", app.citizen().await.1),
            ("staff", app.staff().await.1),
            ("administrator", app.admin().await),
            ("service", app.service().await),
        ];
        let mut wrong = Vec::new();
        for (rpc, expected) in MATRIX {
            for ((who, client), expect) in callers.iter_mut().zip(expected) {
                let result = call(client, rpc).await;
                let got = match &result {
                    Err(s) if s.code() == Code::Unauthenticated => Unauthenticated,
                    Err(s) if s.code() == Code::PermissionDenied => Denied,
                    // Past authorization, a call must still be answered properly.
                    Err(s) if matches!(s.code(), Code::Internal | Code::Unknown | Code::Unavailable) => {
                        wrong.push(format!("{rpc} as {who}: failed with {s:?}"));
                        continue;
                    }
                    _ => Allowed,
                };
                if got != *expect {
                    wrong.push(format!("{rpc} as {who}: expected {expect:?}, got {result:?}"));
                }
            }
        }
        assert!(wrong.is_empty(), "role matrix violations:\n{}", wrong.join("\n"));
    }
}

matrix! {
    async fn only_the_notification_service_reads_delivery_contacts(app: TestApp) {
        let mut notification = app.with_token(&app.service_token("notification").await);
        let mut portal = app.with_token(&app.service_token("portal").await);
        let e = notification
            .get_delivery_contact(GetDeliveryContactRequest::default())
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "past authorization: {e:?}");
        let e = portal
            .get_delivery_contact(GetDeliveryContactRequest::default())
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied, "the portal: {e:?}");
        // The notification service is a service: the person's own RPCs refuse it.
        for rpc in ["RequestContactVerification", "ChangeContact", "ChangePassword", "GetMyAccount"] {
            let e = call(&mut notification, rpc).await.unwrap_err();
            assert_eq!(e.code(), Code::PermissionDenied, "{rpc}: {e:?}");
        }
    }
}
