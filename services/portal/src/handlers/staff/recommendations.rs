//! Recommendations the council answers and follows up: those of the consultative instances'
//! adopted opinions, and those of the Regional Forum's workshops. A recommendation is answered
//! (accepted, rejected, under study) with reasons and, once accepted, followed up (not started
//! → in progress → implemented); the pages and forms are the same for both, only where the
//! recommendation comes from and the call that records the answer differ. The service checks
//! every action again with the person's own token.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::consultation::{
    AnswerForumRecommendationRequest, AnswerRecommendationRequest, FollowUp, ForumEdition,
    ForumRecommendation, GetForumEditionRequest, GetOpinionRequest, Opinion, OpinionStatus,
    Recommendation, RecommendationAnswer, SetForumRecommendationFollowUpRequest,
    SetRecommendationFollowUpRequest,
};

use super::{
    Staff, StaffNav,
    answers::{AnswerForm, DoneQuery, choices, names},
    frame,
};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, html},
    person::Posted,
    services::as_person,
    view::{Choice, Text, enum_code},
};

/// The answers a recommendation may be given, in the form's order.
const RECOMMENDATION_ANSWERS: &[&str] = &["accepted", "under_study", "rejected"];
/// The follow-up steps staff may move an accepted recommendation to (it starts not started).
const FOLLOW_UPS: &[&str] = &["in_progress", "implemented"];

/// Where a recommendation comes from: an adopted opinion (its id) or a Forum edition (its id).
#[derive(Clone, Copy)]
enum Holder<'a> {
    Opinion(&'a str),
    Forum(&'a str),
}

impl Holder<'_> {
    /// The holder's page, under `/{lang}/`.
    fn path(&self) -> String {
        match self {
            Holder::Opinion(id) => format!("staff/answers/opinions/{id}"),
            Holder::Forum(id) => format!("staff/answers/forum/{id}"),
        }
    }

    /// The message keys naming the holder on a recommendation's page: "of …", "back to …".
    fn keys(&self) -> (&'static str, &'static str) {
        match self {
            Holder::Opinion(_) => ("staff-answers-rec-of", "staff-answers-back-opinion"),
            Holder::Forum(_) => ("staff-answers-forum-rec-of", "staff-answers-back-forum"),
        }
    }

    /// The request field naming the recommendation, which the service names when it does not
    /// know it.
    fn id_field(&self) -> &'static str {
        match self {
            Holder::Opinion(_) => "recommendation_id",
            Holder::Forum(_) => "forum_recommendation_id",
        }
    }

    /// Records the answer to the holder's recommendation `rec` as `staff`.
    async fn send_answer(
        &self,
        state: &AppState,
        staff: &Staff,
        rec: &str,
        answer: i32,
        reasons: String,
    ) -> Result<(), tonic::Status> {
        let mut client = state.services.consultation();
        let recommendation_id = rec.to_string();
        match self {
            Holder::Opinion(_) => client
                .answer_recommendation(as_person(
                    &staff.session,
                    AnswerRecommendationRequest {
                        recommendation_id,
                        answer,
                        reasons,
                    },
                ))
                .await
                .map(drop),
            Holder::Forum(_) => client
                .answer_forum_recommendation(as_person(
                    &staff.session,
                    AnswerForumRecommendationRequest {
                        forum_recommendation_id: recommendation_id,
                        answer,
                        reasons,
                    },
                ))
                .await
                .map(drop),
        }
    }

    /// Moves the holder's recommendation `rec` to `follow_up` as `staff`.
    async fn send_follow_up(
        &self,
        state: &AppState,
        staff: &Staff,
        rec: &str,
        follow_up: i32,
        note: String,
    ) -> Result<(), tonic::Status> {
        let mut client = state.services.consultation();
        let recommendation_id = rec.to_string();
        match self {
            Holder::Opinion(_) => client
                .set_recommendation_follow_up(as_person(
                    &staff.session,
                    SetRecommendationFollowUpRequest {
                        recommendation_id,
                        follow_up,
                        note,
                    },
                ))
                .await
                .map(drop),
            Holder::Forum(_) => client
                .set_forum_recommendation_follow_up(as_person(
                    &staff.session,
                    SetForumRecommendationFollowUpRequest {
                        forum_recommendation_id: recommendation_id,
                        follow_up,
                        note,
                    },
                ))
                .await
                .map(drop),
        }
    }
}

