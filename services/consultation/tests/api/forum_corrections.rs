//! Forum themes and workshops corrected after their creation: a theme's title; a workshop's
//! title, province and hosting session (set, changed or removed). Staff only, bad input named
//! with nothing written, the session checked as on creation, every correction audited.

use tachawor_proto::{common::Date, consultation::*, events::TrainingSessionScheduled};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_code, assert_fields, rule, text};

/// Training schedules a session of `kind`, as its event tells.
async fn scheduled(app: &TestApp, kind: &str) -> String {
    let session_id = uuid::Uuid::now_v7().to_string();
    let event = TrainingSessionScheduled {
        session_id: session_id.clone(),
        program_id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        province_code: "laayoune".into(),
        ..Default::default()
    };
    app.publish("training.session.scheduled", &event).await;
    session_id
}

fn workshop_update(
    workshop_id: &str,
    title: &str,
    province: &str,
    session: &str,
) -> UpdateForumWorkshopRequest {
    UpdateForumWorkshopRequest {
        workshop_id: workshop_id.into(),
        title: text(title),
        province_code: province.into(),
        session_id: session.into(),
    }
}

fn workshop_of(e: &ForumEdition) -> ForumWorkshop {
    e.themes[0].workshops[0].clone()
}

matrix! {
    async fn staff_correct_a_theme_and_a_workshop_and_set_its_session(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let mut s = app.client(&staff);
        let edition = s.create_forum_edition(CreateForumEditionRequest {
            year: 2027,
            title: text("Regional Forum 2027"),
            starts_on: Some(Date { year: 2027, month: 3, day: 1 }),
            ends_on: Some(Date { year: 2027, month: 3, day: 3 }),
            ..Default::default()
        }).await.unwrap().into_inner().edition.unwrap();
        let theme = s.add_forum_theme(AddForumThemeRequest { edition_id: edition.edition_id.clone(), title: text("Watr"), ..Default::default() })
            .await.unwrap().into_inner().theme.unwrap();
        let workshop = s.add_forum_workshop(AddForumWorkshopRequest {
            theme_id: theme.theme_id.clone(), title: text("Desalinaton"), province_code: "laayoune".into(), ..Default::default()
        }).await.unwrap().into_inner().workshop.unwrap();
        let forum = scheduled(&app, "forum").await;
        let training = scheduled(&app, "training_session").await;
        let id = workshop.workshop_id.clone();

        // Who may: staff only; bad input named; nothing written by a refusal.
        let before = app.written().await;
        let theme_fix = UpdateForumThemeRequest { theme_id: theme.theme_id.clone(), title: text("Water") };
        assert_code(app.anonymous().update_forum_theme(theme_fix.clone()).await, Code::Unauthenticated, "anonymous");
        assert_code(app.client(&citizen).update_forum_theme(theme_fix.clone()).await, Code::PermissionDenied, "citizen");
        assert_code(app.service().await.update_forum_workshop(workshop_update(&id, "Desalination", "laayoune", "")).await, Code::PermissionDenied, "service");
        assert_code(app.client(&citizen).update_forum_workshop(workshop_update(&id, "Desalination", "laayoune", "")).await, Code::PermissionDenied, "citizen");
        assert_fields(s.update_forum_theme(UpdateForumThemeRequest { theme_id: "t".into(), title: None }).await, &["theme_id", "title.ar", "title.fr"]);
        assert_fields(
            s.update_forum_workshop(UpdateForumWorkshopRequest { workshop_id: id.clone(), title: None, province_code: "casablanca".into(), session_id: "s".into() }).await,
            &["title.ar", "title.fr", "province_code", "session_id"],
        );
        // Unknown items, and a session training did not tell of or not a forum.
        let unknown = uuid::Uuid::now_v7().to_string();
        assert_code(s.update_forum_theme(UpdateForumThemeRequest { theme_id: unknown.clone(), title: text("Water") }).await, Code::NotFound, "unknown theme");
        assert_code(s.update_forum_workshop(workshop_update(&unknown, "Desalination", "laayoune", "")).await, Code::NotFound, "unknown workshop");
        let refused = s.update_forum_workshop(workshop_update(&id, "Desalination", "laayoune", &unknown)).await.unwrap_err();
        assert_eq!(rule(&refused), "forum.session_unknown");
        let refused = s.update_forum_workshop(workshop_update(&id, "Desalination", "laayoune", &training)).await.unwrap_err();
        assert_eq!(rule(&refused), "forum.session_not_forum");
        assert_eq!(app.written().await, before, "nothing written by a refusal");

        // The theme's title corrected, audited with what it was.
        let shown = s.update_forum_theme(theme_fix).await.unwrap().into_inner().edition.unwrap();
        assert_eq!(shown.themes[0].title.as_ref().unwrap().fr, "Water (fr)");
        let audit = app.audit(&theme.theme_id).await;
        assert_eq!(audit.len(), 1, "{audit:?}");
        assert_eq!((audit[0].0.as_str(), audit[0].1.as_str()), (staff.id.as_str(), "forum_theme.update"));
        assert!(audit[0].2.contains("Water (fr)"), "{audit:?}");

        // The workshop: corrected and given its session after creation, then moved, then left
        // without one; each read back and audited.
        let shown = s.update_forum_workshop(workshop_update(&id, "Desalination", "tarfaya", &forum)).await.unwrap().into_inner().edition.unwrap();
        let w = workshop_of(&shown);
        assert_eq!((w.title.as_ref().unwrap().ar.as_str(), w.province_code.as_str(), w.session_id.as_str()), ("Desalination (ar)", "tarfaya", forum.as_str()));
        let read = app.anonymous().get_forum_edition(GetForumEditionRequest { edition_id: edition.edition_id.clone() }).await.unwrap().into_inner().edition.unwrap();
        assert_eq!(workshop_of(&read).session_id, forum);
        let shown = s.update_forum_workshop(workshop_update(&id, "Desalination", "tarfaya", "")).await.unwrap().into_inner().edition.unwrap();
        assert_eq!(workshop_of(&shown).session_id, "");
        let audit = app.audit(&id).await;
        assert_eq!(audit.iter().filter(|(_, action, _)| action == "forum_workshop.update").count(), 2, "{audit:?}");
        assert!(audit[0].2.contains(&forum) && audit[0].2.contains("tarfaya"), "{audit:?}");
    }
}
