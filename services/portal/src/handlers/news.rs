//! News and plain-language pages (how to take part, what the law lets a citizen or an
//! association do, the consultative instances), as staff wrote and published them in the
//! consultation service: the news a page at a time, newest first, one article, the pages'
//! index, and an Atom feed of the news.
//!
//! An article's body is plain text: a blank line starts a new paragraph and a line break is
//! kept. Nothing in it is ever taken as HTML: the templates escape it, and the feed sends it
//! as escaped text.
//!
//! An article is shown in the page's language when it has that version, else in the language
//! it has, marked with that language and a sentence saying the page's language is missing.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use tachawor_proto::{
    common::PageRequest,
    consultation::{Article, ArticleKind, GetArticleRequest, ListArticlesRequest},
};

use super::{AppState, Listing, PageQuery, lang_of};
use crate::{
    error::PageError,
    i18n::{Lang, Tr},
    page::{Frame, Section, html, with_policy},
};

/// News items on the home page.
pub const HOME_NEWS: i32 = 3;

/// One language version of an article as a page shows it.
#[derive(Clone, Debug, Default)]
pub struct ArticleView {
    /// The article's own page on this site, after the language (`news/…` or `pages/…`).
    pub path: String,
    pub title: String,
    pub summary: String,
    /// Paragraphs, each a list of lines.
    pub paragraphs: Vec<Vec<String>>,
    /// The language of the version shown, and its direction.
    pub lang: &'static str,
    pub dir: &'static str,
    /// Set when the page's language is missing: a sentence saying so.
    pub missing_note: Option<String>,
    /// When it was last published, as Morocco writes dates.
    pub published: String,
}

