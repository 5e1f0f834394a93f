//! The Regional Forum for Dialogue and Consultation: staff set up editions, themes and
//! workshops and record the recommendations workshops produce; anyone signed in adds a
//! contribution to a workshop; everyone reads an edition. Registrations and attendance live in
//! the training service.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tachawor_auth::AccountCaller;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    common::LocalizedText,
    consultation::{
        AddForumContributionRequest, AddForumContributionResponse, AddForumRecommendationRequest,
        AddForumRecommendationResponse, AddForumThemeRequest, AddForumThemeResponse,
        AddForumWorkshopRequest, AddForumWorkshopResponse, AnswerForumRecommendationRequest,
        AnswerForumRecommendationResponse, CreateForumEditionRequest, CreateForumEditionResponse,
        ForumContribution, ForumEdition, ForumRecommendation, ForumTheme, ForumWorkshop,
        GetForumEditionRequest, GetForumEditionResponse, ListForumContributionsRequest,
        ListForumContributionsResponse, ListForumEditionsRequest, ListForumEditionsResponse,
        SetForumRecommendationFollowUpRequest, SetForumRecommendationFollowUpResponse,
        UpdateForumThemeRequest, UpdateForumThemeResponse, UpdateForumWorkshopRequest,
        UpdateForumWorkshopResponse,
    },
    events::{
        ForumContributionAdded, ForumEditionCreated, ForumRecommendationAdded,
        ForumRecommendationAnswered, ForumRecommendationFollowUpChanged,
    },
};
use tachawor_runtime::audit;

use super::{
    answers::{self, Answering},
    participants::Participant,
};
use crate::{
    context::{Call, Context, STAFF, person, reads_as_staff},
    domain::{
        self, Rule,
        forum::{EditionDates, YEARS},
        opinion::FollowUp,
        timestamp,
    },
    store::{
        answers as answer_rows, attendance,
        forum::{
            self as rows, ContributionRow, EditionRow, RecommendationRow, ThemeRow, WorkshopRow,
        },
    },
    validate,
};

const TITLE_MAX: usize = 300;
/// The kind training gives the sessions that host the Forum.
const FORUM_SESSION: &str = "forum";
const TEXT_MAX: usize = 5000;

fn text(ar: String, fr: String, en: String, zgh: String) -> Option<LocalizedText> {
    Some(LocalizedText { ar, fr, en, zgh })
}

/// An edition with its themes, workshops and recommendations: four statements whatever the
/// edition holds, put together here.
async fn edition(conn: &mut AnyConnection, edition_id: &str) -> Result<ForumEdition, Error> {
    let found = rows::find_edition(conn, edition_id)
        .await?
        .ok_or_else(|| Error::not_found("forum edition"))?;
    let themes = rows::themes(conn, edition_id).await?;
    let workshops = rows::workshops(conn, edition_id).await?;
    let recommendations = rows::recommendations(conn, edition_id).await?;
    let mut by_workshop: HashMap<String, Vec<ForumRecommendation>> = HashMap::new();
    for r in recommendations {
        by_workshop
            .entry(r.workshop_id.clone())
            .or_default()
            .push(recommendation_message(r));
    }
    let mut by_theme: HashMap<String, Vec<ForumWorkshop>> = HashMap::new();
    for w in workshops {
        let recommendations = by_workshop.remove(&w.workshop_id).unwrap_or_default();
        by_theme
            .entry(w.theme_id.clone())
            .or_default()
            .push(workshop_message(w, recommendations));
    }
    let out = themes
        .into_iter()
        .map(|t| {
            let workshops = by_theme.remove(&t.theme_id).unwrap_or_default();
            theme_message(t, workshops)
        })
        .collect();
    Ok(ForumEdition {
        themes: out,
        ..edition_summary(found)
    })
}

/// An edition's own fields, without its themes.
fn edition_summary(e: EditionRow) -> ForumEdition {
    ForumEdition {
        edition_id: e.edition_id,
        year: e.year as i32,
        title: text(e.title_ar, e.title_fr, e.title_en, e.title_zgh),
        starts_on: domain::date_from_str(&e.starts_on),
        ends_on: domain::date_from_str(&e.ends_on),
        themes: Vec::new(),
    }
}

fn theme_message(t: ThemeRow, workshops: Vec<ForumWorkshop>) -> ForumTheme {
    ForumTheme {
        theme_id: t.theme_id,
        title: text(t.title_ar, t.title_fr, t.title_en, t.title_zgh),
        workshops,
    }
}

