//! Surveys: staff add questions to a draft consultation; each account keeps one response,
//! replaced by each new submission while the consultation is open. Results are aggregated for
//! staff at any time and for everyone once the consultation is answered.

use std::collections::HashSet;
use tachawor_proto::catalogue;

use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        AddQuestionRequest, AddQuestionResponse, Answer, ExportSurveyAnswersRequest,
        ExportSurveyAnswersResponse, GetMyResponseRequest, GetMyResponseResponse,
        GetResultsRequest, GetResultsResponse, ListSurveyAnswersRequest, ListSurveyAnswersResponse,
        OptionCount, Question, QuestionKind, QuestionResult, SubmitResponseRequest,
        SubmitResponseResponse, SurveyAnswer,
    },
    csv, dates,
    events::ConsultationResponseSubmitted,
};

use super::{
    access::{self, check_participation, consultation_id},
    participants::Participant,
};
use crate::{
    context::{Call, Context, STAFF, STAFF_READ, person, reads_as_staff},
    domain::{
        self,
        consultation::{self as rules, QUESTIONS_MAX, Status},
        timestamp,
    },
    store::consultations::{self as rows, AnswerRow, FreeTextRow, QuestionRow},
    validate,
};

const PROMPT_MAX: usize = 1000;
const OPTION_MAX: usize = 300;
const OPTIONS_MAX: usize = 30;
const TEXT_MAX: usize = 5000;

pub(crate) fn question_message(q: QuestionRow) -> Question {
    Question {
        question_id: q.question_id,
        position: q.position as i32,
        kind: domain::question_kind(&q.kind) as i32,
        prompt: Some(LocalizedText {
            ar: q.prompt_ar,
            fr: q.prompt_fr,
            en: q.prompt_en,
            zgh: q.prompt_zgh,
        }),
        options: options(&q.options_json),
        scale_min: q.scale_min as i32,
        scale_max: q.scale_max as i32,
        required: q.required != 0,
    }
}

/// A question's options as stored: each `[ar, fr, en]`, or `[ar, fr, en, zgh]` since
/// Tamazight is kept.
fn options(json: &str) -> Vec<LocalizedText> {
    serde_json::from_str::<Vec<Vec<String>>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|o| {
            let mut texts = o.into_iter();
            let mut next = || texts.next().unwrap_or_default();
            LocalizedText {
                ar: next(),
                fr: next(),
                en: next(),
                zgh: next(),
            }
        })
        .collect()
}

fn option_count(q: &QuestionRow) -> usize {
    serde_json::from_str::<Vec<serde_json::Value>>(&q.options_json)
        .map(|o| o.len())
        .unwrap_or(0)
}

