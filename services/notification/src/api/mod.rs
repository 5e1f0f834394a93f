//! The gRPC surface: one module per area, each function an RPC.
//!
//! Every RPC acts on the signed-in caller's own inbox, preferences and follows: anonymous callers
//! are UNAUTHENTICATED, other services PERMISSION_DENIED (`Call::account`).

mod follows;
mod inbox;
mod preferences;

use tachawor_errors::Violations;
use tachawor_proto::{
    common::PageRequest,
    notification::{notification_service_server::NotificationService, *},
    paging::Page,
};

use crate::context::Context;

tachawor_runtime::rpcs! {
    /// The notification service's RPC handlers.
    Notification(Context) implements NotificationService {
        list_my_notifications(ListMyNotificationsRequest) -> ListMyNotificationsResponse => inbox;
        mark_notifications_read(MarkNotificationsReadRequest) -> MarkNotificationsReadResponse => inbox;
        get_my_preferences(GetMyPreferencesRequest) -> GetMyPreferencesResponse => preferences;
        set_my_preferences(SetMyPreferencesRequest) -> SetMyPreferencesResponse => preferences;
        follow_consultation(FollowConsultationRequest) -> FollowConsultationResponse => follows;
        unfollow_consultation(UnfollowConsultationRequest) -> UnfollowConsultationResponse => follows;
        list_my_follows(ListMyFollowsRequest) -> ListMyFollowsResponse => follows;
    }
}

/// A page request (50 rows by default, at most 200), its problems added to `v`.
fn page(v: &mut Violations, request: Option<&PageRequest>) -> Page {
    Page::from_request(request, 50, 200).unwrap_or_else(|e| {
        v.add(e.field, e.description);
        Page {
            limit: 0,
            offset: 0,
        }
    })
}
