//! The news desk: every article (drafts, published, unpublished), written in Arabic and French
//! on one form, created, edited, published and unpublished. The consultation service checks
//! each field and each action with the person's own token; its refusals are shown beside the
//! fields they name.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::consultation::{
    Article, ArticleKind, ArticleStatus, ArticleTranslation, CreateArticleRequest,
    GetArticleRequest, ListArticlesRequest, PublishArticleRequest, UnpublishArticleRequest,
    UpdateArticleRequest,
};

use super::{NoFields, Staff, StaffNav, frame};
use crate::{
    error::PageError,
    form::{FormErrors, idempotency_key, posted_key},
    handlers::{AppState, Listing, PageQuery, lang_of, news::article_path, next_link},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::enum_code,
};

/// The form's languages, in the order the form shows them.
const LANGUAGES: &[&str] = &["ar", "fr"];

/// An article as the desk lists it.
pub struct ArticleRow {
    pub id: String,
    pub slug: String,
    /// `draft`, `published` or `unpublished`.
    pub status: String,
    pub status_label: String,
    pub kind_label: String,
    /// The title in the page's language, else in the language it has.
    pub title: String,
    pub title_lang: &'static str,
    pub title_dir: &'static str,
    /// "Arabic, French" and "Missing: …".
    pub languages: String,
    pub missing: String,
    pub updated: String,
    pub published: bool,
    /// The public page, once published.
    pub public_path: String,
}

fn status_code(article: &Article) -> String {
    ArticleStatus::try_from(article.status)
        .map(|s| enum_code(s.as_str_name(), "ARTICLE_STATUS_"))
        .unwrap_or_default()
}

fn kind_code(kind: i32) -> &'static str {
    if kind == ArticleKind::Page as i32 {
        "page"
    } else {
        "news"
    }
}

