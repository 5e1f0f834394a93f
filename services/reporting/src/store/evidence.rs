//! The facts behind a milestone: what `tracker` weighs to propose its status, read from the
//! aggregates (the milestones' totals, the unsplit cells).

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};
use tachawor_storage::params;

use super::{cells::ALL_MONTHS, gains::ProgramGain};

/// The indicators whose totals are kept per milestone and kind that the tracker reads.
const TAGGED: [&str; 4] = [
    "sessions_held",
    "sessions_scheduled",
    "attendance_rate",
    "certificates",
];

/// What the tracker weighs for every milestone, read in three statements whatever the number
/// of milestones: the totals kept per milestone and kind, the unsplit monthly totals of the
/// indicators counted within a window, and each program's learning gain with its milestone.
/// Its size is that of the commitments file and of the months covered, not of the events.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// `(indicator, milestone)` to its totals by kind (an unknown kind is `""`).
    tagged: HashMap<(String, String), Vec<(String, i64)>>,
    /// `(indicator, month)` to the month's unsplit total.
    monthly: HashMap<(String, String), f64>,
    /// Every program's learning-gain sums and the milestone it serves.
    pub programs: Vec<(ProgramGain, Option<String>)>,
}

impl Snapshot {
    /// Reads the snapshot of `windowed` (indicators counted by month) over the months `from`
    /// to `to` (`YYYY-MM`, included).
    pub(crate) async fn load(
        conn: &mut AnyConnection,
        windowed: &[&str],
        from: &str,
        to: &str,
    ) -> Result<Self, sqlx::Error> {
        let mut snapshot = Snapshot::default();
        let sql = format!(
            "SELECT indicator, milestone_ref, kind, total FROM rp_milestone_totals \
             WHERE indicator IN ({})",
            params::list(1, TAGGED.len())
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for indicator in TAGGED {
            query = query.bind(indicator);
        }
        for row in query.fetch_all(&mut *conn).await? {
            let ((indicator, milestone, kind), total) = milestone_total(&row)?;
            snapshot
                .tagged
                .entry((indicator, milestone))
                .or_default()
                .push((kind, total as i64));
        }
        if !windowed.is_empty() {
            let sql = format!(
                "SELECT indicator, month, CAST(SUM(total) AS DOUBLE PRECISION) AS total \
                 FROM rp_cells WHERE dimension = '' AND month >= $1 AND month <= $2 \
                 AND month <> '{ALL_MONTHS}' AND indicator IN ({}) GROUP BY indicator, month",
                params::list(3, windowed.len())
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to);
            for indicator in windowed {
                query = query.bind(*indicator);
            }
            for row in query.fetch_all(&mut *conn).await? {
                snapshot.monthly.insert(
                    (row.try_get("indicator")?, row.try_get("month")?),
                    row.try_get("total")?,
                );
            }
        }
        snapshot.programs = super::gains::with_milestones(conn).await?;
        Ok(snapshot)
    }

    /// The totals of `indicator` for facts tagged with `milestone_ref`, by kind.
    pub(crate) fn totals_by_kind(&self, indicator: &str, milestone_ref: &str) -> &[(String, i64)] {
        self.tagged
            .get(&(indicator.to_string(), milestone_ref.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The sum of the values of `indicators` over the months `from` to `to` (included).
    pub(crate) fn total_in_months(&self, indicators: &[&str], from: &str, to: &str) -> i64 {
        self.monthly
            .iter()
            .filter(|((indicator, month), _)| {
                indicators.contains(&indicator.as_str())
                    && month.as_str() >= from
                    && month.as_str() <= to
            })
            .map(|(_, total)| total)
            .sum::<f64>() as i64
    }

    /// The programs serving `milestone_ref`, with their sums.
    pub(crate) fn programs_of(&self, milestone_ref: &str) -> impl Iterator<Item = &ProgramGain> {
        self.programs
            .iter()
            .filter(move |(_, m)| m.as_deref() == Some(milestone_ref))
            .map(|(p, _)| p)
    }
}

/// Every milestone's totals, by indicator, milestone and kind: to check them.
pub(crate) async fn milestone_totals(
    conn: &mut AnyConnection,
) -> Result<Vec<((String, String, String), f64)>, sqlx::Error> {
    let rows = sqlx::query("SELECT indicator, milestone_ref, kind, total FROM rp_milestone_totals")
        .fetch_all(conn)
        .await?;
    rows.iter().map(milestone_total).collect()
}

/// A row's indicator, milestone and kind, and total.
pub(super) fn milestone_total(
    r: &sqlx::any::AnyRow,
) -> Result<((String, String, String), f64), sqlx::Error> {
    Ok((
        (
            r.try_get("indicator")?,
            r.try_get("milestone_ref")?,
            r.try_get("kind")?,
        ),
        r.try_get("total")?,
    ))
}