fn workshop_message(w: WorkshopRow, recommendations: Vec<ForumRecommendation>) -> ForumWorkshop {
    ForumWorkshop {
        // Any number may come: they are paged by ListForumContributions.
        contributions: Vec::new(),
        contribution_count: w.contribution_count,
        recommendations,
        workshop_id: w.workshop_id,
        theme_id: w.theme_id,
        title: text(w.title_ar, w.title_fr, w.title_en, w.title_zgh),
        province_code: w.province_code,
        session_id: w.session_id,
    }
}

fn recommendation_message(r: RecommendationRow) -> ForumRecommendation {
    ForumRecommendation {
        forum_recommendation_id: r.forum_recommendation_id,
        workshop_id: r.workshop_id,
        text: r.text,
        answer: r
            .answer
            .as_deref()
            .map(domain::recommendation_answer)
            .unwrap_or_default() as i32,
        answer_reasons: r.answer_reasons,
        follow_up: domain::follow_up(&r.follow_up) as i32,
        follow_up_note: r.follow_up_note,
    }
}

/// A contribution as `staff` (or its author) reads it: others get a hidden one's body blanked.
pub(crate) fn contribution_message(c: ContributionRow, staff: bool) -> ForumContribution {
    let hidden = c.hidden != 0;
    ForumContribution {
        contribution_id: c.contribution_id,
        workshop_id: c.workshop_id,
        author_deleted: c.author_id == crate::erasure::DELETED_AUTHOR,
        author_id: c.author_id,
        body: if hidden && !staff {
            String::new()
        } else {
            c.body
        },
        created_at: Some(timestamp(c.created_at)),
        hidden,
        hidden_reason: c.hidden_reason,
    }
}

/// NOT_FOUND naming `what` unless `found`.
fn found(found: bool, what: &str) -> Result<(), Error> {
    if found {
        Ok(())
    } else {
        Err(Error::not_found(what))
    }
}

/// The edition of a workshop, NOT_FOUND for an unknown workshop.
async fn edition_of(conn: &mut AnyConnection, workshop_id: &str) -> Result<String, Error> {
    rows::edition_of_workshop(conn, workshop_id)
        .await?
        .ok_or_else(|| Error::not_found("forum workshop"))
}

