//! Who takes part: a consultation may admit only people whose identity staff have verified, so
//! that new accounts cannot inflate a proposal's supports. The default comes from the region
//! file; staff choose per consultation while it is a draft.

use std::collections::HashMap;

use tachawor_proto::consultation::*;
use tachawor_storage::Clock;
use tachawor_testkit::{Backend, matrix};
use tonic::Code;

use crate::helpers::{Person, TestApp, assert_fields, public_consultation, rule, text, ts};

fn draft(participation: Participation) -> CreateConsultationRequest {
    CreateConsultationRequest {
        participation: participation as i32,
        ..public_consultation()
    }
}

/// A consultation opened with `participation` and one free-text question; (its id, the
/// question's id).
async fn opened(app: &TestApp, staff: &Person, participation: Participation) -> (String, String) {
    let mut s = app.client(staff);
    let c = s
        .create_consultation(draft(participation))
        .await
        .expect("create")
        .into_inner()
        .consultation
        .expect("consultation");
    assert_eq!(c.participation, participation as i32);
    let question = s
        .add_question(AddQuestionRequest {
            consultation_id: c.consultation_id.clone(),
            kind: QuestionKind::FreeText as i32,
            prompt: text("Priority"),
            ..Default::default()
        })
        .await
        .expect("question")
        .into_inner()
        .question
        .expect("question")
        .question_id;
    s.open_consultation(OpenConsultationRequest {
        consultation_id: c.consultation_id.clone(),
        closes_at: ts(app.clock.now_millis() + 86_400_000),
    })
    .await
    .expect("open");
    (c.consultation_id, question)
}

fn response(consultation_id: &str, question_id: &str) -> SubmitResponseRequest {
    SubmitResponseRequest {
        consultation_id: consultation_id.into(),
        answers: vec![Answer {
            question_id: question_id.into(),
            text: "Water first".into(),
            ..Default::default()
        }],
        idempotency_key: String::new(),
    }
}

fn proposal(consultation_id: &str) -> SubmitProposalRequest {
    SubmitProposalRequest {
        consultation_id: consultation_id.into(),
        title: "Desalination".into(),
        body: "A plant for the coast".into(),
        ..Default::default()
    }
}

fn comment(consultation_id: &str) -> PostCommentRequest {
    PostCommentRequest {
        consultation_id: consultation_id.into(),
        body: "Agreed".into(),
        ..Default::default()
    }
}

matrix! {
    async fn a_consultation_for_verified_people_refuses_the_others_and_writes_nothing(app: TestApp) {
        let (staff, newcomer, verified) =
            tokio::join!(app.staff(), app.citizen(), app.verified("laayoune"));
        let (id, question) = opened(&app, &staff, Participation::VerifiedOnly).await;

        // A verified person takes part in every way, and proposes something to support.
        let mut v = app.client(&verified);
        v.submit_response(response(&id, &question)).await.expect("verified answers");
        let p = v
            .submit_proposal(proposal(&id))
            .await
            .expect("verified proposes")
            .into_inner()
            .proposal
            .expect("proposal");
        v.post_comment(comment(&id)).await.expect("verified comments");

        // A new, unverified account is refused each time, by the rule, and nothing is written.
        let before = app.written().await;
        let mut n = app.client(&newcomer);
        for refused in [
            n.submit_response(response(&id, &question)).await.map(|_| ()),
            n.submit_proposal(proposal(&id)).await.map(|_| ()),
            n.support_proposal(SupportProposalRequest {
                proposal_id: p.proposal_id.clone(),
                idempotency_key: String::new(),
            })
            .await
            .map(|_| ()),
            n.post_comment(comment(&id)).await.map(|_| ()),
        ] {
            let e = refused.expect_err("an unverified account is refused");
            assert_eq!(e.code(), Code::FailedPrecondition, "{e:?}");
            assert_eq!(rule(&e), "consultation.verified_only");
        }
        assert_eq!(app.written().await, before);

        // Staff verify the newcomer: now they take part.
        app.identity_staff()
            .verify_account(tachawor_proto::identity::VerifyAccountRequest {
                account_id: newcomer.id.clone(),
                cin: "JA123456".into(),
                residence_province_code: "laayoune".into(),
                ..Default::default()
            })
            .await
            .expect("verify");
        n.support_proposal(SupportProposalRequest {
            proposal_id: p.proposal_id.clone(),
            idempotency_key: String::new(),
        })
        .await
        .expect("a verified person supports");

        // A consultation open to any account takes the newcomer's and everyone's part as before.
        let other = app.citizen().await;
        let (open_to_all, q2) = opened(&app, &staff, Participation::AnyAccount).await;
        app.client(&other)
            .submit_response(response(&open_to_all, &q2))
            .await
            .expect("any account answers");
    }
}

