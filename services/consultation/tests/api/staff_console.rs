//! What the staff console calls: the moderation queue across consultations and Forum
//! workshops (comments and contributions, each with its kind), editing a draft,
//! and the free-text survey answers (paged, and as CSV). Each with who may call it, bad input
//! naming every field with nothing written, and the states it refuses.

use std::time::Duration;

use tachawor_proto::{common::PageRequest, consultation::*};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, Person, TestApp, assert_code, assert_fields, rule, text, ts};

/// Moves the shared clock on, so what follows is strictly newer.
fn tick(app: &TestApp) {
    app.clock.advance(Duration::from_secs(1));
}

async fn post(app: &TestApp, who: &Person, consultation_id: &str, body: &str) -> String {
    tick(app);
    app.client(who)
        .post_comment(PostCommentRequest {
            consultation_id: consultation_id.into(),
            body: body.into(),
            ..Default::default()
        })
        .await
        .expect("post comment")
        .into_inner()
        .comment
        .expect("comment")
        .comment_id
}

async fn report(app: &TestApp, who: &Person, comment_id: &str, reason: &str) {
    tick(app);
    app.client(who)
        .report_comment(ReportCommentRequest {
            comment_id: comment_id.into(),
            reason: reason.into(),
        })
        .await
        .expect("report comment");
}

fn page(size: i32, token: &str) -> Option<PageRequest> {
    Some(PageRequest {
        page_size: size,
        page_token: token.into(),
    })
}

/// A workshop of a new Forum edition, set up by `staff`.
async fn forum_workshop(staff: &mut Client) -> String {
    let edition = staff
        .create_forum_edition(CreateForumEditionRequest {
            year: 2027,
            title: text("Regional Forum 2027"),
            starts_on: Some(tachawor_proto::common::Date {
                year: 2027,
                month: 3,
                day: 1,
            }),
            ends_on: Some(tachawor_proto::common::Date {
                year: 2027,
                month: 3,
                day: 2,
            }),
            idempotency_key: String::new(),
        })
        .await
        .expect("edition")
        .into_inner()
        .edition
        .expect("edition");
    let theme = staff
        .add_forum_theme(AddForumThemeRequest {
            edition_id: edition.edition_id,
            title: text("Water"),
            idempotency_key: String::new(),
        })
        .await
        .expect("theme")
        .into_inner()
        .theme
        .expect("theme");
    staff
        .add_forum_workshop(AddForumWorkshopRequest {
            theme_id: theme.theme_id,
            title: text("Desalination"),
            province_code: "laayoune".into(),
            session_id: String::new(),
            idempotency_key: String::new(),
        })
        .await
        .expect("workshop")
        .into_inner()
        .workshop
        .expect("workshop")
        .workshop_id
}

async fn contribute(app: &TestApp, who: &Person, workshop_id: &str, body: &str) -> String {
    tick(app);
    app.client(who)
        .add_forum_contribution(AddForumContributionRequest {
            workshop_id: workshop_id.into(),
            body: body.into(),
        })
        .await
        .expect("contribute")
        .into_inner()
        .contribution
        .expect("contribution")
        .contribution_id
}

async fn queue(c: &mut Client, page: Option<PageRequest>) -> ListModerationQueueResponse {
    c.list_moderation_queue(ListModerationQueueRequest { page })
        .await
        .expect("moderation queue")
        .into_inner()
}

