//! The Regional Forum for Dialogue and Consultation: staff set up editions, themes and
//! workshops and record the recommendations workshops produce; anyone signed in adds a
//! contribution to a workshop; everyone reads an edition. Registrations and attendance live in
//! the training service.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        AddForumContributionRequest, AddForumContributionResponse, AddForumRecommendationRequest,
        AddForumRecommendationResponse, AddForumThemeRequest, AddForumThemeResponse,
        AddForumWorkshopRequest, AddForumWorkshopResponse, CreateForumEditionRequest,
        CreateForumEditionResponse, ForumContribution, ForumEdition, ForumRecommendation,
        ForumTheme, ForumWorkshop, GetForumEditionRequest, GetForumEditionResponse,
        ListForumContributionsRequest, ListForumContributionsResponse, ListForumEditionsRequest,
        ListForumEditionsResponse,
    },
};

use crate::{
    context::{Call, Context, STAFF},
    domain::{self, timestamp},
    validate,
};

const TITLE_MAX: usize = 300;
const TEXT_MAX: usize = 5000;

type Titled = (String, String, String, String);

fn text(t: (String, String, String)) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: t.0,
        fr: t.1,
        en: t.2,
    })
}

async fn edition(conn: &mut AnyConnection, edition_id: &str) -> Result<ForumEdition, Error> {
    let (id, year, ar, fr, en, starts_on, ends_on): (
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT edition_id, year, title_ar, title_fr, title_en, starts_on, ends_on \
             FROM forum_editions WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::not_found("forum edition"))?;
    // Four statements whatever the edition holds: themes, workshops with their counts, and
    // recommendations, each for the whole edition, put together here.
    let themes: Vec<Titled> = sqlx::query_as(
        "SELECT theme_id, title_ar, title_fr, title_en FROM forum_themes WHERE edition_id = $1 \
         ORDER BY created_at, theme_id",
    )
    .bind(edition_id)
    .fetch_all(&mut *conn)
    .await?;
    let workshops: Vec<(String, String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT w.workshop_id, w.theme_id, w.title_ar, w.title_fr, w.title_en, w.province_code, \
         (SELECT COUNT(*) FROM forum_contributions c WHERE c.workshop_id = w.workshop_id) \
         FROM forum_workshops w JOIN forum_themes t ON t.theme_id = w.theme_id \
         WHERE t.edition_id = $1 ORDER BY w.created_at, w.workshop_id",
    )
    .bind(edition_id)
    .fetch_all(&mut *conn)
    .await?;
    let recommendations: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT r.forum_recommendation_id, r.workshop_id, r.text FROM forum_recommendations r \
         JOIN forum_workshops w ON w.workshop_id = r.workshop_id \
         JOIN forum_themes t ON t.theme_id = w.theme_id \
         WHERE t.edition_id = $1 ORDER BY r.created_at, r.forum_recommendation_id",
    )
    .bind(edition_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_workshop: HashMap<String, Vec<ForumRecommendation>> = HashMap::new();
    for (forum_recommendation_id, workshop_id, text) in recommendations {
        by_workshop
            .entry(workshop_id.clone())
            .or_default()
            .push(ForumRecommendation {
                forum_recommendation_id,
                workshop_id,
                text,
            });
    }
    let mut by_theme: HashMap<String, Vec<ForumWorkshop>> = HashMap::new();
    for (workshop_id, theme_id, war, wfr, wen, province_code, count) in workshops {
        by_theme
            .entry(theme_id.clone())
            .or_default()
            .push(ForumWorkshop {
                // Any number may come: they are paged by ListForumContributions.
                contributions: Vec::new(),
                contribution_count: count,
                recommendations: by_workshop.remove(&workshop_id).unwrap_or_default(),
                workshop_id,
                theme_id,
                title: text((war, wfr, wen)),
                province_code,
            });
    }
    let out = themes
        .into_iter()
        .map(|(theme_id, ar, fr, en)| ForumTheme {
            workshops: by_theme.remove(&theme_id).unwrap_or_default(),
            theme_id,
            title: text((ar, fr, en)),
        })
        .collect();
    Ok(ForumEdition {
        themes: out,
        ..edition_summary(id, year, [ar, fr, en], &starts_on, &ends_on)
    })
}

