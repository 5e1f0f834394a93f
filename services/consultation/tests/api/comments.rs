//! Comments: threads, reports by distinct people hiding a comment pending review at the
//! configured count (3 by default), hiding by a moderator with a reason and restoring, both
//! audited; who may do each with real requests; bad input naming every field.

use prost::Message;
use tachawor_proto::{consultation::*, events::ConsultationCommentHidden};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, Person, TestApp, assert_code, assert_fields};

async fn post(c: &mut Client, consultation_id: &str, parent: &str, body: &str) -> Comment {
    c.post_comment(PostCommentRequest {
        consultation_id: consultation_id.into(),
        parent_comment_id: parent.into(),
        body: body.into(),
        ..Default::default()
    })
    .await
    .expect("post comment")
    .into_inner()
    .comment
    .unwrap()
}

fn report(comment_id: &str) -> ReportCommentRequest {
    ReportCommentRequest {
        comment_id: comment_id.into(),
        reason: "insulting".into(),
    }
}

fn hide(comment_id: &str) -> HideCommentRequest {
    HideCommentRequest {
        comment_id: comment_id.into(),
        reason: "personal attack".into(),
    }
}

fn restore(comment_id: &str) -> RestoreCommentRequest {
    RestoreCommentRequest {
        comment_id: comment_id.into(),
    }
}

async fn thread(c: &mut Client, consultation_id: &str) -> Vec<Comment> {
    c.list_comments(ListCommentsRequest {
        consultation_id: consultation_id.into(),
        ..Default::default()
    })
    .await
    .expect("list comments")
    .into_inner()
    .comments
}