impl ArticleRow {
    fn of(article: &Article, tr: Tr) -> Self {
        let own = article
            .translations
            .iter()
            .find(|t| t.language == tr.lang.code())
            .or_else(|| article.translations.first());
        let lang = own
            .and_then(|t| Lang::parse(&t.language))
            .unwrap_or(tr.lang);
        let name = |code: &str| tr.t(&format!("staff-news-language-{code}"));
        let languages: Vec<String> = article
            .translations
            .iter()
            .map(|t| name(&t.language))
            .collect();
        let missing: Vec<String> = article.missing_languages.iter().map(|l| name(l)).collect();
        let status = status_code(article);
        Self {
            id: article.article_id.clone(),
            slug: article.slug.clone(),
            status_label: tr.t(&format!("staff-news-status-{status}")),
            status: status.clone(),
            kind_label: tr.t(&format!("staff-news-kind-{}", kind_code(article.kind))),
            title: own.map(|t| t.title.clone()).unwrap_or_default(),
            title_lang: lang.code(),
            title_dir: lang.dir(),
            languages: tr.join(&languages),
            missing: if missing.is_empty() {
                String::new()
            } else {
                tr.with("staff-news-missing", &[("languages", tr.join(&missing))])
            },
            updated: tr.timestamp_date(article.updated_at.as_ref()),
            published: article.status == ArticleStatus::Published as i32,
            public_path: article_path(article),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    /// What was just done: `created`, `saved`, `published`, `unpublished` or `refused`.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_news.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    articles: Vec<ArticleRow>,
    listing: Listing,
    notice: Option<String>,
}

/// Every article, most recently changed first.
pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let answer = state
        .services
        .consultation()
        .list_articles(as_person(
            &staff.session,
            ListArticlesRequest {
                page: state.page(token),
                include_unpublished: true,
                ..Default::default()
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/staff/news", lang.code());
    let notice = match query.done.as_deref() {
        Some(done @ ("created" | "saved" | "published" | "unpublished")) => {
            Some(tr.t(&format!("staff-news-done-{done}")))
        }
        Some("refused") => Some(tr.t("staff-news-refused")),
        _ => None,
    };
    let page = ListPage {
        frame: frame(lang, "staff-news-title", "staff/news"),
        nav: StaffNav::new(lang, "news"),
        csrf: staff.visitor.form_token(),
        articles: answer
            .articles
            .iter()
            .map(|a| ArticleRow::of(a, tr))
            .collect(),
        listing: Listing {
            next: next_link(&base, &answer.next_page_token),
            first: (!is_first).then_some(base),
        },
        notice,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- The form -------------------------------------------------------------------------------

/// The article form: its address, its kind (when created) and each language's fields.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    ar_title: String,
    #[serde(default)]
    ar_summary: String,
    #[serde(default)]
    ar_body: String,
    #[serde(default)]
    fr_title: String,
    #[serde(default)]
    fr_summary: String,
    #[serde(default)]
    fr_body: String,
    /// A new article's form: made when it is shown, kept when it is shown again.
    #[serde(default)]
    key: String,
}

/// One language's fields on the form.
pub struct LanguageFields {
    pub code: &'static str,
    /// The language's name in the page's language.
    pub name: String,
    pub dir: &'static str,
    pub title: String,
    pub summary: String,
    pub body: String,
}

impl ArticleForm {
    fn of(article: &Article) -> Self {
        let get = |lang: &str| {
            article
                .translations
                .iter()
                .find(|t| t.language == lang)
                .cloned()
                .unwrap_or_default()
        };
        let (ar, fr) = (get("ar"), get("fr"));
        Self {
            slug: article.slug.clone(),
            kind: kind_code(article.kind).to_string(),
            ar_title: ar.title,
            ar_summary: ar.summary,
            ar_body: ar.body,
            fr_title: fr.title,
            fr_summary: fr.summary,
            fr_body: fr.body,
            key: String::new(),
        }
    }

    fn fields(&self, lang: &str) -> (&str, &str, &str) {
        match lang {
            "ar" => (&self.ar_title, &self.ar_summary, &self.ar_body),
            _ => (&self.fr_title, &self.fr_summary, &self.fr_body),
        }
    }

    /// Each language with anything typed in it, in the form's order; a language left wholly
    /// empty is no version (and is removed on an edit).
    fn translations(&self) -> Vec<ArticleTranslation> {
        LANGUAGES
            .iter()
            .filter_map(|lang| {
                let (title, summary, body) = self.fields(lang);
                let typed = [title, summary, body].iter().any(|f| !f.trim().is_empty());
                typed.then(|| ArticleTranslation {
                    language: lang.to_string(),
                    title: title.trim().to_string(),
                    summary: summary.trim().to_string(),
                    body: body.trim().to_string(),
                })
            })
            .collect()
    }

    fn kind(&self) -> ArticleKind {
        match self.kind.as_str() {
            "news" => ArticleKind::News,
            "page" => ArticleKind::Page,
            _ => ArticleKind::Unspecified,
        }
    }

    fn languages(&self, tr: Tr) -> Vec<LanguageFields> {
        LANGUAGES
            .iter()
            .map(|code| {
                let (title, summary, body) = self.fields(code);
                let lang = Lang::parse(code).unwrap_or(tr.lang);
                LanguageFields {
                    code,
                    name: tr.t(&format!("staff-news-language-{code}")),
                    dir: lang.dir(),
                    title: title.to_string(),
                    summary: summary.to_string(),
                    body: body.to_string(),
                }
            })
            .collect()
    }
}

/// The page's field for each field the service names: `translations[i].title` is the title of
/// the `i`-th language sent; `translations` alone (none sent) is the first title.
fn field_map(sent: &[ArticleTranslation]) -> Vec<(String, String)> {
    let mut map: Vec<(String, String)> = Vec::new();
    for (i, t) in sent.iter().enumerate() {
        for part in ["title", "summary", "body", "language"] {
            let page = if part == "language" { "title" } else { part };
            map.push((
                format!("translations[{i}].{part}"),
                format!("{}_{page}", t.language),
            ));
        }
    }
    map.push(("translations".into(), "ar_title".into()));
    map
}

#[derive(Template)]
#[template(path = "staff_news_form.html")]
struct FormPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    /// Empty for a new article.
    id: String,
    status_label: String,
    public_path: String,
    published: bool,
    slug: String,
    kind: String,
    languages: Vec<LanguageFields>,
    /// The new article form's key; empty when an article is edited.
    key: String,
    errors: FormErrors,
}

fn form_page(
    staff: &Staff,
    lang: Lang,
    article: Option<&Article>,
    form: &ArticleForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (title, rest, id) = match article {
        Some(a) => (
            "staff-news-edit-title",
            format!("staff/news/{}", a.article_id),
            a.article_id.clone(),
        ),
        None => (
            "staff-news-new-title",
            "staff/news/new".to_string(),
            String::new(),
        ),
    };
    let status = errors.status();
    let page = FormPage {
        frame: frame(lang, title, &rest).with_errors(&errors),
        nav: StaffNav::new(lang, "news"),
        csrf: staff.visitor.form_token(),
        id,
        status_label: article
            .map(|a| tr.t(&format!("staff-news-status-{}", status_code(a))))
            .unwrap_or_default(),
        public_path: article.map(article_path).unwrap_or_default(),
        published: article.is_some_and(|a| a.status == ArticleStatus::Published as i32),
        slug: form.slug.clone(),
        kind: form.kind.clone(),
        languages: form.languages(tr),
        key: match (article, form.key.is_empty()) {
            (Some(_), _) => String::new(),
            (None, true) => idempotency_key(),
            (None, false) => form.key.clone(),
        },
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// The service's refusal of the form as messages beside its fields; a slug another article
/// holds is said beside the slug.
fn refusal(
    status: &tonic::Status,
    tr: Tr,
    sent: &[ArticleTranslation],
) -> Result<FormErrors, PageError> {
    if status.code() == tonic::Code::AlreadyExists {
        let mut errors = FormErrors::new();
        errors.field("slug", tr.t("staff-news-slug-taken"));
        return Ok(errors);
    }
    let map = field_map(sent);
    let fields: Vec<(&str, &str)> = map.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    FormErrors::from_status(status, tr, "staff-news", &fields)
}

fn back(lang: Lang, done: &str) -> Response {
    Redirect::to(&format!("/{}/staff/news?done={done}", lang.code())).into_response()
}

pub async fn new_form(Path(lang): Path<String>, staff: Staff) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let form = ArticleForm {
        kind: "news".into(),
        ..Default::default()
    };
    form_page(&staff, lang, None, &form, FormErrors::new())
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    posted: Posted<ArticleForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let translations = form.translations();
    let request = CreateArticleRequest {
        slug: form.slug.trim().to_string(),
        kind: form.kind() as i32,
        translations: translations.clone(),
        idempotency_key: posted_key(&form.key),
    };
    match state
        .services
        .consultation()
        .create_article(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back(lang, "created")),
        Err(status) => {
            let errors = refusal(&status, tr, &translations)?;
            form_page(&staff, lang, None, &form, errors)
        }
    }
}

/// The article `id` as staff read it (drafts too).
async fn article_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
) -> Result<Article, PageError> {
    state
        .services
        .consultation()
        .get_article(as_person(
            &staff.session,
            GetArticleRequest {
                article_id: id.to_string(),
                ..Default::default()
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .article
        .ok_or_else(|| PageError::not_found(lang))
}

pub async fn edit_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let article = article_of(&state, &staff, lang, &id).await?;
    let form = ArticleForm::of(&article);
    form_page(&staff, lang, Some(&article), &form, FormErrors::new())
}

pub async fn update(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<ArticleForm>,
) -> Result<Response, PageError> {
    let Posted { mut form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let article = article_of(&state, &staff, lang, &id).await?;
    // The kind is chosen once, when the article is created.
    form.kind = kind_code(article.kind).to_string();
    let translations = form.translations();
    let request = UpdateArticleRequest {
        article_id: id,
        slug: form.slug.trim().to_string(),
        translations: translations.clone(),
    };
    match state
        .services
        .consultation()
        .update_article(as_person(&staff.session, request))
        .await
    {
        Ok(_) => Ok(back(lang, "saved")),
        Err(status) => {
            let errors = refusal(&status, tr, &translations)?;
            form_page(&staff, lang, Some(&article), &form, errors)
        }
    }
}

pub async fn publish(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let done = state
        .services
        .consultation()
        .publish_article(as_person(
            &staff.session,
            PublishArticleRequest { article_id: id },
        ))
        .await;
    after(done.map(|_| ()), lang, "published")
}

pub async fn unpublish(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let done = state
        .services
        .consultation()
        .unpublish_article(as_person(
            &staff.session,
            UnpublishArticleRequest { article_id: id },
        ))
        .await;
    after(done.map(|_| ()), lang, "unpublished")
}

/// Back to the list saying what was done, or that it could not be (published twice, say).
fn after(done: Result<(), tonic::Status>, lang: Lang, what: &str) -> Result<Response, PageError> {
    match done {
        Ok(()) => Ok(back(lang, what)),
        Err(status) if status.code() == tonic::Code::FailedPrecondition => {
            Ok(back(lang, "refused"))
        }
        Err(status) => Err(PageError::from_lookup(&status, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_language_is_no_version_and_refusals_land_on_its_fields() {
        let form = ArticleForm {
            fr_title: " Titre ".into(),
            fr_body: "Texte".into(),
            ..Default::default()
        };
        let sent = form.translations();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            (sent[0].language.as_str(), sent[0].title.as_str()),
            ("fr", "Titre")
        );
        let map = field_map(&sent);
        assert!(map.contains(&("translations[0].body".into(), "fr_body".into())));
        assert_eq!(
            map.last().unwrap(),
            &("translations".into(), "ar_title".into())
        );
    }
}
