//! The gRPC surface: one module per area, each function an RPC.
//!
//! The generated `ReportingService` trait is implemented once, here, by forwarding each call to
//! its module function with the caller and the request message; the function's `Error` becomes
//! the gRPC status in one place (`tachawor_errors`).

mod admin;
mod audit;
mod commitments;
mod indicators;

use tachawor_auth::Role;
use tachawor_proto::reporting::{reporting_service_server::ReportingService, *};

use crate::context::{Call, Context};

pub(crate) use tachawor_auth::{STAFF, STAFF_READ};
pub(crate) const ADMIN: &[Role] = &[Role::Administrator];

/// Whether the caller sees exact figures: council staff, administrators and observers do; everyone else
/// (anonymous, citizens, services) gets the public, suppressed figures.
pub(crate) fn sees_exact(call: &Call) -> bool {
    call.require_any(STAFF_READ).is_ok()
}

tachawor_runtime::rpcs! {
    /// The reporting service's RPC handlers.
    Reporting(Context) implements ReportingService {
        get_indicators(GetIndicatorsRequest) -> GetIndicatorsResponse => indicators;
        export_indicators(ExportIndicatorsRequest) -> ExportIndicatorsResponse => indicators;
        list_commitments(ListCommitmentsRequest) -> ListCommitmentsResponse => commitments;
        get_commitment(GetCommitmentRequest) -> GetCommitmentResponse => commitments;
        set_milestone_status(SetMilestoneStatusRequest) -> SetMilestoneStatusResponse => commitments;
        export_progress_report(ExportProgressReportRequest) -> ExportProgressReportResponse => commitments;
        rebuild(RebuildRequest) -> RebuildResponse => admin;
        list_audit_log(ListAuditLogRequest) -> ListAuditLogResponse => audit;
    }
}
