//! News items and plain-language pages: staff write them in the platform's languages (a missing
//! language is allowed and shown as such), publish and unpublish them; anyone reads the
//! published ones, by slug or a page at a time. Staff writes are audited; each publication is
//! announced (`consultation.article.published`).

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    consultation::{
        Article, ArticleKind, ArticleStatus, ArticleTranslation, CreateArticleRequest,
        CreateArticleResponse, GetArticleRequest, GetArticleResponse, ListArticlesRequest,
        ListArticlesResponse, PublishArticleRequest, PublishArticleResponse,
        UnpublishArticleRequest, UnpublishArticleResponse, UpdateArticleRequest,
        UpdateArticleResponse,
    },
    events::ConsultationArticlePublished,
};
use tachawor_runtime::audit;
use tachawor_storage::Transaction;

use crate::{
    context::{Call, Context, STAFF, STAFF_READ, person, reads_as_staff},
    domain::{
        article::{self as rules, Kind, LANGUAGES, Status},
        timestamp,
    },
    store::articles::{self as rows, ArticleRow, TranslationRow},
    validate,
};

/// Checks the language versions: at least one, one per known language, each within bounds.
fn check_translations(v: &mut Violations, translations: &[ArticleTranslation]) {
    v.check(
        !translations.is_empty(),
        "translations",
        "at least one language version is required",
    );
    for (i, t) in translations.iter().enumerate() {
        let field = |name: &str| format!("translations[{i}].{name}");
        v.check(
            LANGUAGES.contains(&t.language.as_str()),
            &field("language"),
            &format!("must be one of {}", LANGUAGES.join(", ")),
        );
        v.check(
            !translations[..i].iter().any(|o| o.language == t.language),
            &field("language"),
            "is given twice",
        );
        v.check(
            validate::is_text(&t.title, rules::TITLE_MAX),
            &field("title"),
            "is required (at most 200 characters)",
        );
        v.check(
            validate::is_optional_text(&t.summary, rules::SUMMARY_MAX),
            &field("summary"),
            "at most 500 characters",
        );
        v.check(
            validate::is_text(&t.body, rules::BODY_MAX),
            &field("body"),
            "is required (at most 20000 characters)",
        );
        if t.language == rules::TAMAZIGHT {
            // Tamazight is written in Tifinagh: a version in Latin or Arabic letters is another
            // language's given the wrong code.
            for (name, text) in [
                ("title", &t.title),
                ("summary", &t.summary),
                ("body", &t.body),
            ] {
                v.check(
                    text.trim().is_empty() || validate::is_tifinagh(text),
                    &field(name),
                    "Tamazight is written in Tifinagh (letters U+2D30 to U+2D7F, with digits \
                     and punctuation)",
                );
            }
        }
    }
}

fn translation_rows(article_id: &str, translations: &[ArticleTranslation]) -> Vec<TranslationRow> {
    translations
        .iter()
        .map(|t| TranslationRow {
            article_id: article_id.to_string(),
            language: t.language.clone(),
            title: t.title.trim().to_string(),
            summary: t.summary.trim().to_string(),
            body: t.body.trim().to_string(),
        })
        .collect()
}

const SLUG_INVALID: &str =
    "must be 3 to 80 lowercase letters or digits in words joined by single hyphens";

/// The article as the contract shows it, its language versions in the platform's order.
fn message(row: ArticleRow, mut translations: Vec<TranslationRow>) -> Article {
    let order = |l: &str| LANGUAGES.iter().position(|x| *x == l).unwrap_or(usize::MAX);
    translations.sort_by_key(|t| order(&t.language));
    let missing = rules::missing_languages(translations.iter().map(|t| t.language.as_str()));
    let kind = match Kind::from_sql(&row.kind) {
        Some(Kind::News) => ArticleKind::News,
        Some(Kind::Page) => ArticleKind::Page,
        None => ArticleKind::Unspecified,
    };
    let status = match Status::from_sql(&row.status) {
        Some(Status::Draft) => ArticleStatus::Draft,
        Some(Status::Published) => ArticleStatus::Published,
        Some(Status::Unpublished) => ArticleStatus::Unpublished,
        None => ArticleStatus::Unspecified,
    };
    Article {
        article_id: row.article_id,
        slug: row.slug,
        kind: kind as i32,
        status: status as i32,
        translations: translations
            .into_iter()
            .map(|t| ArticleTranslation {
                language: t.language,
                title: t.title,
                summary: t.summary,
                body: t.body,
            })
            .collect(),
        missing_languages: missing,
        created_at: Some(timestamp(row.created_at)),
        updated_at: Some(timestamp(row.updated_at)),
        published_at: row.published_at.map(timestamp),
    }
}

