//! The one definition of each indicator, and the query that computes it from the read models.
//!
//! Every indicator is computed at query time from `rp_facts` (one row per counted thing) joined
//! with `rp_accounts` (the person's consented attributes), grouped by the month of the thing's
//! first event (UTC) and, when asked, one dimension. The README lists the definitions.

use std::collections::BTreeMap;

use sqlx::Row;
use tachawor_proto::reporting::{Dimension, IndicatorCell, IndicatorDefinition};
use tachawor_storage::Database;

use crate::suppression::{self, Figure, Month};

/// How the rows of an indicator become its figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// The sum of the values (1 per thing counted, unless noted).
    Sum,
    /// Distinct people with a positive value.
    DistinctPeople,
    /// The mean of the values.
    Mean,
    /// The sum of the values over the sum of the denominators.
    Ratio,
}

/// Who is behind a figure, for suppressing small cells in public output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum People {
    /// Distinct accounts behind the rows.
    Accounts,
    /// The sum of the denominators (participants expected).
    Denominator,
    /// One person per row (petition agents, whose ids events do not carry).
    Rows,
    /// Institutional acts: no one to protect, never suppressed.
    Nobody,
}

#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    pub name: &'static str,
    pub description: &'static str,
    pub aggregate: Aggregate,
    pub people: People,
    pub dimensions: &'static [Dimension],
}

const ALL_DIMENSIONS: &[Dimension] = &[
    Dimension::Province,
    Dimension::Gender,
    Dimension::AgeBand,
    Dimension::ActorKind,
];
const PROVINCE: &[Dimension] = &[Dimension::Province];

const fn person(name: &'static str, description: &'static str, aggregate: Aggregate) -> Indicator {
    Indicator {
        name,
        description,
        aggregate,
        people: People::Accounts,
        dimensions: ALL_DIMENSIONS,
    }
}

const fn act(name: &'static str, description: &'static str) -> Indicator {
    Indicator {
        name,
        description,
        aggregate: Aggregate::Sum,
        people: People::Nobody,
        dimensions: &[],
    }
}

/// Every indicator the platform shows, in display order.
pub const INDICATORS: &[Indicator] = &[
    person(
        "participants",
        "Distinct people who took part in the month: attended a training session or event, \
         responded to a consultation, submitted or supported a proposal, commented, or signed \
         a petition (a withdrawn signature no longer counts).",
        Aggregate::DistinctPeople,
    ),
    Indicator {
        name: "sessions_held",
        description: "Training sessions and events (training_session, regional_meeting, \
                      forum) held, by the month they were marked held.",
        aggregate: Aggregate::Sum,
        people: People::Nobody,
        dimensions: PROVINCE,
    },
    person(
        "registrations",
        "Registrations made for a session, counted once each whatever became of them \
         (confirmed, waitlisted, promoted or later cancelled), by the month first made.",
        Aggregate::Sum,
    ),
    Indicator {
        name: "attendance_rate",
        description: "For sessions held in the month: confirmed participants who attended at \
                      least one day over confirmed participants.",
        aggregate: Aggregate::Ratio,
        people: People::Denominator,
        dimensions: PROVINCE,
    },
    person(
        "certificates",
        "Certificates of attendance issued.",
        Aggregate::Sum,
    ),
    person(
        "satisfaction",
        "Mean satisfaction (1 to 5) of the evaluations submitted in the month; an evaluation \
         edited counts once, with its latest score.",
        Aggregate::Mean,
    ),
    act("consultations", "Consultations opened."),
    person(
        "responses",
        "Responses to consultations, one per person and consultation (edits not counted again).",
        Aggregate::Sum,
    ),
    person(
        "proposals",
        "Proposals submitted in consultations.",
        Aggregate::Sum,
    ),
    person(
        "supports",
        "Supports given to proposals, one per person and proposal.",
        Aggregate::Sum,
    ),
    person(
        "comments",
        "Comments posted (hidden ones included: they were made).",
        Aggregate::Sum,
    ),
    Indicator {
        name: "petitions_created",
        description: "Petitions created (citizen or association), by the agent's province and \
                      kind of actor.",
        aggregate: Aggregate::Sum,
        people: People::Rows,
        dimensions: &[Dimension::Province, Dimension::ActorKind],
    },
    person(
        "signatures",
        "Petition signatures standing: one per person and petition, withdrawn ones not \
         counted; by the month signed (counted per person and month, not per petition: \
         reporting keeps no list of who signed what).",
        Aggregate::Sum,
    ),
    act(
        "petitions_deposited",
        "Petitions deposited with the council.",
    ),
    act(
        "petitions_admitted",
        "Petitions declared admissible (placed on a session's agenda).",
    ),
    act(
        "petitions_rejected",
        "Petitions rejected with a reasoned refusal.",
    ),
    act(
        "petitions_answered_late",
        "Petitions whose answer (admission or rejection) came after the legal period.",
    ),
    act(
        "recommendations_issued",
        "Recommendations in the opinions adopted by consultative instances.",
    ),
    act(
        "recommendations_accepted",
        "Recommendations whose latest answer by the council is `accepted`, by the month first \
         answered.",
    ),
    act(
        "recommendations_implemented",
        "Recommendations whose latest follow-up is `implemented`, by the month of the first \
         follow-up.",
    ),
];

