//! The one definition of each indicator, and how its figures are computed from the read models
//! (the sums come from `store::figures`; the gRPC handlers are in `api::indicators`).
//!
//! Every indicator is read from the aggregates kept as events arrive (`store::cells`): the
//! sums of `rp_facts` (one row per counted thing) joined with `rp_accounts` (the person's
//! consented attributes), grouped by the month of the thing's first event (UTC) and one
//! dimension. [`disagreements`] counts them again from the facts to check them. The README
//! lists the definitions.

use std::collections::BTreeMap;

use tachawor_proto::reporting::{Dimension, IndicatorCell, IndicatorDefinition, LearningGain};
use tachawor_storage::Database;

use sqlx::AnyConnection;

use crate::{
    store::{
        figures::{self, GroupSums, IndicatorSums, Sums},
        gains::{self, ProgramGain},
        recount,
    },
    suppression::{self, Figure, Month},
};

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
         responded to a consultation, submitted or supported a proposal, commented, signed \
         a petition (a withdrawn signature no longer counts), contributed to a workshop of \
         the Regional Forum, or voted on an opinion as a member of a consultative instance.",
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
    Indicator {
        name: "learning_gain",
        description: "Mean learning gain (post-test score minus pre-test score) of the \
                      evaluations submitted in the month that have both scores, each counted \
                      once. People: the evaluations with both scores. Per training program (all \
                      months together) in `learning_gains`.",
        aggregate: Aggregate::Ratio,
        people: People::Denominator,
        dimensions: ALL_DIMENSIONS,
    },
    act("consultations", "Consultations opened."),
    act(
        "instance_consultations_proposed",
        "Consultations a consultative instance proposed to launch, by the month proposed.",
    ),
    act(
        "instance_consultations_launched",
        "Consultations launched by a consultative instance: its proposals the council \
         approved, by the month approved.",
    ),
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
    person(
        "opinion_votes",
        "Votes cast by the members of consultative instances on their draft opinions, one \
         per member and opinion (a vote changed counts once), by the month first cast.",
        Aggregate::Sum,
    ),
    person(
        "opinion_voters",
        "Distinct members of consultative instances who voted on a draft opinion in the month.",
        Aggregate::DistinctPeople,
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
    act(
        "forum_editions",
        "Editions of the Regional Forum set up, by the month set up.",
    ),
    act(
        "forum_editions_held",
        "Editions of the Regional Forum that took place, by the month of their first \
         contribution or recommendation.",
    ),
    person(
        "forum_contributions",
        "Contributions to the workshops of the Regional Forum.",
        Aggregate::Sum,
    ),
    person(
        "forum_contributors",
        "Distinct people who contributed to a workshop of the Regional Forum in the month.",
        Aggregate::DistinctPeople,
    ),
    act(
        "forum_recommendations",
        "Recommendations recorded by the Regional Forum's workshops.",
    ),
    act(
        "forum_recommendations_answered",
        "Forum recommendations the council has decided on (accepted or rejected; under study \
         is no decision yet), by the month first answered.",
    ),
    act(
        "forum_recommendations_accepted",
        "Forum recommendations whose latest answer by the council is `accepted`, by the month \
         first answered.",
    ),
    act(
        "forum_recommendations_implemented",
        "Forum recommendations whose latest follow-up is `implemented`, by the month of the \
         first follow-up.",
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

/// The value of an indicator from its facts' sums.
fn value(aggregate: Aggregate, sums: &Sums) -> f64 {
    match aggregate {
        Aggregate::Sum => sums.total,
        Aggregate::DistinctPeople => sums.accounts as f64,
        Aggregate::Mean if sums.rows > 0 => sums.total / sums.rows as f64,
        Aggregate::Ratio if sums.denominator > 0.0 => sums.total / sums.denominator,
        Aggregate::Mean | Aggregate::Ratio => 0.0,
    }
}

/// The groups of one indicator by month, split by each dimension of `splits`
/// (`Unspecified`: the unsplit total), from the rows read for every indicator asked: ordered
/// by split as `splits` lists them, then by month and group.
fn groups(
    indicator: &Indicator,
    rows: &[IndicatorSums],
    splits: &[Dimension],
) -> Vec<(Dimension, Group)> {
    let mut found: Vec<(usize, Group)> = rows
        .iter()
        .filter(|row| row.indicator == indicator.name)
        .filter_map(|row| {
            let split = splits
                .iter()
                .position(|d| dimension_name(*d) == row.dimension)?;
            let people = match indicator.people {
                People::Accounts => row.sums.accounts,
                People::Denominator => row.sums.denominator as i64,
                People::Rows => row.sums.rows,
                People::Nobody => 0,
            };
            let group = Group {
                month: row.month.clone(),
                group: row.group.clone(),
                value: value(indicator.aggregate, &row.sums),
                people,
            };
            Some((split, group))
        })
        .collect();
    // Stable: months and groups stay in the order the query gave them.
    found.sort_by_key(|(split, _)| *split);
    found.into_iter().map(|(i, g)| (splits[i], g)).collect()
}

/// The splits an indicator's cells are computed over: the one asked for, or, for public
/// figures (`min`), the unsplit total and every split of the indicator.
fn splits_of(indicator: &Indicator, asked: Dimension, min: Option<i64>) -> Vec<Dimension> {
    match min {
        None if indicator.dimensions.contains(&asked) => vec![asked],
        None => vec![Dimension::Unspecified],
        Some(_) => std::iter::once(Dimension::Unspecified)
            .chain(indicator.dimensions.iter().copied())
            .collect(),
    }
}

/// The cells of every indicator asked for, by month and group, read in one statement.
///
/// Public figures (a `min_cell_size`) are computed for the unsplit total and every split of the
/// indicator, whatever the split asked for, so that the cells withheld are the same in every
/// answer and none can be told by subtracting the shown ones from a total (see `suppression`).
pub async fn compute(
    conn: &mut AnyConnection,
    q: &Query<'_>,
) -> Result<Vec<IndicatorCell>, sqlx::Error> {
    let plans: Vec<(&Indicator, Option<i64>, Vec<Dimension>)> = q
        .indicators
        .iter()
        .map(|indicator| {
            let min = q
                .min_cell_size
                .filter(|_| indicator.people != People::Nobody);
            (*indicator, min, splits_of(indicator, q.split_by, min))
        })
        .collect();
    let mut dimensions: Vec<Dimension> = Vec::new();
    for d in plans.iter().flat_map(|(_, _, splits)| splits) {
        if !dimensions.contains(d) {
            dimensions.push(*d);
        }
    }
    let names: Vec<&str> = plans.iter().map(|(i, _, _)| i.name).collect();
    let rows = figures::of_indicators(conn, &names, q.from_month, q.to_month, &dimensions).await?;
    let mut cells = Vec::new();
    for (indicator, min, splits) in plans {
        let found = groups(indicator, &rows, &splits);
        match min {
            None => cells.extend(found.into_iter().map(|(_, g)| cell(indicator, g, false))),
            Some(min) => {
                let shown = if indicator.dimensions.contains(&q.split_by) {
                    q.split_by
                } else {
                    Dimension::Unspecified
                };
                cells.extend(suppressed(indicator, found, shown, min));
            }
        }
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
    let mut conn = db.pool().acquire().await?;
    let mut out = Vec::new();
    for indicator in INDICATORS {
        let sums = figures::overall(&mut conn, indicator.name).await?;
        out.push((indicator.name, value(indicator.aggregate, &sums)));
    }
    Ok(out)
}

/// The sums kept for each split, month and group.
type Sheet = BTreeMap<(usize, String, String), Sums>;

fn sheet(rows: Vec<GroupSums>) -> Sheet {
    rows.into_iter()
        .map(|g| ((g.split, g.month, g.group), g.sums))
        .collect()
}

/// Every figure of every indicator (each split it has, every month, and the totals over all
/// months) and every milestone's totals, read from the aggregates and counted again from the
/// facts: one line per cell where they disagree (none when the aggregates are right). Its
/// cost is that of counting every fact: for tests and checks by hand, not for serving.
pub async fn disagreements(db: &Database) -> Result<Vec<String>, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    let mut found = Vec::new();
    // Sessions scheduled are counted only for the tracker, unsplit.
    let names = INDICATORS
        .iter()
        .map(|i| (i.name, i.dimensions))
        .chain([("sessions_scheduled", &[][..])]);
    for (name, dimensions) in names {
        let mut splits = vec![Dimension::Unspecified];
        splits.extend_from_slice(dimensions);
        let kept = sheet(figures::by_group(&mut conn, name, "", "", &splits).await?);
        let counted = sheet(recount::by_group(&mut conn, name, "", "", &splits).await?);
        let keys: std::collections::BTreeSet<_> = kept.keys().chain(counted.keys()).collect();
        for key in keys {
            let (k, c) = (kept.get(key), counted.get(key));
            if k != c {
                let (split, month, group) = key;
                let split = dimension_name(splits[*split]);
                found.push(format!(
                    "{name} {split} {month} {group}: kept {k:?}, counted {c:?}"
                ));
            }
        }
        let kept = figures::overall(&mut conn, name).await?;
        let counted = recount::overall(&mut conn, name).await?;
        if kept != counted {
            found.push(format!(
                "{name} over all months: kept {kept:?}, counted {counted:?}"
            ));
        }
    }
    let kept: BTreeMap<_, _> = crate::store::evidence::milestone_totals(&mut conn)
        .await?
        .into_iter()
        .filter(|(_, v)| *v != 0.0)
        .collect();
    let counted: BTreeMap<_, _> = recount::milestone_totals(&mut conn)
        .await?
        .into_iter()
        .filter(|(_, v)| *v != 0.0)
        .collect();
    if kept != counted {
        found.push(format!(
            "milestone totals: kept {kept:?}, counted {counted:?}"
        ));
    }
    Ok(found)
}

/// The learning gain of every program since the start, the overall figure first (program id
/// empty). In public output (`min_cell_size`), programs of few participants are withheld, with
/// enough others that none is worked out from the overall figure.
pub async fn learning_gains(
    conn: &mut AnyConnection,
    min_cell_size: Option<i64>,
) -> Result<Vec<LearningGain>, sqlx::Error> {
    Ok(public_gains(gains::by_program(conn).await?, min_cell_size))
}

/// [`learning_gains`] from the sums of the programs with scored evaluations.
pub(crate) fn public_gains(
    programs: Vec<ProgramGain>,
    min_cell_size: Option<i64>,
) -> Vec<LearningGain> {
    let overall = ProgramGain {
        program_id: String::new(),
        scored: programs.iter().map(|p| p.scored).sum(),
        gain_sum: programs.iter().map(|p| p.gain_sum).sum(),
    };
    let all: Vec<ProgramGain> = std::iter::once(overall).chain(programs).collect();
    let withheld: Vec<bool> = match min_cell_size {
        None => vec![false; all.len()],
        Some(min) => {
            let mut month = Month {
                total: Figure::new("", all[0].scored),
                splits: vec![
                    all[1..]
                        .iter()
                        .map(|p| Figure::new(p.program_id.clone(), p.scored))
                        .collect(),
                ],
            };
            suppression::suppress(&mut month, min);
            std::iter::once(month.total.withheld)
                .chain(month.splits[0].iter().map(|f| f.withheld))
                .collect()
        }
    };
    all.into_iter()
        .zip(withheld)
        .map(|(p, withheld)| LearningGain {
            average_gain: if withheld { 0.0 } else { p.average() },
            participants: if withheld { 0 } else { p.scored },
            program_id: p.program_id,
            suppressed: withheld,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_aggregate_reads_its_sums_and_empty_means_and_ratios_are_zero() {
        let sums = Sums {
            total: 6.0,
            denominator: 12.0,
            rows: 3,
            accounts: 2,
        };
        assert_eq!(value(Aggregate::Sum, &sums), 6.0);
        assert_eq!(value(Aggregate::DistinctPeople, &sums), 2.0);
        assert_eq!(value(Aggregate::Mean, &sums), 2.0);
        assert_eq!(value(Aggregate::Ratio, &sums), 0.5);
        let empty = Sums::default();
        assert_eq!(value(Aggregate::Mean, &empty), 0.0);
        assert_eq!(value(Aggregate::Ratio, &empty), 0.0);
    }
}
