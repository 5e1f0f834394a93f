//! Bad input beyond "required", with otherwise real requests: lengths, enumerations, instants,
//! ids, provinces, pages and idempotency keys. Each call is refused with INVALID_ARGUMENT
//! naming every bad field, and nothing is written. (Comments, opinions and the forum check
//! their own in their modules.)

use tachawor_proto::{
    common::{LocalizedText, PageRequest},
    consultation::*,
};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;

use crate::helpers::{TestApp, assert_fields, rule, text, ts};

fn long(n: usize) -> String {
    "x".repeat(n)
}

fn consultation() -> CreateConsultationRequest {
    CreateConsultationRequest {
        title: text("Regional Development Program"),
        body: text("What should come first?"),
        organizer: Some(Organizer {
            kind: OrganizerKind::Council as i32,
            instance_id: String::new(),
        }),
        audience: Audience::Public as i32,
        province_codes: vec!["tarfaya".into()],
        ..Default::default()
    }
}

matrix! {
    async fn every_bad_field_is_named_and_nothing_written(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let (mut s, mut me) = (app.client(&staff), app.client(&citizen));
        let draft = s.create_consultation(consultation()).await.unwrap().into_inner().consultation.unwrap().consultation_id;
        let open = app.open_consultation(&staff).await;
        let question = s.get_consultation(GetConsultationRequest { consultation_id: draft.clone() }).await.unwrap();
        assert!(question.into_inner().consultation.unwrap().questions.is_empty());
        let before = app.written().await;
        let now = app.clock.now_millis();
        let key = long(65);

        // Consultations.
        assert_fields(
            s.create_consultation(CreateConsultationRequest {
                title: Some(LocalizedText { ar: long(301), fr: "Programme".into(), en: "a\u{1}".into(), zgh: "Programme".into() }),
                body: None,
                organizer: Some(Organizer { kind: OrganizerKind::Instance as i32, instance_id: "youth".into() }),
                audience: 9,
                province_codes: vec!["tarfaya".into(), "casablanca".into()],
                ..Default::default()
            })
            .await,
            &["title.ar", "title.en", "title.zgh", "body.ar", "body.fr", "organizer.instance_id", "audience", "province_codes"],
        );
        assert_fields(
            s.create_consultation(CreateConsultationRequest {
                organizer: Some(Organizer { kind: OrganizerKind::Council as i32, instance_id: uuid::Uuid::new_v4().to_string() }),
                body: Some(LocalizedText { ar: long(20_001), ..text("b").unwrap() }),
                ..consultation()
            })
            .await,
            &["organizer.instance_id", "body.ar"],
        );
        assert_fields(
            s.create_consultation(CreateConsultationRequest { organizer: Some(Organizer { kind: 5, instance_id: String::new() }), ..consultation() }).await,
            &["organizer.kind"],
        );
        for closes_at in [ts(now - 1000), ts(now), None] {
            assert_fields(
                s.open_consultation(OpenConsultationRequest { consultation_id: draft.clone(), closes_at }).await,
                &["closes_at"],
            );
        }
        assert_fields(
            s.answer_consultation(AnswerConsultationRequest { consultation_id: "c".into(), synthesis: Some(LocalizedText { ar: long(20_001), fr: " ".into(), en: String::new(), zgh: String::new() }) }).await,
            &["consultation_id", "synthesis.ar", "synthesis.fr"],
        );
        assert_fields(
            me.list_consultations(ListConsultationsRequest { status: 42, page: Some(PageRequest { page_size: -5, page_token: String::new() }), ..Default::default() }).await,
            &["status", "page.page_size"],
        );
        assert_fields(
            me.list_consultations(ListConsultationsRequest { page: Some(PageRequest { page_size: 10, page_token: "garbage".into() }), ..Default::default() }).await,
            &["page.page_token"],
        );

        // Surveys.
        let question = |kind: QuestionKind| AddQuestionRequest {
            consultation_id: draft.clone(),
            kind: kind as i32,
            prompt: text("Priority"),
            ..Default::default()
        };
        assert_fields(
            s.add_question(AddQuestionRequest { kind: 9, prompt: Some(LocalizedText { ar: long(1001), ..text("p").unwrap() }), ..question(QuestionKind::FreeText) }).await,
            &["kind", "prompt.ar"],
        );
        assert_fields(
            s.add_question(AddQuestionRequest { options: vec![text("Only").unwrap()], ..question(QuestionKind::SingleChoice) }).await,
            &["options"],
        );
        assert_fields(
            s.add_question(AddQuestionRequest {
                options: vec![text("Water").unwrap(), LocalizedText { ar: "ماء".into(), fr: String::new(), en: String::new(), zgh: String::new() }],
                ..question(QuestionKind::MultipleChoice)
            })
            .await,
            &["options[1].fr"],
        );
        assert_fields(
            s.add_question(AddQuestionRequest { options: vec![text("A").unwrap(), text("B").unwrap()], scale_max: 5, ..question(QuestionKind::FreeText) }).await,
            &["options", "scale_max"],
        );
        for (min, max) in [(5, 5), (-101, 3), (1, 101)] {
            assert_fields(
                s.add_question(AddQuestionRequest { scale_min: min, scale_max: max, ..question(QuestionKind::Scale) }).await,
                &["scale_max"],
            );
        }
        assert_fields(
            me.submit_response(SubmitResponseRequest {
                consultation_id: open.clone(),
                answers: vec![Answer { question_id: "q1".into(), ..Default::default() }],
                idempotency_key: key.clone(),
            })
            .await,
            &["answers[0].question_id", "idempotency_key"],
        );
        assert_fields(
            me.submit_response(SubmitResponseRequest {
                consultation_id: open.clone(),
                answers: vec![Answer { question_id: uuid::Uuid::new_v4().to_string(), ..Default::default() }; 101],
                idempotency_key: String::new(),
            })
            .await,
            &["answers"],
        );

        // Proposals.
        assert_fields(
            me.submit_proposal(SubmitProposalRequest {
                consultation_id: open.clone(),
                title: long(201),
                body: long(10_001),
                association_id: "association".into(),
                idempotency_key: "clé".into(),
            })
            .await,
            &["title", "body", "association_id", "idempotency_key"],
        );
        assert_fields(
            me.support_proposal(SupportProposalRequest { proposal_id: "p".into(), idempotency_key: key.clone() }).await,
            &["proposal_id", "idempotency_key"],
        );
        assert_fields(
            s.answer_proposal(AnswerProposalRequest { proposal_id: uuid::Uuid::new_v4().to_string(), answer: 17, reasons: long(5001) }).await,
            &["answer", "reasons"],
        );
        assert_fields(
            me.list_proposals(ListProposalsRequest { consultation_id: open.clone(), page: Some(PageRequest { page_size: -1, page_token: String::new() }) }).await,
            &["page.page_size"],
        );

        // Petitions.
        assert_fields(
            me.create_petition(CreatePetitionRequest {
                kind: 9,
                title: long(201),
                object: long(5001),
                subject_field: "Public Transport".into(),
                association_id: uuid::Uuid::new_v4().to_string(),
            })
            .await,
            &["kind", "title", "object", "subject_field", "association_id"],
        );
        assert_fields(
            me.create_petition(CreatePetitionRequest {
                kind: PetitionKind::Association as i32,
                title: "Bus".into(),
                object: "A bus line".into(),
                subject_field: "transport".into(),
                association_id: "association".into(),
            })
            .await,
            &["association_id"],
        );
        assert_fields(
            me.sign_petition(SignPetitionRequest { petition_id: "p".into(), declared_activity_province_code: "casablanca".into(), idempotency_key: key.clone() }).await,
            &["petition_id", "declared_activity_province_code", "idempotency_key"],
        );
        let petition_id = uuid::Uuid::new_v4().to_string();
        assert_fields(
            s.admit_petition(AdmitPetitionRequest { petition_id: petition_id.clone(), session: long(201) }).await,
            &["session"],
        );
        assert_fields(
            s.reject_petition(RejectPetitionRequest { petition_id: "p".into(), reasons: long(2001) }).await,
            &["petition_id", "reasons"],
        );
        assert_fields(
            me.list_petitions(ListPetitionsRequest { status: 99, ..Default::default() }).await,
            &["status"],
        );
        assert_fields(
            s.list_signatures(ListSignaturesRequest { petition_id, page: Some(PageRequest { page_size: -100, page_token: String::new() }) }).await,
            &["page.page_size"],
        );
        assert_fields(
            me.export_my_data(ExportMyDataRequest { page: Some(PageRequest { page_size: -1, page_token: "forged".into() }) }).await,
            &["page.page_size"],
        );
        assert_eq!(app.written().await, before);

        // A domain role checked once the input is good: proposing in the name of an association
        // one does not represent.
        let err = me
            .submit_proposal(SubmitProposalRequest {
                consultation_id: open.clone(),
                title: "Bus".into(),
                body: "A bus line".into(),
                association_id: uuid::Uuid::new_v4().to_string(),
                idempotency_key: String::new(),
            })
            .await
            .unwrap_err();
        assert_eq!(rule(&err), "proposal.association_representative");
        assert_eq!(app.written().await, before);
    }
}
