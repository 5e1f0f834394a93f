//! The Regional Forum: staff set up an edition, its themes and workshops and record the
//! workshops' recommendations; any signed-in person contributes; everyone reads the edition and
//! pages through its contributions.
//! Who may do each with real requests, unknown parents, and bad input naming every field.

use tachawor_proto::{
    common::{Date, PageRequest},
    consultation::*,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_code, assert_fields, text};

fn date(year: i32, month: i32, day: i32) -> Option<Date> {
    Some(Date { year, month, day })
}

fn edition() -> CreateForumEditionRequest {
    CreateForumEditionRequest {
        year: 2027,
        title: text("Regional Forum 2027"),
        starts_on: date(2027, 3, 1),
        ends_on: date(2027, 3, 3),
    }
}

fn theme(edition_id: &str) -> AddForumThemeRequest {
    AddForumThemeRequest {
        edition_id: edition_id.into(),
        title: text("Water"),
    }
}

fn workshop(theme_id: &str) -> AddForumWorkshopRequest {
    AddForumWorkshopRequest {
        theme_id: theme_id.into(),
        title: text("Desalination"),
        province_code: "laayoune".into(),
    }
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
                title: Some(tachawor_proto::common::LocalizedText { ar: "t".repeat(301), fr: String::new(), en: "\u{0}".into() }),
                starts_on: date(2027, 2, 30),
                ends_on: date(2027, 13, 1),
            })
            .await,
            &["year", "title.ar", "title.fr", "title.en", "starts_on", "ends_on"],
        );
        assert_fields(
            s.create_forum_edition(CreateForumEditionRequest { starts_on: date(2027, 3, 3), ends_on: date(2027, 3, 1), ..edition() }).await,
            &["ends_on"],
        );
        assert_fields(
            s.add_forum_theme(AddForumThemeRequest { edition_id: "e".into(), title: text(&"t".repeat(300)) }).await,
            &["edition_id", "title.ar", "title.fr"],
        );
        assert_fields(
            s.add_forum_workshop(AddForumWorkshopRequest { theme_id: t.theme_id.clone(), title: None, province_code: "casablanca".into() }).await,
            &["title.ar", "title.fr", "province_code"],
        );
        assert_fields(
            me.add_forum_contribution(AddForumContributionRequest { workshop_id: "w".into(), body: "b".repeat(5001) }).await,
            &["workshop_id", "body"],
        );
        assert_fields(
            s.add_forum_recommendation(AddForumRecommendationRequest { workshop_id: w.workshop_id.clone(), text: "\t ".into() }).await,
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
        // The forum publishes no events; the people in it leak nowhere.
        assert!(app.event_counts().await.is_empty());
        app.assert_no_personal_data(&[&citizen, &staff]).await;
    }

    async fn forum_contributions_come_a_page_at_a_time(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let (mut s, mut me) = (app.client(&staff), app.client(&citizen));
        let e = s.create_forum_edition(edition()).await.unwrap().into_inner().edition.unwrap();
        let t = s.add_forum_theme(theme(&e.edition_id)).await.unwrap().into_inner().theme.unwrap();
        let w = s.add_forum_workshop(workshop(&t.theme_id)).await.unwrap().into_inner().workshop.unwrap();
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
}
