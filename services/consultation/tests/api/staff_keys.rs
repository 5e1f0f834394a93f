//! The creations staff send from the console's forms take an idempotency key: the same caller
//! sending the same key again gets the first answer back, with no second row and no second
//! event; a key over 64 characters is refused naming `idempotency_key`, with nothing written.

use std::collections::HashMap;

use tachawor_proto::{common::Date, consultation::*};
use tachawor_testkit::matrix;

use crate::helpers::{Client, TestApp, assert_fields, public_consultation, text};

const TOO_LONG: usize = 65;

fn edition(key: &str) -> CreateForumEditionRequest {
    CreateForumEditionRequest {
        year: 2027,
        title: text("Regional Forum 2027"),
        starts_on: Some(Date {
            year: 2027,
            month: 3,
            day: 1,
        }),
        ends_on: Some(Date {
            year: 2027,
            month: 3,
            day: 3,
        }),
        idempotency_key: key.into(),
    }
}

fn theme(edition_id: &str, key: &str) -> AddForumThemeRequest {
    AddForumThemeRequest {
        edition_id: edition_id.into(),
        title: text("Water"),
        idempotency_key: key.into(),
    }
}

fn workshop(theme_id: &str, key: &str) -> AddForumWorkshopRequest {
    AddForumWorkshopRequest {
        theme_id: theme_id.into(),
        title: text("Desalination"),
        province_code: "laayoune".into(),
        session_id: String::new(),
        idempotency_key: key.into(),
    }
}

fn recommendation(workshop_id: &str, key: &str) -> AddForumRecommendationRequest {
    AddForumRecommendationRequest {
        workshop_id: workshop_id.into(),
        text: "Study a plant by 2028".into(),
        idempotency_key: key.into(),
    }
}

fn consultation(key: &str) -> CreateConsultationRequest {
    CreateConsultationRequest {
        idempotency_key: key.into(),
        ..public_consultation()
    }
}

