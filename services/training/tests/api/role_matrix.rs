//! Who may call what: every RPC called as anonymous, citizen, instance member, staff,
//! administrator, observer and another service. Requests are empty, so an allowed caller gets past the
//! role check and stops at validation: nothing is changed by this test.

use tachawor_proto::training::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, TestApp};

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
        ($method:ident, $req:ty) => {
            client.$method(<$req>::default()).await.map(|_| ())
        };
    }
    match rpc {
        "CreateProgram" => go!(create_program, CreateProgramRequest),
        "GetProgram" => go!(get_program, GetProgramRequest),
        "ListPrograms" => go!(list_programs, ListProgramsRequest),
        "ScheduleSession" => go!(schedule_session, ScheduleSessionRequest),
        "UpdateSession" => go!(update_session, UpdateSessionRequest),
        "CancelSession" => go!(cancel_session, CancelSessionRequest),
        "MarkSessionHeld" => go!(mark_session_held, MarkSessionHeldRequest),
        "GetSession" => go!(get_session, GetSessionRequest),
        "ListSessions" => go!(list_sessions, ListSessionsRequest),
        "Register" => go!(register, RegisterRequest),
        "CancelRegistration" => go!(cancel_registration, CancelRegistrationRequest),
        "ListMyRegistrations" => go!(list_my_registrations, ListMyRegistrationsRequest),
        "ListRegistrations" => go!(list_registrations, ListRegistrationsRequest),
        "ExportRegistrations" => go!(export_registrations, ExportRegistrationsRequest),
        "IssueCheckInCode" => go!(issue_check_in_code, IssueCheckInCodeRequest),
        "CheckIn" => go!(check_in, CheckInRequest),
        "CheckInWithCode" => go!(check_in_with_code, CheckInWithCodeRequest),
        "SubmitEvaluation" => go!(submit_evaluation, SubmitEvaluationRequest),
        "GetEvaluationSummary" => go!(get_evaluation_summary, GetEvaluationSummaryRequest),
        "IssueCertificate" => go!(issue_certificate, IssueCertificateRequest),
        "VerifyCertificate" => go!(verify_certificate, VerifyCertificateRequest),
        "ApproveCertificateName" => go!(approve_certificate_name, ApproveCertificateNameRequest),
        "ListPendingCertificateNames" => go!(
            list_pending_certificate_names,
            ListPendingCertificateNamesRequest
        ),
        "ExportMyData" => go!(export_my_data, ExportMyDataRequest),
        "ListAuditLog" => go!(list_audit_log, ListAuditLogRequest),
        "ImportPastSessions" => go!(import_past_sessions, ImportPastSessionsRequest),
        other => panic!("no such RPC in the matrix: {other}"),
    }
}

const PUBLIC: [Expect; 7] = [Allowed; 7];
const STAFF: [Expect; 7] = [
    Unauthenticated,
    Denied,
    Denied,
    Allowed,
    Allowed,
    Denied,
    Denied,
];
/// What staff read, observers too.
const STAFF_READ: [Expect; 7] = [
    Unauthenticated,
    Denied,
    Denied,
    Allowed,
    Allowed,
    Allowed,
    Denied,
];
const PEOPLE: [Expect; 7] = [
    Unauthenticated,
    Allowed,
    Allowed,
    Allowed,
    Allowed,
    Allowed,
    Denied,
];

/// RPC → expectation for anonymous, citizen, instance member, staff, administrator, observer,
/// service.
const MATRIX: &[(&str, [Expect; 7])] = &[
    ("CreateProgram", STAFF),
    ("GetProgram", PUBLIC),
    ("ListPrograms", PUBLIC),
    ("ScheduleSession", STAFF),
    ("UpdateSession", STAFF),
    ("CancelSession", STAFF),
    ("MarkSessionHeld", STAFF),
    ("GetSession", PUBLIC),
    ("ListSessions", PUBLIC),
    ("Register", PEOPLE),
    ("CancelRegistration", PEOPLE),
    ("ListMyRegistrations", PEOPLE),
    ("ListRegistrations", STAFF),
    ("ExportRegistrations", STAFF),
    ("IssueCheckInCode", STAFF),
    ("CheckIn", STAFF),
    ("CheckInWithCode", PEOPLE),
    ("SubmitEvaluation", PEOPLE),
    ("GetEvaluationSummary", STAFF_READ),
    ("IssueCertificate", PEOPLE),
    ("VerifyCertificate", PUBLIC),
    ("ApproveCertificateName", STAFF),
    ("ListPendingCertificateNames", STAFF),
    ("ExportMyData", PEOPLE),
    ("ListAuditLog", STAFF_READ),
    ("ImportPastSessions", STAFF),
];

matrix! {
    async fn every_rpc_admits_exactly_its_callers(app: TestApp) {
        let mut callers = [
            ("anonymous", app.anonymous()),
            ("citizen", app.citizen().await.client),
            ("instance member", app.instance_member().await.client),
            ("staff", app.staff().await.client),
            ("administrator", app.admin().await.client),
            ("observer", app.observer().await.client),
            ("service", app.service().await),
        ];
        let tables = ["programs", "sessions", "registrations", "attendance", "check_in_codes", "evaluations", "certificates", "outbox", "idempotency_keys"];
        let mut before = Vec::new();
        for t in tables {
            before.push(app.count(t).await);
        }
        for (rpc, expected) in MATRIX {
            for ((who, client), expect) in callers.iter_mut().zip(expected) {
                let got = match call(client, rpc).await {
                    Err(s) if s.code() == Code::Unauthenticated => Unauthenticated,
                    Err(s) if s.code() == Code::PermissionDenied => Denied,
                    Err(s) => {
                        assert!(
                            matches!(s.code(), Code::InvalidArgument | Code::NotFound),
                            "{rpc} as {who}: unexpected {s:?}"
                        );
                        Allowed
                    }
                    Ok(()) => Allowed,
                };
                assert_eq!(got, *expect, "{rpc} as {who}");
            }
        }
        let mut after = Vec::new();
        for t in tables {
            after.push(app.count(t).await);
        }
        assert_eq!(before, after, "the role matrix wrote something");
    }
}