pub async fn add_question(
    ctx: &Context,
    call: &Call,
    req: AddQuestionRequest,
) -> Result<AddQuestionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let kind = QuestionKind::try_from(req.kind).unwrap_or_default();
    let choice = matches!(
        kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice
    );
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.check(
        kind != QuestionKind::Unspecified,
        "kind",
        "must be single_choice, multiple_choice, scale or free_text",
    );
    validate::localized(&mut v, "prompt", req.prompt.as_ref(), PROMPT_MAX);
    if choice {
        v.check(
            (2..=OPTIONS_MAX).contains(&req.options.len()),
            "options",
            "between 2 and 30 are required",
        );
        for (i, o) in req.options.iter().enumerate() {
            validate::localized(&mut v, &format!("options[{i}]"), Some(o), OPTION_MAX);
        }
    } else {
        v.check(
            req.options.is_empty(),
            "options",
            "only for choice questions",
        );
    }
    if kind == QuestionKind::Scale {
        v.check(
            req.scale_min < req.scale_max && req.scale_min >= -100 && req.scale_max <= 100,
            "scale_max",
            "must be greater than scale_min, both within -100..100",
        );
    } else {
        v.check(
            req.scale_min == 0 && req.scale_max == 0,
            "scale_max",
            "only for scale questions",
        );
    }
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let prompt = validate::trimmed(req.prompt);
    let options: Vec<[String; 4]> = req
        .options
        .into_iter()
        .map(|o| {
            let o = validate::trimmed(Some(o));
            [o.ar, o.fr, o.en, o.zgh]
        })
        .collect();
    let key = &req.idempotency_key;
    ctx.writer
        .idempotent(&staff.account_id, "AddQuestion", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                if !rows::lock(&mut tx, &req.consultation_id).await? {
                    return Err(Error::not_found("consultation"));
                }
                let consultation = rows::find(&mut tx, &req.consultation_id)
                    .await?
                    .ok_or_else(|| Error::not_found("consultation"))?;
                let existing = rows::questions(&mut tx, &req.consultation_id).await?;
                rules::check_new_question(Status::from_sql(&consultation.status)?, existing.len())?;
                let row = QuestionRow {
                    question_id: uuid::Uuid::now_v7().to_string(),
                    consultation_id: req.consultation_id.clone(),
                    position: existing.len() as i64 + 1,
                    kind: domain::question_kind_str(kind).unwrap_or_default().into(),
                    prompt_ar: prompt.ar,
                    prompt_fr: prompt.fr,
                    prompt_en: prompt.en,
                    prompt_zgh: prompt.zgh,
                    options_json: serde_json::to_string(&options).map_err(Error::internal)?,
                    scale_min: i64::from(req.scale_min),
                    scale_max: i64::from(req.scale_max),
                    required: i64::from(req.required),
                };
                rows::insert_question(&mut tx, &row).await?;
                super::consultations::kept(&mut tx, &row.consultation_id).await?;
                let response = AddQuestionResponse {
                    question: Some(question_message(row)),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// Checks the answers against the questions and turns them into rows; every problem is a
/// field violation.
fn answer_rows(questions: &[QuestionRow], answers: &[Answer]) -> Result<Vec<AnswerRow>, Error> {
    let mut v = Violations::new();
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, a) in answers.iter().enumerate() {
        let field = |name: &str| format!("answers[{i}].{name}");
        let Some(q) = questions.iter().find(|q| q.question_id == a.question_id) else {
            v.add(
                &field("question_id"),
                "is not a question of this consultation",
            );
            continue;
        };
        if !seen.insert(a.question_id.clone()) {
            v.add(&field("question_id"), "is answered twice");
            continue;
        }
        let row = |option: Option<i64>, scale: Option<i64>, text: Option<String>| AnswerRow {
            question_id: q.question_id.clone(),
            option_index: option,
            scale_value: scale,
            answer_text: text,
        };
        match domain::question_kind(&q.kind) {
            kind @ (QuestionKind::SingleChoice | QuestionKind::MultipleChoice) => {
                let single = kind == QuestionKind::SingleChoice;
                let n = option_count(q) as i32;
                let mut chosen: Vec<i32> = a.option_indexes.clone();
                chosen.sort_unstable();
                chosen.dedup();
                let ok = !chosen.is_empty()
                    && chosen.len() == a.option_indexes.len()
                    && chosen.iter().all(|&o| (0..n).contains(&o))
                    && (!single || chosen.len() == 1);
                if !ok {
                    v.add(
                        &field("option_indexes"),
                        if single {
                            "exactly one option of the question is required"
                        } else {
                            "distinct options of the question are required"
                        },
                    );
                }
                rows.extend(
                    chosen
                        .into_iter()
                        .map(|o| row(Some(i64::from(o)), None, None)),
                );
            }
            QuestionKind::Scale => {
                let value = i64::from(a.scale_value);
                if !(q.scale_min..=q.scale_max).contains(&value) {
                    v.add(&field("scale_value"), "is outside the question's scale");
                }
                rows.push(row(None, Some(value), None));
            }
            _ => {
                if !validate::is_text(&a.text, TEXT_MAX) {
                    v.add(&field("text"), "is required (at most 5000 characters)");
                }
                rows.push(row(None, None, Some(a.text.trim().to_string())));
            }
        }
    }
    for q in questions.iter().filter(|q| q.required != 0) {
        if !seen.contains(&q.question_id) {
            v.add("answers", format!("question {} is required", q.position));
        }
    }
    v.finish()?;
    Ok(rows)
}

pub(crate) fn answers_message(rows: Vec<AnswerRow>) -> Vec<Answer> {
    let mut out: Vec<Answer> = Vec::new();
    for r in rows {
        let pos = match out.iter().position(|a| a.question_id == r.question_id) {
            Some(p) => p,
            None => {
                out.push(Answer {
                    question_id: r.question_id.clone(),
                    ..Default::default()
                });
                out.len() - 1
            }
        };
        let a = &mut out[pos];
        if let Some(o) = r.option_index {
            a.option_indexes.push(o as i32);
        }
        if let Some(s) = r.scale_value {
            a.scale_value = s as i32;
        }
        if let Some(t) = r.answer_text {
            a.text = t;
        }
    }
    out
}

pub async fn submit_response(
    ctx: &Context,
    call: &Call,
    req: SubmitResponseRequest,
) -> Result<SubmitResponseResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.check(
        !req.answers.is_empty() && req.answers.len() <= QUESTIONS_MAX,
        "answers",
        "between 1 and 100 are required",
    );
    for (i, a) in req.answers.iter().enumerate() {
        validate::uuid(&mut v, &format!("answers[{i}].question_id"), &a.question_id);
    }
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let who = Participant::of(ctx, call).await?;
    ctx.writer
        .idempotent(who.id(), "SubmitResponse", &req.idempotency_key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let consultation =
                    access::readable(&mut tx, &req.consultation_id, Some(&who.caller)).await?;
                let questions = rows::questions(&mut tx, &req.consultation_id).await?;
                let answers = answer_rows(&questions, &req.answers)?;
                check_participation(ctx, &consultation, &who)?;
                let now = ctx.now();
                let (response_id, edited) =
                    rows::save_response(&mut tx, &req.consultation_id, who.id(), &answers, now)
                        .await?;
                ctx.emit(
                    &mut tx,
                    catalogue::RESPONSE_SUBMITTED,
                    &req.consultation_id,
                    &ConsultationResponseSubmitted {
                        consultation_id: req.consultation_id.clone(),
                        response_id: response_id.clone(),
                        account_id: who.id().into(),
                        province_code: who.province().into(),
                        actor_kind: who.actor_kind(),
                        edited,
                    },
                )
                .await?;
                let response = SubmitResponseResponse {
                    response_id,
                    answers: answers_message(answers),
                    submitted_at: Some(timestamp(now)),
                    edited,
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn get_my_response(
    ctx: &Context,
    call: &Call,
    req: GetMyResponseRequest,
) -> Result<GetMyResponseResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.finish()?;
    let mut conn = ctx.read().await?;
    let (response_id, submitted_at) =
        rows::response_of(&mut conn, &req.consultation_id, &caller.account_id)
            .await?
            .ok_or_else(|| Error::not_found("response"))?;
    let answers = rows::answers_of(&mut conn, &response_id).await?;
    Ok(GetMyResponseResponse {
        response_id,
        answers: answers_message(answers),
        submitted_at: Some(timestamp(submitted_at)),
    })
}

pub async fn get_results(
    ctx: &Context,
    call: &Call,
    req: GetResultsRequest,
) -> Result<GetResultsResponse, Error> {
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    let consultation = access::readable(&mut conn, &req.consultation_id, viewer.as_ref()).await?;
    rules::check_results_readable(
        Status::from_sql(&consultation.status)?,
        reads_as_staff(viewer.as_ref()),
    )?;
    let questions = rows::questions(&mut conn, &req.consultation_id).await?;
    let tallies = rows::tallies(&mut conn, &req.consultation_id).await?;
    let answered = rows::answered(&mut conn, &req.consultation_id).await?;
    let responses = rows::response_count(&mut conn, &req.consultation_id).await?;
    let results = questions
        .into_iter()
        .map(|q| {
            let mine = tallies.iter().filter(|t| t.0 == q.question_id);
            let mut counts = Vec::new();
            let (mut sum, mut n) = (0i64, 0i64);
            for (_, option, scale, count) in mine {
                if let Some(o) = option {
                    counts.push(OptionCount {
                        option_index: *o as i32,
                        count: *count,
                    });
                }
                if let Some(s) = scale {
                    counts.push(OptionCount {
                        option_index: *s as i32,
                        count: *count,
                    });
                    sum += s * count;
                    n += count;
                }
            }
            counts.sort_by_key(|c| c.option_index);
            QuestionResult {
                kind: domain::question_kind(&q.kind) as i32,
                answered: answered
                    .iter()
                    .find(|a| a.0 == q.question_id)
                    .map(|a| a.1)
                    .unwrap_or(0),
                question_id: q.question_id,
                counts,
                average: if n > 0 { sum as f64 / n as f64 } else { 0.0 },
            }
        })
        .collect();
    Ok(GetResultsResponse {
        consultation_id: req.consultation_id,
        responses,
        questions: results,
    })
}

/// The consultation (NOT_FOUND when there is none) and, when `question_id` is set, checks it
/// is one of its free-text questions (NOT_FOUND otherwise).
async fn free_text_source(
    conn: &mut sqlx::AnyConnection,
    consultation_id: &str,
    question_id: &str,
) -> Result<(), Error> {
    let (_, questions) = rows::find_with_questions(conn, consultation_id)
        .await?
        .ok_or_else(|| Error::not_found("consultation"))?;
    let free_text = QuestionKind::FreeText;
    if !question_id.is_empty()
        && !questions
            .iter()
            .any(|q| q.question_id == question_id && domain::question_kind(&q.kind) == free_text)
    {
        return Err(Error::not_found("free-text question"));
    }
    Ok(())
}

/// Staff read what respondents wrote, a page at a time, by respondent id only.
pub async fn list_survey_answers(
    ctx: &Context,
    call: &Call,
    req: ListSurveyAnswersRequest,
) -> Result<ListSurveyAnswersResponse, Error> {
    call.require_any(STAFF_READ)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    validate::optional_uuid(&mut v, "question_id", &req.question_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    free_text_source(&mut conn, &req.consultation_id, &req.question_id).await?;
    let mut found = rows::free_text_answers(
        &mut conn,
        &req.consultation_id,
        &req.question_id,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListSurveyAnswersResponse {
        answers: found
            .into_iter()
            .map(|a| SurveyAnswer {
                respondent_id: a.respondent_id,
                question_id: a.question_id,
                text: a.answer_text,
                submitted_at: Some(timestamp(a.submitted_at)),
            })
            .collect(),
        next_page_token,
    })
}

/// The header of [`export_survey_answers`]' CSV.
const ANSWERS_HEADER: [&str; 5] = [
    "respondent_id",
    "question_id",
    "question_position",
    "submitted_at",
    "text",
];

fn answer_line(a: &FreeTextRow) -> String {
    csv::line(&[
        a.respondent_id.clone(),
        a.question_id.clone(),
        a.position.to_string(),
        dates::instant_of_millis(a.submitted_at),
        a.answer_text.clone(),
    ])
}

/// Every free-text answer of the consultation as CSV, in [`list_survey_answers`]' order.
pub async fn export_survey_answers(
    ctx: &Context,
    call: &Call,
    req: ExportSurveyAnswersRequest,
) -> Result<ExportSurveyAnswersResponse, Error> {
    call.require_any(STAFF_READ)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.finish()?;
    let mut conn = ctx.read().await?;
    free_text_source(&mut conn, &req.consultation_id, "").await?;
    let found = rows::free_text_answers(&mut conn, &req.consultation_id, "", i64::MAX, 0).await?;
    let mut out = csv::line(&ANSWERS_HEADER);
    for a in &found {
        out.push_str(&answer_line(a));
    }
    Ok(ExportSurveyAnswersResponse { csv: out })
}
