//! The Regional Forum: staff set up an edition, its themes and workshops and record the
//! workshops' recommendations; any signed-in person contributes; everyone reads the edition and
//! pages through its contributions.
//! Who may do each with real requests, unknown parents, and bad input naming every field.
//! A workshop hosted by a training session hears only the people training recorded present.

use tachawor_proto::{
    common::{Date, PageRequest},
    consultation::*,
    events::{
        ForumContributionAdded, ForumContributionModerated, ForumEditionCreated,
        ForumRecommendationAdded, ForumRecommendationAnswered, ForumRecommendationFollowUpChanged,
        TrainingAttendanceRecorded, TrainingParticipant, TrainingSessionScheduled,
    },
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_code, assert_fields, payloads, rule, text};

/// An edition with one theme and one workshop, set up by `staff`.
async fn edition_with_workshop(
    staff: &mut crate::helpers::Client,
) -> (ForumEdition, ForumWorkshop) {
    let e = staff
        .create_forum_edition(edition())
        .await
        .unwrap()
        .into_inner()
        .edition
        .unwrap();
    let t = staff
        .add_forum_theme(theme(&e.edition_id))
        .await
        .unwrap()
        .into_inner()
        .theme
        .unwrap();
    let w = staff
        .add_forum_workshop(workshop(&t.theme_id))
        .await
        .unwrap()
        .into_inner()
        .workshop
        .unwrap();
    (e, w)
}

fn answer(id: &str, answer: RecommendationAnswer) -> AnswerForumRecommendationRequest {
    AnswerForumRecommendationRequest {
        forum_recommendation_id: id.into(),
        answer: answer as i32,
        reasons: "In the 2027 budget".into(),
    }
}

fn follow(id: &str, follow_up: FollowUp) -> SetForumRecommendationFollowUpRequest {
    SetForumRecommendationFollowUpRequest {
        forum_recommendation_id: id.into(),
        follow_up: follow_up as i32,
        note: "Study commissioned".into(),
    }
}

fn date(year: i32, month: i32, day: i32) -> Option<Date> {
    Some(Date { year, month, day })
}

fn edition() -> CreateForumEditionRequest {
    CreateForumEditionRequest {
        year: 2027,
        title: text("Regional Forum 2027"),
        starts_on: date(2027, 3, 1),
        ends_on: date(2027, 3, 3),
        idempotency_key: String::new(),
    }
}

fn theme(edition_id: &str) -> AddForumThemeRequest {
    AddForumThemeRequest {
        edition_id: edition_id.into(),
        title: text("Water"),
        idempotency_key: String::new(),
    }
}

fn workshop(theme_id: &str) -> AddForumWorkshopRequest {
    AddForumWorkshopRequest {
        theme_id: theme_id.into(),
        title: text("Desalination"),
        province_code: "laayoune".into(),
        session_id: String::new(),
        idempotency_key: String::new(),
    }
}

/// Training schedules a session of `kind`, as its event tells.
async fn scheduled(app: &TestApp, kind: &str) -> String {
    let session_id = uuid::Uuid::now_v7().to_string();
    app.publish(
        "training.session.scheduled",
        &TrainingSessionScheduled {
            session_id: session_id.clone(),
            program_id: uuid::Uuid::now_v7().to_string(),
            kind: kind.into(),
            province_code: "laayoune".into(),
            ..Default::default()
        },
    )
    .await;
    session_id
}