matrix! {
    async fn threads_reports_and_moderation(app: TestApp) {
        let (staff, admin, people) = tokio::join!(app.staff(), app.admin(), app.citizens(8));
        let [author, a, b, c, d, e, f, g]: [Person; 8] = people.try_into().ok().unwrap();
        let id = app.open_consultation(&staff).await;
        let (mut s, mut adm) = (app.client(&staff), app.client(&admin));

        // A thread: a comment and a reply to it, listed with the reply pointing at its parent.
        let root = post(&mut app.client(&author), &id, "", "Water first").await;
        let reply = post(&mut app.client(&a), &id, &root.comment_id, "Roads first").await;
        assert_eq!(reply.parent_comment_id, root.comment_id);
        let unknown_parent = app
            .client(&a)
            .post_comment(PostCommentRequest {
                consultation_id: id.clone(),
                parent_comment_id: uuid::Uuid::new_v4().to_string(),
                body: "Lost".into(),
                ..Default::default()
            })
            .await;
        assert_code(unknown_parent, Code::NotFound, "reply to no comment");
        let listed = thread(&mut app.anonymous(), &id).await;
        assert_eq!(
            listed.iter().map(|c| (c.comment_id.as_str(), c.parent_comment_id.as_str())).collect::<Vec<_>>(),
            vec![(root.comment_id.as_str(), ""), (reply.comment_id.as_str(), root.comment_id.as_str())]
        );

        // Reports: one person twice counts once; the third distinct reporter hides it.
        let first = app.client(&a).report_comment(report(&root.comment_id)).await.unwrap().into_inner();
        assert!(!first.comment.unwrap().hidden);
        assert_code(app.client(&a).report_comment(report(&root.comment_id)).await, Code::AlreadyExists, "reported twice");
        let second = app.client(&b).report_comment(report(&root.comment_id)).await.unwrap().into_inner();
        assert!(!second.comment.unwrap().hidden, "two distinct reports do not hide at 3");
        let third = app.client(&c).report_comment(report(&root.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert!(third.hidden);
        assert_eq!(third.hidden_reason, "pending_review");
        assert!(third.body.is_empty(), "a reporter does not read a hidden body");
        app.client(&d).report_comment(report(&root.comment_id)).await.unwrap();
        assert_eq!(app.count("comment_reports").await, 4);
        let public = thread(&mut app.anonymous(), &id).await;
        assert!(public[0].hidden && public[0].body.is_empty());
        assert_eq!(public[1].body, "Roads first");
        assert_eq!(thread(&mut s, &id).await[0].body, "Water first", "staff read hidden bodies");

        // Who may moderate, with real requests: nothing is written by a refused call.
        let before = app.written().await;
        let mut citizen = app.client(&b);
        let mut service = app.service().await;
        let mut anonymous = app.anonymous();
        let comment = || PostCommentRequest { consultation_id: id.clone(), body: "Me too".into(), ..Default::default() };
        assert_code(anonymous.post_comment(comment()).await, Code::Unauthenticated, "anonymous post");
        assert_code(service.post_comment(comment()).await, Code::PermissionDenied, "service post");
        assert_code(anonymous.report_comment(report(&reply.comment_id)).await, Code::Unauthenticated, "anonymous report");
        assert_code(service.report_comment(report(&reply.comment_id)).await, Code::PermissionDenied, "service report");
        for (who, client) in [("citizen", &mut citizen), ("service", &mut service)] {
            assert_code(client.hide_comment(hide(&reply.comment_id)).await, Code::PermissionDenied, who);
            assert_code(client.restore_comment(restore(&root.comment_id)).await, Code::PermissionDenied, who);
        }
        assert_code(anonymous.hide_comment(hide(&reply.comment_id)).await, Code::Unauthenticated, "anonymous hide");
        assert_code(anonymous.restore_comment(restore(&root.comment_id)).await, Code::Unauthenticated, "anonymous restore");
        assert_eq!(app.written().await, before);

        // A moderator confirms the hiding with a reason (audited, announced once already).
        let confirmed = s.hide_comment(hide(&root.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert_eq!((confirmed.hidden, confirmed.hidden_reason.as_str()), (true, "personal attack"));
        let err = s.hide_comment(hide(&root.comment_id)).await.unwrap_err();
        assert_eq!(crate::helpers::rule(&err), "comment.already_hidden");
        // An administrator restores it after review (audited); reports start again from zero.
        let restored = adm.restore_comment(restore(&root.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert!(!restored.hidden && restored.hidden_reason.is_empty());
        assert_eq!(restored.body, "Water first");
        let err = adm.restore_comment(restore(&root.comment_id)).await.unwrap_err();
        assert_eq!(crate::helpers::rule(&err), "comment.not_hidden");
        assert_eq!(app.count("comment_reports").await, 0);
        let again = app.client(&a).report_comment(report(&root.comment_id)).await.unwrap().into_inner();
        assert!(!again.comment.unwrap().hidden);
        let audit = app.audit(&root.comment_id).await;
        assert_eq!(audit.len(), 2, "{audit:?}");
        assert_eq!((audit[0].0.as_str(), audit[0].1.as_str()), (staff.id.as_str(), "comment.hide"));
        assert!(audit[0].2.contains("personal attack"), "{audit:?}");
        assert_eq!(audit[1].1, "comment.restore");
        // A moderator hides the reply directly.
        let hidden = adm.hide_comment(hide(&reply.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert!(hidden.hidden);
        assert_eq!(app.audit(&reply.comment_id).await.len(), 1);
        // One comment by id, as in the list: its body hidden from readers, not from staff.
        let get = |id: &str| GetCommentRequest { comment_id: id.to_string() };
        let seen = app.anonymous().get_comment(get(&root.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert_eq!((seen.body.as_str(), seen.hidden), ("Water first", false));
        let veiled = app.anonymous().get_comment(get(&reply.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert!(veiled.hidden && veiled.body.is_empty(), "{veiled:?}");
        let to_staff = s.get_comment(get(&reply.comment_id)).await.unwrap().into_inner().comment.unwrap();
        assert!(!to_staff.body.is_empty());
        assert_code(app.anonymous().get_comment(get(&id)).await, Code::NotFound, "not a comment");
        assert_code(app.anonymous().get_comment(get("x")).await, Code::InvalidArgument, "not an id");

        // Concurrent reports, each reporter trying three times: every distinct reporter counts
        // once and the comment is hidden (and announced) once.
        let busy = post(&mut app.client(&author), &id, "", "Spam spam spam").await;
        let attempts = futures::future::join_all(
            [&a, &b, &c, &d, &e, &f, &g]
                .into_iter()
                .flat_map(|p| [p, p, p])
                .map(|p| {
                    let mut client = app.client(p);
                    let request = report(&busy.comment_id);
                    async move { client.report_comment(request).await }
                }),
        )
        .await;
        assert_eq!(attempts.iter().filter(|r| r.is_ok()).count(), 7);
        for refused in attempts.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!(refused.code(), Code::AlreadyExists, "{refused:?}");
        }
        let listed = thread(&mut s, &id).await;
        let busy_now = listed.iter().find(|c| c.comment_id == busy.comment_id).unwrap();
        assert!(busy_now.hidden);
        assert_eq!(busy_now.hidden_reason, "pending_review");

        // Bad input: every bad field named, nothing written.
        let before = app.written().await;
        let mut me = app.client(&author);
        assert_fields(
            me.post_comment(PostCommentRequest {
                consultation_id: "consultation".into(),
                proposal_id: "proposal".into(),
                parent_comment_id: "42".into(),
                body: "x".repeat(5001),
                idempotency_key: "k".repeat(65),
            })
            .await,
            &["consultation_id", "proposal_id", "parent_comment_id", "body", "idempotency_key"],
        );
        assert_fields(
            me.post_comment(PostCommentRequest {
                consultation_id: id.clone(),
                body: "   ".into(),
                idempotency_key: "clé".into(),
                ..Default::default()
            })
            .await,
            &["body", "idempotency_key"],
        );
        assert_fields(
            me.report_comment(ReportCommentRequest { comment_id: "x".into(), reason: "a\u{7}b".into() }).await,
            &["comment_id", "reason"],
        );
        assert_fields(
            me.report_comment(ReportCommentRequest { comment_id: reply.comment_id.clone(), reason: "r".repeat(501) }).await,
            &["reason"],
        );
        assert_fields(
            s.hide_comment(HideCommentRequest { comment_id: "x".into(), reason: "r".repeat(501) }).await,
            &["comment_id", "reason"],
        );
        assert_fields(
            s.hide_comment(HideCommentRequest { comment_id: root.comment_id.clone(), reason: " ".into() }).await,
            &["reason"],
        );
        assert_fields(s.restore_comment(restore("not-a-uuid")).await, &["comment_id"]);
        assert_eq!(app.written().await, before);

        // Events: two comments posted, each hidden once (by reports, by a moderator).
        let counts = app.event_counts().await;
        assert_eq!(counts.get("consultation.comment.posted"), Some(&3), "{counts:?}");
        assert_eq!(counts.get("consultation.comment.hidden"), Some(&3), "{counts:?}");
        let mut causes: Vec<_> = app
            .events()
            .await
            .into_iter()
            .filter(|(_, e)| e.r#type == "consultation.comment.hidden")
            .map(|(_, e)| {
                let hidden = ConsultationCommentHidden::decode(e.payload.unwrap().value.as_slice()).unwrap();
                (hidden.comment_id, hidden.cause)
            })
            .collect();
        causes.sort();
        let mut expected = vec![
            (root.comment_id.clone(), "reports".to_string()),
            (reply.comment_id.clone(), "moderator".to_string()),
            (busy.comment_id.clone(), "reports".to_string()),
        ];
        expected.sort();
        assert_eq!(causes, expected);
        app.assert_no_personal_data(&[&author, &a, &b, &c, &d, &e, &f, &g, &staff]).await;
    }
}