matrix! {
    async fn the_moderation_queue_lists_reported_and_hidden_comments_newest_first(app: TestApp) {
        let (staff, admin, people) = tokio::join!(app.staff(), app.admin(), app.citizens(5));
        let [author, a, b, c, d]: [Person; 5] = people.try_into().ok().unwrap();
        let first = app.open_consultation(&staff).await;
        let second = app.open_consultation(&staff).await;
        let mut s = app.client(&staff);

        // Reported once, on the first consultation.
        let reported = post(&app, &author, &first, "Reported once").await;
        report(&app, &a, &reported, "off topic").await;
        // Hidden by three reports, on the second.
        let by_reports = post(&app, &author, &second, "Hidden by reports").await;
        for (who, why) in [(&a, "insult"), (&b, "spam"), (&c, "insult")] {
            report(&app, who, &by_reports, why).await;
        }
        // Hidden by a moderator without reports.
        let by_moderator = post(&app, &author, &first, "Hidden by a moderator").await;
        s.hide_comment(HideCommentRequest { comment_id: by_moderator.clone(), reason: "personal attack".into() })
            .await
            .expect("hide");
        // Neither reported nor hidden; and one reported, then restored after review.
        post(&app, &author, &second, "Fine").await;
        let restored = post(&app, &author, &first, "Restored").await;
        report(&app, &d, &restored, "unsure").await;
        tick(&app);
        s.hide_comment(HideCommentRequest { comment_id: restored.clone(), reason: "checking".into() }).await.expect("hide");
        s.restore_comment(RestoreCommentRequest { comment_id: restored.clone() }).await.expect("restore");

        // Newest first, across both consultations, with bodies, counts and reasons.
        let all = queue(&mut s, None).await;
        assert!(all.next_page_token.is_empty());
        let listed: Vec<_> = all
            .items
            .iter()
            .map(|i| {
                let comment = i.comment.as_ref().unwrap();
                let reasons: Vec<_> = i.reports.iter().map(|r| r.reason.as_str()).collect();
                (comment.comment_id.as_str(), comment.consultation_id.as_str(), comment.hidden, comment.hidden_reason.as_str(), comment.body.as_str(), i.report_count, reasons)
            })
            .collect();
        assert_eq!(
            listed,
            vec![
                (by_moderator.as_str(), first.as_str(), true, "personal attack", "Hidden by a moderator", 0, vec![]),
                (by_reports.as_str(), second.as_str(), true, "pending_review", "Hidden by reports", 3, vec!["insult", "spam", "insult"]),
                (reported.as_str(), first.as_str(), false, "", "Reported once", 1, vec!["off topic"]),
            ]
        );
        let times: Vec<_> = all.items[1].reports.iter().map(|r| r.reported_at.unwrap().seconds).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "reports oldest first: {times:?}");

        // Paged: 2 then 1, the same items; administrators read it too.
        let one = queue(&mut s, page(2, "")).await;
        assert_eq!(one.items.len(), 2);
        assert!(!one.next_page_token.is_empty());
        let two = queue(&mut app.client(&admin), page(2, &one.next_page_token)).await;
        assert_eq!(two.items.len(), 1);
        assert!(two.next_page_token.is_empty());
        let paged: Vec<_> = one.items.iter().chain(&two.items).map(|i| i.comment.clone().unwrap().comment_id).collect();
        assert_eq!(paged, vec![by_moderator.clone(), by_reports.clone(), reported.clone()]);

        // Who may read it, and bad pages: refused, nothing written.
        let before = app.written().await;
        let ask = ListModerationQueueRequest::default;
        assert_code(app.anonymous().list_moderation_queue(ask()).await, Code::Unauthenticated, "anonymous");
        assert_code(app.client(&a).list_moderation_queue(ask()).await, Code::PermissionDenied, "citizen");
        assert_code(app.service().await.list_moderation_queue(ask()).await, Code::PermissionDenied, "service");
        assert_fields(s.list_moderation_queue(ListModerationQueueRequest { page: page(-1, "") }).await, &["page.page_size"]);
        assert_fields(s.list_moderation_queue(ListModerationQueueRequest { page: page(10, "forged") }).await, &["page.page_token"]);
        assert_eq!(app.written().await, before);
    }
}

