//! The gRPC surface: one module per area, each function an RPC.
//!
//! The generated `TrainingService` trait is implemented once, here, by forwarding each call to
//! its module function with the caller and the request message; the function's `Error` becomes
//! the gRPC status in one place (`tachawor_errors`).

mod attachments;
mod attendance;
mod audit;
mod certificates;
mod evaluations;
mod export;
mod imports;
mod programs;
mod registrations;
mod sessions;

use tachawor_errors::{Error, Violations, checks};
use tachawor_proto::{
    common::{LocalizedText, PageRequest},
    training::{training_service_server::TrainingService, *},
};

pub(crate) use sessions::promote;

use crate::{context::Context, domain};

pub(crate) use tachawor_auth::{STAFF, STAFF_READ};

tachawor_runtime::rpcs! {
    /// The training service's RPC handlers.
    Training(Context) implements TrainingService {
        create_program(CreateProgramRequest) -> CreateProgramResponse => programs;
        get_program(GetProgramRequest) -> GetProgramResponse => programs;
        list_programs(ListProgramsRequest) -> ListProgramsResponse => programs;
        schedule_session(ScheduleSessionRequest) -> ScheduleSessionResponse => sessions;
        update_session(UpdateSessionRequest) -> UpdateSessionResponse => sessions;
        cancel_session(CancelSessionRequest) -> CancelSessionResponse => sessions;
        mark_session_held(MarkSessionHeldRequest) -> MarkSessionHeldResponse => sessions;
        get_session(GetSessionRequest) -> GetSessionResponse => sessions;
        list_sessions(ListSessionsRequest) -> ListSessionsResponse => sessions;
        register(RegisterRequest) -> RegisterResponse => registrations;
        cancel_registration(CancelRegistrationRequest) -> CancelRegistrationResponse => registrations;
        list_my_registrations(ListMyRegistrationsRequest) -> ListMyRegistrationsResponse => registrations;
        list_registrations(ListRegistrationsRequest) -> ListRegistrationsResponse => registrations;
        export_registrations(ExportRegistrationsRequest) -> ExportRegistrationsResponse => registrations;
        issue_check_in_code(IssueCheckInCodeRequest) -> IssueCheckInCodeResponse => attendance;
        check_in(CheckInRequest) -> CheckInResponse => attendance;
        check_in_with_code(CheckInWithCodeRequest) -> CheckInWithCodeResponse => attendance;
        submit_evaluation(SubmitEvaluationRequest) -> SubmitEvaluationResponse => evaluations;
        get_evaluation_summary(GetEvaluationSummaryRequest) -> GetEvaluationSummaryResponse => evaluations;
        issue_certificate(IssueCertificateRequest) -> IssueCertificateResponse => certificates;
        verify_certificate(VerifyCertificateRequest) -> VerifyCertificateResponse => certificates;
        approve_certificate_name(ApproveCertificateNameRequest) -> ApproveCertificateNameResponse => certificates;
        list_pending_certificate_names(ListPendingCertificateNamesRequest) -> ListPendingCertificateNamesResponse => certificates;
        export_my_data(ExportMyDataRequest) -> ExportMyDataResponse => export;
        list_audit_log(ListAuditLogRequest) -> ListAuditLogResponse => audit;
        add_attachment(AddAttachmentRequest) -> AddAttachmentResponse => attachments;
        list_attachments(ListAttachmentsRequest) -> ListAttachmentsResponse => attachments;
        get_attachment_content(GetAttachmentContentRequest) -> GetAttachmentContentResponse => attachments;
        remove_attachment(RemoveAttachmentRequest) -> RemoveAttachmentResponse => attachments;
        import_past_sessions(ImportPastSessionsRequest) -> ImportPastSessionsResponse => imports;
    }
}

/// A page request, its problems added to `v`.
pub(crate) fn page(
    v: &mut Violations,
    request: Option<&PageRequest>,
) -> tachawor_proto::paging::Page {
    match tachawor_proto::paging::Page::from_request(request, 50, 200) {
        Ok(page) => page,
        Err(e) => {
            v.add(e.field, e.description);
            tachawor_proto::paging::Page {
                limit: 0,
                offset: 0,
            }
        }
    }
}

/// Checks a text given in several languages: Arabic and French required, English optional.
pub(crate) fn check_text(
    v: &mut Violations,
    field: &str,
    text: Option<&LocalizedText>,
    max: usize,
) {
    let fits = |s: &str| {
        s.trim().chars().count() <= max
            && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
    };
    let required = |s: &str| !s.trim().is_empty() && fits(s);
    let empty = LocalizedText::default();
    let text = text.unwrap_or(&empty);
    let what = format!("is required (at most {max} characters)");
    v.check(required(&text.ar), &format!("{field}.ar"), &what);
    v.check(required(&text.fr), &format!("{field}.fr"), &what);
    v.check(
        fits(&text.en),
        &format!("{field}.en"),
        &format!("at most {max} characters"),
    );
    checks::tamazight(v, field, &text.zgh, max, checks::Tamazight::NotKept);
}

pub(crate) fn trimmed(text: Option<LocalizedText>) -> (String, String, String) {
    let t = text.unwrap_or_default();
    (
        t.ar.trim().to_string(),
        t.fr.trim().to_string(),
        t.en.trim().to_string(),
    )
}

pub(crate) fn check_uuid(v: &mut Violations, field: &str, value: &str) {
    v.check(domain::is_uuid(value), field, "must be a UUID");
}

/// Loads a registration with its attendance, as the contract shows it.
pub(crate) async fn load_registration(
    conn: &mut sqlx::AnyConnection,
    registration_id: &str,
) -> Result<Registration, Error> {
    let row = crate::store::registrations::find(conn, registration_id)
        .await?
        .ok_or_else(|| Error::not_found("registration"))?;
    let session = crate::store::sessions::find(conn, &row.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    let days = crate::store::attendance::days_of(conn, registration_id).await?;
    Ok(row.to_proto(&days, session.day_list().len()))
}

/// Refuses an account identity no longer holds active (deleted): its last access token still
/// verifies until it expires, but nothing personal is written under it after its erasure.
pub(crate) async fn require_active(ctx: &Context, account_id: &str) -> Result<(), Error> {
    if ctx.eligibility.of(account_id).await?.active {
        Ok(())
    } else {
        Err(Error::Unauthenticated(
            "this account no longer exists".into(),
        ))
    }
}