/// Training records `account_id` present at the session on a day.
async fn present(
    app: &TestApp,
    session_id: &str,
    account_id: &str,
    day: i32,
) -> tachawor_events::Envelope {
    app.publish(
        "training.attendance.recorded",
        &TrainingAttendanceRecorded {
            registration_id: uuid::Uuid::now_v7().to_string(),
            session_id: session_id.into(),
            day: date(2027, 3, day),
            method: "code".into(),
            participant: Some(TrainingParticipant {
                account_id: account_id.into(),
                province_code: "laayoune".into(),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
    .await
}

fn contribution(workshop_id: &str) -> AddForumContributionRequest {
    AddForumContributionRequest {
        workshop_id: workshop_id.into(),
        body: "A plant near the port".into(),
    }
}

fn recommendation(workshop_id: &str) -> AddForumRecommendationRequest {
    AddForumRecommendationRequest {
        workshop_id: workshop_id.into(),
        text: "Study a plant by 2028".into(),
        idempotency_key: String::new(),
    }
}

matrix! {
    async fn editions_are_listed_latest_first_a_page_at_a_time(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        for year in [2026, 2028, 2027] {
            let request = CreateForumEditionRequest {
                year,
                starts_on: date(year, 3, 1),
                ends_on: date(year, 3, 3),
                ..edition()
            };
            s.create_forum_edition(request).await.unwrap();
        }
        let first = app
            .anonymous()
            .list_forum_editions(ListForumEditionsRequest {
                page: Some(PageRequest { page_size: 2, page_token: String::new() }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(first.editions.iter().map(|e| e.year).collect::<Vec<_>>(), vec![2028, 2027]);
        assert!(first.editions.iter().all(|e| e.themes.is_empty() && e.title == text("Regional Forum 2027")));
        assert!(!first.next_page_token.is_empty());
        let rest = app
            .anonymous()
            .list_forum_editions(ListForumEditionsRequest {
                page: Some(PageRequest { page_size: 2, page_token: first.next_page_token }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(rest.editions.iter().map(|e| e.year).collect::<Vec<_>>(), vec![2026]);
        assert!(rest.next_page_token.is_empty());
        let bad = app
            .anonymous()
            .list_forum_editions(ListForumEditionsRequest {
                page: Some(PageRequest { page_size: 2, page_token: "not a token".into() }),
            })
            .await;
        assert_code(bad, Code::InvalidArgument, "a page token the service never made");
    }

    async fn an_edition_puts_each_workshop_and_recommendation_in_its_place(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let e = s.create_forum_edition(edition()).await.unwrap().into_inner().edition.unwrap();
        let mut themes = Vec::new();
        for name in ["Water", "Roads"] {
            let request = AddForumThemeRequest { title: text(name), ..theme(&e.edition_id) };
            themes.push(s.add_forum_theme(request).await.unwrap().into_inner().theme.unwrap());
        }
        let mut workshops = Vec::new();
        for (t, name) in [(0, "Desalination"), (0, "Irrigation"), (1, "Coastal road")] {
            let request = AddForumWorkshopRequest { title: text(name), ..workshop(&themes[t].theme_id) };
            workshops.push(s.add_forum_workshop(request).await.unwrap().into_inner().workshop.unwrap());
        }
        for _ in 0..2 {
            s.add_forum_contribution(contribution(&workshops[0].workshop_id)).await.unwrap();
        }
        s.add_forum_contribution(contribution(&workshops[2].workshop_id)).await.unwrap();
        let r1 = s.add_forum_recommendation(recommendation(&workshops[1].workshop_id)).await.unwrap().into_inner().recommendation.unwrap();
        let r2 = s.add_forum_recommendation(recommendation(&workshops[1].workshop_id)).await.unwrap().into_inner().recommendation.unwrap();

        let got = app
            .anonymous()
            .get_forum_edition(GetForumEditionRequest { edition_id: e.edition_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .edition
            .unwrap();
        let shape: Vec<Vec<(Option<_>, i64, usize)>> = got
            .themes
            .iter()
            .map(|t| t.workshops.iter().map(|w| (w.title.clone(), w.contribution_count, w.recommendations.len())).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![(text("Desalination"), 2, 0), (text("Irrigation"), 0, 2)],
                vec![(text("Coastal road"), 1, 0)],
            ]
        );
        assert_eq!(got.themes[0].workshops[1].recommendations, vec![r1, r2], "in the order recorded");
        assert_eq!(got.themes[1].title, text("Roads"));
    }

    async fn editions_themes_workshops_contributions(app: TestApp) {
        let (staff, admin, citizen) = tokio::join!(app.staff(), app.admin(), app.citizen());
        let (mut s, mut adm, mut me) = (app.client(&staff), app.client(&admin), app.client(&citizen));
        let mut service = app.service().await;
        let mut anonymous = app.anonymous();

        let e = s.create_forum_edition(edition()).await.unwrap().into_inner().edition.unwrap();
        assert_eq!((e.year, e.starts_on, e.ends_on), (2027, date(2027, 3, 1), date(2027, 3, 3)));
        let t = adm.add_forum_theme(theme(&e.edition_id)).await.unwrap().into_inner().theme.unwrap();
        let w = s.add_forum_workshop(workshop(&t.theme_id)).await.unwrap().into_inner().workshop.unwrap();
        let c = me.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap().into_inner().contribution.unwrap();
        assert_eq!(c.author_id, citizen.id);
        let staff_too = s.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap().into_inner().contribution.unwrap();
        let r = s.add_forum_recommendation(recommendation(&w.workshop_id)).await.unwrap().into_inner().recommendation.unwrap();

        // Everyone reads the whole edition; contributions are counted there and paged apart.
        for mut reader in [app.anonymous(), service.clone(), me.clone()] {
            let got = reader
                .get_forum_edition(GetForumEditionRequest { edition_id: e.edition_id.clone() })
                .await
                .unwrap()
                .into_inner()
                .edition
                .unwrap();
            assert_eq!(got.themes.len(), 1);
            let ws = &got.themes[0].workshops;
            assert_eq!(ws.len(), 1);
            assert_eq!((ws[0].province_code.as_str(), ws[0].title.clone()), ("laayoune", text("Desalination")));
            assert!(ws[0].contributions.is_empty(), "contributions are paged apart");
            assert_eq!(ws[0].contribution_count, 2);
            let listed = reader
                .list_forum_contributions(ListForumContributionsRequest {
                    workshop_id: w.workshop_id.clone(),
                    page: None,
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(
                listed.contributions.iter().map(|c| c.contribution_id.as_str()).collect::<Vec<_>>(),
                vec![c.contribution_id.as_str(), staff_too.contribution_id.as_str()]
            );
            assert_eq!(listed.contributions[0], c);
            assert!(listed.next_page_token.is_empty());
            assert_eq!(ws[0].recommendations, vec![r.clone()]);
        }

        // Who may do what, with real requests: nothing written by a refused call.
        let before = app.written().await;
        for (who, client, code) in [
            ("citizen", &mut me, Code::PermissionDenied),
            ("service", &mut service, Code::PermissionDenied),
            ("anonymous", &mut anonymous, Code::Unauthenticated),
        ] {
            assert_code(client.create_forum_edition(edition()).await, code, who);
            assert_code(client.add_forum_theme(theme(&e.edition_id)).await, code, who);
            assert_code(client.add_forum_workshop(workshop(&t.theme_id)).await, code, who);
            assert_code(client.add_forum_recommendation(recommendation(&w.workshop_id)).await, code, who);
        }
        assert_code(service.add_forum_contribution(contribution(&w.workshop_id)).await, Code::PermissionDenied, "service");
        assert_code(anonymous.add_forum_contribution(contribution(&w.workshop_id)).await, Code::Unauthenticated, "anonymous");
        // Unknown parents.
        let nobody = uuid::Uuid::new_v4().to_string();
        assert_code(s.add_forum_theme(theme(&nobody)).await, Code::NotFound, "theme of no edition");
        assert_code(s.add_forum_workshop(workshop(&nobody)).await, Code::NotFound, "workshop of no theme");
        assert_code(me.add_forum_contribution(contribution(&nobody)).await, Code::NotFound, "contribution to no workshop");
        assert_code(s.add_forum_recommendation(recommendation(&nobody)).await, Code::NotFound, "recommendation of no workshop");
        assert_code(anonymous.get_forum_edition(GetForumEditionRequest { edition_id: nobody.clone() }).await, Code::NotFound, "no edition");

        // Bad input: every bad field named.
        assert_fields(
            s.create_forum_edition(CreateForumEditionRequest {
                year: 1999,
                title: Some(tachawor_proto::common::LocalizedText { ar: "t".repeat(301), fr: String::new(), en: "\u{0}".into(), zgh: String::new() }),
                starts_on: date(2027, 2, 30),
                ends_on: date(2027, 13, 1),
                idempotency_key: String::new(),
            })
            .await,
            &["year", "title.ar", "title.fr", "title.en", "starts_on", "ends_on"],
        );
        assert_fields(
            s.create_forum_edition(CreateForumEditionRequest { starts_on: date(2027, 3, 3), ends_on: date(2027, 3, 1), ..edition() }).await,
            &["ends_on"],
        );
        assert_fields(
            s.add_forum_theme(AddForumThemeRequest { edition_id: "e".into(), title: text(&"t".repeat(300)), ..Default::default() }).await,
            &["edition_id", "title.ar", "title.fr"],
        );
        assert_fields(
            s.add_forum_workshop(AddForumWorkshopRequest { theme_id: t.theme_id.clone(), title: None, province_code: "casablanca".into(), session_id: "s".into(), ..Default::default() }).await,
            &["title.ar", "title.fr", "province_code", "session_id"],
        );
        assert_fields(
            me.add_forum_contribution(AddForumContributionRequest { workshop_id: "w".into(), body: "b".repeat(5001) }).await,
            &["workshop_id", "body"],
        );
        assert_fields(
            s.add_forum_recommendation(AddForumRecommendationRequest { workshop_id: w.workshop_id.clone(), text: "\t ".into(), ..Default::default() }).await,
            &["text"],
        );
        assert_fields(anonymous.get_forum_edition(GetForumEditionRequest { edition_id: "2027".into() }).await, &["edition_id"]);
        assert_fields(
            anonymous
                .list_forum_contributions(ListForumContributionsRequest {
                    workshop_id: "w".into(),
                    page: Some(PageRequest { page_size: -1, page_token: String::new() }),
                })
                .await,
            &["workshop_id", "page.page_size"],
        );
        assert_fields(
            anonymous
                .list_forum_contributions(ListForumContributionsRequest {
                    workshop_id: w.workshop_id.clone(),
                    page: Some(PageRequest { page_size: 2, page_token: "not a token".into() }),
                })
                .await,
            &["page.page_token"],
        );
        assert_code(
            anonymous
                .list_forum_contributions(ListForumContributionsRequest { workshop_id: nobody.clone(), page: None })
                .await,
            Code::NotFound,
            "contributions of no workshop",
        );
        assert_eq!(app.written().await, before);
        // What reporting counts is published, once each, with ids only: the people in it leak
        // nowhere.
        let counts = app.event_counts().await;
        assert_eq!(counts.get("consultation.forum_edition.created"), Some(&1));
        assert_eq!(counts.get("consultation.forum_contribution.added"), Some(&2));
        assert_eq!(counts.get("consultation.forum_recommendation.added"), Some(&1));
        assert_eq!(counts.len(), 3, "{counts:?}");
        let events = app.events().await;
        let created: Vec<ForumEditionCreated> = payloads(&events, "consultation.forum_edition.created");
        assert_eq!(
            created,
            vec![ForumEditionCreated { edition_id: e.edition_id.clone(), year: 2027, starts_on: date(2027, 3, 1), ends_on: date(2027, 3, 3) }]
        );
        let added: Vec<ForumContributionAdded> = payloads(&events, "consultation.forum_contribution.added");
        assert_eq!(
            added.iter().map(|a| (a.contribution_id.as_str(), a.workshop_id.as_str(), a.edition_id.as_str(), a.account_id.as_str())).collect::<Vec<_>>(),
            vec![
                (c.contribution_id.as_str(), w.workshop_id.as_str(), e.edition_id.as_str(), citizen.id.as_str()),
                (staff_too.contribution_id.as_str(), w.workshop_id.as_str(), e.edition_id.as_str(), staff.id.as_str()),
            ]
        );
        let recorded: Vec<ForumRecommendationAdded> = payloads(&events, "consultation.forum_recommendation.added");
        assert_eq!(
            recorded,
            vec![ForumRecommendationAdded {
                forum_recommendation_id: r.forum_recommendation_id.clone(),
                workshop_id: w.workshop_id.clone(),
                edition_id: e.edition_id.clone(),
            }]
        );
        app.assert_no_personal_data(&[&citizen, &staff]).await;
    }

    async fn the_council_answers_forum_recommendations_and_follows_them_up(app: TestApp) {
        let (staff, admin, citizen, observer) = tokio::join!(app.staff(), app.admin(), app.citizen(), app.observer());
        let (mut s, mut adm) = (app.client(&staff), app.client(&admin));
        let (e, w) = edition_with_workshop(&mut s).await;
        let mut recs = Vec::new();
        for _ in 0..3 {
            let r = s.add_forum_recommendation(recommendation(&w.workshop_id)).await.unwrap().into_inner().recommendation.unwrap();
            assert_eq!((r.answer, r.follow_up), (RecommendationAnswer::Unspecified as i32, FollowUp::NotStarted as i32));
            recs.push(r.forum_recommendation_id);
        }

        // Only staff answer and follow up; observers read only. Nothing written by a refusal.
        let before = app.written().await;
        for (who, mut client, code) in [
            ("citizen", app.client(&citizen), Code::PermissionDenied),
            ("observer", app.client(&observer), Code::PermissionDenied),
            ("service", app.service().await, Code::PermissionDenied),
            ("anonymous", app.anonymous(), Code::Unauthenticated),
        ] {
            assert_code(client.answer_forum_recommendation(answer(&recs[0], RecommendationAnswer::Accepted)).await, code, who);
            assert_code(client.set_forum_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await, code, who);
        }
        // Bad input names every bad field; an unknown recommendation is not found.
        assert_fields(
            s.answer_forum_recommendation(AnswerForumRecommendationRequest { forum_recommendation_id: "r".into(), answer: 9, reasons: "x".repeat(5001) }).await,
            &["forum_recommendation_id", "answer", "reasons"],
        );
        assert_fields(
            s.answer_forum_recommendation(AnswerForumRecommendationRequest { reasons: " ".into(), ..answer(&recs[0], RecommendationAnswer::Accepted) }).await,
            &["reasons"],
        );
        assert_fields(
            s.set_forum_recommendation_follow_up(SetForumRecommendationFollowUpRequest { forum_recommendation_id: "r".into(), follow_up: 0, note: "x".repeat(5001) }).await,
            &["forum_recommendation_id", "follow_up", "note"],
        );
        let nobody = uuid::Uuid::new_v4().to_string();
        assert_code(s.answer_forum_recommendation(answer(&nobody, RecommendationAnswer::Accepted)).await, Code::NotFound, "no recommendation");
        assert_code(s.set_forum_recommendation_follow_up(follow(&nobody, FollowUp::InProgress)).await, Code::NotFound, "no recommendation");
        assert_eq!(app.written().await, before);

        // Under study first, then a decision, which is final.
        let studied = s.answer_forum_recommendation(answer(&recs[0], RecommendationAnswer::UnderStudy)).await.unwrap().into_inner().recommendation.unwrap();
        assert_eq!(studied.answer, RecommendationAnswer::UnderStudy as i32);
        assert_eq!(rule(&s.set_forum_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await.unwrap_err()), "recommendation.not_accepted");
        let done = adm.answer_forum_recommendation(answer(&recs[0], RecommendationAnswer::Accepted)).await.unwrap().into_inner().recommendation.unwrap();
        assert_eq!((done.answer, done.answer_reasons.as_str()), (RecommendationAnswer::Accepted as i32, "In the 2027 budget"));
        s.answer_forum_recommendation(answer(&recs[1], RecommendationAnswer::Rejected)).await.unwrap();
        for (rec, again) in [(&recs[0], RecommendationAnswer::Rejected), (&recs[1], RecommendationAnswer::Accepted)] {
            assert_eq!(rule(&s.answer_forum_recommendation(answer(rec, again)).await.unwrap_err()), "recommendation.transition");
        }
        // Follow-up of an accepted one, forward only.
        assert_eq!(rule(&s.set_forum_recommendation_follow_up(follow(&recs[1], FollowUp::InProgress)).await.unwrap_err()), "recommendation.not_accepted");
        assert_eq!(rule(&s.set_forum_recommendation_follow_up(follow(&recs[2], FollowUp::InProgress)).await.unwrap_err()), "recommendation.not_accepted");
        assert_eq!(rule(&s.set_forum_recommendation_follow_up(follow(&recs[0], FollowUp::NotStarted)).await.unwrap_err()), "recommendation.follow_up_unchanged");
        s.set_forum_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await.unwrap();
        let implemented = s.set_forum_recommendation_follow_up(follow(&recs[0], FollowUp::Implemented)).await.unwrap().into_inner().recommendation.unwrap();
        assert_eq!((implemented.follow_up, implemented.follow_up_note.as_str()), (FollowUp::Implemented as i32, "Study commissioned"));
        assert_eq!(rule(&s.set_forum_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await.unwrap_err()), "recommendation.follow_up_transition");

        // Everyone reads the answers in the edition.
        let got = app.anonymous().get_forum_edition(GetForumEditionRequest { edition_id: e.edition_id.clone() }).await.unwrap().into_inner().edition.unwrap();
        let shown: Vec<(i32, i32)> = got.themes[0].workshops[0].recommendations.iter().map(|r| (r.answer, r.follow_up)).collect();
        assert_eq!(
            shown,
            vec![
                (RecommendationAnswer::Accepted as i32, FollowUp::Implemented as i32),
                (RecommendationAnswer::Rejected as i32, FollowUp::NotStarted as i32),
                (RecommendationAnswer::Unspecified as i32, FollowUp::NotStarted as i32),
            ]
        );
        assert_eq!(got.themes[0].workshops[0].recommendations[0], implemented);

        // Audited, and each change published once with ids and values only.
        let audit = app.audit(&recs[0]).await;
        assert_eq!(
            audit.iter().map(|a| a.1.as_str()).collect::<Vec<_>>(),
            vec![
                "forum_recommendation.answer",
                "forum_recommendation.answer",
                "forum_recommendation.follow_up",
                "forum_recommendation.follow_up",
            ]
        );
        // The administrator's decision is theirs, the rest the staff member's.
        assert!(!audit[1].0.is_empty() && audit[1].0 != staff.id);
        assert!([&audit[0], &audit[2], &audit[3]].iter().all(|a| a.0 == staff.id));
        assert!(audit[1].2.contains("accepted") && audit[3].2.contains("implemented"));
        let events = app.events().await;
        let answered: Vec<(String, String, String)> = payloads::<ForumRecommendationAnswered>(&events, "consultation.forum_recommendation.answered")
            .into_iter()
            .map(|a| (a.forum_recommendation_id, a.edition_id, a.answer))
            .collect();
        assert_eq!(
            answered,
            vec![
                (recs[0].clone(), e.edition_id.clone(), "under_study".to_string()),
                (recs[0].clone(), e.edition_id.clone(), "accepted".to_string()),
                (recs[1].clone(), e.edition_id.clone(), "rejected".to_string()),
            ]
        );
        let followed: Vec<(String, String, String)> = payloads::<ForumRecommendationFollowUpChanged>(&events, "consultation.forum_recommendation.follow_up_changed")
            .into_iter()
            .map(|f| (f.forum_recommendation_id, f.workshop_id, f.follow_up))
            .collect();
        assert_eq!(
            followed,
            vec![
                (recs[0].clone(), w.workshop_id.clone(), "in_progress".to_string()),
                (recs[0].clone(), w.workshop_id.clone(), "implemented".to_string()),
            ]
        );
        app.assert_no_personal_data(&[&staff, &admin]).await;
    }

    async fn a_workshop_with_a_session_hears_the_people_present_at_it(app: TestApp) {
        let (staff, observer) = tokio::join!(app.staff(), app.observer());
        let (attended, also, absent, elsewhere) = tokio::join!(app.citizen(), app.citizen(), app.citizen(), app.citizen());
        let (mut s, mut obs, mut too) = (app.client(&staff), app.client(&observer), app.client(&also));
        let (mut here, mut away, mut other) = (app.client(&attended), app.client(&absent), app.client(&elsewhere));
        let (e, open) = edition_with_workshop(&mut s).await;
        let hosted = |session_id: &str| AddForumWorkshopRequest {
            session_id: session_id.into(),
            ..workshop(&open.theme_id)
        };

        // A session training never told of, or not one of the Forum's: refused, nothing written.
        let unknown = uuid::Uuid::now_v7().to_string();
        let refused = s.add_forum_workshop(hosted(&unknown)).await;
        assert_eq!(rule(&refused.unwrap_err()), "forum.session_unknown");
        let course = scheduled(&app, "training_session").await;
        let refused = s.add_forum_workshop(hosted(&course)).await;
        assert_eq!(rule(&refused.unwrap_err()), "forum.session_not_forum");
        assert_eq!(app.count("forum_workshops").await, 1);
        let session = scheduled(&app, "forum").await;
        let w = s.add_forum_workshop(hosted(&session)).await.unwrap().into_inner().workshop.unwrap();
        assert_eq!(w.session_id, session);
        let read = app
            .anonymous()
            .get_forum_edition(GetForumEditionRequest { edition_id: e.edition_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .edition
            .unwrap();
        let sessions: Vec<&str> = read.themes[0].workshops.iter().map(|w| w.session_id.as_str()).collect();
        assert_eq!(sessions, ["", session.as_str()]);

        // Training records who was there (a copy of one record delivered again); a person
        // present at another session is not present at this one.
        let first_day = present(&app, &session, &attended.id, 1).await;
        present(&app, &session, &attended.id, 2).await;
        app.publish_copy(&first_day).await;
        present(&app, &course, &elsewhere.id, 1).await;
        present(&app, &session, &also.id, 2).await;
        assert_eq!(app.count("training_attendance").await, 3);

        // Whoever training did not record present is refused, staff and observers too,
        // with nothing written; the people present contribute.
        let before = app.written().await;
        let events = app.events().await.len();
        for (who, client) in [("absent", &mut away), ("elsewhere", &mut other), ("staff", &mut s), ("observer", &mut obs)] {
            let refused = client.add_forum_contribution(contribution(&w.workshop_id)).await;
            let status = refused.expect_err(who);
            assert_eq!((status.code(), rule(&status)), (Code::FailedPrecondition, "forum.not_attended".to_string()), "{who}");
        }
        assert_code(app.anonymous().add_forum_contribution(contribution(&w.workshop_id)).await, Code::Unauthenticated, "anonymous");
        let mut service = app.service().await;
        assert_code(service.add_forum_contribution(contribution(&w.workshop_id)).await, Code::PermissionDenied, "service");
        assert_eq!(app.written().await, before);
        assert_eq!(app.events().await.len(), events);
        let mine = here.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap().into_inner().contribution.unwrap();
        assert_eq!((mine.author_id.as_str(), mine.workshop_id.as_str()), (attended.id.as_str(), w.workshop_id.as_str()));
        too.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap();

        // A workshop without a session hears anyone signed in, as before.
        away.add_forum_contribution(contribution(&open.workshop_id)).await.unwrap();
        let added = payloads::<ForumContributionAdded>(&app.events().await, "consultation.forum_contribution.added");
        let by: Vec<(&str, &str)> = added.iter().map(|a| (a.workshop_id.as_str(), a.account_id.as_str())).collect();
        assert_eq!(
            by,
            [
                (w.workshop_id.as_str(), attended.id.as_str()),
                (w.workshop_id.as_str(), also.id.as_str()),
                (open.workshop_id.as_str(), absent.id.as_str()),
            ]
        );
    }

    async fn forum_contributions_come_a_page_at_a_time(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let (mut s, mut me) = (app.client(&staff), app.client(&citizen));
        let (e, w) = edition_with_workshop(&mut s).await;
        let mut added = Vec::new();
        for _ in 0..5 {
            let c = me.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap().into_inner();
            added.push(c.contribution.unwrap().contribution_id);
        }
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut token = String::new();
        loop {
            let page = app
                .anonymous()
                .list_forum_contributions(ListForumContributionsRequest {
                    workshop_id: w.workshop_id.clone(),
                    page: Some(PageRequest { page_size: 2, page_token: token }),
                })
                .await
                .unwrap()
                .into_inner();
            sizes.push(page.contributions.len());
            seen.extend(page.contributions.into_iter().map(|c| c.contribution_id));
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        assert_eq!(sizes, [2, 2, 1]);
        assert_eq!(seen, added, "oldest first, each once");
        let got = app
            .anonymous()
            .get_forum_edition(GetForumEditionRequest { edition_id: e.edition_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .edition
            .unwrap();
        assert_eq!(got.themes[0].workshops[0].contribution_count, 5);
        assert!(got.themes[0].workshops[0].contributions.is_empty());
    }

    async fn contributions_are_moderated_like_comments(app: TestApp) {
        let (staff, citizen, observer) = tokio::join!(app.staff(), app.citizen(), app.observer());
        let reporters = app.citizens(3).await;
        let (mut s, mut me) = (app.client(&staff), app.client(&citizen));
        let (e, w) = edition_with_workshop(&mut s).await;
        let first = me.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap().into_inner().contribution.unwrap();
        let second = me.add_forum_contribution(contribution(&w.workshop_id)).await.unwrap().into_inner().contribution.unwrap();
        let (one, two) = (first.contribution_id.clone(), second.contribution_id.clone());
        let hide = |id: &str| HideForumContributionRequest { contribution_id: id.into(), reason: "insult".into() };
        let restore = |id: &str| RestoreForumContributionRequest { contribution_id: id.into() };
        let report = |id: &str| ReportForumContributionRequest { contribution_id: id.into(), reason: "spam".into() };
        let listed = async |who: Option<&crate::helpers::Person>| -> Vec<ForumContribution> {
            let mut client = match who {
                Some(p) => app.client(p),
                None => app.anonymous(),
            };
            client
                .list_forum_contributions(ListForumContributionsRequest { workshop_id: w.workshop_id.clone(), page: None })
                .await
                .unwrap()
                .into_inner()
                .contributions
        };

        // Who may: staff hide and restore; anyone signed in reports. Bad input named. Nothing
        // written by a refused call.
        let before = app.written().await;
        for (who, mut client, code) in [
            ("citizen", app.client(&citizen), Code::PermissionDenied),
            ("observer", app.client(&observer), Code::PermissionDenied),
            ("service", app.service().await, Code::PermissionDenied),
            ("anonymous", app.anonymous(), Code::Unauthenticated),
        ] {
            assert_code(client.hide_forum_contribution(hide(&one)).await, code, who);
            assert_code(client.restore_forum_contribution(restore(&one)).await, code, who);
        }
        assert_code(app.anonymous().report_forum_contribution(report(&one)).await, Code::Unauthenticated, "anonymous");
        assert_code(app.service().await.report_forum_contribution(report(&one)).await, Code::PermissionDenied, "service");
        assert_fields(
            s.hide_forum_contribution(HideForumContributionRequest { contribution_id: "c".into(), reason: "x".repeat(501) }).await,
            &["contribution_id", "reason"],
        );
        assert_fields(me.report_forum_contribution(ReportForumContributionRequest { contribution_id: one.clone(), reason: " ".into() }).await, &["reason"]);
        assert_fields(s.restore_forum_contribution(restore("c")).await, &["contribution_id"]);
        let nobody = uuid::Uuid::new_v4().to_string();
        assert_code(s.hide_forum_contribution(hide(&nobody)).await, Code::NotFound, "no contribution");
        assert_code(me.report_forum_contribution(report(&nobody)).await, Code::NotFound, "no contribution");
        assert_eq!(rule(&s.restore_forum_contribution(restore(&one)).await.unwrap_err()), "comment.not_hidden");
        assert_eq!(app.written().await, before);

        // Hidden by staff: left out for the public and the author, shown to staff and observers.
        let hidden = s.hide_forum_contribution(hide(&one)).await.unwrap().into_inner().contribution.unwrap();
        assert_eq!((hidden.hidden, hidden.hidden_reason.as_str(), hidden.body.as_str()), (true, "insult", first.body.as_str()));
        assert_eq!(rule(&s.hide_forum_contribution(hide(&one)).await.unwrap_err()), "comment.already_hidden");
        for who in [None, Some(&citizen)] {
            let ids: Vec<String> = listed(who).await.into_iter().map(|c| c.contribution_id).collect();
            assert_eq!(ids, vec![two.clone()], "the public does not see a hidden contribution");
        }
        for who in [&staff, &observer] {
            let all = listed(Some(who)).await;
            assert_eq!(all.iter().map(|c| (c.contribution_id.as_str(), c.hidden)).collect::<Vec<_>>(), vec![(one.as_str(), true), (two.as_str(), false)]);
            assert_eq!(all[0].body, first.body, "staff read what they hid");
        }
        let got = app.anonymous().get_forum_edition(GetForumEditionRequest { edition_id: e.edition_id.clone() }).await.unwrap().into_inner().edition.unwrap();
        assert_eq!(got.themes[0].workshops[0].contribution_count, 1, "hidden ones are not counted for the public");

        // Restored after review: public again.
        let back = s.restore_forum_contribution(restore(&one)).await.unwrap().into_inner().contribution.unwrap();
        assert!(!back.hidden && back.hidden_reason.is_empty());
        assert_eq!(listed(None).await.len(), 2);

        // Enough reports from different people hide it pending review; one report per person.
        for (i, r) in reporters.iter().enumerate() {
            let after = app.client(r).report_forum_contribution(report(&two)).await.unwrap().into_inner().contribution.unwrap();
            assert_eq!(after.hidden, i == 2, "hidden at the third report");
            if after.hidden {
                assert!(after.body.is_empty(), "a reporter does not read a hidden body");
            }
        }
        app.client(&reporters[0]).report_forum_contribution(report(&one)).await.expect("a report on another contribution");
        let again = app.client(&reporters[0]).report_forum_contribution(report(&two)).await;
        assert_code(again, Code::AlreadyExists, "a second report by the same person");
        let ids: Vec<String> = listed(None).await.into_iter().map(|c| c.contribution_id).collect();
        assert_eq!(ids, vec![one.clone()]);
        // A moderator confirms the pending one with a reason, without announcing it again.
        let confirmed = s.hide_forum_contribution(hide(&two)).await.unwrap().into_inner().contribution.unwrap();
        assert_eq!(confirmed.hidden_reason, "insult");

        // Audited, and announced once each, with ids only.
        let audit: Vec<String> = app.audit(&one).await.into_iter().map(|a| a.1).collect();
        assert_eq!(audit, vec!["forum_contribution.hide", "forum_contribution.restore"]);
        let events = app.events().await;
        let hidden: Vec<(String, String)> = payloads::<ForumContributionModerated>(&events, "consultation.forum_contribution.hidden")
            .into_iter()
            .map(|m| (m.contribution_id, m.cause))
            .collect();
        assert_eq!(hidden, vec![(one.clone(), "moderator".to_string()), (two.clone(), "reports".to_string())]);
        let restored: Vec<ForumContributionModerated> = payloads(&events, "consultation.forum_contribution.restored");
        assert_eq!(restored.len(), 1);
        assert_eq!((restored[0].contribution_id.as_str(), restored[0].edition_id.as_str()), (one.as_str(), e.edition_id.as_str()));
        app.assert_no_personal_data(&[&citizen, &staff, &reporters[0]]).await;
    }
}