matrix! {
    async fn the_moderation_queue_lists_forum_contributions_beside_comments(app: TestApp) {
        let (staff, observer, people) = tokio::join!(app.staff(), app.observer(), app.citizens(3));
        let [author, a, b]: [Person; 3] = people.try_into().ok().unwrap();
        let consultation = app.open_consultation(&staff).await;
        let mut s = app.client(&staff);
        let workshop = forum_workshop(&mut s).await;

        let comment = post(&app, &author, &consultation, "A reported comment").await;
        report(&app, &a, &comment, "off topic").await;
        let reported = contribute(&app, &author, &workshop, "A reported contribution").await;
        for (who, why) in [(&a, "spam"), (&b, "off topic")] {
            tick(&app);
            app.client(who)
                .report_forum_contribution(ReportForumContributionRequest { contribution_id: reported.clone(), reason: why.into() })
                .await
                .expect("report contribution");
        }
        let hidden = contribute(&app, &author, &workshop, "A hidden contribution").await;
        s.hide_forum_contribution(HideForumContributionRequest { contribution_id: hidden.clone(), reason: "insult".into() })
            .await
            .expect("hide contribution");
        // Neither reported nor hidden: not listed.
        contribute(&app, &author, &workshop, "Fine").await;
        post(&app, &author, &consultation, "Fine too").await;

        // Newest first, comments and contributions together, each with its kind and reports.
        let listed = |items: &[ModerationItem]| -> Vec<(ModerationKind, String, String, bool, i64, Vec<String>)> {
            items
                .iter()
                .map(|i| {
                    let kind = ModerationKind::try_from(i.kind).unwrap();
                    let reasons = i.reports.iter().map(|r| r.reason.clone()).collect();
                    match (&i.comment, &i.forum_contribution) {
                        (Some(c), None) => (kind, c.comment_id.clone(), c.body.clone(), c.hidden, i.report_count, reasons),
                        (None, Some(c)) => (kind, c.contribution_id.clone(), c.body.clone(), c.hidden, i.report_count, reasons),
                        other => panic!("an item is a comment or a contribution: {other:?}"),
                    }
                })
                .collect()
        };
        let all = queue(&mut s, None).await;
        assert!(all.next_page_token.is_empty());
        let expected = vec![
            (ModerationKind::ForumContribution, hidden.clone(), "A hidden contribution".to_string(), true, 0, vec![]),
            (
                ModerationKind::ForumContribution,
                reported.clone(),
                "A reported contribution".to_string(),
                false,
                2,
                vec!["spam".to_string(), "off topic".to_string()],
            ),
            (ModerationKind::Comment, comment.clone(), "A reported comment".to_string(), false, 1, vec!["off topic".to_string()]),
        ];
        assert_eq!(listed(&all.items), expected);
        let workshops: Vec<&str> = all.items[..2].iter().map(|i| i.forum_contribution.as_ref().unwrap().workshop_id.as_str()).collect();
        assert_eq!(workshops, [workshop.as_str(), workshop.as_str()]);

        // A page at a time, read by observers too: the same items.
        let mut o = app.client(&observer);
        let mut token = String::new();
        let mut paged = Vec::new();
        loop {
            let one = queue(&mut o, page(1, &token)).await;
            assert_eq!(one.items.len(), 1);
            paged.extend(listed(&one.items));
            if one.next_page_token.is_empty() {
                break;
            }
            token = one.next_page_token;
        }
        assert_eq!(paged, expected);

        // Restored after review, a contribution leaves the queue.
        s.restore_forum_contribution(RestoreForumContributionRequest { contribution_id: hidden.clone() })
            .await
            .expect("restore");
        let left: Vec<String> = listed(&queue(&mut s, None).await.items).into_iter().map(|i| i.1).collect();
        assert_eq!(left, vec![reported.clone(), comment.clone()]);
        // Citizens may not read it.
        assert_code(app.client(&a).list_moderation_queue(ListModerationQueueRequest::default()).await, Code::PermissionDenied, "citizen");
    }
}

fn update(id: &str) -> UpdateConsultationRequest {
    UpdateConsultationRequest {
        consultation_id: id.into(),
        title: text("Budget 2027"),
        body: text("Where should the money go?"),
        organizer: Some(Organizer {
            kind: OrganizerKind::Council as i32,
            instance_id: String::new(),
        }),
        audience: Audience::Associations as i32,
        province_codes: vec!["tarfaya".into(), "boujdour".into(), "tarfaya".into()],
        ..Default::default()
    }
}