fn question(consultation_id: &str, key: &str) -> AddQuestionRequest {
    AddQuestionRequest {
        consultation_id: consultation_id.into(),
        kind: QuestionKind::FreeText as i32,
        prompt: text("What should come first?"),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

fn article(slug: &str, key: &str) -> CreateArticleRequest {
    CreateArticleRequest {
        slug: slug.into(),
        kind: ArticleKind::News as i32,
        translations: vec![ArticleTranslation {
            language: "fr".into(),
            title: "Le forum s'ouvre".into(),
            summary: String::new(),
            body: "Inscriptions ouvertes".into(),
        }],
        idempotency_key: key.into(),
    }
}

/// What one keyed creation wrote: the tables' row counts and the events by type, after minus
/// before.
struct Written {
    rows: HashMap<&'static str, i64>,
    events: HashMap<String, usize>,
}

async fn snapshot(app: &TestApp) -> (Vec<(&'static str, i64)>, HashMap<String, usize>) {
    (app.written().await, app.event_counts().await)
}

async fn since(
    app: &TestApp,
    before: &(Vec<(&'static str, i64)>, HashMap<String, usize>),
) -> Written {
    let (rows, events) = snapshot(app).await;
    let rows = rows
        .iter()
        .zip(&before.0)
        .filter(|((_, now), (_, then))| now != then)
        .map(|((table, now), (_, then))| (*table, now - then))
        .collect();
    let events = events
        .into_iter()
        .filter_map(|(t, n)| {
            let grown = n - before.1.get(&t).copied().unwrap_or(0);
            (grown > 0).then_some((t, grown))
        })
        .collect();
    Written { rows, events }
}

/// Asserts a creation wrote one row in `table` (plus its stored key, and `extra` rows
/// elsewhere) and the events `events`, once each.
fn assert_once(w: &Written, table: &str, extra: &[(&str, i64)], events: &[&str], what: &str) {
    let mut expected: HashMap<&str, i64> = HashMap::from([(table, 1), ("idempotency_keys", 1)]);
    expected.extend(extra.iter().copied());
    if !events.is_empty() {
        expected.insert("outbox", events.len() as i64);
    }
    let rows: HashMap<&str, i64> = w.rows.iter().map(|(t, n)| (*t, *n)).collect();
    assert_eq!(rows, expected, "{what}: rows written");
    let mut sent: Vec<(&str, usize)> = w.events.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    sent.sort();
    let mut wanted: Vec<(&str, usize)> = events.iter().map(|t| (*t, 1)).collect();
    wanted.sort();
    assert_eq!(sent, wanted, "{what}: events");
}

/// Sends `first` twice and checks the answers are the same; returns the answer.
macro_rules! twice {
    ($client:expr, $rpc:ident, $req:expr) => {{
        let first = $client
            .$rpc($req)
            .await
            .expect(stringify!($rpc))
            .into_inner();
        let again = $client
            .$rpc($req)
            .await
            .expect(stringify!($rpc))
            .into_inner();
        assert_eq!(
            first,
            again,
            "{}: the retry gets the first answer",
            stringify!($rpc)
        );
        first
    }};
}

/// A key over 64 characters: refused naming it, nothing written.
async fn refused_long_key(
    app: &TestApp,
    c: &mut Client,
    edition_id: &str,
    theme_id: &str,
    workshop_id: &str,
    consultation_id: &str,
) {
    let long = "k".repeat(TOO_LONG);
    let before = app.written().await;
    assert_fields(
        c.create_forum_edition(edition(&long)).await,
        &["idempotency_key"],
    );
    assert_fields(
        c.add_forum_theme(theme(edition_id, &long)).await,
        &["idempotency_key"],
    );
    assert_fields(
        c.add_forum_workshop(workshop(theme_id, &long)).await,
        &["idempotency_key"],
    );
    assert_fields(
        c.add_forum_recommendation(recommendation(workshop_id, &long))
            .await,
        &["idempotency_key"],
    );
    assert_fields(
        c.create_consultation(consultation(&long)).await,
        &["idempotency_key"],
    );
    assert_fields(
        c.add_question(question(consultation_id, &long)).await,
        &["idempotency_key"],
    );
    assert_fields(
        c.create_article(article("long-key", &long)).await,
        &["idempotency_key"],
    );
    assert_eq!(app.written().await, before, "a refused key wrote nothing");
}

matrix! {
    async fn a_staff_creation_sent_twice_with_its_key_creates_once(app: TestApp) {
        let (staff, other) = tokio::join!(app.staff(), app.admin());
        let mut s = app.client(&staff);

        let before = snapshot(&app).await;
        let e = twice!(s, create_forum_edition, edition("form-edition-1")).edition.unwrap();
        assert_once(&since(&app, &before).await, "forum_editions", &[], &["consultation.forum_edition.created"], "edition");

        let before = snapshot(&app).await;
        let t = twice!(s, add_forum_theme, theme(&e.edition_id, "form-theme-1")).theme.unwrap();
        assert_once(&since(&app, &before).await, "forum_themes", &[], &[], "theme");

        let before = snapshot(&app).await;
        let w = twice!(s, add_forum_workshop, workshop(&t.theme_id, "form-workshop-1")).workshop.unwrap();
        assert_once(&since(&app, &before).await, "forum_workshops", &[], &[], "workshop");

        let before = snapshot(&app).await;
        let r = twice!(s, add_forum_recommendation, recommendation(&w.workshop_id, "form-rec-1")).recommendation.unwrap();
        assert_once(&since(&app, &before).await, "forum_recommendations", &[], &["consultation.forum_recommendation.added"], "recommendation");
        assert!(!r.forum_recommendation_id.is_empty());

        let before = snapshot(&app).await;
        let c = twice!(s, create_consultation, consultation("form-consultation-1")).consultation.unwrap();
        assert_once(&since(&app, &before).await, "consultations", &[("audit_log", 1)], &[], "consultation");
        assert_eq!(app.audit(&c.consultation_id).await.len(), 1, "audited once");

        let before = snapshot(&app).await;
        let q = twice!(s, add_question, question(&c.consultation_id, "form-question-1")).question.unwrap();
        assert_once(&since(&app, &before).await, "questions", &[], &[], "question");
        assert_eq!(q.position, 1);

        let before = snapshot(&app).await;
        let a = twice!(s, create_article, article("forum-opens", "form-article-1")).article.unwrap();
        assert_once(&since(&app, &before).await, "articles", &[("article_translations", 1), ("audit_log", 1)], &[], "article");
        assert_eq!(app.audit(&a.article_id).await.len(), 1, "audited once");

        // The key is the caller's own: another staff member's same key is a creation of theirs,
        // and no key at all creates each time.
        let mine = s.add_forum_theme(theme(&e.edition_id, "form-theme-1")).await.unwrap().into_inner().theme.unwrap();
        assert_eq!(mine.theme_id, t.theme_id);
        let theirs = app.client(&other).add_forum_theme(theme(&e.edition_id, "form-theme-1")).await.unwrap().into_inner().theme.unwrap();
        assert_ne!(theirs.theme_id, t.theme_id);
        let before = app.count("forum_themes").await;
        s.add_forum_theme(theme(&e.edition_id, "")).await.unwrap();
        s.add_forum_theme(theme(&e.edition_id, "")).await.unwrap();
        assert_eq!(app.count("forum_themes").await, before + 2);

        refused_long_key(&app, &mut s, &e.edition_id, &t.theme_id, &w.workshop_id, &c.consultation_id).await;
    }
}
