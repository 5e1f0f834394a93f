//! News items and plain-language pages, and their language versions.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use tachawor_storage::params;

#[derive(FromRow, Clone)]
pub struct ArticleRow {
    pub article_id: String,
    pub slug: String,
    pub kind: String,
    pub status: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

#[derive(FromRow, Clone)]
pub struct TranslationRow {
    pub article_id: String,
    pub language: String,
    pub title: String,
    pub summary: String,
    pub body: String,
}

const COLUMNS: &str =
    "article_id, slug, kind, status, created_by, created_at, updated_at, published_at";

pub async fn insert(conn: &mut AnyConnection, a: &ArticleRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO articles (article_id, slug, kind, status, created_by, created_at, \
         updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&a.article_id)
    .bind(&a.slug)
    .bind(&a.kind)
    .bind(&a.status)
    .bind(&a.created_by)
    .bind(a.created_at)
    .bind(a.updated_at)
    .bind(a.published_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the article's row lock (a no-op update), so concurrent writers take turns.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE articles SET status = status WHERE article_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM articles WHERE article_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn find_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM articles WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(conn)
    .await
}

/// Saves the slug, status and times of `a`.
pub async fn update(conn: &mut AnyConnection, a: &ArticleRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE articles SET slug = $2, status = $3, updated_at = $4, published_at = $5 \
         WHERE article_id = $1",
    )
    .bind(&a.article_id)
    .bind(&a.slug)
    .bind(&a.status)
    .bind(a.updated_at)
    .bind(a.published_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces every language version of an article.
pub async fn replace_translations(
    conn: &mut AnyConnection,
    article_id: &str,
    translations: &[TranslationRow],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM article_translations WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for t in translations {
        sqlx::query(
            "INSERT INTO article_translations (article_id, language, title, summary, body) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(article_id)
        .bind(&t.language)
        .bind(&t.title)
        .bind(&t.summary)
        .bind(&t.body)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Published articles, of `kind` unless empty, most recently published first.
pub async fn list_published(
    conn: &mut AnyConnection,
    kind: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ArticleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM articles WHERE status = 'published' AND ($1 = '' OR kind = $1) \
         ORDER BY published_at DESC, article_id DESC LIMIT $2 OFFSET $3"
    )))
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Every article whatever its status, of `kind` unless empty, most recently changed first.
pub async fn list_all(
    conn: &mut AnyConnection,
    kind: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ArticleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM articles WHERE ($1 = '' OR kind = $1) \
         ORDER BY updated_at DESC, article_id DESC LIMIT $2 OFFSET $3"
    )))
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The language versions of each of `ids`: one statement for a whole page.
pub async fn translations_of(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, Vec<TranslationRow>>, sqlx::Error> {
    let mut by_article: HashMap<String, Vec<TranslationRow>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_article);
    }
    let statement = format!(
        "SELECT article_id, language, title, summary, body FROM article_translations \
         WHERE article_id IN ({})",
        params::list(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, TranslationRow>(sqlx::AssertSqlSafe(statement));
    for id in ids {
        query = query.bind(*id);
    }
    for row in query.fetch_all(conn).await? {
        by_article
            .entry(row.article_id.clone())
            .or_default()
            .push(row);
    }
    Ok(by_article)
}