/// A recommendation as its holder's page shows it.
pub struct RecommendationRow {
    pub id: String,
    pub text: String,
    pub answer: String,
    pub answer_label: String,
    pub reasons: Option<String>,
    pub follow_up: String,
    pub follow_up_label: String,
    pub note: Option<String>,
    /// Not answered, or under study: the answer form is shown.
    pub answerable: bool,
    /// Accepted and not yet implemented: the follow-up form is shown.
    pub followable: bool,
}

impl RecommendationRow {
    fn new(
        id: &str,
        text: &str,
        (answer, reasons): (i32, &str),
        (follow_up, note): (i32, &str),
        tr: Tr,
    ) -> Self {
        let answer = enum_code(
            RecommendationAnswer::try_from(answer)
                .unwrap_or_default()
                .as_str_name(),
            "RECOMMENDATION_ANSWER_",
        );
        let follow_up = enum_code(
            FollowUp::try_from(follow_up)
                .unwrap_or_default()
                .as_str_name(),
            "FOLLOW_UP_",
        );
        Self {
            id: id.to_string(),
            text: text.to_string(),
            answer_label: tr.t(&format!("staff-answers-rec-{answer}")),
            answerable: answer == "unspecified" || answer == "under_study",
            followable: answer == "accepted" && follow_up != "implemented",
            answer,
            reasons: Some(reasons.to_string()).filter(|s| !s.is_empty()),
            follow_up_label: tr.t(&format!("staff-answers-follow-up-{follow_up}")),
            follow_up,
            note: Some(note.to_string()).filter(|s| !s.is_empty()),
        }
    }

    fn of(r: &Recommendation, tr: Tr) -> Self {
        Self::new(
            &r.recommendation_id,
            &r.text,
            (r.answer, &r.answer_reasons),
            (r.follow_up, &r.follow_up_note),
            tr,
        )
    }

    pub(super) fn of_forum(r: &ForumRecommendation, tr: Tr) -> Self {
        Self::new(
            &r.forum_recommendation_id,
            &r.text,
            (r.answer, &r.answer_reasons),
            (r.follow_up, &r.follow_up_note),
            tr,
        )
    }

    /// The council still owes an answer.
    pub fn awaiting(&self) -> bool {
        self.answerable
    }
}

/// "N recommendations, M awaiting an answer".
pub fn summary<'a>(tr: Tr, rows: impl IntoIterator<Item = &'a RecommendationRow>) -> String {
    let (mut count, mut open) = (0, 0);
    for row in rows {
        count += 1;
        open += i64::from(row.awaiting());
    }
    tr.with(
        "staff-answers-opinion-summary",
        &[("count", number(count)), ("open", number(open))],
    )
}

/// An adopted opinion's recommendations as rows.
pub fn opinion_rows(o: &Opinion, tr: Tr) -> Vec<RecommendationRow> {
    o.recommendations
        .iter()
        .map(|r| RecommendationRow::of(r, tr))
        .collect()
}

// ---- An opinion -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff_answers_opinion.html")]
struct OpinionPage {
    frame: Frame,
    nav: StaffNav,
    id: String,
    matter: String,
    body: String,
    adopted: Option<String>,
    recommendations: Vec<RecommendationRow>,
}