pub async fn create_forum_edition(
    ctx: &Context,
    call: &Call,
    req: CreateForumEditionRequest,
) -> Result<CreateForumEditionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let starts = req.starts_on.as_ref().and_then(domain::date_str);
    let ends = req.ends_on.as_ref().and_then(domain::date_str);
    const ENDS_ON: &str = "is required (a valid date, not before starts_on)";
    let mut v = Violations::new();
    v.check(
        YEARS.contains(&req.year),
        "year",
        "must be between 2000 and 2200",
    );
    validate::localized(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    v.check(starts.is_some(), "starts_on", "is required (a valid date)");
    v.check(ends.is_some() && ends >= starts, "ends_on", ENDS_ON);
    validate::idempotency_key(&mut v, &req.idempotency_key);
    let dates = EditionDates::parse(starts, ends);
    let dates = validate::finish_with(v, dates, "ends_on", ENDS_ON)?;
    let title = validate::trimmed(req.title);
    let row = EditionRow {
        edition_id: uuid::Uuid::now_v7().to_string(),
        year: i64::from(req.year),
        title_ar: title.ar,
        title_fr: title.fr,
        title_en: title.en,
        title_zgh: title.zgh,
        starts_on: dates.starts_on,
        ends_on: dates.ends_on,
    };
    let key = &req.idempotency_key;
    ctx.writer
        .idempotent(&staff.account_id, "CreateForumEdition", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                rows::insert_edition(&mut tx, &row, ctx.now()).await?;
                let edition = edition(&mut tx, &row.edition_id).await?;
                ctx.emit(
                    &mut tx,
                    catalogue::FORUM_EDITION_CREATED,
                    &row.edition_id,
                    &ForumEditionCreated {
                        edition_id: row.edition_id.clone(),
                        year: req.year,
                        starts_on: edition.starts_on,
                        ends_on: edition.ends_on,
                    },
                )
                .await?;
                let response = CreateForumEditionResponse {
                    edition: Some(edition),
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn add_forum_theme(
    ctx: &Context,
    call: &Call,
    req: AddForumThemeRequest,
) -> Result<AddForumThemeResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "edition_id", &req.edition_id);
    validate::localized(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let title = validate::trimmed(req.title);
    let row = ThemeRow {
        theme_id: uuid::Uuid::now_v7().to_string(),
        title_ar: title.ar,
        title_fr: title.fr,
        title_en: title.en,
        title_zgh: title.zgh,
    };
    let key = &req.idempotency_key;
    ctx.writer
        .idempotent(&staff.account_id, "AddForumTheme", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                found(
                    rows::edition_exists(&mut tx, &req.edition_id).await?,
                    "forum edition",
                )?;
                rows::insert_theme(&mut tx, &req.edition_id, &row, ctx.now()).await?;
                let response = AddForumThemeResponse {
                    theme: Some(theme_message(row, Vec::new())),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// A workshop's fields, on creation and on correction.
fn check_workshop(
    ctx: &Context,
    v: &mut Violations,
    title: Option<&LocalizedText>,
    province_code: &str,
    session_id: &str,
) {
    validate::localized(v, "title", title, TITLE_MAX);
    v.check(
        ctx.region.has_province(province_code),
        "province_code",
        "is not a province of this region",
    );
    validate::optional_uuid(v, "session_id", session_id);
}

pub async fn add_forum_workshop(
    ctx: &Context,
    call: &Call,
    req: AddForumWorkshopRequest,
) -> Result<AddForumWorkshopResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "theme_id", &req.theme_id);
    check_workshop(
        ctx,
        &mut v,
        req.title.as_ref(),
        &req.province_code,
        &req.session_id,
    );
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let title = validate::trimmed(req.title);
    let row = WorkshopRow {
        workshop_id: uuid::Uuid::now_v7().to_string(),
        theme_id: req.theme_id,
        title_ar: title.ar,
        title_fr: title.fr,
        title_en: title.en,
        title_zgh: title.zgh,
        province_code: req.province_code,
        contribution_count: 0,
        session_id: req.session_id,
    };
    let key = &req.idempotency_key;
    ctx.writer
        .idempotent(&staff.account_id, "AddForumWorkshop", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                found(
                    rows::theme_exists(&mut tx, &row.theme_id).await?,
                    "forum theme",
                )?;
                if !row.session_id.is_empty() {
                    check_session(&mut tx, &row.session_id).await?;
                }
                rows::insert_workshop(&mut tx, &row, ctx.now()).await?;
                let response = AddForumWorkshopResponse {
                    workshop: Some(workshop_message(row, Vec::new())),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// The audited view of a title.
fn titled(ar: &str, fr: &str, zgh: &str) -> serde_json::Value {
    serde_json::json!({ "ar": ar, "fr": fr, "zgh": zgh })
}

pub async fn update_forum_theme(
    ctx: &Context,
    call: &Call,
    req: UpdateForumThemeRequest,
) -> Result<UpdateForumThemeResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "theme_id", &req.theme_id);
    validate::localized(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    v.finish()?;
    let title = validate::trimmed(req.title);
    let mut tx = ctx.begin().await?;
    let (before, edition_id) = rows::lock_theme(&mut tx, &req.theme_id)
        .await?
        .ok_or_else(|| Error::not_found("forum theme"))?;
    let after = ThemeRow {
        theme_id: before.theme_id.clone(),
        title_ar: title.ar,
        title_fr: title.fr,
        title_en: title.en,
        title_zgh: title.zgh,
    };
    rows::update_theme(&mut tx, &after).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "forum_theme.update",
            target_type: "forum_theme",
            target_id: &after.theme_id,
            before: serde_json::json!({
                "title": titled(&before.title_ar, &before.title_fr, &before.title_zgh),
            }),
            after: serde_json::json!({
                "title": titled(&after.title_ar, &after.title_fr, &after.title_zgh),
            }),
        },
        ctx.now(),
    )
    .await?;
    let edition = edition(&mut tx, &edition_id).await?;
    ctx.commit(tx).await?;
    Ok(UpdateForumThemeResponse {
        edition: Some(edition),
    })
}

pub async fn update_forum_workshop(
    ctx: &Context,
    call: &Call,
    req: UpdateForumWorkshopRequest,
) -> Result<UpdateForumWorkshopResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    check_workshop(
        ctx,
        &mut v,
        req.title.as_ref(),
        &req.province_code,
        &req.session_id,
    );
    v.finish()?;
    let title = validate::trimmed(req.title);
    let mut tx = ctx.begin().await?;
    let before = rows::lock_workshop(&mut tx, &req.workshop_id)
        .await?
        .ok_or_else(|| Error::not_found("forum workshop"))?;
    if !req.session_id.is_empty() && req.session_id != before.session_id {
        check_session(&mut tx, &req.session_id).await?;
    }
    let after = WorkshopRow {
        title_ar: title.ar,
        title_fr: title.fr,
        title_en: title.en,
        title_zgh: title.zgh,
        province_code: req.province_code,
        session_id: req.session_id,
        ..before.clone()
    };
    rows::update_workshop(&mut tx, &after).await?;
    let view = |w: &WorkshopRow| {
        serde_json::json!({
            "title": titled(&w.title_ar, &w.title_fr, &w.title_zgh),
            "province_code": w.province_code,
            "session_id": w.session_id,
        })
    };
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "forum_workshop.update",
            target_type: "forum_workshop",
            target_id: &after.workshop_id,
            before: view(&before),
            after: view(&after),
        },
        ctx.now(),
    )
    .await?;
    let edition_id = edition_of(&mut tx, &after.workshop_id).await?;
    let edition = edition(&mut tx, &edition_id).await?;
    ctx.commit(tx).await?;
    Ok(UpdateForumWorkshopResponse {
        edition: Some(edition),
    })
}

