//! Each consultation is kept as lists show it (`listed`): a page of consultations shows each
//! one as its own page does, its questions as they are added, its texts whatever characters
//! they hold, in every state and at every page size; consultations from before that column
//! are listed alike and written when the service starts.

use tachawor_proto::consultation::*;
use tachawor_testkit::matrix;

use tachawor_storage::Clock;

use crate::helpers::{TestApp, text};

/// The questions of `id` as ListConsultations gives them to `client`.
async fn listed(client: &mut crate::helpers::Client, id: &str) -> Vec<Question> {
    client
        .list_consultations(ListConsultationsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .consultations
        .into_iter()
        .find(|c| c.consultation_id == id)
        .expect("listed")
        .questions
}

matrix! {
    async fn lists_carry_the_questions_as_each_consultation_does(app: TestApp) {
        let mut app = app;
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let id = app.draft_consultation(&staff).await;
        assert!(listed(&mut s, &id).await.is_empty(), "a new draft has no questions");
        for (i, kind) in [QuestionKind::SingleChoice, QuestionKind::FreeText].into_iter().enumerate() {
            s.add_question(AddQuestionRequest {
                consultation_id: id.clone(),
                kind: kind as i32,
                prompt: text(&format!("Question {i}")),
                options: if kind == QuestionKind::SingleChoice {
                    vec![text("Tarfaya").unwrap(), text("Boujdour").unwrap()]
                } else {
                    Vec::new()
                },
                required: i == 0,
                ..Default::default()
            })
            .await
            .unwrap();
            let own = s
                .get_consultation(GetConsultationRequest { consultation_id: id.clone() })
                .await
                .unwrap()
                .into_inner()
                .consultation
                .unwrap()
                .questions;
            assert_eq!(own.len(), i + 1);
            assert_eq!(listed(&mut s, &id).await, own, "after question {i}");
        }
        let own = listed(&mut s, &id).await;

        // As a consultation from before the column: read whole, then written when a replica
        // starts.
        sqlx::query("UPDATE consultations SET listed = NULL")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(listed(&mut s, &id).await, own, "read whole");
        let replica = app.replica().await;
        let (unwritten,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM consultations WHERE listed IS NULL")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(unwritten, 0, "every consultation written at start");
        let mut on_replica = app.client_on(&replica, Some(&staff));
        assert_eq!(listed(&mut on_replica, &id).await, own, "read from the kept list");
    }
}

/// Every consultation `client` may list, a page of `size` at a time, in the order given.
async fn all_pages(client: &mut crate::helpers::Client, size: i32) -> Vec<Consultation> {
    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_consultations(ListConsultationsRequest {
                page: Some(tachawor_proto::common::PageRequest {
                    page_size: size,
                    page_token: token,
                }),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(page.consultations.len() <= size as usize);
        all.extend(page.consultations);
        if page.next_page_token.is_empty() {
            return all;
        }
        token = page.next_page_token;
    }
}

/// Each consultation as `client` reads it on its own page.
async fn own_pages(client: &mut crate::helpers::Client, ids: &[String]) -> Vec<Consultation> {
    let mut own = Vec::new();
    for id in ids {
        own.push(
            client
                .get_consultation(GetConsultationRequest {
                    consultation_id: id.clone(),
                })
                .await
                .unwrap()
                .into_inner()
                .consultation
                .unwrap(),
        );
    }
    own
}

matrix! {
    async fn a_page_lists_each_consultation_as_its_own_page_shows_it(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let mut anonymous = app.anonymous();
        assert!(all_pages(&mut anonymous, 2).await.is_empty(), "nothing to list yet");

        // Texts the database writes into the page's JSON: quotes, backslashes, line breaks,
        // tabs, Arabic, Tifinagh and characters outside the basic plane.
        let tricky = |s: &str| {
            Some(tachawor_proto::common::LocalizedText {
                ar: format!("{s} «التنمية» \"الجهوية\" \\ سطر\nآخر"),
                fr: format!("{s} l'eau d'abord\t{{\"json\": [1]}} 💧"),
                en: String::new(),
                zgh: "ⵜⴰⵎⴰⵣⵉⵖⵜ ⵏ ⵜⵎⵏⴰⴹⵜ".into(),
            })
        };
        let mut ids = Vec::new();
        for i in 0..3 {
            let created = s
                .create_consultation(CreateConsultationRequest {
                    title: tricky(&format!("Title {i}")),
                    body: tricky(&format!("Body {i}")),
                    province_codes: vec!["laayoune".into(), "tarfaya".into()],
                    participation: if i == 1 {
                        Participation::AnyAccount as i32
                    } else {
                        Participation::Unspecified as i32
                    },
                    ..crate::helpers::public_consultation()
                })
                .await
                .unwrap()
                .into_inner()
                .consultation
                .unwrap();
            s.add_question(AddQuestionRequest {
                consultation_id: created.consultation_id.clone(),
                kind: QuestionKind::SingleChoice as i32,
                prompt: tricky("Which?"),
                options: vec![tricky("one").unwrap(), tricky("two").unwrap()],
                ..Default::default()
            })
            .await
            .unwrap();
            ids.push(created.consultation_id);
            app.clock.advance(std::time::Duration::from_secs(1));
        }
        // Newest first: the consultations' pages in that order, whatever the page size.
        ids.reverse();
        let own = own_pages(&mut s, &ids).await;
        for size in [1, 2, 20] {
            assert_eq!(all_pages(&mut s, size).await, own, "drafts, pages of {size}");
        }
        assert!(all_pages(&mut anonymous, 20).await.is_empty(), "drafts are for staff");

        // Open, closed and answered (with its synthesis): the public sees the same.
        let closes_at = crate::helpers::ts(app.clock.now_millis() + 86_400_000);
        for id in &ids {
            s.open_consultation(OpenConsultationRequest {
                consultation_id: id.clone(),
                closes_at,
            })
            .await
            .unwrap();
        }
        s.close_consultation(CloseConsultationRequest { consultation_id: ids[0].clone() })
            .await
            .unwrap();
        s.close_consultation(CloseConsultationRequest { consultation_id: ids[1].clone() })
            .await
            .unwrap();
        s.answer_consultation(AnswerConsultationRequest {
            consultation_id: ids[1].clone(),
            synthesis: tricky("Synthesis"),
        })
        .await
        .unwrap();
        let own = own_pages(&mut anonymous, &ids).await;
        assert!(own[1].synthesis.is_some(), "an answered consultation shows its synthesis");
        assert!(own.iter().all(|c| c.opens_at.is_some() && c.closes_at.is_some()));
        for size in [1, 2, 20] {
            assert_eq!(all_pages(&mut anonymous, size).await, own, "public, pages of {size}");
        }
    }
}
