//! Data rights: one signature per person even across a deleted account; what a deleted
//! account leaves (texts kept as by a "deleted participant", signatures on collecting petitions
//! withdrawn, responses and supports detached); the person's export of their own data.

use tachawor_identity::testing::PASSWORD;
use tachawor_proto::{
    common::PageRequest,
    consultation::*,
    identity::{DeleteMyAccountRequest, VerifyAccountRequest},
};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Person, TestApp, assert_fields, eventually, text};

async fn collecting_petition(app: &TestApp, agent: &Person) -> String {
    let mut c = app.client(agent);
    let id = c
        .create_petition(CreatePetitionRequest {
            kind: PetitionKind::Citizen as i32,
            title: "Bus line to the hospital".into(),
            object: "Put a new bus line on the council's agenda".into(),
            subject_field: "transport".into(),
            association_id: String::new(),
        })
        .await
        .expect("create petition")
        .into_inner()
        .petition
        .unwrap()
        .petition_id;
    c.start_collecting(StartCollectingRequest {
        petition_id: id.clone(),
    })
    .await
    .expect("start collecting");
    id
}

async fn sign(app: &TestApp, who: &Person, petition_id: &str) -> Result<Petition, tonic::Status> {
    app.client(who)
        .sign_petition(SignPetitionRequest {
            petition_id: petition_id.into(),
            ..Default::default()
        })
        .await
        .map(|r| r.into_inner().petition.unwrap())
}

async fn signatures(app: &TestApp, staff: &Person, petition_id: &str) -> Vec<Signature> {
    app.client(staff)
        .list_signatures(ListSignaturesRequest {
            petition_id: petition_id.into(),
            page: None,
        })
        .await
        .expect("list signatures")
        .into_inner()
        .signatures
}

async fn total(app: &TestApp, who: &Person, petition_id: &str) -> i64 {
    app.client(who)
        .get_petition(GetPetitionRequest {
            petition_id: petition_id.into(),
        })
        .await
        .expect("get petition")
        .into_inner()
        .petition
        .unwrap()
        .progress
        .unwrap()
        .signatures
}

