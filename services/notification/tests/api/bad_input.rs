//! Bad input: INVALID_ARGUMENT naming every bad field, nothing written.

use tachawor_errors::violated_fields;
use tachawor_proto::{common::PageRequest, notification::*};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::*;

fn fields<T: std::fmt::Debug>(r: Result<tonic::Response<T>, tonic::Status>) -> Vec<String> {
    let status = r.expect_err("refused");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let mut f = violated_fields(&status);
    f.sort();
    f
}

fn preference(channel: i32, kind: i32) -> Preference {
    Preference {
        channel,
        kind,
        enabled: false,
    }
}

matrix! {
    async fn every_rpc_names_each_bad_field(app: TestApp) {
        let mut c = app.citizen().await.client;
        assert_eq!(
            fields(c.list_my_notifications(ListMyNotificationsRequest {
                page: Some(PageRequest { page_size: -1, page_token: "not a token".into() }),
                ..Default::default()
            }).await),
            ["page.page_size"]
        );
        assert_eq!(
            fields(c.list_my_notifications(ListMyNotificationsRequest {
                page: Some(PageRequest { page_size: 5, page_token: "zz".into() }),
                ..Default::default()
            }).await),
            ["page.page_token"]
        );
        assert_eq!(
            fields(c.mark_notifications_read(MarkNotificationsReadRequest::default()).await),
            ["notification_ids"]
        );
        assert_eq!(
            fields(c.mark_notifications_read(MarkNotificationsReadRequest {
                notification_ids: vec![uuid::Uuid::now_v7().to_string(), "x'; DROP".into()],
                all: false,
            }).await),
            ["notification_ids[1]"]
        );
        assert_eq!(
            fields(c.mark_notifications_read(MarkNotificationsReadRequest {
                notification_ids: vec![uuid::Uuid::now_v7().to_string()],
                all: true,
            }).await),
            ["notification_ids"]
        );
        let too_many = (0..101).map(|_| uuid::Uuid::now_v7().to_string()).collect();
        assert_eq!(
            fields(c.mark_notifications_read(MarkNotificationsReadRequest {
                notification_ids: too_many,
                all: false,
            }).await),
            ["notification_ids"]
        );
        assert_eq!(
            fields(c.set_my_preferences(SetMyPreferencesRequest::default()).await),
            ["preferences"]
        );
        let answered = NotificationKind::ProposalAnswered as i32;
        assert_eq!(
            fields(c.set_my_preferences(SetMyPreferencesRequest {
                preferences: vec![
                    preference(Channel::Email as i32, answered),
                    preference(0, answered),
                    preference(Channel::Sms as i32, 42),
                    preference(Channel::Email as i32, answered),
                ],
            }).await),
            ["preferences[1].channel", "preferences[2].kind", "preferences[3]"]
        );
        // Security notices always go: the password_changed kind cannot be turned off, on any
        // channel, even beside a valid preference.
        let security = NotificationKind::PasswordChanged as i32;
        assert_eq!(
            fields(c.set_my_preferences(SetMyPreferencesRequest {
                preferences: vec![
                    preference(Channel::Sms as i32, answered),
                    preference(Channel::Email as i32, security),
                    preference(Channel::Inbox as i32, security),
                ],
            }).await),
            ["preferences[1].kind", "preferences[2].kind"]
        );
        // Nothing was written, the valid first preferences included.
        assert_eq!(app.count("nt_preferences").await, 0);

        for bad in ["", "not-a-uuid", "x'; DROP"] {
            assert_eq!(
                fields(c.follow_consultation(FollowConsultationRequest {
                    consultation_id: bad.into(),
                }).await),
                ["consultation_id"],
                "FollowConsultation {bad:?}"
            );
            assert_eq!(
                fields(c.unfollow_consultation(UnfollowConsultationRequest {
                    consultation_id: bad.into(),
                }).await),
                ["consultation_id"],
                "UnfollowConsultation {bad:?}"
            );
        }
        assert_eq!(
            fields(c.list_my_follows(ListMyFollowsRequest {
                page: Some(PageRequest { page_size: -1, page_token: String::new() }),
                consultation_id: "not-a-uuid".into(),
            }).await),
            ["consultation_id", "page.page_size"]
        );
        assert_eq!(app.count("nt_followers").await, 0);
    }
}