matrix! {
    async fn staff_edit_a_draft_and_only_a_draft(app: TestApp) {
        let (staff, admin, citizen) = tokio::join!(app.staff(), app.admin(), app.citizen());
        let id = app.draft_consultation(&staff).await;
        let mut s = app.client(&staff);

        // Who may edit: refused callers write nothing.
        let before = app.written().await;
        assert_code(app.anonymous().update_consultation(update(&id)).await, Code::Unauthenticated, "anonymous");
        assert_code(app.client(&citizen).update_consultation(update(&id)).await, Code::PermissionDenied, "citizen");
        assert_code(app.service().await.update_consultation(update(&id)).await, Code::PermissionDenied, "service");
        // Bad input: every bad field named, nothing written.
        assert_fields(
            s.update_consultation(UpdateConsultationRequest {
                consultation_id: "draft".into(),
                title: Some(tachawor_proto::common::LocalizedText { ar: "عنوان".into(), fr: " ".into(), en: String::new(), zgh: String::new() }),
                body: None,
                organizer: Some(Organizer { kind: OrganizerKind::Council as i32, instance_id: "x".into() }),
                audience: 42,
                province_codes: vec!["nowhere".into()],
                ..Default::default()
            })
            .await,
            &["consultation_id", "title.fr", "body.ar", "body.fr", "organizer.instance_id", "audience", "province_codes"],
        );
        assert_fields(
            s.update_consultation(UpdateConsultationRequest {
                organizer: Some(Organizer { kind: OrganizerKind::Instance as i32, instance_id: String::new() }),
                ..update(&id)
            })
            .await,
            &["organizer.instance_id"],
        );
        assert_code(s.update_consultation(update(&uuid::Uuid::new_v4().to_string())).await, Code::NotFound, "no such consultation");
        assert_eq!(app.written().await, before);

        // Staff replace the draft's fields; provinces once each; audited.
        let edited = s.update_consultation(update(&id)).await.expect("update").into_inner().consultation.unwrap();
        assert_eq!(edited.title, text("Budget 2027"));
        assert_eq!(edited.body, text("Where should the money go?"));
        assert_eq!(edited.audience, Audience::Associations as i32);
        assert_eq!(edited.province_codes, vec!["tarfaya".to_string(), "boujdour".to_string()]);
        assert_eq!(edited.status, ConsultationStatus::Draft as i32);
        let read = s.get_consultation(GetConsultationRequest { consultation_id: id.clone() }).await.unwrap().into_inner().consultation.unwrap();
        assert_eq!(read, edited);
        // An administrator too, back to the public, organized by an instance.
        let instance = app.instance().await;
        let again = app
            .client(&admin)
            .update_consultation(UpdateConsultationRequest {
                audience: Audience::Public as i32,
                organizer: Some(Organizer { kind: OrganizerKind::Instance as i32, instance_id: instance.clone() }),
                province_codes: Vec::new(),
                ..update(&id)
            })
            .await
            .expect("update by an administrator")
            .into_inner()
            .consultation
            .unwrap();
        assert_eq!((again.audience, again.organizer.unwrap().instance_id), (Audience::Public as i32, instance));
        let audit = app.audit(&id).await;
        let updates: Vec<_> = audit.iter().filter(|(_, action, _)| action == "consultation.update").collect();
        assert_eq!(updates.len(), 2, "{audit:?}");
        assert_eq!(updates[0].0, staff.id);
        // The seeded administrator's id is not handed to tests: another actor than staff.
        assert!(!updates[1].0.is_empty() && updates[1].0 != staff.id, "{audit:?}");
        assert!(updates[0].2.contains("Budget 2027"), "{audit:?}");

        // Once open, a consultation is no longer edited, nor are closed ones.
        s.open_consultation(OpenConsultationRequest { consultation_id: id.clone(), closes_at: ts(app.clock.now_millis() + 86_400_000) })
            .await
            .expect("open");
        let before = app.written().await;
        let refused = s.update_consultation(update(&id)).await.unwrap_err();
        assert_eq!(rule(&refused), "consultation.not_draft");
        s.close_consultation(CloseConsultationRequest { consultation_id: id.clone() }).await.expect("close");
        let closed = app.written().await;
        assert_eq!(rule(&s.update_consultation(update(&id)).await.unwrap_err()), "consultation.not_draft");
        assert_eq!(app.written().await, closed);
        assert_ne!(closed, before, "closing wrote");
        let shown = app.anonymous().get_consultation(GetConsultationRequest { consultation_id: id.clone() }).await.unwrap().into_inner().consultation.unwrap();
        assert_eq!(shown.title, text("Budget 2027"));

        // Editing a draft tells nobody: only opening and closing were announced.
        let counts = app.event_counts().await;
        assert_eq!(counts.len(), 2, "{counts:?}");
        assert_eq!(counts.get("consultation.consultation.opened"), Some(&1));
        assert_eq!(counts.get("consultation.consultation.closed"), Some(&1));
    }
}

async fn question(s: &mut Client, id: &str, kind: QuestionKind, prompt: &str) -> String {
    let options = if kind == QuestionKind::SingleChoice {
        vec![text("Oui").unwrap(), text("Non").unwrap()]
    } else {
        Vec::new()
    };
    s.add_question(AddQuestionRequest {
        consultation_id: id.into(),
        kind: kind as i32,
        prompt: text(prompt),
        options,
        ..Default::default()
    })
    .await
    .expect("add question")
    .into_inner()
    .question
    .unwrap()
    .question_id
}

