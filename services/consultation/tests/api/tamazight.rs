//! Tamazight (`zgh`, in Tifinagh) beside Arabic and French: a consultation's title, text,
//! questions, options and synthesis and the Forum's titles keep it and give it back; text that is
//! not Tifinagh is refused naming its field, and nothing is written.

use tachawor_proto::{common::LocalizedText, consultation::*};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;

use crate::helpers::{TestApp, assert_fields, text, ts};

/// `s` in Arabic and French, and `zgh` as its Tamazight version.
fn with_zgh(s: &str, zgh: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        zgh: zgh.into(),
        ..text(s).unwrap()
    })
}

fn forum_edition(title: Option<LocalizedText>) -> CreateForumEditionRequest {
    let date = |day| {
        Some(tachawor_proto::common::Date {
            year: 2027,
            month: 3,
            day,
        })
    };
    CreateForumEditionRequest {
        year: 2027,
        title,
        starts_on: date(1),
        ends_on: date(3),
        idempotency_key: String::new(),
    }
}

fn zgh_of(t: &Option<LocalizedText>) -> &str {
    t.as_ref().map_or("", |t| t.zgh.as_str())
}

matrix! {
    async fn a_consultation_and_the_forum_keep_their_tamazight(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let created = s
            .create_consultation(CreateConsultationRequest {
                title: with_zgh("Water", "ⴰⵎⴰⵏ"),
                body: with_zgh("Which wells first?", "ⵎⴰⵏⵉ ⴰⵏⵓ ⵜⵉⵣⵡⵓⵔⴰ?"),
                organizer: Some(Organizer { kind: OrganizerKind::Council as i32, instance_id: String::new() }),
                audience: Audience::Public as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap();
        let id = created.consultation_id.clone();
        s.add_question(AddQuestionRequest {
            consultation_id: id.clone(),
            kind: QuestionKind::SingleChoice as i32,
            prompt: with_zgh("Which one?", "ⵎⴰⵏⵉ?"),
            options: vec![with_zgh("Tarfaya", "ⵜⴰⵔⴼⴰⵢⴰ").unwrap(), text("Boujdour").unwrap()],
            ..Default::default()
        })
        .await
        .unwrap();
        s.open_consultation(OpenConsultationRequest { consultation_id: id.clone(), closes_at: ts(app.clock.now_millis() + 86_400_000) })
            .await
            .unwrap();
        s.close_consultation(CloseConsultationRequest { consultation_id: id.clone() }).await.unwrap();
        s.answer_consultation(AnswerConsultationRequest { consultation_id: id.clone(), synthesis: with_zgh("Done", "ⵉⴽⵎⵍ") })
            .await
            .unwrap();

        let read = app.anonymous().get_consultation(GetConsultationRequest { consultation_id: id.clone() }).await.unwrap().into_inner().consultation.unwrap();
        assert_eq!((zgh_of(&read.title), zgh_of(&read.body), zgh_of(&read.synthesis)), ("ⴰⵎⴰⵏ", "ⵎⴰⵏⵉ ⴰⵏⵓ ⵜⵉⵣⵡⵓⵔⴰ?", "ⵉⴽⵎⵍ"));
        let question = &read.questions[0];
        assert_eq!(zgh_of(&question.prompt), "ⵎⴰⵏⵉ?");
        let options: Vec<&str> = question.options.iter().map(|o| o.zgh.as_str()).collect();
        assert_eq!(options, ["ⵜⴰⵔⴼⴰⵢⴰ", ""]);
        assert_eq!(question.options[1].fr, "Boujdour (fr)");
        let listed = app.anonymous().list_consultations(ListConsultationsRequest::default()).await.unwrap().into_inner();
        let listed = listed.consultations.iter().find(|c| c.consultation_id == id).expect("listed");
        assert_eq!(zgh_of(&listed.title), "ⴰⵎⴰⵏ");

        let edition = s
            .create_forum_edition(forum_edition(with_zgh("Forum", "ⴰⵎⵓⵙⵙⵓ")))
            .await
            .unwrap()
            .into_inner()
            .edition
            .unwrap();
        let theme = s.add_forum_theme(AddForumThemeRequest { edition_id: edition.edition_id.clone(), title: with_zgh("Water", "ⴰⵎⴰⵏ"), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .theme
            .unwrap();
        s.add_forum_workshop(AddForumWorkshopRequest {
            theme_id: theme.theme_id.clone(),
            title: with_zgh("Wells", "ⵜⵉⵣⵡⵓⵔⴰ"),
            province_code: "laayoune".into(),
            session_id: String::new(),
            idempotency_key: String::new(),
        })
        .await
        .unwrap();
        let read = app.anonymous().get_forum_edition(GetForumEditionRequest { edition_id: edition.edition_id.clone() }).await.unwrap().into_inner().edition.unwrap();
        assert_eq!(zgh_of(&read.title), "ⴰⵎⵓⵙⵙⵓ");
        assert_eq!(zgh_of(&read.themes[0].title), "ⴰⵎⴰⵏ");
        assert_eq!(zgh_of(&read.themes[0].workshops[0].title), "ⵜⵉⵣⵡⵓⵔⴰ");
    }

    async fn tamazight_not_in_tifinagh_is_refused_and_nothing_written(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let before = app.written().await;
        assert_fields(
            s.create_consultation(CreateConsultationRequest {
                title: with_zgh("Water", "aman"),
                body: with_zgh("Text", "ماء"),
                organizer: Some(Organizer { kind: OrganizerKind::Council as i32, instance_id: String::new() }),
                audience: Audience::Public as i32,
                ..Default::default()
            })
            .await,
            &["title.zgh", "body.zgh"],
        );
        assert_fields(
            s.create_forum_edition(forum_edition(with_zgh("Forum", &"ⴰ".repeat(301)))).await,
            &["title.zgh"],
        );
        assert_eq!(app.written().await, before, "nothing written");
    }
}