/// An open consultation with one single-choice question (added while a draft).
async fn surveyed_consultation(app: &TestApp, staff: &Person) -> (String, String) {
    let mut s = app.client(staff);
    let id = s
        .create_consultation(CreateConsultationRequest {
            title: text("Regional Development Program"),
            body: text("What should come first?"),
            organizer: Some(Organizer {
                kind: OrganizerKind::Council as i32,
                instance_id: String::new(),
            }),
            audience: Audience::Public as i32,
            province_codes: Vec::new(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .consultation
        .unwrap()
        .consultation_id;
    let question = s
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
        .unwrap()
        .question_id;
    s.open_consultation(OpenConsultationRequest {
        consultation_id: id.clone(),
        closes_at: crate::helpers::ts(app.clock.now_millis() + 86_400_000),
    })
    .await
    .unwrap();
    (id, question)
}

async fn delete_account(app: &TestApp, person: &Person) {
    app.identity_as(person)
        .delete_my_account(DeleteMyAccountRequest {
            password: PASSWORD.into(),
        })
        .await
        .expect("delete account");
}

/// A new account for the same person, verified by staff with the same CIN.
async fn register_again(app: &TestApp, before: &Person) -> Person {
    let again = app.citizen().await;
    app.identity_staff()
        .verify_account(VerifyAccountRequest {
            account_id: again.id.clone(),
            cin: before.cin.clone(),
            residence_province_code: "laayoune".into(),
            ..Default::default()
        })
        .await
        .expect("the CIN of a deleted account verifies a new one");
    Person {
        cin: before.cin.clone(),
        ..again
    }
}

matrix! {
    async fn a_person_signs_once_even_after_deleting_the_account_and_registering_again(app: TestApp) {
        let agent = app.verified("laayoune").await;
        let staff = app.staff().await;
        let petition = collecting_petition(&app, &agent).await;
        let first = app.verified("laayoune").await;
        sign(&app, &first, &petition).await.expect("first signature");
        assert_eq!(total(&app, &agent, &petition).await, 1);

        // The account goes: its signature on a collecting petition is withdrawn.
        delete_account(&app, &first).await;
        eventually("the deleted account's signature is withdrawn", || async {
            total(&app, &agent, &petition).await == 0
        })
        .await;

        // Same CIN, new account: the same person key; signing again counts once.
        let second = register_again(&app, &first).await;
        let key = app.eligibility(&second.id).await.person_key;
        assert!(!key.is_empty());
        sign(&app, &second, &petition).await.expect("the person signs again, once");
        let again = sign(&app, &second, &petition).await.unwrap_err();
        assert_eq!(again.code(), Code::AlreadyExists);
        assert_eq!(total(&app, &agent, &petition).await, 1);
        let listed = signatures(&app, &staff, &petition).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].account_id, second.id);

        // Had the first signature still been there (its withdrawal not yet applied), the
        // person key refuses the second: one person, one signature, whatever the account.
        let other = collecting_petition(&app, &agent).await;
        sqlx::query(
            "INSERT INTO petition_signatures (petition_id, account_id, person_key, \
             province_code, by_declared_activity, signed_at) VALUES ($1, $2, $3, 'laayoune', 0, 0)",
        )
        .bind(&other)
        .bind(&first.id)
        .bind(&key)
        .execute(app.db.pool())
        .await
        .unwrap();
        sqlx::query("UPDATE petitions SET tally = '{\"laayoune\": 1}' WHERE petition_id = $1")
            .bind(&other)
            .execute(app.db.pool())
            .await
            .unwrap();
        let refused = sign(&app, &second, &other).await.unwrap_err();
        assert_eq!(refused.code(), Code::AlreadyExists, "{refused:?}");
        assert_eq!(total(&app, &agent, &other).await, 1);

        let counts = app.event_counts().await;
        assert_eq!(counts.get("consultation.petition.signed"), Some(&2));
        assert_eq!(counts.get("consultation.petition.signature_withdrawn"), Some(&1));
        // The person key never leaves in an event.
        for (_, e) in app.events().await {
            let bytes = prost::Message::encode_to_vec(&e);
            assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()), "{}", e.r#type);
        }
        app.assert_no_personal_data(&[&first, &second]).await;
    }

    async fn a_deleted_participants_texts_stay_without_them_and_their_traces_are_detached(app: TestApp) {
        let staff = app.staff().await;
        let (consultation, question) = surveyed_consultation(&app, &staff).await;
        let leaving = app.verified("laayoune").await;
        let other = app.citizen().await;
        let mut me = app.client(&leaving);
        let proposal = me
            .submit_proposal(SubmitProposalRequest {
                consultation_id: consultation.clone(),
                title: "Desalination".into(),
                body: "A plant for Boujdour".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .proposal
            .unwrap();
        let others_proposal = app
            .client(&other)
            .submit_proposal(SubmitProposalRequest {
                consultation_id: consultation.clone(),
                title: "Roads".into(),
                body: "Resurface the coast road".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .proposal
            .unwrap();
        me.support_proposal(SupportProposalRequest {
            proposal_id: others_proposal.proposal_id.clone(),
            idempotency_key: "support-once".into(),
        })
        .await
        .unwrap();
        let comment = me
            .post_comment(PostCommentRequest {
                consultation_id: consultation.clone(),
                body: "My own words about water".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .comment
            .unwrap();
        let reply = app
            .client(&other)
            .post_comment(PostCommentRequest {
                consultation_id: consultation.clone(),
                parent_comment_id: comment.comment_id.clone(),
                body: "A reply".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .comment
            .unwrap();
        me.submit_response(SubmitResponseRequest {
            consultation_id: consultation.clone(),
            answers: vec![Answer {
                question_id: question.clone(),
                option_indexes: vec![1],
                ..Default::default()
            }],
            idempotency_key: String::new(),
        })
        .await
        .unwrap();
        let petition = collecting_petition(&app, &staff).await;
        sign(&app, &leaving, &petition).await.unwrap();
        let results = |app: &TestApp| {
            let mut s = app.client(&staff);
            let consultation = consultation.clone();
            async move {
                s.get_results(GetResultsRequest { consultation_id: consultation })
                    .await
                    .unwrap()
                    .into_inner()
            }
        };
        let results_before = results(&app).await;

        delete_account(&app, &leaving).await;
        let anonymous = app.anonymous();
        let list = || {
            let mut anonymous = anonymous.clone();
            let consultation = consultation.clone();
            async move {
                anonymous
                    .list_comments(ListCommentsRequest {
                        consultation_id: consultation,
                        ..Default::default()
                    })
                    .await
                    .unwrap()
                    .into_inner()
                    .comments
            }
        };
        eventually("the comment shows a deleted participant", || async {
            list().await.iter().any(|c| c.comment_id == comment.comment_id && c.author_deleted)
        })
        .await;
        let comments = list().await;
        let kept = comments.iter().find(|c| c.comment_id == comment.comment_id).unwrap();
        assert_eq!(kept.author_id, "", "no longer linked to the person");
        assert_eq!(kept.body, "My own words about water", "the text stays");
        let answer = comments.iter().find(|c| c.comment_id == reply.comment_id).unwrap();
        assert_eq!(answer.parent_comment_id, comment.comment_id, "replies keep their thread");
        assert!(!answer.author_deleted);

        let kept = app
            .anonymous()
            .get_proposal(GetProposalRequest { proposal_id: proposal.proposal_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .proposal
            .unwrap();
        assert!(kept.author_deleted);
        assert_eq!((kept.author_id.as_str(), kept.body.as_str()), ("", "A plant for Boujdour"));
        let supported = app
            .anonymous()
            .get_proposal(GetProposalRequest { proposal_id: others_proposal.proposal_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .proposal
            .unwrap();
        assert_eq!(supported.supports, 1, "the support still counts");
        assert_eq!(total(&app, &staff, &petition).await, 0, "withdrawn while collecting");

        // Nothing in this service still points at the account.
        for (table, column) in [
            ("comments", "author_id"),
            ("proposals", "author_id"),
            ("supports", "account_id"),
            ("responses", "account_id"),
            ("petition_signatures", "account_id"),
            ("idempotency_keys", "account_id"),
        ] {
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE {column} = $1"
            )))
            .bind(&leaving.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
            assert_eq!(n, 0, "{table} still holds the deleted account");
        }
        assert_eq!(app.count("supports").await, 1);
        assert_eq!(results(&app).await, results_before, "the response still counts");

        // The deleted account's last token still verifies, but writes nothing new under it.
        let late = me
            .post_comment(PostCommentRequest {
                consultation_id: consultation.clone(),
                body: "Written after deletion".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(late.code(), Code::Unauthenticated, "{late:?}");

        app.assert_no_personal_data(&[&leaving, &other]).await;
    }

    async fn export_my_data_gives_the_caller_their_own_data_a_page_at_a_time(app: TestApp) {
        let staff = app.staff().await;
        let consultation = app.open_consultation(&staff).await;
        let me = app.verified("laayoune").await;
        let other = app.verified("tarfaya").await;
        let mut c = app.client(&me);
        let proposal = c
            .submit_proposal(SubmitProposalRequest {
                consultation_id: consultation.clone(),
                title: "Desalination".into(),
                body: "A plant".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .proposal
            .unwrap();
        app.client(&other)
            .support_proposal(SupportProposalRequest {
                proposal_id: proposal.proposal_id.clone(),
                idempotency_key: String::new(),
            })
            .await
            .unwrap();
        let others = app
            .client(&other)
            .submit_proposal(SubmitProposalRequest {
                consultation_id: consultation.clone(),
                title: "Roads".into(),
                body: "Resurface".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .proposal
            .unwrap();
        c.support_proposal(SupportProposalRequest {
            proposal_id: others.proposal_id.clone(),
            idempotency_key: String::new(),
        })
        .await
        .unwrap();
        for body in ["First thought", "Second thought"] {
            c.post_comment(PostCommentRequest {
                consultation_id: consultation.clone(),
                body: body.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        }
        let mine = collecting_petition(&app, &me).await;
        let theirs = collecting_petition(&app, &other).await;
        sign(&app, &me, &theirs).await.unwrap();
        sign(&app, &other, &mine).await.unwrap();

        let export = c
            .export_my_data(ExportMyDataRequest { page: None })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(export.account_id, me.id);
        assert_eq!(export.proposals.len(), 1);
        assert_eq!(export.proposals[0].proposal_id, proposal.proposal_id);
        assert_eq!(
            export.comments.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(),
            ["First thought", "Second thought"]
        );
        assert_eq!(export.supports.len(), 1);
        assert_eq!(export.supports[0].proposal_id, others.proposal_id);
        assert_eq!(export.petitions_created.len(), 1);
        assert_eq!(export.petitions_created[0].petition_id, mine);
        assert_eq!(export.signatures.len(), 1);
        assert_eq!(export.signatures[0].petition_id, theirs);
        assert_eq!(export.signatures[0].province_code, "laayoune");
        assert!(export.next_page_token.is_empty());

        // A page at a time: one row of each list, then the rest.
        let first = c
            .export_my_data(ExportMyDataRequest {
                page: Some(PageRequest { page_size: 1, page_token: String::new() }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(first.comments.len(), 1);
        assert!(!first.next_page_token.is_empty());
        let second = c
            .export_my_data(ExportMyDataRequest {
                page: Some(PageRequest { page_size: 1, page_token: first.next_page_token }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(second.comments[0].body, "Second thought");
        assert!(second.proposals.is_empty());
        assert!(second.next_page_token.is_empty());

        // The other person sees only theirs.
        let theirs_export = app
            .client(&other)
            .export_my_data(ExportMyDataRequest { page: None })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(theirs_export.account_id, other.id);
        assert!(theirs_export.comments.is_empty());
        assert_eq!(theirs_export.proposals[0].proposal_id, others.proposal_id);
        assert_eq!(theirs_export.signatures[0].petition_id, mine);

        let anonymous = app.anonymous().export_my_data(ExportMyDataRequest { page: None }).await;
        assert_eq!(anonymous.unwrap_err().code(), Code::Unauthenticated);
        assert_fields(
            c.export_my_data(ExportMyDataRequest {
                page: Some(PageRequest { page_size: 10, page_token: "forged".into() }),
            })
            .await,
            &["page.page_token"],
        );
    }
}