fn written(question_id: &str, text: &str) -> Answer {
    Answer {
        question_id: question_id.into(),
        text: text.into(),
        ..Default::default()
    }
}

fn chose(question_id: &str, option: i32) -> Answer {
    Answer {
        question_id: question_id.into(),
        option_indexes: vec![option],
        ..Default::default()
    }
}

async fn respond(app: &TestApp, who: &Person, id: &str, answers: Vec<Answer>) -> String {
    tick(app);
    app.client(who)
        .submit_response(SubmitResponseRequest {
            consultation_id: id.into(),
            answers,
            idempotency_key: String::new(),
        })
        .await
        .expect("submit response")
        .into_inner()
        .response_id
}

async fn answers(
    c: &mut Client,
    id: &str,
    question_id: &str,
    page: Option<PageRequest>,
) -> Result<ListSurveyAnswersResponse, tonic::Status> {
    c.list_survey_answers(ListSurveyAnswersRequest {
        consultation_id: id.into(),
        question_id: question_id.into(),
        page,
    })
    .await
    .map(|r| r.into_inner())
}

matrix! {
    async fn staff_read_free_text_answers_by_respondent_paged_and_as_csv(app: TestApp) {
        let (staff, admin, people) = tokio::join!(app.staff(), app.admin(), app.citizens(3));
        let [p1, p2, p3]: [Person; 3] = people.try_into().ok().unwrap();
        let id = app.draft_consultation(&staff).await;
        let mut s = app.client(&staff);
        let q1 = question(&mut s, &id, QuestionKind::FreeText, "What is missing?").await;
        let q2 = question(&mut s, &id, QuestionKind::SingleChoice, "Water first?").await;
        let q3 = question(&mut s, &id, QuestionKind::FreeText, "Anything else?").await;
        s.open_consultation(OpenConsultationRequest { consultation_id: id.clone(), closes_at: ts(app.clock.now_millis() + 86_400_000) })
            .await
            .expect("open");

        let r1 = respond(&app, &p1, &id, vec![written(&q1, "Water, \"now\""), chose(&q2, 0), written(&q3, "Roads")]).await;
        let r2 = respond(&app, &p2, &id, vec![written(&q1, "A bus line\nto Tarfaya")]).await;
        let r3 = respond(&app, &p3, &id, vec![chose(&q2, 1)]).await;
        // p1 edits the response: the new text replaces the old, under the same respondent.
        let first = answers(&mut s, &id, &q3, None).await.expect("answers to q3");
        assert_eq!(first.answers.len(), 1);
        let p1_respondent = first.answers[0].respondent_id.clone();
        assert_eq!(respond(&app, &p1, &id, vec![written(&q1, "Water, \"now\", and wells"), written(&q3, "Roads")]).await, r1);

        // Oldest response first (p2, then p1 edited later), by question position; free text only.
        let all = answers(&mut s, &id, "", None).await.expect("answers");
        assert!(all.next_page_token.is_empty());
        let listed: Vec<_> = all.answers.iter().map(|a| (a.question_id.as_str(), a.text.as_str())).collect();
        assert_eq!(
            listed,
            vec![(q1.as_str(), "A bus line\nto Tarfaya"), (q1.as_str(), "Water, \"now\", and wells"), (q3.as_str(), "Roads")]
        );
        let respondents: Vec<_> = all.answers.iter().map(|a| a.respondent_id.as_str()).collect();
        assert_eq!(respondents[1], p1_respondent);
        assert_eq!(respondents[2], p1_respondent);
        assert_ne!(respondents[0], p1_respondent);
        // The respondent id is neither an account id nor a response id (which events carry).
        for r in &respondents {
            assert!(uuid::Uuid::parse_str(r).is_ok(), "{r}");
            for known in [&p1.id, &p2.id, &p3.id, &r1, &r2, &r3] {
                assert_ne!(r, known);
            }
        }
        // One question; paged 2 then 1; an administrator reads them too.
        let only = answers(&mut s, &id, &q1, None).await.unwrap();
        assert_eq!(only.answers.len(), 2);
        let one = answers(&mut s, &id, "", page(2, "")).await.unwrap();
        assert_eq!(one.answers, all.answers[..2]);
        let two = answers(&mut app.client(&admin), &id, "", page(2, &one.next_page_token)).await.unwrap();
        assert_eq!(two.answers, all.answers[2..]);
        assert!(two.next_page_token.is_empty());

        // The same answers as CSV, quoted where needed.
        let csv = s.export_survey_answers(ExportSurveyAnswersRequest { consultation_id: id.clone() }).await.unwrap().into_inner().csv;
        let mut lines = csv.split("\r\n");
        assert_eq!(lines.next(), Some("respondent_id,question_id,question_position,submitted_at,text"));
        let at = |a: &SurveyAnswer| tachawor_proto::dates::instant_of_millis(a.submitted_at.unwrap().seconds * 1000);
        assert_eq!(lines.next().unwrap(), format!("{},{q1},1,{},\"A bus line\nto Tarfaya\"", respondents[0], at(&all.answers[0])));
        assert_eq!(lines.next().unwrap(), format!("{p1_respondent},{q1},1,{},\"Water, \"\"now\"\", and wells\"", at(&all.answers[1])));
        assert_eq!(lines.next().unwrap(), format!("{p1_respondent},{q3},3,{},Roads", at(&all.answers[2])));
        assert_eq!(lines.collect::<Vec<_>>(), vec![""]);

        // Who may read them: refused callers write nothing; unknown things are NOT_FOUND.
        let before = app.written().await;
        let list = || ListSurveyAnswersRequest { consultation_id: id.clone(), ..Default::default() };
        let export = || ExportSurveyAnswersRequest { consultation_id: id.clone() };
        for (who, mut client, code) in [
            ("anonymous", app.anonymous(), Code::Unauthenticated),
            ("respondent", app.client(&p1), Code::PermissionDenied),
            ("service", app.service().await, Code::PermissionDenied),
        ] {
            assert_code(client.list_survey_answers(list()).await, code, who);
            assert_code(client.export_survey_answers(export()).await, code, who);
        }
        assert_code(answers(&mut s, &id, &q2, None).await, Code::NotFound, "a choice question");
        assert_code(answers(&mut s, &id, &uuid::Uuid::new_v4().to_string(), None).await, Code::NotFound, "no such question");
        let nowhere = uuid::Uuid::new_v4().to_string();
        assert_code(answers(&mut s, &nowhere, "", None).await, Code::NotFound, "no such consultation");
        assert_code(s.export_survey_answers(ExportSurveyAnswersRequest { consultation_id: nowhere }).await, Code::NotFound, "export of none");
        // Bad input, every field named.
        assert_fields(answers(&mut s, "x", "y", page(-1, "")).await, &["consultation_id", "question_id", "page.page_size"]);
        assert_fields(answers(&mut s, &id, "", page(5, "forged")).await, &["page.page_token"]);
        assert_fields(s.export_survey_answers(ExportSurveyAnswersRequest::default()).await, &["consultation_id"]);
        assert_eq!(app.written().await, before);
        app.assert_no_personal_data(&[&p1, &p2, &p3, &staff]).await;
    }
}

