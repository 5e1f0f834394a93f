//! The Regional Forum: editions, their themes and workshops, contributions and recommendations.

use sqlx::AnyConnection;

/// An edition's own fields.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EditionRow {
    pub edition_id: String,
    pub year: i64,
    pub title_ar: String,
    pub title_fr: String,
    pub title_en: String,
    pub title_zgh: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThemeRow {
    pub theme_id: String,
    pub title_ar: String,
    pub title_fr: String,
    pub title_en: String,
    pub title_zgh: String,
}

/// A workshop with the number of its contributions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkshopRow {
    pub workshop_id: String,
    pub theme_id: String,
    pub title_ar: String,
    pub title_fr: String,
    pub title_en: String,
    pub title_zgh: String,
    pub province_code: String,
    pub contribution_count: i64,
    /// The training session hosting it; '' when none.
    pub session_id: String,
}

/// A recommendation with the council's answer (`None` until answered) and its follow-up.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecommendationRow {
    pub forum_recommendation_id: String,
    pub workshop_id: String,
    pub text: String,
    pub answer: Option<String>,
    pub answer_reasons: String,
    pub follow_up: String,
    pub follow_up_note: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub contribution_id: String,
    pub workshop_id: String,
    pub author_id: String,
    pub body: String,
    pub created_at: i64,
    /// 1 when hidden (by a moderator, or pending review after reports).
    pub hidden: i64,
    pub hidden_reason: String,
    /// Reports since the last review.
    pub reports: i64,
}

const EDITION_COLUMNS: &str =
    "edition_id, year, title_ar, title_fr, title_en, title_zgh, starts_on, ends_on";
const RECOMMENDATION_COLUMNS: &str = "r.forum_recommendation_id, r.workshop_id, r.text, r.answer, \
     r.answer_reasons, r.follow_up, r.follow_up_note";
const CONTRIBUTION_COLUMNS: &str =
    "contribution_id, workshop_id, author_id, body, created_at, hidden, hidden_reason, reports";

pub async fn insert_edition(
    conn: &mut AnyConnection,
    e: &EditionRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_editions (edition_id, year, title_ar, title_fr, title_en, starts_on, \
         ends_on, created_at, title_zgh) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&e.edition_id)
    .bind(e.year)
    .bind(&e.title_ar)
    .bind(&e.title_fr)
    .bind(&e.title_en)
    .bind(&e.starts_on)
    .bind(&e.ends_on)
    .bind(now)
    .bind(&e.title_zgh)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_edition(
    conn: &mut AnyConnection,
    edition_id: &str,
) -> Result<Option<EditionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {EDITION_COLUMNS} FROM forum_editions WHERE edition_id = $1"
    )))
    .bind(edition_id)
    .fetch_optional(conn)
    .await
}

/// Editions, latest first, a page at a time.
pub async fn list_editions(
    conn: &mut AnyConnection,
    limit: i64,
    offset: i64,
) -> Result<Vec<EditionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {EDITION_COLUMNS} FROM forum_editions \
         ORDER BY year DESC, starts_on DESC, edition_id LIMIT $1 OFFSET $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The edition's themes, in the order they were added.
pub async fn themes(
    conn: &mut AnyConnection,
    edition_id: &str,
) -> Result<Vec<ThemeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT theme_id, title_ar, title_fr, title_en, title_zgh FROM forum_themes \
         WHERE edition_id = $1 \
         ORDER BY created_at, theme_id",
    )
    .bind(edition_id)
    .fetch_all(conn)
    .await
}

/// Every workshop of the edition with its contribution count, in one statement.
pub async fn workshops(
    conn: &mut AnyConnection,
    edition_id: &str,
) -> Result<Vec<WorkshopRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.workshop_id, w.theme_id, w.title_ar, w.title_fr, w.title_en, w.title_zgh, \
         w.province_code, \
         (SELECT COUNT(*) FROM forum_contributions c \
          WHERE c.workshop_id = w.workshop_id AND c.hidden = 0) \
         AS contribution_count, w.session_id \
         FROM forum_workshops w JOIN forum_themes t ON t.theme_id = w.theme_id \
         WHERE t.edition_id = $1 ORDER BY w.created_at, w.workshop_id",
    )
    .bind(edition_id)
    .fetch_all(conn)
    .await
}