pub fn find(name: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.name == name)
}

pub(crate) fn definition(i: &Indicator) -> IndicatorDefinition {
    IndicatorDefinition {
        name: i.name.to_string(),
        description: i.description.to_string(),
        dimensions: i.dimensions.iter().map(|d| *d as i32).collect(),
    }
}

/// The spelling of a dimension in exports.
pub(crate) fn dimension_name(d: Dimension) -> &'static str {
    match d {
        Dimension::Unspecified => "",
        Dimension::Province => "province",
        Dimension::Gender => "gender",
        Dimension::AgeBand => "age_band",
        Dimension::ActorKind => "actor_kind",
    }
}

/// The SQL of a dimension's group. Attributes the event carried win over the account's.
fn group_sql(d: Dimension) -> &'static str {
    match d {
        Dimension::Unspecified => "''",
        Dimension::Province => "COALESCE(f.province_code, a.province_code, 'unknown')",
        Dimension::Gender => "COALESCE(a.gender, 'unknown')",
        Dimension::AgeBand => "COALESCE(a.age_band, 'unknown')",
        Dimension::ActorKind => "COALESCE(f.actor_kind, a.actor_kind, 'unknown')",
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub indicators: Vec<&'static Indicator>,
    pub from_month: &'a str,
    pub to_month: &'a str,
    pub split_by: Dimension,
    /// Public output: cells of fewer people than this are suppressed; `None` for exact figures.
    pub min_cell_size: Option<i64>,
}

/// One group's figures, before suppression.
struct Group {
    month: String,
    group: String,
    value: f64,
    people: i64,
}

/// The groups of one indicator by month, split by each dimension of `splits`
/// (`Unspecified`: the unsplit total), in one query.
async fn groups(
    db: &Database,
    indicator: &Indicator,
    from: &str,
    to: &str,
    splits: &[Dimension],
) -> Result<Vec<(Dimension, Group)>, sqlx::Error> {
    let selects: Vec<String> = splits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "SELECT CAST({i} AS BIGINT) AS split, f.month AS month, {group} AS grp, \
                 CAST(SUM(f.value) AS DOUBLE PRECISION) AS total, \
                 CAST(SUM(f.denominator) AS DOUBLE PRECISION) AS denom, \
                 COUNT(*) AS n, \
                 COUNT(DISTINCT CASE WHEN f.value > 0 THEN f.account_id END) AS people \
                 FROM rp_facts f LEFT JOIN rp_accounts a ON a.account_id = f.account_id \
                 WHERE f.indicator = $1 AND f.month >= $2 AND f.month <= $3 \
                 GROUP BY 2, 3",
                group = group_sql(*d),
            )
        })
        .collect();
    let sql = format!("{} ORDER BY 1, 2, 3", selects.join(" UNION ALL "));
    let to = if to.is_empty() { "9999-12" } else { to };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(indicator.name)
        .bind(from)
        .bind(to)
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let split: i64 = row.try_get::<i64, _>("split")?;
        let total: f64 = row.try_get("total")?;
        let denom: f64 = row.try_get("denom")?;
        let n: i64 = row.try_get("n")?;
        let accounts: i64 = row.try_get("people")?;
        let value = match indicator.aggregate {
            Aggregate::Sum => total,
            Aggregate::DistinctPeople => accounts as f64,
            Aggregate::Mean if n > 0 => total / n as f64,
            Aggregate::Ratio if denom > 0.0 => total / denom,
            Aggregate::Mean | Aggregate::Ratio => 0.0,
        };
        let people = match indicator.people {
            People::Accounts => accounts,
            People::Denominator => denom as i64,
            People::Rows => n,
            People::Nobody => 0,
        };
        out.push((
            splits[split as usize],
            Group {
                month: row.try_get("month")?,
                group: row.try_get("grp")?,
                value,
                people,
            },
        ));
    }
    Ok(out)
}