/// The body's paragraphs: blank lines separate them, single line breaks are kept as lines.
pub fn paragraphs(body: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in body.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The path of an article on this site, after the language.
pub fn article_path(article: &Article) -> String {
    if article.kind == ArticleKind::Page as i32 {
        format!("pages/{}", article.slug)
    } else {
        format!("news/{}", article.slug)
    }
}

impl ArticleView {
    /// The version in `tr`'s language, else the first the article has (the platform's order).
    pub fn of(article: &Article, tr: Tr) -> Self {
        let own = tr.lang.code();
        let version = article
            .translations
            .iter()
            .find(|t| t.language == own)
            .or_else(|| article.translations.first())
            .cloned()
            .unwrap_or_default();
        // Tamazight (Tifinagh, left to right) is a content language, not the interface's.
        let (code, dir) = match Lang::parse(&version.language) {
            Some(lang) => (lang.code(), lang.dir()),
            None if version.language == "zgh" => ("zgh", "ltr"),
            None => (tr.lang.code(), tr.lang.dir()),
        };
        Self {
            path: article_path(article),
            title: version.title,
            summary: version.summary,
            paragraphs: paragraphs(&version.body),
            lang: code,
            dir,
            missing_note: (code != tr.lang.code()).then(|| tr.t("news-not-in-page-language")),
            published: tr.timestamp_date(article.published_at.as_ref()),
        }
    }
}

/// The latest news for the home page: one call, read anonymously like every public page.
pub async fn latest(app: &AppState) -> Result<Vec<Article>, tonic::Status> {
    Ok(app
        .services
        .consultation()
        .list_articles(ListArticlesRequest {
            kind: ArticleKind::News as i32,
            page: Some(PageRequest {
                page_size: HOME_NEWS,
                page_token: String::new(),
            }),
            ..Default::default()
        })
        .await?
        .into_inner()
        .articles)
}

#[derive(Template)]
#[template(path = "news.html")]
struct ListPage {
    frame: Frame,
    /// `news` or `pages`.
    kind: &'static str,
    lead_id: &'static str,
    none_id: &'static str,
    articles: Vec<ArticleView>,
    listing: Listing,
}

async fn list_of(
    app: &AppState,
    lang: Lang,
    query: PageQuery,
    kind: ArticleKind,
) -> Result<Response, PageError> {
    let is_first = query.is_first();
    let token = query.token(lang)?;
    let answer = app
        .services
        .consultation()
        .list_articles(ListArticlesRequest {
            kind: kind as i32,
            page: app.page(token),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let (title, rest, section, code) = match kind {
        ArticleKind::Page => ("pages-title", "pages", Section::None, "pages"),
        _ => ("news-title", "news", Section::News, "news"),
    };
    let (frame, listing) = Listing::new(
        lang,
        title,
        section,
        rest,
        is_first,
        &answer.next_page_token,
    );
    let page = ListPage {
        articles: answer
            .articles
            .iter()
            .map(|a| ArticleView::of(a, frame.tr))
            .collect(),
        frame,
        kind: code,
        lead_id: if code == "news" {
            "news-lead"
        } else {
            "pages-lead"
        },
        none_id: if code == "news" {
            "news-none"
        } else {
            "pages-none"
        },
        listing,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

/// `/{lang}/news`: the published news, newest first, a page at a time.
pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    list_of(&app, lang, query, ArticleKind::News).await
}

/// `/{lang}/pages`: the plain-language pages.
pub async fn pages(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    list_of(&app, lang, query, ArticleKind::Page).await
}

#[derive(Template)]
#[template(path = "news_article.html")]
struct ArticlePage {
    frame: Frame,
    kind: &'static str,
    back_id: &'static str,
    article: ArticleView,
    /// "Published on …" for news; pages are not dated.
    published_line: String,
}

/// Whether `key` is an article id (a UUID) rather than a slug.
fn is_id(key: &str) -> bool {
    key.len() == 36
        && key.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The published article `key` (its slug, or its id), of `kind`; any other is not found.
async fn article(
    app: &AppState,
    lang: Lang,
    key: &str,
    kind: ArticleKind,
) -> Result<Response, PageError> {
    let request = if is_id(key) {
        GetArticleRequest {
            article_id: key.to_string(),
            ..Default::default()
        }
    } else {
        GetArticleRequest {
            slug: key.to_string(),
            ..Default::default()
        }
    };
    let found = app
        .services
        .consultation()
        .get_article(request)
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .article
        .filter(|a| a.kind == kind as i32)
        .ok_or_else(|| PageError::not_found(lang))?;
    let tr = Tr::new(lang);
    let view = ArticleView::of(&found, tr);
    let (section, code) = match kind {
        ArticleKind::Page => (Section::None, "pages"),
        _ => (Section::News, "news"),
    };
    let mut frame = Frame::new(lang, view.title.clone(), section, &view.path);
    // The title may be in the other language: the layout's `<title>` says so.
    if view.missing_note.is_some() {
        frame.title = format!(
            "{} ({})",
            view.title,
            Lang::parse(view.lang).unwrap_or(lang).native_name()
        );
    }
    let published_line = if kind == ArticleKind::News && !view.published.is_empty() {
        tr.with("news-published-on", &[("date", view.published.clone())])
    } else {
        String::new()
    };
    let page = ArticlePage {
        frame,
        kind: code,
        back_id: if code == "news" {
            "news-back"
        } else {
            "pages-back"
        },
        article: view,
        published_line,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

/// `/{lang}/news/{id-or-slug}`.
pub async fn detail(
    State(app): State<AppState>,
    Path((lang, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    article(&app, lang, &key, ArticleKind::News).await
}

/// `/{lang}/pages/{slug}`.
pub async fn page(
    State(app): State<AppState>,
    Path((lang, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    article(&app, lang, &key, ArticleKind::Page).await
}

// ---- The Atom feed (RFC 4287) ---------------------------------------------------------------

/// Escapes text for XML content and attribute values, dropping the characters XML forbids.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The feed of the latest news in `lang`: each entry in its version in that language (or the
/// one it has, marked with `xml:lang`), its body as escaped text.
pub fn atom(articles: &[Article], lang: Lang, public_url: &str) -> String {
    let tr = Tr::new(lang);
    let base = public_url.trim_end_matches('/');
    let code = lang.code();
    let newest = articles
        .iter()
        .filter_map(|a| super::api::instant(a.updated_at.as_ref()))
        .max()
        .unwrap_or_else(|| tachawor_proto::dates::instant_of_millis(super::now_millis()));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\">\n"
    ));
    xml.push_str(&format!(
        "  <id>{}</id>\n  <title>{}</title>\n  <updated>{newest}</updated>\n",
        xml_escape(&format!("{base}/{code}/news")),
        xml_escape(&tr.plain_with("page-title", &[("page", tr.t("news-title"))]))
    ));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&tr.t("site-name"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}/{code}/news.xml"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}/{code}/news"))
    ));
    for article in articles {
        let view = ArticleView::of(article, tr);
        let published = super::api::instant(article.published_at.as_ref()).unwrap_or_default();
        let updated =
            super::api::instant(article.updated_at.as_ref()).unwrap_or_else(|| published.clone());
        let version = article
            .translations
            .iter()
            .find(|t| t.language == view.lang)
            .cloned()
            .unwrap_or_default();
        xml.push_str(&format!("  <entry xml:lang=\"{}\">\n", view.lang));
        xml.push_str(&format!(
            "    <id>urn:uuid:{}</id>\n    <title type=\"text\">{}</title>\n",
            xml_escape(&article.article_id),
            xml_escape(&view.title)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&format!("{base}/{code}/{}", view.path))
        ));
        if !published.is_empty() {
            xml.push_str(&format!("    <published>{published}</published>\n"));
        }
        xml.push_str(&format!("    <updated>{updated}</updated>\n"));
        if !view.summary.is_empty() {
            xml.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                xml_escape(&view.summary)
            ));
        }
        xml.push_str(&format!(
            "    <content type=\"text\">{}</content>\n  </entry>\n",
            xml_escape(&version.body)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// `/{lang}/news.xml`: the first page of the news as an Atom feed.
pub async fn feed(
    State(app): State<AppState>,
    Path(lang): Path<String>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let articles = app
        .services
        .consultation()
        .list_articles(ListArticlesRequest {
            kind: ArticleKind::News as i32,
            page: app.page(None),
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .articles;
    let body = atom(&articles, lang, &app.settings.server.public_url);
    Ok(with_policy(
        (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            body,
        )
            .into_response(),
        app.public(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tachawor_proto::consultation::ArticleTranslation;

    fn article(langs: &[&str], body: &str) -> Article {
        Article {
            article_id: "0192f2a4-0000-7000-8000-000000000001".into(),
            slug: "forum-2026".into(),
            kind: ArticleKind::News as i32,
            translations: langs
                .iter()
                .map(|l| ArticleTranslation {
                    language: l.to_string(),
                    title: format!("Title {l} <b>"),
                    summary: String::new(),
                    body: body.into(),
                })
                .collect(),
            published_at: Some(tachawor_proto::dates::timestamp(1_764_547_200_000)),
            updated_at: Some(tachawor_proto::dates::timestamp(1_764_547_200_000)),
            ..Default::default()
        }
    }

    #[test]
    fn blank_lines_make_paragraphs_and_line_breaks_stay() {
        assert_eq!(
            paragraphs("One\r\ntwo\n\n\n  \nThree\n"),
            vec![vec!["One".to_string(), "two".into()], vec!["Three".into()]]
        );
        assert!(paragraphs(" \n\n").is_empty());
    }

    #[test]
    fn a_tamazight_only_article_is_marked_as_tamazight() {
        let only_zgh = ArticleView::of(&article(&["zgh"], "ⴰⵎⴰⵏ"), Tr::new(Lang::Ar));
        assert_eq!((only_zgh.lang, only_zgh.dir), ("zgh", "ltr"));
        assert!(only_zgh.missing_note.is_some());
    }

    #[test]
    fn the_page_language_is_shown_when_there_and_its_absence_said() {
        let both = ArticleView::of(&article(&["ar", "fr"], "x"), Tr::new(Lang::Fr));
        assert_eq!((both.lang, both.missing_note.is_none()), ("fr", true));
        let only_fr = ArticleView::of(&article(&["fr"], "x"), Tr::new(Lang::Ar));
        assert_eq!((only_fr.lang, only_fr.dir), ("fr", "ltr"));
        assert!(only_fr.missing_note.is_some());
        assert_eq!(only_fr.path, "news/forum-2026");
    }

    #[test]
    fn the_feed_escapes_markup_and_names_its_languages() {
        let xml = atom(
            &[article(&["fr"], "<script>alert(1)</script> & co")],
            Lang::Ar,
            "https://tachawor.example/",
        );
        assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">"));
        assert!(xml.contains("<entry xml:lang=\"fr\">"));
        assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(!xml.contains("<script>"));
        assert!(xml.contains("Title fr &lt;b&gt;"));
        assert!(xml.contains("href=\"https://tachawor.example/ar/news/forum-2026\""));
        assert!(xml.contains("<published>2025-12-01T00:00:00Z</published>"));
        // Fluent's direction marks are for browsers; a feed reader would show them.
        assert!(!xml.contains(['\u{2068}', '\u{2069}']), "{xml}");
        assert_eq!(xml_escape("a\u{1}b\"'"), "ab&quot;&apos;");
        assert!(is_id("0192f2a4-0000-7000-8000-000000000001"));
        assert!(!is_id("how-to-take-part"));
    }
}
