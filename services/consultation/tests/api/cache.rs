//! The response cache of public reads, across two replicas on one database: an anonymous
//! answer is kept (the other replica keeps serving it for `server.cache.ttl_ms`, set long
//! here), a signed-in person reads their own write on any replica at once, and an anonymous
//! read on the replica that committed a write is fresh at once; refusals are never kept.

use std::collections::HashMap;

use tachawor_proto::consultation::*;
use tachawor_storage::Clock;
use tachawor_testkit::{Backend, Harness};
use tonic::Code;

use crate::helpers::{Client, TestApp, ts};

/// Long enough that only a write or credentials make a read fresh during the test.
const TTL_MS: &str = "600000";

struct Cached(TestApp);

impl Harness for Cached {
    async fn start(backend: Backend) -> Self {
        let overrides = HashMap::from([("server.cache.ttl_ms", TTL_MS.to_string())]);
        Self(TestApp::start_with(backend, overrides).await)
    }
}

async fn status(client: &mut Client, id: &str) -> Result<ConsultationStatus, Code> {
    client
        .get_consultation(GetConsultationRequest {
            consultation_id: id.into(),
        })
        .await
        .map(|r| r.into_inner().consultation.expect("consultation").status())
        .map_err(|s| s.code())
}

async fn comments(client: &mut Client, id: &str) -> Vec<String> {
    client
        .list_comments(ListCommentsRequest {
            consultation_id: id.into(),
            ..Default::default()
        })
        .await
        .expect("list comments")
        .into_inner()
        .comments
        .into_iter()
        .map(|c| c.body)
        .collect()
}

tachawor_testkit::matrix! {
    async fn anonymous_answers_are_kept_and_a_writer_reads_fresh(app: Cached) {
        let Cached(mut app) = app;
        let other = app.replica().await;
        let staff = app.staff().await;
        let citizen = app.citizen().await;
        let (mut anonymous, mut staff_here) = (app.anonymous(), app.client(&staff));
        let mut anonymous_there = app.client_on(&other, None);
        let mut staff_there = app.client_on(&other, Some(&staff));
        let mut citizen_there = app.client_on(&other, Some(&citizen));

        // A refusal is not kept: the draft, once opened, reads OK on the other replica.
        let draft = app.draft_consultation(&staff).await;
        let refused = status(&mut anonymous_there, &draft).await;
        assert!(refused.is_err(), "a draft is not public: {refused:?}");
        staff_here
            .open_consultation(OpenConsultationRequest {
                consultation_id: draft.clone(),
                closes_at: ts(app.clock.now_millis() + 86_400_000),
            })
            .await
            .expect("open");
        assert_eq!(status(&mut anonymous_there, &draft).await, Ok(ConsultationStatus::Open));
        let id = app.open_consultation(&staff).await;

        // Both replicas keep the anonymous answer.
        assert_eq!(status(&mut anonymous, &id).await, Ok(ConsultationStatus::Open));
        assert_eq!(status(&mut anonymous_there, &id).await, Ok(ConsultationStatus::Open));
        assert!(comments(&mut anonymous, &id).await.is_empty());
        assert!(comments(&mut anonymous_there, &id).await.is_empty());

        // A citizen comments here and reads it at once on the other replica.
        app.client(&citizen)
            .post_comment(PostCommentRequest {
                consultation_id: id.clone(),
                body: "More buses, please.".into(),
                ..Default::default()
            })
            .await
            .expect("comment");
        assert_eq!(comments(&mut citizen_there, &id).await, ["More buses, please."]);
        assert_eq!(comments(&mut anonymous, &id).await, ["More buses, please."], "the writing replica forgets its answers");
        assert!(
            comments(&mut anonymous_there, &id).await.is_empty(),
            "the other replica serves its kept answer for its time"
        );

        // Staff close it here and read it closed at once on the other replica.
        staff_here
            .close_consultation(CloseConsultationRequest {
                consultation_id: id.clone(),
            })
            .await
            .expect("close");
        assert_eq!(status(&mut staff_there, &id).await, Ok(ConsultationStatus::Closed));
        assert_eq!(status(&mut anonymous, &id).await, Ok(ConsultationStatus::Closed));
        assert_eq!(status(&mut anonymous_there, &id).await, Ok(ConsultationStatus::Open));
    }
}