/// A workshop's session must be one training scheduled, as a forum (its events projected by
/// `crate::attendance`).
async fn check_session(conn: &mut AnyConnection, session_id: &str) -> Result<(), Error> {
    match attendance::session_kind(conn, session_id).await?.as_deref() {
        None => Err(Rule::ForumSessionUnknown.into()),
        Some(FORUM_SESSION) => Ok(()),
        Some(_) => Err(Rule::ForumSessionNotForum.into()),
    }
}

pub async fn add_forum_contribution(
    ctx: &Context,
    call: &Call,
    req: AddForumContributionRequest,
) -> Result<AddForumContributionResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    v.check(
        validate::is_text(&req.body, TEXT_MAX),
        "body",
        "is required (at most 5000 characters)",
    );
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    let row = ContributionRow {
        contribution_id: uuid::Uuid::now_v7().to_string(),
        workshop_id: req.workshop_id,
        author_id: who.id().into(),
        body: req.body.trim().into(),
        created_at: ctx.now(),
        hidden: 0,
        hidden_reason: String::new(),
        reports: 0,
    };
    let mut tx = ctx.begin().await?;
    let (edition_id, session_id) = rows::edition_and_session_of_workshop(&mut tx, &row.workshop_id)
        .await?
        .ok_or_else(|| Error::not_found("forum workshop"))?;
    // A workshop hosted by a session hears those present at it; one without, anyone.
    if !session_id.is_empty() && !attendance::was_present(&mut tx, &session_id, who.id()).await? {
        return Err(Rule::ForumNotAttended.into());
    }
    rows::insert_contribution(&mut tx, &row).await?;
    ctx.emit(
        &mut tx,
        catalogue::FORUM_CONTRIBUTION_ADDED,
        &row.contribution_id,
        &ForumContributionAdded {
            contribution_id: row.contribution_id.clone(),
            workshop_id: row.workshop_id.clone(),
            edition_id,
            account_id: who.id().into(),
            province_code: who.province().into(),
            actor_kind: who.actor_kind(),
        },
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(AddForumContributionResponse {
        contribution: Some(contribution_message(row, true)),
    })
}

