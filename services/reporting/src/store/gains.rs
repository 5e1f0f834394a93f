//! The learning gain per training program: each evaluation's gain (post-test minus pre-test
//! score, when it has both) and, per program, the sums a read needs. Order-independent and
//! idempotent as the facts are: an evaluation's latest event wins, and the same event applied
//! again changes nothing.

use sqlx::AnyConnection;

/// An evaluation's scores as its event gave them.
pub(crate) struct Evaluation<'a> {
    pub evaluation_id: &'a str,
    pub program_id: &'a str,
    /// `post − pre` when the evaluation has both scores.
    pub gain: Option<f64>,
}

/// Records an evaluation seen at `at` (unix ms), moving its program's sums with it.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    e: &Evaluation<'_>,
    at: i64,
) -> Result<(), sqlx::Error> {
    let lock = if super::is_postgres(conn) {
        " FOR UPDATE"
    } else {
        ""
    };
    let before: Option<(String, i64, f64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT program_id, scored, gain, last_at FROM rp_learning_gains \
         WHERE evaluation_id = $1{lock}"
    )))
    .bind(e.evaluation_id)
    .fetch_optional(&mut *conn)
    .await?;
    if before.as_ref().is_some_and(|b| b.3 > at) {
        // An older event than the one recorded: the latest stands.
        return Ok(());
    }
    let (scored, gain) = match e.gain {
        Some(g) => (1_i64, g),
        None => (0, 0.0),
    };
    sqlx::query(
        "INSERT INTO rp_learning_gains (evaluation_id, program_id, scored, gain, last_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (evaluation_id) DO UPDATE SET \
         program_id = excluded.program_id, scored = excluded.scored, gain = excluded.gain, \
         last_at = excluded.last_at",
    )
    .bind(e.evaluation_id)
    .bind(e.program_id)
    .bind(scored)
    .bind(gain)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if let Some((program, was_scored, was_gain, _)) = before {
        add(conn, &program, -was_scored, -was_gain).await?;
    }
    add(conn, e.program_id, scored, gain).await
}

async fn add(
    conn: &mut AnyConnection,
    program_id: &str,
    scored: i64,
    gain: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rp_program_gains (program_id, scored, gain_sum) VALUES ($1, $2, $3) \
         ON CONFLICT (program_id) DO UPDATE SET scored = rp_program_gains.scored + \
         excluded.scored, gain_sum = rp_program_gains.gain_sum + excluded.gain_sum",
    )
    .bind(program_id)
    .bind(scored)
    .bind(gain)
    .execute(conn)
    .await?;
    Ok(())
}

/// The milestone a program serves, from `training.program.created`.
pub(crate) async fn set_program(
    conn: &mut AnyConnection,
    program_id: &str,
    milestone_ref: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rp_programs (program_id, milestone_ref) VALUES ($1, $2) \
         ON CONFLICT (program_id) DO UPDATE SET milestone_ref = excluded.milestone_ref",
    )
    .bind(program_id)
    .bind(milestone_ref)
    .execute(conn)
    .await?;
    Ok(())
}

/// One program's sums: evaluations with both scores and the sum of their gains.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProgramGain {
    pub program_id: String,
    pub scored: i64,
    pub gain_sum: f64,
}

impl ProgramGain {
    pub fn average(&self) -> f64 {
        if self.scored > 0 {
            self.gain_sum / self.scored as f64
        } else {
            0.0
        }
    }
}

/// Every program with scored evaluations, by id.
pub(crate) async fn by_program(conn: &mut AnyConnection) -> Result<Vec<ProgramGain>, sqlx::Error> {
    let rows: Vec<(String, i64, f64)> = sqlx::query_as(
        "SELECT program_id, scored, gain_sum FROM rp_program_gains WHERE scored > 0 \
         ORDER BY program_id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(program_id, scored, gain_sum)| ProgramGain {
            program_id,
            scored,
            gain_sum,
        })
        .collect())
}

/// Every program's sums with the milestone it serves (none when training never said), by
/// program id: what the tracker weighs for all milestones at once.
pub(crate) async fn with_milestones(
    conn: &mut AnyConnection,
) -> Result<Vec<(ProgramGain, Option<String>)>, sqlx::Error> {
    let rows: Vec<(String, i64, f64, Option<String>)> = sqlx::query_as(
        "SELECT g.program_id, g.scored, g.gain_sum, p.milestone_ref FROM rp_program_gains g \
         LEFT JOIN rp_programs p ON p.program_id = g.program_id ORDER BY g.program_id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(program_id, scored, gain_sum, milestone)| {
            (
                ProgramGain {
                    program_id,
                    scored,
                    gain_sum,
                },
                milestone,
            )
        })
        .collect())
}
