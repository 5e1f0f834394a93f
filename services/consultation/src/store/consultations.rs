//! Consultations, their questions and responses.

use std::{collections::HashMap, sync::LazyLock};

use sqlx::AnyConnection;
use tachawor_storage::params;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsultationRow {
    pub consultation_id: String,
    pub title_ar: String,
    pub title_fr: String,
    pub title_en: String,
    pub body_ar: String,
    pub body_fr: String,
    pub body_en: String,
    pub title_zgh: String,
    pub body_zgh: String,
    pub organizer_kind: String,
    pub instance_id: Option<String>,
    pub audience: String,
    pub province_codes: String,
    pub status: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub synthesis_ar: String,
    pub synthesis_fr: String,
    pub synthesis_en: String,
    pub synthesis_zgh: String,
    pub created_by: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    /// 1: only verified people answer, propose and support; 0: any signed-in account.
    pub verified_only: i64,
    /// The instance that launched it (ProposeConsultation); `None` when staff created it.
    pub launched_by: Option<String>,
    /// Why staff rejected an instance's proposal; empty otherwise.
    pub rejection_reason: String,
}

const COLUMNS: &str = "consultation_id, title_ar, title_fr, title_en, body_ar, body_fr, body_en, \
     organizer_kind, instance_id, audience, province_codes, status, opens_at, closes_at, \
     synthesis_ar, synthesis_fr, synthesis_en, created_by, created_at, answered_at, verified_only, \
     launched_by, rejection_reason, title_zgh, body_zgh, synthesis_zgh";

pub async fn insert(conn: &mut AnyConnection, c: &ConsultationRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultations (consultation_id, title_ar, title_fr, title_en, body_ar, \
         body_fr, body_en, organizer_kind, instance_id, audience, province_codes, status, \
         created_by, created_at, verified_only, launched_by, title_zgh, body_zgh) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18)",
    )
    .bind(&c.consultation_id)
    .bind(&c.title_ar)
    .bind(&c.title_fr)
    .bind(&c.title_en)
    .bind(&c.body_ar)
    .bind(&c.body_fr)
    .bind(&c.body_en)
    .bind(&c.organizer_kind)
    .bind(c.instance_id.as_deref())
    .bind(&c.audience)
    .bind(&c.province_codes)
    .bind(&c.status)
    .bind(&c.created_by)
    .bind(c.created_at)
    .bind(c.verified_only)
    .bind(c.launched_by.as_deref())
    .bind(&c.title_zgh)
    .bind(&c.body_zgh)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a draft's texts, organizer, audience, provinces and who may take part.
