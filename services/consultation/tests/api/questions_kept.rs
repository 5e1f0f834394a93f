//! A consultation's questions are kept beside it for lists (`questions_json`): a page of
//! consultations lists the same questions as each one's own page, as they are added, and the
//! consultations from before that column are listed alike and filled when the service starts.

use tachawor_proto::consultation::*;
use tachawor_testkit::matrix;

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

        // As a consultation from before the column: listed from the questions' table, then
        // filled when a replica starts.
        sqlx::query("UPDATE consultations SET questions_json = NULL")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(listed(&mut s, &id).await, own, "read from the questions' table");
        let replica = app.replica().await;
        let (unwritten,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM consultations WHERE questions_json IS NULL")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(unwritten, 0, "every consultation filled at start");
        let mut on_replica = app.client_on(&replica, Some(&staff));
        assert_eq!(listed(&mut on_replica, &id).await, own, "read from the kept list");
    }
}