/// Every recommendation of the edition's workshops, in one statement.
pub async fn recommendations(
    conn: &mut AnyConnection,
    edition_id: &str,
) -> Result<Vec<RecommendationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RECOMMENDATION_COLUMNS} FROM forum_recommendations r \
         JOIN forum_workshops w ON w.workshop_id = r.workshop_id \
         JOIN forum_themes t ON t.theme_id = w.theme_id \
         WHERE t.edition_id = $1 ORDER BY r.created_at, r.forum_recommendation_id"
    )))
    .bind(edition_id)
    .fetch_all(conn)
    .await
}

/// Whether `sql`, one of the lookups below, finds `id`.
async fn exists(
    conn: &mut AnyConnection,
    sql: &'static str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(sql).bind(id).fetch_optional(conn).await?;
    Ok(found.is_some())
}

pub async fn edition_exists(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    exists(
        conn,
        "SELECT edition_id FROM forum_editions WHERE edition_id = $1",
        id,
    )
    .await
}

pub async fn theme_exists(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    exists(
        conn,
        "SELECT theme_id FROM forum_themes WHERE theme_id = $1",
        id,
    )
    .await
}

pub async fn workshop_exists(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    exists(
        conn,
        "SELECT workshop_id FROM forum_workshops WHERE workshop_id = $1",
        id,
    )
    .await
}

/// The edition a workshop belongs to and the session hosting it (''
/// when none); `None` for an unknown workshop.
pub async fn edition_and_session_of_workshop(
    conn: &mut AnyConnection,
    workshop_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.edition_id, w.session_id FROM forum_workshops w \
         JOIN forum_themes t ON t.theme_id = w.theme_id WHERE w.workshop_id = $1",
    )
    .bind(workshop_id)
    .fetch_optional(conn)
    .await
}

/// A theme's own fields and its edition, the row locked (a no-op write, on both databases);
/// `None` for an unknown theme.
pub async fn lock_theme(
    conn: &mut AnyConnection,
    theme_id: &str,
) -> Result<Option<(ThemeRow, String)>, sqlx::Error> {
    sqlx::query("UPDATE forum_themes SET title_ar = title_ar WHERE theme_id = $1")
        .bind(theme_id)
        .execute(&mut *conn)
        .await?;
    let found: Option<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT theme_id, title_ar, title_fr, title_en, title_zgh, edition_id \
         FROM forum_themes WHERE theme_id = $1",
    )
    .bind(theme_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(
        |(theme_id, title_ar, title_fr, title_en, title_zgh, edition)| {
            let theme = ThemeRow {
                theme_id,
                title_ar,
                title_fr,
                title_en,
                title_zgh,
            };
            (theme, edition)
        },
    ))
}

pub async fn update_theme(conn: &mut AnyConnection, t: &ThemeRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE forum_themes SET title_ar = $2, title_fr = $3, title_en = $4, title_zgh = $5          WHERE theme_id = $1",
    )
    .bind(&t.theme_id)
    .bind(&t.title_ar)
    .bind(&t.title_fr)
    .bind(&t.title_en)
    .bind(&t.title_zgh)
    .execute(conn)
    .await?;
    Ok(())
}

/// A workshop's own fields (its contribution count left at 0), the row locked (a no-op
/// write); `None` for an unknown workshop.
pub async fn lock_workshop(
    conn: &mut AnyConnection,
    workshop_id: &str,
) -> Result<Option<WorkshopRow>, sqlx::Error> {
    sqlx::query("UPDATE forum_workshops SET title_ar = title_ar WHERE workshop_id = $1")
        .bind(workshop_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query_as(
        "SELECT workshop_id, theme_id, title_ar, title_fr, title_en, title_zgh, province_code, \
         CAST(0 AS BIGINT) AS contribution_count, session_id FROM forum_workshops \
         WHERE workshop_id = $1",
    )
    .bind(workshop_id)
    .fetch_optional(conn)
    .await
}

pub async fn update_workshop(conn: &mut AnyConnection, w: &WorkshopRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE forum_workshops SET title_ar = $2, title_fr = $3, title_en = $4, title_zgh = $5,          province_code = $6, session_id = $7 WHERE workshop_id = $1",
    )
    .bind(&w.workshop_id)
    .bind(&w.title_ar)
    .bind(&w.title_fr)
    .bind(&w.title_en)
    .bind(&w.title_zgh)
    .bind(&w.province_code)
    .bind(&w.session_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The edition a workshop belongs to; `None` for an unknown workshop.
pub async fn edition_of_workshop(
    conn: &mut AnyConnection,
    workshop_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT t.edition_id FROM forum_workshops w \
         JOIN forum_themes t ON t.theme_id = w.theme_id WHERE w.workshop_id = $1",
    )
    .bind(workshop_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|(id,)| id))
}