matrix! {
    async fn staff_choose_it_on_a_draft_and_an_unset_value_keeps_it(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        // Unset on creation: the region's default, which the test region leaves off.
        let c = s
            .create_consultation(draft(Participation::Unspecified))
            .await
            .expect("create")
            .into_inner()
            .consultation
            .expect("consultation");
        assert_eq!(c.participation, Participation::AnyAccount as i32);
        let update = |participation: Participation| {
            let d = draft(participation);
            UpdateConsultationRequest {
                consultation_id: c.consultation_id.clone(),
                title: d.title,
                body: d.body,
                organizer: d.organizer,
                audience: d.audience,
                province_codes: d.province_codes,
                participation: d.participation,
            }
        };
        for (sent, read_back) in [
            (Participation::VerifiedOnly, Participation::VerifiedOnly),
            // A client that does not know the field does not undo it.
            (Participation::Unspecified, Participation::VerifiedOnly),
        ] {
            let after = s
                .update_consultation(update(sent))
                .await
                .expect("update")
                .into_inner()
                .consultation
                .expect("consultation");
            assert_eq!(after.participation, read_back as i32, "sent {sent:?}");
        }
        let read = s
            .get_consultation(GetConsultationRequest {
                consultation_id: c.consultation_id.clone(),
            })
            .await
            .expect("get")
            .into_inner()
            .consultation
            .expect("consultation");
        assert_eq!(read.participation, Participation::VerifiedOnly as i32);
        let audited = app.audit(&c.consultation_id).await;
        assert!(
            audited.iter().any(|(_, action, after)| action == "consultation.update"
                && after.contains("\"verified_only\":true")),
            "{audited:?}"
        );

        // An unknown value is named, and nothing is written.
        let before = app.written().await;
        assert_fields(
            s.create_consultation(CreateConsultationRequest {
                participation: 7,
                ..draft(Participation::AnyAccount)
            })
            .await,
            &["participation"],
        );
        assert_fields(
            s.update_consultation(UpdateConsultationRequest {
                participation: 7,
                ..update(Participation::AnyAccount)
            })
            .await,
            &["participation"],
        );
        assert_eq!(app.written().await, before);
    }
}

/// A region whose file says new consultations admit only verified people.
async fn region_default(backend: Backend) {
    let shipped = std::fs::read_to_string(tachawor_identity::testing::region_file())
        .expect("the region file");
    let strict = shipped.replace(
        "[participation]\nverified_only = false",
        "[participation]\nverified_only = true",
    );
    assert_ne!(
        strict, shipped,
        "the region file has a [participation] table"
    );
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("region.toml");
    std::fs::write(&file, strict).expect("write the region file");
    let app = TestApp::start_with(
        backend,
        HashMap::from([("region.file", file.display().to_string())]),
    )
    .await;
    let (staff, newcomer) = tokio::join!(app.staff(), app.citizen());
    let c = app
        .client(&staff)
        .create_consultation(draft(Participation::Unspecified))
        .await
        .expect("create")
        .into_inner()
        .consultation
        .expect("consultation");
    assert_eq!(c.participation, Participation::VerifiedOnly as i32);
    // Staff may still open one to every account.
    let (open_to_all, question) = opened(&app, &staff, Participation::AnyAccount).await;
    app.client(&newcomer)
        .submit_response(response(&open_to_all, &question))
        .await
        .expect("any account answers where staff chose so");
}

mod region_default {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        region_default(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        region_default(Backend::Sqlite).await;
    }
}
