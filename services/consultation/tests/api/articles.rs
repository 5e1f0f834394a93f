//! News items and plain-language pages: staff write them in Arabic and French (a missing
//! language shown as such), publish and unpublish them, and anyone reads the published ones.

use prost::Message;
use tachawor_proto::{common::PageRequest, consultation::*, events::ConsultationArticlePublished};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_code, assert_fields, rule};

fn version(language: &str, title: &str) -> ArticleTranslation {
    ArticleTranslation {
        language: language.into(),
        title: title.into(),
        summary: format!("{title}: summary"),
        body: format!("{title}: body"),
    }
}

fn create(
    slug: &str,
    kind: ArticleKind,
    translations: Vec<ArticleTranslation>,
) -> CreateArticleRequest {
    CreateArticleRequest {
        slug: slug.into(),
        kind: kind as i32,
        translations,
        idempotency_key: String::new(),
    }
}

fn languages(a: &Article) -> Vec<&str> {
    a.translations.iter().map(|t| t.language.as_str()).collect()
}

fn long(n: usize) -> String {
    "x".repeat(n)
}

matrix! {
    async fn staff_publish_articles_that_anyone_reads(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let (mut s, mut me, mut anyone) = (app.client(&staff), app.client(&citizen), app.anonymous());
        let get = |slug: &str| GetArticleRequest { slug: slug.into(), ..Default::default() };

        let guide = s
            .create_article(create("how-to-take-part", ArticleKind::Page, vec![version("fr", "Comment participer")]))
            .await.unwrap().into_inner().article.unwrap();
        assert_eq!(guide.status, ArticleStatus::Draft as i32);
        assert_eq!(guide.missing_languages, ["ar"]);
        assert!(guide.published_at.is_none());
        // A draft is staff's only.
        assert_code(anyone.get_article(get("how-to-take-part")).await, Code::NotFound, "anonymous, draft");
        assert_code(me.get_article(get("how-to-take-part")).await, Code::NotFound, "citizen, draft");
        assert_eq!(s.get_article(get("how-to-take-part")).await.unwrap().into_inner().article.unwrap().article_id, guide.article_id);
        assert!(anyone.list_articles(ListArticlesRequest::default()).await.unwrap().into_inner().articles.is_empty());

        let published = s.publish_article(PublishArticleRequest { article_id: guide.article_id.clone() }).await.unwrap().into_inner().article.unwrap();
        assert_eq!(published.status, ArticleStatus::Published as i32);
        assert!(published.published_at.is_some());
        let again = s.publish_article(PublishArticleRequest { article_id: guide.article_id.clone() }).await.unwrap_err();
        assert_eq!(rule(&again), "article.already_published");
        let read = anyone.get_article(get("how-to-take-part")).await.unwrap().into_inner().article.unwrap();
        assert_eq!((languages(&read), read.missing_languages.clone()), (vec!["fr"], vec!["ar".to_string()]));
        assert_eq!(read.translations[0].body, "Comment participer: body");

        // The Arabic version added: both shown, Arabic first, none missing.
        let updated = s
            .update_article(UpdateArticleRequest {
                article_id: guide.article_id.clone(),
                slug: String::new(),
                translations: vec![version("fr", "Comment participer"), version("ar", "كيف تشارك")],
            })
            .await.unwrap().into_inner().article.unwrap();
        assert_eq!(languages(&updated), ["ar", "fr"]);
        assert!(updated.missing_languages.is_empty());
        assert_eq!(updated.slug, "how-to-take-part");

        let news = s
            .create_article(create("forum-2026", ArticleKind::News, vec![version("ar", "المنتدى الجهوي"), version("fr", "Le Forum régional")]))
            .await.unwrap().into_inner().article.unwrap();
        app.clock.advance(std::time::Duration::from_secs(1));
        s.publish_article(PublishArticleRequest { article_id: news.article_id.clone() }).await.unwrap();
        let all = anyone.list_articles(ListArticlesRequest::default()).await.unwrap().into_inner();
        let slugs: Vec<_> = all.articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["forum-2026", "how-to-take-part"]);
        assert_eq!(languages(&all.articles[1]), ["ar", "fr"]);
        let only_news = anyone.list_articles(ListArticlesRequest { kind: ArticleKind::News as i32, ..Default::default() }).await.unwrap().into_inner();
        assert_eq!(only_news.articles.len(), 1);
        let first = anyone
            .list_articles(ListArticlesRequest { kind: 0, page: Some(PageRequest { page_size: 1, page_token: String::new() }), ..Default::default() })
            .await.unwrap().into_inner();
        assert_eq!(first.articles[0].slug, "forum-2026");
        let rest = anyone
            .list_articles(ListArticlesRequest { kind: 0, page: Some(PageRequest { page_size: 1, page_token: first.next_page_token }), ..Default::default() })
            .await.unwrap().into_inner();
        assert_eq!(rest.articles[0].slug, "how-to-take-part");
        assert!(rest.next_page_token.is_empty());

        // Slugs are unique.
        assert_code(s.create_article(create("forum-2026", ArticleKind::Page, vec![version("fr", "Double")])).await, Code::AlreadyExists, "a taken slug");
        assert_code(
            s.update_article(UpdateArticleRequest { article_id: guide.article_id.clone(), slug: "forum-2026".into(), translations: vec![version("fr", "x")] }).await,
            Code::AlreadyExists,
            "a slug taken by another",
        );

        // Unpublished: gone for the public, kept for staff; publishing twice announced twice.
        s.unpublish_article(UnpublishArticleRequest { article_id: guide.article_id.clone() }).await.unwrap();
        assert_code(anyone.get_article(get("how-to-take-part")).await, Code::NotFound, "unpublished");
        assert_eq!(anyone.list_articles(ListArticlesRequest::default()).await.unwrap().into_inner().articles.len(), 1);
        // Staff list every article (the console), by id too; no one else may.
        let every = ListArticlesRequest { include_unpublished: true, ..Default::default() };
        let listed = s.list_articles(every.clone()).await.unwrap().into_inner().articles;
        assert!(listed.iter().any(|a| a.article_id == guide.article_id && a.status == ArticleStatus::Unpublished as i32), "staff see the unpublished one");
        assert_code(anyone.list_articles(every.clone()).await, Code::Unauthenticated, "anonymous, every article");
        assert_code(me.list_articles(every.clone()).await, Code::PermissionDenied, "citizen, every article");
        // An observer reads what staff read, and changes nothing.
        let mut observer = app.client(&app.observer().await);
        let seen = observer.list_articles(every).await.unwrap().into_inner().articles;
        assert!(seen.iter().any(|a| a.article_id == guide.article_id), "the observer sees the unpublished one");
        let by_id = GetArticleRequest { article_id: guide.article_id.clone(), ..Default::default() };
        assert_eq!(observer.get_article(by_id.clone()).await.unwrap().into_inner().article.unwrap().slug, "how-to-take-part");
        assert_code(observer.publish_article(PublishArticleRequest { article_id: guide.article_id.clone() }).await, Code::PermissionDenied, "observer publishing");
        assert_eq!(s.get_article(by_id.clone()).await.unwrap().into_inner().article.unwrap().slug, "how-to-take-part");
        assert_code(anyone.get_article(by_id).await, Code::NotFound, "unpublished, by id");
        let twice = s.unpublish_article(UnpublishArticleRequest { article_id: guide.article_id.clone() }).await.unwrap_err();
        assert_eq!(rule(&twice), "article.not_published");
        s.publish_article(PublishArticleRequest { article_id: guide.article_id.clone() }).await.unwrap();
        assert_code(s.publish_article(PublishArticleRequest { article_id: uuid::Uuid::new_v4().to_string() }).await, Code::NotFound, "unknown article");

        let published: Vec<ConsultationArticlePublished> = app
            .events().await
            .into_iter()
            .filter(|(_, e)| e.r#type == "consultation.article.published")
            .map(|(_, e)| ConsultationArticlePublished::decode(e.payload.unwrap().value.as_slice()).unwrap())
            .collect();
        let seen: Vec<_> = published.iter().map(|p| (p.slug.as_str(), p.kind.as_str(), p.languages.join(","))).collect();
        assert_eq!(
            seen,
            [
                ("how-to-take-part", "page", "fr".to_string()),
                ("forum-2026", "news", "ar,fr".to_string()),
                ("how-to-take-part", "page", "ar,fr".to_string()),
            ]
        );
        let audited: Vec<_> = app.audit(&guide.article_id).await.into_iter().map(|(actor, action, _)| (actor == staff.id, action)).collect();
        assert_eq!(
            audited.iter().map(|(_, a)| a.as_str()).collect::<Vec<_>>(),
            ["article.create", "article.publish", "article.update", "article.unpublish", "article.publish"]
        );
        assert!(audited.iter().all(|(by_staff, _)| *by_staff));
    }

    async fn an_article_may_be_written_in_tamazight_in_tifinagh(app: TestApp) {
        let staff = app.staff().await;
        let tamazight = ArticleTranslation {
            language: "zgh".into(),
            title: "ⴰⵙⵉⴳⴳⵯⵍ ⵏ ⵜⵎⵙⵙⵓⵔⵜ".into(),
            summary: "ⴰⵙⵉⴳⴳⵯⵍ, 2026.".into(),
            body: "ⴰⵎⴰⵏ ⴷ ⵜⵓⴷⵔⵜ!\nⵜⴰⵎⵙⵙⵓⵔⵜ".into(),
        };
        let article = app
            .client(&staff)
            .create_article(create("tamazight-guide", ArticleKind::Page, vec![tamazight.clone(), version("fr", "Guide")]))
            .await
            .unwrap()
            .into_inner()
            .article
            .unwrap();
        // Shown after the interface's languages; only those are said to be missing.
        assert_eq!(languages(&article), ["fr", "zgh"]);
        assert_eq!(article.missing_languages, ["ar"]);
        assert_eq!(article.translations[1], tamazight);
    }

    async fn bad_article_input_is_named_and_nothing_written(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let before = app.written().await;
        assert_fields(
            s.create_article(CreateArticleRequest { slug: "Bad Slug".into(), kind: 0, translations: vec![], ..Default::default() }).await,
            &["slug", "kind", "translations"],
        );
        assert_fields(
            s.create_article(create(
                "a--b",
                ArticleKind::News,
                vec![
                    ArticleTranslation { language: "en".into(), title: " ".into(), summary: long(501), body: long(20_001) },
                    version("fr", "Bon"),
                    ArticleTranslation { title: long(201), ..version("fr", "Encore") },
                    // Kabyle is no content language here; Tamazight in Latin letters is refused.
                    version("kab", "ⴰⵎⴰⵣⵉⵖ"),
                    ArticleTranslation { language: "zgh".into(), title: "Tamazight".into(), summary: String::new(), body: "ⴰⵎⴰⵏ".into() },
                ],
            ))
            .await,
            &[
                "slug",
                "translations[0].language",
                "translations[0].title",
                "translations[0].summary",
                "translations[0].body",
                "translations[2].language",
                "translations[2].title",
                "translations[3].language",
                "translations[4].title",
            ],
        );
        assert_fields(
            s.create_article(CreateArticleRequest { slug: "ok-slug".into(), kind: 7, translations: vec![ArticleTranslation { title: "a\u{7}b".into(), ..version("ar", "Titre") }], ..Default::default() }).await,
            &["kind", "translations[0].title"],
        );
        assert_fields(
            s.update_article(UpdateArticleRequest { article_id: "x".into(), slug: "-x".into(), translations: vec![] }).await,
            &["article_id", "slug", "translations"],
        );
        assert_fields(s.publish_article(PublishArticleRequest { article_id: String::new() }).await, &["article_id"]);
        assert_fields(s.unpublish_article(UnpublishArticleRequest { article_id: "1".into() }).await, &["article_id"]);
        assert_fields(app.anonymous().get_article(GetArticleRequest { slug: "../etc".into(), ..Default::default() }).await, &["slug"]);
        assert_fields(app.anonymous().get_article(GetArticleRequest { article_id: "nope".into(), ..Default::default() }).await, &["article_id"]);
        assert_fields(
            app.anonymous().list_articles(ListArticlesRequest { kind: 9, page: Some(PageRequest { page_size: -1, page_token: String::new() }), ..Default::default() }).await,
            &["kind", "page.page_size"],
        );
        assert_eq!(app.written().await, before);
    }
}
