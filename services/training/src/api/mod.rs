//! The gRPC surface: one module per area, each function an RPC.
//!
//! The generated `TrainingService` trait is implemented once, here, by forwarding each call to
//! its module function with the caller and the request message; the function's `Error` becomes
//! the gRPC status in one place (`tachawor_errors`).

mod attendance;
mod certificates;
mod evaluations;
mod export;
mod programs;
mod registrar;
mod registrations;
mod sessions;

use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    common::{LocalizedText, PageRequest},
    events::TrainingParticipant,
    training::{training_service_server::TrainingService, *},
};

pub use registrar::Registrar;
pub(crate) use sessions::promote;

use crate::{context::Context, domain, store::registrations::RegistrationRow};

pub(crate) use tachawor_auth::STAFF;

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
        export_my_data(ExportMyDataRequest) -> ExportMyDataResponse => export;
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

/// The statistical attributes of a registration's participant, for events.
pub(crate) fn participant(row: &RegistrationRow) -> TrainingParticipant {
    TrainingParticipant {
        account_id: row.account_id.clone(),
        province_code: row.province_code.clone(),
        gender: 0,
        age_band: 0,
        actor_kind: row.actor_kind,
    }
}

/// A registration as the contract shows it, with its attendance (derived).
pub(crate) fn registration(
    row: &RegistrationRow,
    attended: &[String],
    session_days: usize,
) -> Registration {
    let rate = (attended.len() * 100)
        .checked_div(session_days)
        .map_or(0, |r| r as i32);
    let status = domain::registration_status_from_str(&row.status);
    Registration {
        registration_id: row.registration_id.clone(),
        session_id: row.session_id.clone(),
        account_id: row.account_id.clone(),
        status: status as i32,
        waitlist_position: if status == RegistrationStatus::Waitlisted {
            i32::try_from(row.waitlist_position).unwrap_or(i32::MAX)
        } else {
            0
        },
        arrival: row.seq,
        registered_at: Some(domain::timestamp(row.registered_at)),
        cancelled_at: row.cancelled_at.map(domain::timestamp),
        attended_days: attended.iter().map(|d| domain::date_from_str(d)).collect(),
        attendance_rate_percent: rate,
    }
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
    Ok(registration(&row, &days, session.day_list().len()))
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

/// The caller is council staff or an administrator.
pub(crate) fn is_staff(caller: &tachawor_auth::AccountCaller) -> bool {
    caller.is_staff()
}