/// Reads an article back with its language versions.
async fn load(conn: &mut sqlx::AnyConnection, row: ArticleRow) -> Result<Article, Error> {
    let mut translations = rows::translations_of(conn, &[row.article_id.as_str()]).await?;
    let own = translations.remove(&row.article_id).unwrap_or_default();
    Ok(message(row, own))
}

/// Refuses a slug another article holds: `ALREADY_EXISTS`.
async fn check_slug_free(tx: &mut Transaction, slug: &str, own_id: &str) -> Result<(), Error> {
    match rows::find_by_slug(tx, slug).await? {
        Some(other) if other.article_id != own_id => {
            Err(Error::AlreadyExists("another article has this slug".into()))
        }
        _ => Ok(()),
    }
}

fn languages(translations: &[ArticleTranslation]) -> Vec<&str> {
    translations.iter().map(|t| t.language.as_str()).collect()
}

pub async fn create_article(
    ctx: &Context,
    call: &Call,
    req: CreateArticleRequest,
) -> Result<CreateArticleResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    v.check(rules::is_slug(&req.slug), "slug", SLUG_INVALID);
    let kind = match ArticleKind::try_from(req.kind) {
        Ok(ArticleKind::News) => Some(Kind::News),
        Ok(ArticleKind::Page) => Some(Kind::Page),
        _ => None,
    };
    v.check(kind.is_some(), "kind", "must be news or page");
    check_translations(&mut v, &req.translations);
    validate::idempotency_key(&mut v, &req.idempotency_key);
    let kind = validate::finish_with(v, kind, "kind", "must be news or page")?;
    let now = ctx.now();
    let row = ArticleRow {
        article_id: uuid::Uuid::now_v7().to_string(),
        slug: req.slug.clone(),
        kind: kind.as_sql().into(),
        status: Status::Draft.as_sql().into(),
        created_by: staff.account_id.clone(),
        created_at: now,
        updated_at: now,
        published_at: None,
    };
    ctx.writer
        .idempotent(&staff.account_id, "CreateArticle", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                check_slug_free(&mut tx, &row.slug, &row.article_id).await?;
                rows::insert(&mut tx, &row).await?;
                let translations = translation_rows(&row.article_id, &req.translations);
                rows::replace_translations(&mut tx, &row.article_id, &translations).await?;
                audit::record(
                    &mut tx,
                    audit::Change {
                        actor_id: &staff.account_id,
                        action: "article.create",
                        target_type: "article",
                        target_id: &row.article_id,
                        before: json!(null),
                        after: json!({ "slug": row.slug, "kind": row.kind, "languages": languages(&req.translations) }),
                    },
                    now,
                )
                .await?;
                let response = CreateArticleResponse {
                    article: Some(message(row, translations)),
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn update_article(
    ctx: &Context,
    call: &Call,
    req: UpdateArticleRequest,
) -> Result<UpdateArticleResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "article_id", &req.article_id);
    v.check(
        req.slug.is_empty() || rules::is_slug(&req.slug),
        "slug",
        SLUG_INVALID,
    );
    check_translations(&mut v, &req.translations);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let before = locked(&mut tx, &req.article_id).await?;
    let mut row = before.clone();
    if !req.slug.is_empty() {
        check_slug_free(&mut tx, &req.slug, &row.article_id).await?;
        row.slug = req.slug.clone();
    }
    row.updated_at = ctx.now();
    rows::update(&mut tx, &row).await?;
    let translations = translation_rows(&row.article_id, &req.translations);
    rows::replace_translations(&mut tx, &row.article_id, &translations).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "article.update",
            target_type: "article",
            target_id: &row.article_id,
            before: json!({ "slug": before.slug }),
            after: json!({ "slug": row.slug, "languages": languages(&req.translations) }),
        },
        row.updated_at,
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(UpdateArticleResponse {
        article: Some(message(row, translations)),
    })
}

/// The article, its row locked for the rest of the transaction.
async fn locked(tx: &mut Transaction, article_id: &str) -> Result<ArticleRow, Error> {
    if !rows::lock(tx, article_id).await? {
        return Err(Error::not_found("article"));
    }
    rows::find(tx, article_id)
        .await?
        .ok_or_else(|| Error::not_found("article"))
}

