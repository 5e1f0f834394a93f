//! A session's online link lets one into it: staff and people confirmed for the session see it;
//! anonymous callers, other citizens, the waitlisted and services get it blank.

use tachawor_proto::training::*;
use tachawor_testkit::matrix;

use crate::helpers::{Client, TestApp};

const LINK: &str = "https://visio.region.test/atelier-42";

async fn link_seen(client: &Client, session: &Session) -> (String, String) {
    let mut client = client.clone();
    let got = client
        .get_session(GetSessionRequest {
            session_id: session.session_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .session
        .unwrap();
    let listed = client
        .list_sessions(ListSessionsRequest {
            program_id: session.program_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .sessions;
    assert_eq!(listed.len(), 1);
    (
        got.details.unwrap().online_url,
        listed[0].details.clone().unwrap().online_url,
    )
}

matrix! {
    async fn the_online_link_goes_to_staff_and_confirmed_participants_only(app: TestApp) {
        let staff = app.staff().await;
        let mut details = app.details(1, &[3], Eligibility::Open);
        details.online_url = LINK.into();
        let session = app.session_with(&staff, details).await;
        assert_eq!(session.details.as_ref().unwrap().online_url, LINK, "staff scheduled it");

        let seated = app.citizen().await;
        let waiting = app.citizen().await;
        let outsider = app.citizen().await;
        let mut registrations = Vec::new();
        for person in [&seated, &waiting] {
            let r = person
                .client
                .clone()
                .register(RegisterRequest {
                    session_id: session.session_id.clone(),
                    idempotency_key: String::new(),
                })
                .await
                .unwrap()
                .into_inner()
                .registration
                .unwrap();
            registrations.push(r);
        }
        assert_eq!(registrations[1].status, RegistrationStatus::Waitlisted as i32);

        let blank = (String::new(), String::new());
        let link = (LINK.to_string(), LINK.to_string());
        assert_eq!(link_seen(&app.anonymous(), &session).await, blank, "anonymous");
        assert_eq!(link_seen(&outsider.client, &session).await, blank, "not registered");
        assert_eq!(link_seen(&waiting.client, &session).await, blank, "waitlisted");
        assert_eq!(link_seen(&app.service().await, &session).await, blank, "a service");
        assert_eq!(link_seen(&seated.client, &session).await, link, "confirmed");
        assert_eq!(link_seen(&staff.client, &session).await, link, "staff");
        assert_eq!(link_seen(&app.admin().await.client, &session).await, link, "admin");

        // The confirmed participant cancels: the link moves with the seat.
        seated
            .client
            .clone()
            .cancel_registration(CancelRegistrationRequest {
                registration_id: registrations[0].registration_id.clone(),
                idempotency_key: String::new(),
            })
            .await
            .unwrap();
        assert_eq!(link_seen(&seated.client, &session).await, blank, "cancelled");
        assert_eq!(link_seen(&waiting.client, &session).await, link, "promoted");
    }
}