/// Locks a recommendation's row and returns it with its workshop's edition.
pub async fn lock_recommendation(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<(RecommendationRow, String)>, sqlx::Error> {
    sqlx::query("UPDATE forum_recommendations SET text = text WHERE forum_recommendation_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let found: Option<RecommendationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RECOMMENDATION_COLUMNS} FROM forum_recommendations r \
         WHERE r.forum_recommendation_id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    let edition = edition_of_workshop(conn, &found.workshop_id).await?;
    Ok(edition.map(|e| (found, e)))
}

pub async fn insert_theme(
    conn: &mut AnyConnection,
    edition_id: &str,
    t: &ThemeRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_themes (theme_id, edition_id, title_ar, title_fr, title_en, \
         created_at, title_zgh) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&t.theme_id)
    .bind(edition_id)
    .bind(&t.title_ar)
    .bind(&t.title_fr)
    .bind(&t.title_en)
    .bind(now)
    .bind(&t.title_zgh)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_workshop(
    conn: &mut AnyConnection,
    w: &WorkshopRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_workshops (workshop_id, theme_id, title_ar, title_fr, title_en, \
         province_code, created_at, session_id, title_zgh) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&w.workshop_id)
    .bind(&w.theme_id)
    .bind(&w.title_ar)
    .bind(&w.title_fr)
    .bind(&w.title_en)
    .bind(&w.province_code)
    .bind(now)
    .bind(&w.session_id)
    .bind(&w.title_zgh)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_contribution(
    conn: &mut AnyConnection,
    c: &ContributionRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_contributions (contribution_id, workshop_id, author_id, body, \
         created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&c.contribution_id)
    .bind(&c.workshop_id)
    .bind(&c.author_id)
    .bind(&c.body)
    .bind(c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_recommendation(
    conn: &mut AnyConnection,
    r: &RecommendationRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO forum_recommendations (forum_recommendation_id, workshop_id, text, \
         follow_up, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&r.forum_recommendation_id)
    .bind(&r.workshop_id)
    .bind(&r.text)
    .bind(&r.follow_up)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A page of a workshop's contributions, oldest first; hidden ones only `with_hidden`.
pub async fn contributions(
    conn: &mut AnyConnection,
    workshop_id: &str,
    with_hidden: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<ContributionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CONTRIBUTION_COLUMNS} FROM forum_contributions \
         WHERE workshop_id = $1 AND ($2 = 1 OR hidden = 0) \
         ORDER BY created_at, contribution_id LIMIT $3 OFFSET $4"
    )))
    .bind(workshop_id)
    .bind(i64::from(with_hidden))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

pub async fn find_contribution(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<ContributionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CONTRIBUTION_COLUMNS} FROM forum_contributions WHERE contribution_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The contributions of `ids`, in no particular order: one statement.
pub async fn contributions_by_ids(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<Vec<ContributionRow>, sqlx::Error> {
    let select = format!("SELECT {CONTRIBUTION_COLUMNS} FROM forum_contributions");
    super::by_ids(conn, &select, "contribution_id", ids).await
}

/// The contributions `author_id` wrote, oldest first, a page at a time.
pub async fn contributions_by_author(
    conn: &mut AnyConnection,
    author_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ContributionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CONTRIBUTION_COLUMNS} FROM forum_contributions \
         WHERE author_id = $1 ORDER BY created_at, contribution_id LIMIT $2 OFFSET $3"
    )))
    .bind(author_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