/// Publishes or unpublishes: the new status, audited; a publication is announced.
async fn set_status(
    ctx: &Context,
    call: &Call,
    article_id: &str,
    publish: bool,
) -> Result<Article, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "article_id", article_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let mut row = locked(&mut tx, article_id).await?;
    let from = Status::from_sql(&row.status).unwrap_or(Status::Draft);
    let to = if publish {
        from.publish()?
    } else {
        from.unpublish()?
    };
    let now = ctx.now();
    row.status = to.as_sql().into();
    row.updated_at = now;
    if publish {
        row.published_at = Some(now);
    }
    rows::update(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: if publish {
                "article.publish"
            } else {
                "article.unpublish"
            },
            target_type: "article",
            target_id: &row.article_id,
            before: json!({ "status": from.as_sql() }),
            after: json!({ "status": to.as_sql() }),
        },
        now,
    )
    .await?;
    let kind = row.kind.clone();
    let article = load(&mut tx, row).await?;
    if publish {
        ctx.emit(
            &mut tx,
            catalogue::ARTICLE_PUBLISHED,
            &article.article_id,
            &ConsultationArticlePublished {
                article_id: article.article_id.clone(),
                slug: article.slug.clone(),
                kind,
                languages: article
                    .translations
                    .iter()
                    .map(|t| t.language.clone())
                    .collect(),
            },
        )
        .await?;
    }
    ctx.commit(tx).await?;
    Ok(article)
}

pub async fn publish_article(
    ctx: &Context,
    call: &Call,
    req: PublishArticleRequest,
) -> Result<PublishArticleResponse, Error> {
    let article = Some(set_status(ctx, call, &req.article_id, true).await?);
    Ok(PublishArticleResponse { article })
}

pub async fn unpublish_article(
    ctx: &Context,
    call: &Call,
    req: UnpublishArticleRequest,
) -> Result<UnpublishArticleResponse, Error> {
    let article = Some(set_status(ctx, call, &req.article_id, false).await?);
    Ok(UnpublishArticleResponse { article })
}

pub async fn get_article(
    ctx: &Context,
    call: &Call,
    req: GetArticleRequest,
) -> Result<GetArticleResponse, Error> {
    let mut v = Violations::new();
    let by_id = req.slug.is_empty();
    if by_id {
        validate::uuid(&mut v, "article_id", &req.article_id);
    } else {
        v.check(rules::is_slug(&req.slug), "slug", SLUG_INVALID);
    }
    v.finish()?;
    let mut conn = ctx.read().await?;
    let found = if by_id {
        rows::find(&mut conn, &req.article_id).await?
    } else {
        rows::find_by_slug(&mut conn, &req.slug).await?
    };
    let row = found
        .filter(|r| r.status == Status::Published.as_sql() || reads_as_staff(person(call).as_ref()))
        .ok_or_else(|| Error::not_found("article"))?;
    Ok(GetArticleResponse {
        article: Some(load(&mut conn, row).await?),
    })
}

pub async fn list_articles(
    ctx: &Context,
    call: &Call,
    req: ListArticlesRequest,
) -> Result<ListArticlesResponse, Error> {
    if req.include_unpublished {
        call.require_any(STAFF_READ)?;
    }
    let mut v = Violations::new();
    let kind = match ArticleKind::try_from(req.kind) {
        Ok(ArticleKind::Unspecified) => Some(""),
        Ok(ArticleKind::News) => Some(Kind::News.as_sql()),
        Ok(ArticleKind::Page) => Some(Kind::Page.as_sql()),
        Err(_) => None,
    };
    v.check(kind.is_some(), "kind", "is not a known kind");
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    let (kind, limit) = (kind.unwrap_or(""), page.fetch_limit());
    let mut found = if req.include_unpublished {
        rows::list_all(&mut conn, kind, limit, page.offset).await?
    } else {
        rows::list_published(&mut conn, kind, limit, page.offset).await?
    };
    let next_page_token = page.finish(&mut found);
    let ids: Vec<&str> = found.iter().map(|r| r.article_id.as_str()).collect();
    let mut translations = rows::translations_of(&mut conn, &ids).await?;
    let articles = found
        .into_iter()
        .map(|row| {
            let own = translations.remove(&row.article_id).unwrap_or_default();
            message(row, own)
        })
        .collect();
    Ok(ListArticlesResponse {
        articles,
        next_page_token,
    })
}
