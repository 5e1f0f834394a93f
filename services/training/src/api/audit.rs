//! The audit log of this service's administrative changes, read by council staff (the entries
//! are written by each change, in its transaction, through `tachawor_runtime::audit`).

use tachawor_proto::training::{ListAuditLogRequest, ListAuditLogResponse};

use crate::context::{Call, Context};

tachawor_runtime::list_audit_log_rpc!(Context, Call, ListAuditLogRequest => ListAuditLogResponse);