async fn opinion_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
) -> Result<Opinion, PageError> {
    let opinion = state
        .services
        .consultation()
        .get_opinion(as_person(
            &staff.session,
            GetOpinionRequest {
                opinion_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .opinion
        .ok_or_else(|| PageError::not_found(lang))?;
    if opinion.status != OpinionStatus::Adopted as i32 {
        return Err(PageError::not_found(lang));
    }
    Ok(opinion)
}

/// An adopted opinion with its recommendations, each with its answer and follow-up.
pub async fn opinion(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let opinion = opinion_of(&state, &staff, lang, &id).await?;
    let page = OpinionPage {
        frame: frame(
            lang,
            "staff-answers-opinion-title",
            &Holder::Opinion(&opinion.opinion_id).path(),
        ),
        nav: StaffNav::new(lang, "answers"),
        id: opinion.opinion_id.clone(),
        matter: opinion.matter.clone(),
        body: opinion.body.clone(),
        adopted: opinion.adopted_at.as_ref().map(|t| {
            tr.with(
                "staff-answers-adopted-on",
                &[("date", tr.timestamp_date(Some(t)))],
            )
        }),
        recommendations: opinion_rows(&opinion, tr),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- A Forum edition ------------------------------------------------------------------------

/// A workshop of the edition with its recommendations.
pub struct WorkshopRow {
    pub theme: Text,
    pub title: Text,
    pub recommendations: Vec<RecommendationRow>,
}

#[derive(Template)]
#[template(path = "staff_answers_forum.html")]
struct ForumPage {
    frame: Frame,
    nav: StaffNav,
    id: String,
    title: Text,
    summary: String,
    workshops: Vec<WorkshopRow>,
}

pub(super) async fn edition_of(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    id: &str,
) -> Result<ForumEdition, PageError> {
    state
        .services
        .consultation()
        .get_forum_edition(as_person(
            &staff.session,
            GetForumEditionRequest {
                edition_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .edition
        .ok_or_else(|| PageError::not_found(lang))
}

/// The edition's workshops (those with recommendations), theme by theme.
fn workshop_rows(edition: &ForumEdition, lang: Lang) -> Vec<WorkshopRow> {
    let tr = Tr::new(lang);
    edition
        .themes
        .iter()
        .flat_map(|theme| {
            theme
                .workshops
                .iter()
                .filter(|w| !w.recommendations.is_empty())
                .map(move |w| WorkshopRow {
                    theme: Text::of(theme.title.as_ref(), lang),
                    title: Text::of(w.title.as_ref(), lang),
                    recommendations: w
                        .recommendations
                        .iter()
                        .map(|r| RecommendationRow::of_forum(r, tr))
                        .collect(),
                })
        })
        .collect()
}

/// A Forum edition's recommendations, workshop by workshop, each with its answer and follow-up.
pub async fn forum(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let edition = edition_of(&state, &staff, lang, &id).await?;
    let workshops = workshop_rows(&edition, lang);
    let summary = summary(tr, workshops.iter().flat_map(|w| &w.recommendations));
    let page = ForumPage {
        frame: frame(
            lang,
            "staff-answers-forum-title",
            &Holder::Forum(&edition.edition_id).path(),
        ),
        nav: StaffNav::new(lang, "answers"),
        id: edition.edition_id.clone(),
        title: Text::of(edition.title.as_ref(), lang),
        summary,
        workshops,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

// ---- One recommendation: answer, then follow-up ---------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    follow_up: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "staff_answers_recommendation.html")]
struct RecommendationPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    /// The holder's page and the recommendation's, under `/{lang}/`.
    holder_path: String,
    here: String,
    /// What the recommendation belongs to: the opinion's matter, or the Forum workshop.
    holder_title: String,
    of_key: &'static str,
    back_key: &'static str,
    rec: RecommendationRow,
    answers: Vec<Choice>,
    follow_ups: Vec<Choice>,
    typed_reasons: String,
    typed_note: String,
    notice: Option<String>,
    errors: FormErrors,
}

/// The recommendation `rec` of `holder`, and the title of what it belongs to; not found when
/// the holder has no such recommendation.
async fn find(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    holder: Holder<'_>,
    rec: &str,
) -> Result<(RecommendationRow, String), PageError> {
    let tr = Tr::new(lang);
    match holder {
        Holder::Opinion(id) => {
            let opinion = opinion_of(state, staff, lang, id).await?;
            let found = opinion
                .recommendations
                .iter()
                .find(|r| r.recommendation_id == rec)
                .ok_or_else(|| PageError::not_found(lang))?;
            Ok((RecommendationRow::of(found, tr), opinion.matter.clone()))
        }
        Holder::Forum(id) => {
            let edition = edition_of(state, staff, lang, id).await?;
            edition
                .themes
                .iter()
                .flat_map(|t| t.workshops.iter())
                .find_map(|w| {
                    let found = w
                        .recommendations
                        .iter()
                        .find(|r| r.forum_recommendation_id == rec)?;
                    let title = Text::of(w.title.as_ref(), lang).text;
                    Some((RecommendationRow::of_forum(found, tr), title))
                })
                .ok_or_else(|| PageError::not_found(lang))
        }
    }
}

/// What a recommendation's page shows besides the recommendation.
struct Shown {
    notice: Option<String>,
    errors: FormErrors,
    answer: AnswerForm,
    follow_up: FollowUpForm,
}

impl Shown {
    fn notice(notice: Option<String>) -> Self {
        Self {
            notice,
            errors: FormErrors::new(),
            answer: AnswerForm::default(),
            follow_up: FollowUpForm::default(),
        }
    }
}

async fn recommendation_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    holder: Holder<'_>,
    rec_id: &str,
    shown: Shown,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (rec, holder_title) = find(state, staff, lang, holder, rec_id).await?;
    let Shown {
        notice,
        errors,
        answer,
        follow_up,
    } = shown;
    let status = errors.status();
    let holder_path = holder.path();
    let here = format!("{holder_path}/recommendations/{rec_id}");
    let (of_key, back_key) = holder.keys();
    let page = RecommendationPage {
        frame: frame(lang, "staff-answers-rec-title", &here).with_errors(&errors),
        nav: StaffNav::new(lang, "answers"),
        csrf: staff.visitor.form_token(),
        holder_path,
        here,
        holder_title,
        of_key,
        back_key,
        rec,
        answers: choices(
            tr,
            "staff-answers-rec",
            RECOMMENDATION_ANSWERS,
            &answer.answer,
        ),
        follow_ups: choices(
            tr,
            "staff-answers-follow-up",
            FOLLOW_UPS,
            &follow_up.follow_up,
        ),
        typed_reasons: answer.reasons,
        typed_note: follow_up.note,
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

fn done_notice(lang: Lang, query: &DoneQuery) -> Option<String> {
    match query.done.as_deref() {
        Some(done @ ("answered" | "followed")) => {
            Some(Tr::new(lang).t(&format!("staff-answers-done-{done}")))
        }
        _ => None,
    }
}

/// The holder a recommendation's address names: `opinions/{id}` or `forum/{id}`.
fn holder<'a>(kind: &str, id: &'a str, lang: Lang) -> Result<Holder<'a>, PageError> {
    match kind {
        "opinions" => Ok(Holder::Opinion(id)),
        "forum" => Ok(Holder::Forum(id)),
        _ => Err(PageError::not_found(lang)),
    }
}

/// A recommendation with its answer and follow-up, and the forms that move them.
pub async fn recommendation(
    State(state): State<AppState>,
    Path((lang, kind, id, rec)): Path<(String, String, String, String)>,
    Query(query): Query<DoneQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let holder = holder(&kind, &id, lang)?;
    let shown = Shown::notice(done_notice(lang, &query));
    recommendation_page(&state, &staff, lang, holder, &rec, shown).await
}

fn back_to(lang: Lang, holder: Holder<'_>, rec: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/{}/recommendations/{}?done={done}",
        lang.code(),
        holder.path(),
        crate::handlers::encode_query(rec)
    ))
    .into_response()
}

/// Records an answer (accepted, rejected or under study, with reasons) to `holder`'s
/// recommendation `rec`, or shows the form again with what was wrong.
async fn answer(
    state: &AppState,
    staff: &Staff,
    holder: Holder<'_>,
    rec: &str,
    posted: Posted<AnswerForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    // The recommendation must be one of this holder's.
    find(state, staff, lang, holder, rec).await?;
    let mut errors = FormErrors::new();
    let chosen = form.answer.trim();
    let answer = RecommendationAnswer::from_str_name(&format!(
        "RECOMMENDATION_ANSWER_{}",
        chosen.to_ascii_uppercase()
    ))
    .filter(|_| RECOMMENDATION_ANSWERS.contains(&chosen));
    errors.require(tr, "staff-answers-rec", "answer", chosen);
    if !chosen.is_empty() && answer.is_none() {
        errors.field("answer", tr.t("staff-answers-rec-answer-invalid"));
    }
    errors.require(tr, "staff-answers-rec", "reasons", &form.reasons);
    if let (true, Some(answer)) = (errors.is_empty(), answer) {
        let reasons = form.reasons.trim().to_string();
        let answered = holder
            .send_answer(state, staff, rec, answer as i32, reasons)
            .await;
        match answered {
            Ok(()) => return Ok(back_to(lang, holder, rec, "answered")),
            Err(status) if names(&status, holder.id_field()) => {
                return Err(PageError::not_found(lang));
            }
            Err(status) => {
                errors = FormErrors::from_status(&status, tr, "staff-answers-rec", &[])?;
            }
        }
    }
    let shown = Shown {
        notice: None,
        errors,
        answer: form,
        follow_up: FollowUpForm::default(),
    };
    recommendation_page(state, staff, lang, holder, rec, shown).await
}

/// Moves `holder`'s accepted recommendation `rec` forward, with an optional note, or shows the
/// form again with what was wrong.
async fn follow(
    state: &AppState,
    staff: &Staff,
    holder: Holder<'_>,
    rec: &str,
    posted: Posted<FollowUpForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    find(state, staff, lang, holder, rec).await?;
    let mut errors = FormErrors::new();
    let chosen = form.follow_up.trim();
    let step = FollowUp::from_str_name(&format!("FOLLOW_UP_{}", chosen.to_ascii_uppercase()))
        .filter(|_| FOLLOW_UPS.contains(&chosen));
    errors.require(tr, "staff-answers-follow", "follow_up", chosen);
    if !chosen.is_empty() && step.is_none() {
        errors.field("follow_up", tr.t("staff-answers-follow-follow_up-invalid"));
    }
    if let (true, Some(step)) = (errors.is_empty(), step) {
        let note = form.note.trim().to_string();
        let followed = holder
            .send_follow_up(state, staff, rec, step as i32, note)
            .await;
        match followed {
            Ok(()) => return Ok(back_to(lang, holder, rec, "followed")),
            Err(status) if names(&status, holder.id_field()) => {
                return Err(PageError::not_found(lang));
            }
            Err(status) => {
                errors = FormErrors::from_status(&status, tr, "staff-answers-follow", &[])?;
            }
        }
    }
    let shown = Shown {
        notice: None,
        errors,
        answer: AnswerForm::default(),
        follow_up: form,
    };
    recommendation_page(state, staff, lang, holder, rec, shown).await
}

/// Answers a recommendation: accepted, rejected or under study, with reasons.
pub async fn answer_recommendation(
    State(state): State<AppState>,
    Path((_, kind, id, rec)): Path<(String, String, String, String)>,
    staff: Staff,
    posted: Posted<AnswerForm>,
) -> Result<Response, PageError> {
    let holder = holder(&kind, &id, posted.lang)?;
    answer(&state, &staff, holder, &rec, posted).await
}

/// Moves an accepted recommendation's follow-up forward.
pub async fn follow_up(
    State(state): State<AppState>,
    Path((_, kind, id, rec)): Path<(String, String, String, String)>,
    staff: Staff,
    posted: Posted<FollowUpForm>,
) -> Result<Response, PageError> {
    let holder = holder(&kind, &id, posted.lang)?;
    follow(&state, &staff, holder, &rec, posted).await
}