pub async fn update_draft(
    conn: &mut AnyConnection,
    c: &ConsultationRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consultations SET title_ar = $1, title_fr = $2, title_en = $3, body_ar = $4, \
         body_fr = $5, body_en = $6, organizer_kind = $7, instance_id = $8, audience = $9, \
         province_codes = $10, verified_only = $11, title_zgh = $12, body_zgh = $13 \
         WHERE consultation_id = $14",
    )
    .bind(&c.title_ar)
    .bind(&c.title_fr)
    .bind(&c.title_en)
    .bind(&c.body_ar)
    .bind(&c.body_fr)
    .bind(&c.body_en)
    .bind(&c.organizer_kind)
    .bind(c.instance_id.as_deref())
    .bind(&c.audience)
    .bind(&c.province_codes)
    .bind(c.verified_only)
    .bind(&c.title_zgh)
    .bind(&c.body_zgh)
    .bind(&c.consultation_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the consultation's row lock (a no-op update); false when there is none.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE consultations SET status = status WHERE consultation_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<ConsultationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM consultations WHERE consultation_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The consultation's columns other than its long texts, for a join.
const SHORT_COLUMNS: [&str; 14] = [
    "consultation_id",
    "organizer_kind",
    "instance_id",
    "audience",
    "province_codes",
    "status",
    "opens_at",
    "closes_at",
    "created_by",
    "created_at",
    "answered_at",
    "verified_only",
    "launched_by",
    "rejection_reason",
];

/// Its long texts (a body may hold 20,000 characters per language).
const LONG_COLUMNS: [&str; 12] = [
    "title_ar",
    "title_fr",
    "title_en",
    "title_zgh",
    "body_ar",
    "body_fr",
    "body_en",
    "body_zgh",
    "synthesis_ar",
    "synthesis_fr",
    "synthesis_en",
    "synthesis_zgh",
];

/// The consultation's row with one of its questions (none when it has none).
#[derive(sqlx::FromRow)]
struct WithQuestion {
    #[sqlx(flatten)]
    consultation: ConsultationRow,
    question_id: Option<String>,
    position: Option<i64>,
    kind: Option<String>,
    prompt_ar: Option<String>,
    prompt_fr: Option<String>,
    prompt_en: Option<String>,
    prompt_zgh: Option<String>,
    options_json: Option<String>,
    scale_min: Option<i64>,
    scale_max: Option<i64>,
    required: Option<i64>,
}

impl WithQuestion {
    fn question(self) -> Option<QuestionRow> {
        Some(QuestionRow {
            question_id: self.question_id?,
            consultation_id: self.consultation.consultation_id,
            position: self.position?,
            kind: self.kind?,
            prompt_ar: self.prompt_ar?,
            prompt_fr: self.prompt_fr?,
            prompt_en: self.prompt_en?,
            prompt_zgh: self.prompt_zgh?,
            options_json: self.options_json?,
            scale_min: self.scale_min?,
            scale_max: self.scale_max?,
            required: self.required?,
        })
    }
}

/// The statement of [`find_with_questions`], written once.
static WITH_QUESTIONS: LazyLock<String> = LazyLock::new(|| {
    let short = SHORT_COLUMNS.map(|c| format!("c.{c}")).join(", ");
    let long = LONG_COLUMNS
        .map(|c| {
            format!(
                "CASE WHEN q.position IS NULL OR q.position = q1.position \
                 THEN c.{c} ELSE '' END AS {c}"
            )
        })
        .join(", ");
    format!(
        "SELECT {short}, {long}, q.question_id, q.position, q.kind, q.prompt_ar, q.prompt_fr, \
         q.prompt_en, q.prompt_zgh, q.options_json, q.scale_min, q.scale_max, q.required \
         FROM consultations c \
         LEFT JOIN questions q ON q.consultation_id = c.consultation_id \
         LEFT JOIN (SELECT MIN(position) AS position FROM questions WHERE consultation_id = $1) \
              q1 ON 1 = 1 \
         WHERE c.consultation_id = $1 ORDER BY q.position"
    )
});

/// The consultation with its questions in order, in one statement. The long texts come with the
/// first row only (blank on the others), so they are not sent once per question.
pub async fn find_with_questions(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<(ConsultationRow, Vec<QuestionRow>)>, sqlx::Error> {
    let rows: Vec<WithQuestion> = sqlx::query_as(sqlx::AssertSqlSafe(WITH_QUESTIONS.as_str()))
        .bind(id)
        .fetch_all(conn)
        .await?;
    let mut rows = rows.into_iter();
    let Some(first) = rows.next() else {
        return Ok(None);
    };
    let consultation = first.consultation.clone();
    let questions = std::iter::once(first)
        .chain(rows)
        .filter_map(WithQuestion::question)
        .collect();
    Ok(Some((consultation, questions)))
}

/// Who reads a list: staff see everything, others what is published and meant for them.
pub struct Viewer {
    pub staff: bool,
    pub representative: bool,
    pub member: bool,
    /// Sits on the instance the list is filtered on (`launched_by`): its consultations are
    /// read in every state.
    pub launcher: bool,
}

/// Consultations the viewer may read, newest first; `launched_by` (when not empty) keeps the
/// ones that instance launched. Each as (id, what `listed` holds: `None` when not written yet).
pub async fn list(
    conn: &mut AnyConnection,
    status: &str,
    launched_by: &str,
    viewer: &Viewer,
    limit: i64,
    offset: i64,
) -> Result<Vec<(String, Option<Vec<u8>>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT consultation_id, listed FROM consultations WHERE ($1 = '' OR status = $1) \
         AND ($7 = '' OR launched_by = $7) \
         AND ($2 = 1 OR ($8 = 1 AND launched_by = $7) \
              OR (status IN ('open', 'closed', 'answered') AND (audience = 'public' \
              OR (audience = 'associations' AND $5 = 1) \
              OR (audience = 'instance_members' AND $6 = 1)))) \
         ORDER BY created_at DESC, consultation_id LIMIT $3 OFFSET $4",
    )
    .bind(status)
    .bind(i64::from(viewer.staff))
    .bind(limit)
    .bind(offset)
    .bind(i64::from(viewer.representative))
    .bind(i64::from(viewer.member))
    .bind(launched_by)
    .bind(i64::from(viewer.launcher))
    .fetch_all(conn)
    .await
}

/// An instance's proposal approved: it becomes a draft.
pub async fn approve(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consultations SET status = 'draft' WHERE consultation_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An instance's proposal rejected, with staff's reason.
pub async fn reject(conn: &mut AnyConnection, id: &str, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consultations SET status = 'rejected', rejection_reason = $1 \
         WHERE consultation_id = $2",
    )
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn open(
    conn: &mut AnyConnection,
    id: &str,
    opens_at: i64,
    closes_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consultations SET status = 'open', opens_at = $1, closes_at = $2 \
         WHERE consultation_id = $3",
    )
    .bind(opens_at)
    .bind(closes_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn close(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    // Closing before the window's end ends the window now.
    sqlx::query(
        "UPDATE consultations SET status = 'closed', \
         closes_at = CASE WHEN closes_at > $1 THEN $1 ELSE closes_at END \
         WHERE consultation_id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the synthesis (`[ar, fr, en, zgh]`) and marks the consultation answered.
pub async fn answer(
    conn: &mut AnyConnection,
    id: &str,
    synthesis: [&str; 4],
    now: i64,
) -> Result<(), sqlx::Error> {
    let [ar, fr, en, zgh] = synthesis;
    sqlx::query(
        "UPDATE consultations SET status = 'answered', synthesis_ar = $1, synthesis_fr = $2, \
         synthesis_en = $3, synthesis_zgh = $6, answered_at = $4 WHERE consultation_id = $5",
    )
    .bind(ar)
    .bind(fr)
    .bind(en)
    .bind(now)
    .bind(id)
    .bind(zgh)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub question_id: String,
    pub consultation_id: String,
    pub position: i64,
    pub kind: String,
    pub prompt_ar: String,
    pub prompt_fr: String,
    pub prompt_en: String,
    pub prompt_zgh: String,
    pub options_json: String,
    pub scale_min: i64,
    pub scale_max: i64,
    pub required: i64,
}

pub async fn questions(
    conn: &mut AnyConnection,
    consultation_id: &str,
) -> Result<Vec<QuestionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, consultation_id, position, kind, prompt_ar, prompt_fr, prompt_en, \
         prompt_zgh, options_json, scale_min, scale_max, required FROM questions \
         WHERE consultation_id = $1 ORDER BY position",
    )
    .bind(consultation_id)
    .fetch_all(conn)
    .await
}

pub async fn insert_question(conn: &mut AnyConnection, q: &QuestionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO questions (question_id, consultation_id, position, kind, prompt_ar, \
         prompt_fr, prompt_en, options_json, scale_min, scale_max, required, prompt_zgh) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&q.question_id)
    .bind(&q.consultation_id)
    .bind(q.position)
    .bind(&q.kind)
    .bind(&q.prompt_ar)
    .bind(&q.prompt_fr)
    .bind(&q.prompt_en)
    .bind(&q.options_json)
    .bind(q.scale_min)
    .bind(q.scale_max)
    .bind(q.required)
    .bind(&q.prompt_zgh)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes consultation `id` as lists show it (`listed`: its message, encoded).
pub async fn keep_listed(
    conn: &mut AnyConnection,
    id: &str,
    encoded: Vec<u8>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consultations SET listed = $1 WHERE consultation_id = $2")
        .bind(encoded)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// One stored answer row: a chosen option, a scale value or a text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: String,
    pub option_index: Option<i64>,
    pub scale_value: Option<i64>,
    pub answer_text: Option<String>,
}

/// The caller's response: (response_id, submitted_at).
pub async fn response_of(
    conn: &mut AnyConnection,
    consultation_id: &str,
    account_id: &str,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT response_id, submitted_at FROM responses \
         WHERE consultation_id = $1 AND account_id = $2",
    )
    .bind(consultation_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

pub async fn answers_of(
    conn: &mut AnyConnection,
    response_id: &str,
) -> Result<Vec<AnswerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, option_index, scale_value, answer_text FROM response_answers \
         WHERE response_id = $1",
    )
    .bind(response_id)
    .fetch_all(conn)
    .await
}

/// Creates the response or, when the account already responded, replaces its answers.
/// Returns the response id and whether an earlier response was replaced.
pub async fn save_response(
    conn: &mut AnyConnection,
    consultation_id: &str,
    account_id: &str,
    answers: &[AnswerRow],
    now: i64,
) -> Result<(String, bool), sqlx::Error> {
    let fresh = uuid::Uuid::now_v7().to_string();
    // Concurrent first submissions by one account meet on the unique constraint: one inserts.
    sqlx::query(
        "INSERT INTO responses (response_id, consultation_id, account_id, submitted_at, \
         respondent_id) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (consultation_id, account_id) DO NOTHING",
    )
    .bind(&fresh)
    .bind(consultation_id)
    .bind(account_id)
    .bind(now)
    .bind(uuid::Uuid::new_v4().to_string())
    .execute(&mut *conn)
    .await?;
    let (id, _) = response_of(conn, consultation_id, account_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let edited = id != fresh;
    if edited {
        sqlx::query("UPDATE responses SET submitted_at = $1 WHERE response_id = $2")
            .bind(now)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM response_answers WHERE response_id = $1")
            .bind(&id)
            .execute(&mut *conn)
            .await?;
    }
    for a in answers {
        sqlx::query(
            "INSERT INTO response_answers (response_id, consultation_id, question_id, \
             option_index, scale_value, answer_text) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(consultation_id)
        .bind(&a.question_id)
        .bind(a.option_index)
        .bind(a.scale_value)
        .bind(a.answer_text.as_deref())
        .execute(&mut *conn)
        .await?;
    }
    Ok((id, edited))
}

pub async fn response_count(
    conn: &mut AnyConnection,
    consultation_id: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM responses WHERE consultation_id = $1")
        .bind(consultation_id)
        .fetch_one(conn)
        .await?;
    Ok(n)
}

/// Per question: (question_id, option_index, scale_value, rows, distinct responses).
pub async fn tallies(
    conn: &mut AnyConnection,
    consultation_id: &str,
) -> Result<Vec<(String, Option<i64>, Option<i64>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, option_index, scale_value, COUNT(*) FROM response_answers \
         WHERE consultation_id = $1 GROUP BY question_id, option_index, scale_value",
    )
    .bind(consultation_id)
    .fetch_all(conn)
    .await
}

/// Per question, how many responses answered it.
pub async fn answered(
    conn: &mut AnyConnection,
    consultation_id: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT question_id, COUNT(DISTINCT response_id) FROM response_answers \
         WHERE consultation_id = $1 GROUP BY question_id",
    )
    .bind(consultation_id)
    .fetch_all(conn)
    .await
}

/// A free-text answer as staff read it: keyed by the response's respondent id, nothing else
/// about who wrote it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FreeTextRow {
    pub respondent_id: String,
    pub question_id: String,
    pub position: i64,
    pub answer_text: String,
    pub submitted_at: i64,
}

/// The free-text answers of a consultation (of one question when `question_id` is set),
/// oldest response first, then by question position, a page at a time.
pub async fn free_text_answers(
    conn: &mut AnyConnection,
    consultation_id: &str,
    question_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<FreeTextRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.respondent_id, a.question_id, q.position, a.answer_text, r.submitted_at \
         FROM response_answers a \
         JOIN responses r ON r.response_id = a.response_id \
         JOIN questions q ON q.question_id = a.question_id \
         WHERE a.consultation_id = $1 AND q.kind = 'free_text' AND a.answer_text IS NOT NULL \
         AND ($2 = '' OR a.question_id = $2) \
         ORDER BY r.submitted_at, r.respondent_id, q.position LIMIT $3 OFFSET $4",
    )
    .bind(consultation_id)
    .bind(question_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// A survey response's own fields.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResponseRow {
    pub response_id: String,
    pub consultation_id: String,
    pub submitted_at: i64,
}

/// The responses `account_id` submitted, oldest first, a page at a time.
pub async fn responses_by_account(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResponseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT response_id, consultation_id, submitted_at FROM responses WHERE account_id = $1 \
         ORDER BY submitted_at, response_id LIMIT $2 OFFSET $3",
    )
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// The answers of several responses in one statement, by response.
pub async fn answers_of_responses(
    conn: &mut AnyConnection,
    response_ids: &[&str],
) -> Result<HashMap<String, Vec<AnswerRow>>, sqlx::Error> {
    let mut answers: HashMap<String, Vec<AnswerRow>> = HashMap::new();
    if response_ids.is_empty() {
        return Ok(answers);
    }
    let mut query = sqlx::query_as::<_, (String, String, Option<i64>, Option<i64>, Option<String>)>(
        sqlx::AssertSqlSafe(format!(
            "SELECT response_id, question_id, option_index, scale_value, answer_text \
             FROM response_answers WHERE response_id IN ({})",
            params::list(1, response_ids.len())
        )),
    );
    for id in response_ids {
        query = query.bind(*id);
    }
    for (response_id, question_id, option_index, scale_value, answer_text) in
        query.fetch_all(conn).await?
    {
        answers.entry(response_id).or_default().push(AnswerRow {
            question_id,
            option_index,
            scale_value,
            answer_text,
        });
    }
    Ok(answers)
}
