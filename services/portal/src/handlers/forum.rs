//! The Regional Forum for Dialogue and Consultation (the commitment's fourth milestone): its
//! editions, each edition's themes and workshops with their recommendations, and what people
//! contributed to each workshop, a page at a time.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use tachawor_proto::consultation::{ForumContribution, ForumEdition};

use super::{AppState, Listing, PageQuery, lang_of, reads};
use crate::{
    error::PageError,
    i18n::{Lang, Tr},
    page::{Frame, Section, html},
    view::{Text, province_name},
};

pub struct EditionCard {
    pub id: String,
    pub title: Text,
    pub when: String,
}

impl EditionCard {
    fn of(e: &ForumEdition, tr: Tr) -> Self {
        let day = |d: Option<&tachawor_proto::common::Date>| {
            d.and_then(tachawor_proto::dates::date_str)
                .map(|iso| tr.date(&iso))
                .unwrap_or_default()
        };
        Self {
            id: e.edition_id.clone(),
            title: Text::of(e.title.as_ref(), tr.lang),
            when: tr.with(
                "forum-when",
                &[
                    ("from", day(e.starts_on.as_ref())),
                    ("to", day(e.ends_on.as_ref())),
                ],
            ),
        }
    }
}

pub struct WorkshopView {
    pub id: String,
    pub title: Text,
    pub province: String,
    pub contributions_label: String,
    pub has_contributions: bool,
    pub recommendations: Vec<String>,
}

pub struct ThemeView {
    pub title: Text,
    pub workshops: Vec<WorkshopView>,
}

#[derive(Template)]
#[template(path = "forum.html")]
struct ForumPage {
    frame: Frame,
    listing: Listing,
    editions: Vec<EditionCard>,
}

pub async fn list(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let is_first = query.is_first();
    let found = reads::forum_editions(&app, query.token(lang)?)
        .await
        .map_err(|status| PageError::from_status(&status, lang))?;
    let (frame, listing) = Listing::new(
        lang,
        "forum-title",
        Section::Forum,
        "forum",
        is_first,
        &found.next_page_token,
    );
    let page = ForumPage {
        frame,
        listing,
        editions: found
            .editions
            .iter()
            .map(|e| EditionCard::of(e, tr))
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

async fn edition(app: &AppState, id: &str, lang: Lang) -> Result<ForumEdition, PageError> {
    reads::forum_edition(app, id.to_string())
        .await
        .map_err(|status| PageError::from_lookup(&status, lang))?
        .ok_or_else(|| PageError::not_found(lang))
}

#[derive(Template)]
#[template(path = "forum_edition.html")]
struct EditionPage {
    frame: Frame,
    edition: EditionCard,
    themes: Vec<ThemeView>,
}

pub async fn detail(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let found = edition(&app, &id, lang).await?;
    let card = EditionCard::of(&found, tr);
    let themes = found
        .themes
        .iter()
        .map(|t| ThemeView {
            title: Text::of(t.title.as_ref(), lang),
            workshops: t
                .workshops
                .iter()
                .map(|w| WorkshopView {
                    id: w.workshop_id.clone(),
                    title: Text::of(w.title.as_ref(), lang),
                    province: province_name(&app.region, &w.province_code, lang),
                    contributions_label: tr.count("forum-contributions", w.contribution_count),
                    has_contributions: w.contribution_count > 0,
                    recommendations: w.recommendations.iter().map(|r| r.text.clone()).collect(),
                })
                .collect(),
        })
        .collect();
    let frame = Frame::new(
        lang,
        card.title.text.clone(),
        Section::Forum,
        &format!("forum/{id}"),
    );
    let page = EditionPage {
        frame,
        edition: card,
        themes,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

pub struct ContributionView {
    pub body: String,
    pub date: String,
    pub by_deleted: bool,
}

impl ContributionView {
    fn of(c: &ForumContribution, tr: Tr) -> Self {
        Self {
            body: c.body.clone(),
            date: tr.timestamp_date(c.created_at.as_ref()),
            by_deleted: c.author_deleted,
        }
    }
}

#[derive(Template)]
#[template(path = "forum_workshop.html")]
struct WorkshopPage {
    frame: Frame,
    listing: Listing,
    edition: EditionCard,
    workshop: Text,
    province: String,
    recommendations: Vec<String>,
    contributions: Vec<ContributionView>,
}

pub async fn workshop(
    State(app): State<AppState>,
    Path((lang, edition_id, workshop_id)): Path<(String, String, String)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let is_first = query.is_first();
    let token = query.token(lang)?;
    let (found, contributions) = tokio::join!(
        edition(&app, &edition_id, lang),
        reads::forum_contributions(&app, workshop_id.clone(), token)
    );
    let found = found?;
    let contributions = contributions.map_err(|status| PageError::from_lookup(&status, lang))?;
    // The workshop must belong to the edition its URL names.
    let Some(w) = found
        .themes
        .iter()
        .flat_map(|t| &t.workshops)
        .find(|w| w.workshop_id == workshop_id)
    else {
        return Err(PageError::not_found(lang));
    };
    let title = Text::of(w.title.as_ref(), lang);
    let rest = format!("forum/{edition_id}/workshops/{workshop_id}");
    let (mut frame, listing) = Listing::new(
        lang,
        "forum-title",
        Section::Forum,
        &rest,
        is_first,
        &contributions.next_page_token,
    );
    frame.title = title.text.clone();
    let page = WorkshopPage {
        frame,
        listing,
        edition: EditionCard::of(&found, tr),
        province: province_name(&app.region, &w.province_code, lang),
        recommendations: w.recommendations.iter().map(|r| r.text.clone()).collect(),
        workshop: title,
        contributions: contributions
            .contributions
            .iter()
            .map(|c| ContributionView::of(c, tr))
            .collect(),
    };
    html(&page, StatusCode::OK, app.public(), lang)
}
