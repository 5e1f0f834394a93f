//! Who may call what: every RPC for anonymous callers, citizens, staff, administrators and
//! other services. Each signed-in person reaches their own inbox and preferences only.

use tachawor_proto::notification::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::*;

fn code<T>(r: Result<tonic::Response<T>, tonic::Status>) -> Code {
    match r {
        Ok(_) => Code::Ok,
        Err(s) => s.code(),
    }
}

fn one_preference() -> SetMyPreferencesRequest {
    SetMyPreferencesRequest {
        preferences: vec![Preference {
            channel: Channel::Sms as i32,
            kind: NotificationKind::ProposalAnswered as i32,
            enabled: true,
        }],
    }
}

matrix! {
    async fn every_rpc_answers_each_kind_of_caller_as_documented(app: TestApp) {
        // Each caller follows one consultation and unfollows another it never followed.
        let (followed, unfollowed) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        for who in EVERYONE {
            let mut c = app.client(who).await;
            let expected = match who {
                Who::Anonymous => Code::Unauthenticated,
                Who::Service => Code::PermissionDenied,
                Who::Citizen | Who::Staff | Who::Admin => Code::Ok,
            };
            let listed = c.list_my_notifications(ListMyNotificationsRequest::default()).await;
            assert_eq!(code(listed), expected, "ListMyNotifications as {who:?}");
            let marked = c
                .mark_notifications_read(MarkNotificationsReadRequest { all: true, ..Default::default() })
                .await;
            assert_eq!(code(marked), expected, "MarkNotificationsRead as {who:?}");
            let got = c.get_my_preferences(GetMyPreferencesRequest {}).await;
            assert_eq!(code(got), expected, "GetMyPreferences as {who:?}");
            let set = c.set_my_preferences(one_preference()).await;
            assert_eq!(code(set), expected, "SetMyPreferences as {who:?}");
            let followed = c.follow_consultation(FollowConsultationRequest {
                consultation_id: followed.clone(),
            }).await;
            assert_eq!(code(followed), expected, "FollowConsultation as {who:?}");
            let listed = c.list_my_follows(ListMyFollowsRequest::default()).await;
            assert_eq!(code(listed), expected, "ListMyFollows as {who:?}");
            let unfollowed = c.unfollow_consultation(UnfollowConsultationRequest {
                consultation_id: unfollowed.clone(),
            }).await;
            assert_eq!(code(unfollowed), expected, "UnfollowConsultation as {who:?}");
        }
        // Refused calls wrote nothing: one preference and one follow for each of the three
        // people.
        assert_eq!(app.count("nt_preferences").await, 3);
        assert_eq!(app.count("nt_followers").await, 3);
    }
}
