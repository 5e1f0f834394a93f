//! Consultations: the lifecycle and its window, surveys, proposals and supports (with the study
//! threshold under concurrency), comments hidden by reports and by moderators, and the events
//! all of it publishes, once each and without personal data.

use std::{collections::HashMap, time::Duration};

use futures::future::join_all;
use prost::Message;
use tachawor_proto::consultation::*;
use tachawor_storage::Clock;
use tachawor_testkit::Backend;
use tonic::Code;

use crate::helpers::{TestApp, rule, text, ts};

async fn scenario(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        HashMap::from([
            ("proposals.support_threshold", "5".to_string()),
            ("comments.reports_to_hide", "2".to_string()),
        ]),
    )
    .await;
    let staff = app.staff().await;
    let mut s = app.client(&staff);
    let c = s
        .create_consultation(CreateConsultationRequest {
            title: text("Regional Development Program"),
            body: text("What should come first?"),
            organizer: Some(Organizer {
                kind: OrganizerKind::Council as i32,
                instance_id: String::new(),
            }),
            audience: Audience::Public as i32,
            province_codes: vec!["laayoune".into()],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .consultation
        .unwrap();
    let id = c.consultation_id.clone();
    let q = s
        .add_question(AddQuestionRequest {
            consultation_id: id.clone(),
            kind: QuestionKind::SingleChoice as i32,
            prompt: text("Priority"),
            options: vec![text("Water").unwrap(), text("Roads").unwrap()],
            required: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .question
        .unwrap();
    let citizen = app.citizen().await;
    let mut me = app.client(&citizen);
    // A draft is not readable by citizens, nor open to responses.
    let hidden = me
        .get_consultation(GetConsultationRequest {
            consultation_id: id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(hidden.code(), Code::NotFound);
    // An observer reads the draft as staff do, and may not open it.
    let mut observer = app.client(&app.observer().await);
    let seen = observer
        .get_consultation(GetConsultationRequest {
            consultation_id: id.clone(),
        })
        .await
        .expect("the observer reads the draft");
    assert_eq!(seen.into_inner().consultation.unwrap().consultation_id, id);
    let refused = observer
        .open_consultation(OpenConsultationRequest {
            consultation_id: id.clone(),
            closes_at: ts(app.clock.now_millis() + 86_400_000),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    // Transitions: only draft → open → closed → answered.
    let err = s
        .close_consultation(CloseConsultationRequest {
            consultation_id: id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(rule(&err), "consultation.transition");
    let now = app.clock.now_millis();
    s.open_consultation(OpenConsultationRequest {
        consultation_id: id.clone(),
        closes_at: ts(now + 86_400_000),
    })
    .await
    .unwrap();
    let answer = |option: i32| Answer {
        question_id: q.question_id.clone(),
        option_indexes: vec![option],
        ..Default::default()
    };
    let first = me
        .submit_response(SubmitResponseRequest {
            consultation_id: id.clone(),
            answers: vec![answer(0)],
            idempotency_key: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!first.edited);
    let second = me
        .submit_response(SubmitResponseRequest {
            consultation_id: id.clone(),
            answers: vec![answer(1)],
            idempotency_key: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(second.edited);
    assert_eq!(first.response_id, second.response_id);
    let bad = me
        .submit_response(SubmitResponseRequest {
            consultation_id: id.clone(),
            answers: vec![answer(7)],
            idempotency_key: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        crate::helpers::fields(&bad),
        vec!["answers[0].option_indexes"]
    );

    // Proposals and supports: one per account, threshold 5 reached exactly once.
    let p = me
        .submit_proposal(SubmitProposalRequest {
            consultation_id: id.clone(),
            title: "Desalination".into(),
            body: "A plant".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .proposal
        .unwrap();
    let supporters: Vec<_> = join_all((0..8).map(|_| app.citizen())).await;
    let twice = join_all((0..20).map(|_| {
        let mut c = app.client(&supporters[0]);
        let pid = p.proposal_id.clone();
        async move {
            c.support_proposal(SupportProposalRequest {
                proposal_id: pid,
                idempotency_key: String::new(),
            })
            .await
        }
    }))
    .await;
    assert_eq!(twice.iter().filter(|r| r.is_ok()).count(), 1);
    let rest = join_all(supporters[1..].iter().map(|who| {
        let mut c = app.client(who);
        let pid = p.proposal_id.clone();
        async move {
            c.support_proposal(SupportProposalRequest {
                proposal_id: pid,
                idempotency_key: String::new(),
            })
            .await
        }
    }))
    .await;
    assert!(rest.iter().all(|r| r.is_ok()));
    let got = me
        .get_proposal(GetProposalRequest {
            proposal_id: p.proposal_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .proposal
        .unwrap();
    assert_eq!(got.supports, 8);
    assert!(got.study_required);

    // Comments: two reports hide one pending review; a moderator hides another with a reason.
    let comment = me
        .post_comment(PostCommentRequest {
            consultation_id: id.clone(),
            body: "Agreed".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .comment
        .unwrap();
    for who in &supporters[..2] {
        app.client(who)
            .report_comment(ReportCommentRequest {
                comment_id: comment.comment_id.clone(),
                reason: "spam".into(),
            })
            .await
            .unwrap();
    }
    let other = me
        .post_comment(PostCommentRequest {
            consultation_id: id.clone(),
            proposal_id: p.proposal_id.clone(),
            body: "Off topic".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .comment
        .unwrap();
    s.hide_comment(HideCommentRequest {
        comment_id: other.comment_id.clone(),
        reason: "off topic".into(),
    })
    .await
    .unwrap();
    let list = app
        .anonymous()
        .list_comments(ListCommentsRequest {
            consultation_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .comments;
    assert!(list.iter().all(|c| c.hidden && c.body.is_empty()));

    // Outside the window: nothing is taken.
    app.clock.advance(Duration::from_secs(2 * 86_400));
    let (staff, citizen) = (app.login(staff).await, app.login(citizen).await);
    let (mut s, mut me) = (app.client(&staff), app.client(&citizen));
    let late = me
        .submit_response(SubmitResponseRequest {
            consultation_id: id.clone(),
            answers: vec![answer(0)],
            idempotency_key: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(rule(&late), "consultation.not_open");
    let late = me
        .submit_proposal(SubmitProposalRequest {
            consultation_id: id.clone(),
            title: "Late".into(),
            body: "Late".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(rule(&late), "consultation.not_open");
    let late = me
        .support_proposal(SupportProposalRequest {
            proposal_id: p.proposal_id.clone(),
            idempotency_key: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(rule(&late), "consultation.not_open");
    // Results are for staff until the synthesis is published.
    let err = me
        .get_results(GetResultsRequest {
            consultation_id: id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(rule(&err), "consultation.results_not_published");
    s.close_consultation(CloseConsultationRequest {
        consultation_id: id.clone(),
    })
    .await
    .unwrap();
    s.answer_proposal(AnswerProposalRequest {
        proposal_id: p.proposal_id.clone(),
        answer: ProposalAnswer::Accepted as i32,
        reasons: "Funded".into(),
    })
    .await
    .unwrap();
    s.answer_consultation(AnswerConsultationRequest {
        consultation_id: id.clone(),
        synthesis: text("Water first"),
    })
    .await
    .unwrap();
    let results = me
        .get_results(GetResultsRequest {
            consultation_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(results.responses, 1);
    assert_eq!(
        results.questions[0].counts,
        vec![OptionCount {
            option_index: 1,
            count: 1
        }]
    );
    let err = s
        .open_consultation(OpenConsultationRequest {
            consultation_id: id.clone(),
            closes_at: ts(app.clock.now_millis() + 1000),
        })
        .await
        .unwrap_err();
    assert_eq!(rule(&err), "consultation.transition");

    // Every event once, none carrying personal data.
    let events = app.events().await;
    let mut by_type: HashMap<String, usize> = HashMap::new();
    for (_, e) in &events {
        *by_type.entry(e.r#type.clone()).or_default() += 1;
    }
    let mut people = vec![&citizen, &staff];
    people.extend(supporters.iter());
    app.assert_no_personal_data(&people).await;
    let expected = [
        ("consultation.consultation.opened", 1),
        ("consultation.consultation.closed", 1),
        ("consultation.consultation.answered", 1),
        ("consultation.response.submitted", 2),
        ("consultation.proposal.submitted", 1),
        ("consultation.proposal.supported", 8),
        ("consultation.proposal.answered", 1),
        ("consultation.comment.posted", 2),
        ("consultation.comment.hidden", 2),
    ];
    for (t, n) in expected {
        assert_eq!(by_type.get(t).copied().unwrap_or(0), n, "{t}: {by_type:?}");
    }
    assert_eq!(events.len(), expected.iter().map(|e| e.1).sum::<usize>());
    let ids: std::collections::HashSet<_> =
        events.iter().map(|(_, e)| e.event_id.clone()).collect();
    assert_eq!(ids.len(), events.len(), "no event twice");
    let reached = events
        .iter()
        .filter(|(_, e)| e.r#type == "consultation.proposal.supported")
        .filter(|(_, e)| {
            let payload = e.payload.as_ref().unwrap();
            tachawor_proto::events::ConsultationProposalSupported::decode(payload.value.as_slice())
                .unwrap()
                .threshold_reached
        })
        .count();
    assert_eq!(reached, 1, "the threshold is reached exactly once");
    // The answer names its author (pseudonymously), who is told of it.
    let answered = events
        .iter()
        .find(|(_, e)| e.r#type == "consultation.proposal.answered")
        .unwrap();
    let answered: tachawor_proto::events::ConsultationProposalAnswered =
        tachawor_events::decode_payload(&answered.1).unwrap();
    assert_eq!(answered.author_account_id, citizen.id);
    assert_eq!(answered.proposal_id, p.proposal_id);
}

mod scenario {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        scenario(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        scenario(Backend::Sqlite).await;
    }
}