/// The cells of every indicator asked for, by month and group.
///
/// Public figures (a `min_cell_size`) are computed for the unsplit total and every split of the
/// indicator, whatever the split asked for, so that the cells withheld are the same in every
/// answer and none can be told by subtracting the shown ones from a total (see `suppression`).
pub async fn compute(db: &Database, q: &Query<'_>) -> Result<Vec<IndicatorCell>, sqlx::Error> {
    let mut cells = Vec::new();
    for indicator in &q.indicators {
        let split = if indicator.dimensions.contains(&q.split_by) {
            q.split_by
        } else {
            Dimension::Unspecified
        };
        let min = q
            .min_cell_size
            .filter(|_| indicator.people != People::Nobody);
        let Some(min) = min else {
            let rows = groups(db, indicator, q.from_month, q.to_month, &[split]).await?;
            cells.extend(rows.into_iter().map(|(_, g)| cell(indicator, g, false)));
            continue;
        };
        let mut splits = vec![Dimension::Unspecified];
        splits.extend_from_slice(indicator.dimensions);
        let rows = groups(db, indicator, q.from_month, q.to_month, &splits).await?;
        cells.extend(suppressed(indicator, rows, split, min));
    }
    Ok(cells)
}

fn cell(indicator: &Indicator, g: Group, withheld: bool) -> IndicatorCell {
    IndicatorCell {
        indicator: indicator.name.to_string(),
        month: g.month,
        group: g.group,
        value: if withheld { 0.0 } else { g.value },
        people: if withheld { 0 } else { g.people },
        suppressed: withheld,
    }
}

/// The public cells of `shown`, month by month, once every split has been suppressed together.
fn suppressed(
    indicator: &Indicator,
    rows: Vec<(Dimension, Group)>,
    shown: Dimension,
    min: i64,
) -> Vec<IndicatorCell> {
    let mut months: BTreeMap<String, Vec<(Dimension, Group)>> = BTreeMap::new();
    for (d, g) in rows {
        months.entry(g.month.clone()).or_default().push((d, g));
    }
    let mut cells = Vec::new();
    for (_, groups) in months {
        let figure = |d: Dimension| -> Vec<Figure> {
            groups
                .iter()
                .filter(|(gd, _)| *gd == d)
                .map(|(_, g)| Figure::new(g.group.clone(), g.people))
                .collect()
        };
        let total = figure(Dimension::Unspecified)
            .pop()
            .unwrap_or_else(|| Figure::new("", 0));
        let mut month = Month {
            total,
            splits: indicator.dimensions.iter().map(|d| figure(*d)).collect(),
        };
        suppression::suppress(&mut month, min);
        let withheld = if shown == Dimension::Unspecified {
            vec![month.total.withheld]
        } else {
            let i = indicator.dimensions.iter().position(|d| *d == shown);
            i.map(|i| month.splits[i].iter().map(|f| f.withheld).collect())
                .unwrap_or_default()
        };
        let shown_groups = groups.into_iter().filter(|(d, _)| *d == shown);
        for ((_, g), w) in shown_groups.zip(withheld) {
            cells.push(cell(indicator, g, w));
        }
    }
    cells
}

/// Each indicator's total over every month, unsplit and exact: for the gauges.
pub(crate) async fn headline(db: &Database) -> Result<Vec<(&'static str, f64)>, sqlx::Error> {
    let mut out = Vec::new();
    for indicator in INDICATORS {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(value), 0) AS DOUBLE PRECISION) AS total, \
             CAST(COALESCE(SUM(denominator), 0) AS DOUBLE PRECISION) AS denom, COUNT(*) AS n, \
             COUNT(DISTINCT CASE WHEN value > 0 THEN account_id END) AS people \
             FROM rp_facts WHERE indicator = $1",
        )
        .bind(indicator.name)
        .fetch_one(db.pool())
        .await?;
        let total: f64 = row.try_get("total")?;
        let denom: f64 = row.try_get("denom")?;
        let n: i64 = row.try_get("n")?;
        let people: i64 = row.try_get("people")?;
        let value = match indicator.aggregate {
            Aggregate::Sum => total,
            Aggregate::DistinctPeople => people as f64,
            Aggregate::Mean if n > 0 => total / n as f64,
            Aggregate::Ratio if denom > 0.0 => total / denom,
            _ => 0.0,
        };
        out.push((indicator.name, value));
    }
    Ok(out)
}