pub async fn add_forum_recommendation(
    ctx: &Context,
    call: &Call,
    req: AddForumRecommendationRequest,
) -> Result<AddForumRecommendationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    v.check(
        validate::is_text(&req.text, TEXT_MAX),
        "text",
        "is required (at most 5000 characters)",
    );
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let row = RecommendationRow {
        forum_recommendation_id: uuid::Uuid::now_v7().to_string(),
        workshop_id: req.workshop_id,
        text: req.text.trim().into(),
        answer: None,
        answer_reasons: String::new(),
        follow_up: FollowUp::NotStarted.as_sql().into(),
        follow_up_note: String::new(),
    };
    let key = &req.idempotency_key;
    ctx.writer
        .idempotent(&staff.account_id, "AddForumRecommendation", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let edition_id = edition_of(&mut tx, &row.workshop_id).await?;
                rows::insert_recommendation(&mut tx, &row, ctx.now()).await?;
                ctx.emit(
                    &mut tx,
                    catalogue::FORUM_RECOMMENDATION_ADDED,
                    &row.forum_recommendation_id,
                    &ForumRecommendationAdded {
                        forum_recommendation_id: row.forum_recommendation_id.clone(),
                        workshop_id: row.workshop_id.clone(),
                        edition_id,
                    },
                )
                .await?;
                let response = AddForumRecommendationResponse {
                    recommendation: Some(recommendation_message(row)),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// Locks a Forum recommendation; returns it with its edition.
async fn locked_recommendation(
    tx: &mut AnyConnection,
    id: &str,
) -> Result<(RecommendationRow, String), Error> {
    rows::lock_recommendation(tx, id)
        .await?
        .ok_or_else(|| Error::not_found("forum recommendation"))
}

/// The answer and follow-up rules applied to a Forum recommendation by `staff`.
fn answering<'a>(staff: &'a AccountCaller, rec: &'a RecommendationRow) -> Answering<'a> {
    Answering {
        kind: &answer_rows::FORUM,
        target_type: "forum_recommendation",
        actor_id: &staff.account_id,
        id: &rec.forum_recommendation_id,
        answer: rec.answer.as_deref(),
        follow_up: &rec.follow_up,
    }
}

/// The recommendation as it is now, inside the transaction that changed it.
async fn reread(tx: &mut AnyConnection, id: &str) -> Result<ForumRecommendation, Error> {
    let (row, _) = locked_recommendation(tx, id).await?;
    Ok(recommendation_message(row))
}

pub async fn answer_forum_recommendation(
    ctx: &Context,
    call: &Call,
    req: AnswerForumRecommendationRequest,
) -> Result<AnswerForumRecommendationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let id = &req.forum_recommendation_id;
    let answer = answers::answer_request("forum_recommendation_id", id, req.answer, &req.reasons)?;
    let mut tx = ctx.begin().await?;
    let (rec, edition_id) = locked_recommendation(&mut tx, id).await?;
    let spelled = answering(&staff, &rec)
        .answer(&mut tx, answer, req.reasons.trim(), ctx.now())
        .await?;
    ctx.emit(
        &mut tx,
        catalogue::FORUM_RECOMMENDATION_ANSWERED,
        id,
        &ForumRecommendationAnswered {
            forum_recommendation_id: id.clone(),
            workshop_id: rec.workshop_id.clone(),
            edition_id,
            answer: spelled.into(),
        },
    )
    .await?;
    let recommendation = reread(&mut tx, id).await?;
    ctx.commit(tx).await?;
    Ok(AnswerForumRecommendationResponse {
        recommendation: Some(recommendation),
    })
}

pub async fn set_forum_recommendation_follow_up(
    ctx: &Context,
    call: &Call,
    req: SetForumRecommendationFollowUpRequest,
) -> Result<SetForumRecommendationFollowUpResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let id = &req.forum_recommendation_id;
    let follow_up =
        answers::follow_up_request("forum_recommendation_id", id, req.follow_up, &req.note)?;
    let mut tx = ctx.begin().await?;
    let (rec, edition_id) = locked_recommendation(&mut tx, id).await?;
    let spelled = answering(&staff, &rec)
        .follow_up(&mut tx, follow_up, req.note.trim(), ctx.now())
        .await?;
    ctx.emit(
        &mut tx,
        catalogue::FORUM_RECOMMENDATION_FOLLOW_UP_CHANGED,
        id,
        &ForumRecommendationFollowUpChanged {
            forum_recommendation_id: id.clone(),
            workshop_id: rec.workshop_id.clone(),
            edition_id,
            follow_up: spelled.into(),
        },
    )
    .await?;
    let recommendation = reread(&mut tx, id).await?;
    ctx.commit(tx).await?;
    Ok(SetForumRecommendationFollowUpResponse {
        recommendation: Some(recommendation),
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
    let mut editions: Vec<ForumEdition> =
        rows::list_editions(&mut conn, page.fetch_limit(), page.offset)
            .await?
            .into_iter()
            .map(edition_summary)
            .collect();
    let next_page_token = page.finish(&mut editions);
    Ok(ListForumEditionsResponse {
        editions,
        next_page_token,
    })
}

pub async fn list_forum_contributions(
    ctx: &Context,
    call: &Call,
    req: ListForumContributionsRequest,
) -> Result<ListForumContributionsResponse, Error> {
    let mut v = Violations::new();
    validate::uuid(&mut v, "workshop_id", &req.workshop_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    found(
        rows::workshop_exists(&mut conn, &req.workshop_id).await?,
        "forum workshop",
    )?;
    // Hidden contributions are left out for the public; staff and observers review them.
    let staff = reads_as_staff(person(call).as_ref());
    let (limit, offset) = (page.fetch_limit(), page.offset);
    let found = rows::contributions(&mut conn, &req.workshop_id, staff, limit, offset).await?;
    let mut contributions: Vec<ForumContribution> = found
        .into_iter()
        .map(|c| contribution_message(c, staff))
        .collect();
    let next_page_token = page.finish(&mut contributions);
    Ok(ListForumContributionsResponse {
        contributions,
        next_page_token,
    })
}