/// An edition's own fields, without its themes.
fn edition_summary(
    edition_id: String,
    year: i64,
    [ar, fr, en]: [String; 3],
    starts_on: &str,
    ends_on: &str,
) -> ForumEdition {
    ForumEdition {
        edition_id,
        year: year as i32,
        title: text((ar, fr, en)),
        starts_on: domain::date_from_str(starts_on),
        ends_on: domain::date_from_str(ends_on),
        themes: Vec::new(),
    }
}

/// A page of a workshop's contributions, oldest first.
async fn contributions(
    conn: &mut AnyConnection,
    workshop_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ForumContribution>, Error> {
    let found: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT contribution_id, author_id, body, created_at FROM forum_contributions \
         WHERE workshop_id = $1 ORDER BY created_at, contribution_id LIMIT $2 OFFSET $3",
    )
    .bind(workshop_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    Ok(found
        .into_iter()
        .map(|(contribution_id, author_id, body, at)| ForumContribution {
            contribution_id,
            workshop_id: workshop_id.into(),
            author_deleted: author_id == crate::erasure::DELETED_AUTHOR,
            author_id,
            body,
            created_at: Some(timestamp(at)),
        })
        .collect())
}

async fn exists(
    conn: &mut AnyConnection,
    sql: &'static str,
    id: &str,
    what: &str,
) -> Result<(), Error> {
    let found: Option<(String,)> = sqlx::query_as(sql).bind(id).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or_else(|| Error::not_found(what))
}

pub async fn create_forum_edition(
    ctx: &Context,
    call: &Call,
    req: CreateForumEditionRequest,
) -> Result<CreateForumEditionResponse, Error> {
    call.require_any(STAFF)?;
    let starts = req.starts_on.as_ref().and_then(domain::date_str);
    let ends = req.ends_on.as_ref().and_then(domain::date_str);
    let mut v = Violations::new();
    v.check(
        (2000..=2200).contains(&req.year),
        "year",
        "must be between 2000 and 2200",
    );
    validate::localized(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    v.check(starts.is_some(), "starts_on", "is required (a valid date)");
    v.check(
        ends.is_some() && ends >= starts,
        "ends_on",
        "is required (a valid date, not before starts_on)",
    );
    v.finish()?;
    let title = validate::trimmed(req.title);
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.begin().await?;
    sqlx::query(
        "INSERT INTO forum_editions (edition_id, year, title_ar, title_fr, title_en, starts_on, \
         ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(i64::from(req.year))
    .bind(&title.ar)
    .bind(&title.fr)
    .bind(&title.en)
    .bind(starts.expect("validated"))
    .bind(ends.expect("validated"))
    .bind(ctx.now())
    .execute(&mut *tx)
    .await?;
    let edition = edition(&mut tx, &id).await?;
    ctx.commit(tx).await?;
    Ok(CreateForumEditionResponse {
        edition: Some(edition),
    })
}

pub async fn add_forum_theme(
    ctx: &Context,
    call: &Call,
    req: AddForumThemeRequest,
) -> Result<AddForumThemeResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "edition_id", &req.edition_id);
    validate::localized(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    v.finish()?;
    let title = validate::trimmed(req.title);
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.begin().await?;
    exists(
        &mut tx,
        "SELECT edition_id FROM forum_editions WHERE edition_id = $1",
        &req.edition_id,
        "forum edition",
    )
    .await?;
    sqlx::query(
        "INSERT INTO forum_themes (theme_id, edition_id, title_ar, title_fr, title_en, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(&req.edition_id)
    .bind(&title.ar)
    .bind(&title.fr)
    .bind(&title.en)
    .bind(ctx.now())
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(AddForumThemeResponse {
        theme: Some(ForumTheme {
            theme_id: id,
            title: Some(title),
            workshops: Vec::new(),
        }),
    })
}

pub async fn add_forum_workshop(
    ctx: &Context,
    call: &Call,
    req: AddForumWorkshopRequest,
) -> Result<AddForumWorkshopResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "theme_id", &req.theme_id);
    validate::localized(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    v.check(
        ctx.region.has_province(&req.province_code),
        "province_code",
        "is not a province of this region",
    );
    v.finish()?;
    let title = validate::trimmed(req.title);
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.begin().await?;
    exists(
        &mut tx,
        "SELECT theme_id FROM forum_themes WHERE theme_id = $1",
        &req.theme_id,
        "forum theme",
    )
    .await?;
    sqlx::query(
        "INSERT INTO forum_workshops (workshop_id, theme_id, title_ar, title_fr, title_en, \
         province_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&req.theme_id)
    .bind(&title.ar)
    .bind(&title.fr)
    .bind(&title.en)
    .bind(&req.province_code)
    .bind(ctx.now())
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(AddForumWorkshopResponse {
        workshop: Some(ForumWorkshop {
            workshop_id: id,
            theme_id: req.theme_id,
            title: Some(title),
            province_code: req.province_code,
            contributions: Vec::new(),
            contribution_count: 0,
            recommendations: Vec::new(),
        }),
    })
}

pub async fn add_forum_contribution(
    ctx: &Context,
    call: &Call,
    req: AddForumContributionRequest,
) -> Result<AddForumContributionResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    v.check(
        validate::is_text(&req.body, TEXT_MAX),
        "body",
        "is required (at most 5000 characters)",
    );
    v.finish()?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    exists(
        &mut tx,
        "SELECT workshop_id FROM forum_workshops WHERE workshop_id = $1",
        &req.workshop_id,
        "forum workshop",
    )
    .await?;
    sqlx::query(
        "INSERT INTO forum_contributions (contribution_id, workshop_id, author_id, body, \
         created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&req.workshop_id)
    .bind(&caller.account_id)
    .bind(req.body.trim())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(AddForumContributionResponse {
        contribution: Some(ForumContribution {
            contribution_id: id,
            workshop_id: req.workshop_id,
            author_id: caller.account_id,
            author_deleted: false,
            body: req.body.trim().into(),
            created_at: Some(timestamp(now)),
        }),
    })
}

pub async fn add_forum_recommendation(
    ctx: &Context,
    call: &Call,
    req: AddForumRecommendationRequest,
) -> Result<AddForumRecommendationResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    v.check(
        validate::is_text(&req.text, TEXT_MAX),
        "text",
        "is required (at most 5000 characters)",
    );
    v.finish()?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.begin().await?;
    exists(
        &mut tx,
        "SELECT workshop_id FROM forum_workshops WHERE workshop_id = $1",
        &req.workshop_id,
        "forum workshop",
    )
    .await?;
    sqlx::query(
        "INSERT INTO forum_recommendations (forum_recommendation_id, workshop_id, text, \
         created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(&req.workshop_id)
    .bind(req.text.trim())
    .bind(ctx.now())
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(AddForumRecommendationResponse {
        recommendation: Some(ForumRecommendation {
            forum_recommendation_id: id,
            workshop_id: req.workshop_id,
            text: req.text.trim().into(),
        }),
    })
}

pub async fn get_forum_edition(
    ctx: &Context,
    _call: &Call,
    req: GetForumEditionRequest,
) -> Result<GetForumEditionResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "edition_id", &req.edition_id);
    v.finish()?;
    let mut conn = ctx.read().await?;
    Ok(GetForumEditionResponse {
        edition: Some(edition(&mut conn, &req.edition_id).await?),
    })
}

pub async fn list_forum_editions(
    ctx: &Context,
    _call: &Call,
    req: ListForumEditionsRequest,
) -> Result<ListForumEditionsResponse, Error> {
    let mut v = Violations::new();
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    let rows: Vec<(String, i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT edition_id, year, title_ar, title_fr, title_en, starts_on, ends_on \
         FROM forum_editions ORDER BY year DESC, starts_on DESC, edition_id LIMIT $1 OFFSET $2",
    )
    .bind(page.fetch_limit())
    .bind(page.offset)
    .fetch_all(&mut *conn)
    .await?;
    let mut editions: Vec<ForumEdition> = rows
        .into_iter()
        .map(|(id, year, ar, fr, en, starts_on, ends_on)| {
            edition_summary(id, year, [ar, fr, en], &starts_on, &ends_on)
        })
        .collect();
    let next_page_token = page.finish(&mut editions);
    Ok(ListForumEditionsResponse {
        editions,
        next_page_token,
    })
}

pub async fn list_forum_contributions(
    ctx: &Context,
    _call: &Call,
    req: ListForumContributionsRequest,
) -> Result<ListForumContributionsResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    exists(
        &mut conn,
        "SELECT workshop_id FROM forum_workshops WHERE workshop_id = $1",
        &req.workshop_id,
        "forum workshop",
    )
    .await?;
    let mut found =
        contributions(&mut conn, &req.workshop_id, page.fetch_limit(), page.offset).await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListForumContributionsResponse {
        contributions: found,
        next_page_token,
    })
}