fn paper(
    petition_id: &str,
    account_id: &str,
    declared: &str,
    key: &str,
) -> RecordPaperSignatureRequest {
    RecordPaperSignatureRequest {
        petition_id: petition_id.into(),
        account_id: account_id.into(),
        declared_activity_province_code: declared.into(),
        idempotency_key: key.into(),
    }
}

matrix! {
    async fn staff_record_paper_signatures_under_the_online_rules(app: TestApp) {
        let (staff, agent, resident, online, outsider, unverified) = tokio::join!(
            app.staff(),
            app.verified("laayoune"),
            app.verified("tarfaya"),
            app.verified("boujdour"),
            app.verified(""),
            app.citizen(),
        );
        let draft = app
            .client(&agent)
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
            .unwrap();
        let id = draft.petition_id.clone();
        let mut s = app.client(&staff);
        // Not while a draft (not collecting yet).
        let early = s.record_paper_signature(paper(&id, &resident.id, "", "")).await.unwrap_err();
        assert_eq!(rule(&early), "petition.not_collecting");
        app.client(&agent).start_collecting(StartCollectingRequest { petition_id: id.clone() }).await.expect("collecting");

        // Who may record: staff only; bad input named; nothing written by a refusal.
        let before = app.written().await;
        let ask = || paper(&id, &resident.id, "", "");
        assert_code(app.anonymous().record_paper_signature(ask()).await, Code::Unauthenticated, "anonymous");
        assert_code(app.client(&agent).record_paper_signature(ask()).await, Code::PermissionDenied, "citizen");
        assert_code(app.service().await.record_paper_signature(ask()).await, Code::PermissionDenied, "service");
        assert_fields(
            s.record_paper_signature(paper("x", "y", "paris", &"k".repeat(65))).await,
            &["petition_id", "account_id", "declared_activity_province_code", "idempotency_key"],
        );
        // The online rules: verified, living or working in the region.
        let refused = s.record_paper_signature(paper(&id, &unverified.id, "", "")).await.unwrap_err();
        assert_eq!(rule(&refused), "petition.signer_verified");
        let refused = s.record_paper_signature(paper(&id, &outsider.id, "", "")).await.unwrap_err();
        assert_eq!(rule(&refused), "petition.signer_residence");
        assert_eq!(app.written().await, before);

        // Recorded: a resident, and an outsider declaring an activity in Tarfaya; a retry with
        // the same key acts once.
        let signed = s.record_paper_signature(paper(&id, &resident.id, "", "paper-1")).await.unwrap().into_inner().petition.unwrap();
        assert_eq!(signed.progress.unwrap().signatures, 1);
        let again = s.record_paper_signature(paper(&id, &resident.id, "", "paper-1")).await.unwrap().into_inner().petition.unwrap();
        assert_eq!(again.progress.unwrap().signatures, 1);
        s.record_paper_signature(paper(&id, &outsider.id, "tarfaya", "")).await.expect("declared activity");
        // One signature per person, paper or online, either way round.
        assert_code(app.client(&resident).sign_petition(SignPetitionRequest { petition_id: id.clone(), ..Default::default() }).await, Code::AlreadyExists, "online after paper");
        assert_code(s.record_paper_signature(paper(&id, &resident.id, "", "")).await, Code::AlreadyExists, "paper twice");
        app.client(&online).sign_petition(SignPetitionRequest { petition_id: id.clone(), ..Default::default() }).await.expect("online");
        assert_code(s.record_paper_signature(paper(&id, &online.id, "", "")).await, Code::AlreadyExists, "paper after online");

        // Counted as any signature, and marked as paper in the list staff read.
        let shown = app.anonymous().get_petition(GetPetitionRequest { petition_id: id.clone() }).await.unwrap().into_inner().petition.unwrap();
        assert_eq!(shown.progress.unwrap().signatures, 3);
        let list = s.list_signatures(ListSignaturesRequest { petition_id: id.clone(), page: None }).await.unwrap().into_inner().signatures;
        // Signed in the same millisecond (the clock stands still): by account.
        let mut marks: Vec<_> = list.iter().map(|g| (g.account_id.as_str(), g.province_code.as_str(), g.by_declared_activity, g.paper, g.recorded_by.as_str())).collect();
        let mut expected = vec![
            (resident.id.as_str(), "tarfaya", false, true, staff.id.as_str()),
            (outsider.id.as_str(), "tarfaya", true, true, staff.id.as_str()),
            (online.id.as_str(), "boujdour", false, false, ""),
        ];
        marks.sort();
        expected.sort();
        assert_eq!(marks, expected);

        // Audited: who recorded which signer, when.
        let audit: Vec<_> = app.audit(&id).await.into_iter().filter(|(_, action, _)| action == "petition.record_paper_signature").collect();
        assert_eq!(audit.len(), 2, "{audit:?}");
        assert!(audit.iter().all(|(actor, _, _)| actor == &staff.id));
        assert!(audit[0].2.contains(&resident.id) && audit[1].2.contains(&outsider.id), "{audit:?}");

        // The same event as online signatures, marked as paper.
        use prost::Message;
        let signed: Vec<_> = app
            .events()
            .await
            .into_iter()
            .filter(|(_, e)| e.r#type == "consultation.petition.signed")
            .map(|(_, e)| {
                let p = tachawor_proto::events::PetitionSigned::decode(e.payload.unwrap().value.as_slice()).unwrap();
                (p.account_id, p.paper)
            })
            .collect();
        assert_eq!(signed.len(), 3, "{signed:?}");
        assert!(signed.contains(&(resident.id.clone(), true)) && signed.contains(&(outsider.id.clone(), true)));
        assert!(signed.contains(&(online.id.clone(), false)));
        app.assert_no_personal_data(&[&staff, &agent, &resident, &online, &outsider, &unverified]).await;
    }
}
