//! The sums behind indicators, read from the aggregates (`rp_cells`) by month and group: the
//! cost of a read is that of the cells it returns. `measures` turns them into figures.

use sqlx::{AnyConnection, Row};
use tachawor_proto::reporting::Dimension;
use tachawor_storage::params;

use super::cells::{ALL_MONTHS, dimension_key};

/// What one group's facts add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sums {
    /// The sum of the values.
    pub total: f64,
    /// The sum of the denominators.
    pub denominator: f64,
    /// The facts counted.
    pub rows: i64,
    /// Distinct accounts with a positive value.
    pub accounts: i64,
}

/// One group of one split in one month.
#[derive(Debug)]
pub(crate) struct GroupSums {
    /// The index of the split in the `splits` asked for.
    pub split: usize,
    pub month: String,
    pub group: String,
    pub sums: Sums,
}

/// A row's sums (columns `total`, `denominator`, `facts`, `people`).
pub(super) fn sums(row: &sqlx::any::AnyRow) -> Result<Sums, sqlx::Error> {
    Ok(Sums {
        total: row.try_get("total")?,
        denominator: row.try_get("denominator")?,
        rows: row.try_get("facts")?,
        accounts: row.try_get("people")?,
    })
}

/// The sums of `indicator` by month from `from` to `to` (`YYYY-MM`, included; `to` empty: no
/// end), split by each dimension of `splits` (`Unspecified`: the unsplit total), in one query.
/// A group none of whose facts is left in it (they moved to another) is not returned.
pub(crate) async fn by_group(
    conn: &mut AnyConnection,
    indicator: &str,
    from: &str,
    to: &str,
    splits: &[Dimension],
) -> Result<Vec<GroupSums>, sqlx::Error> {
    // Dimension names are constants: spelled into the statement, not bound.
    let cases: String = splits
        .iter()
        .enumerate()
        .map(|(i, d)| format!(" WHEN '{}' THEN {i}", dimension_key(*d)))
        .collect();
    let names: Vec<String> = splits
        .iter()
        .map(|d| format!("'{}'", dimension_key(*d)))
        .collect();
    let sql = format!(
        "SELECT CAST(CASE dimension{cases} END AS BIGINT) AS split, month, grp, total, \
         denominator, facts, people FROM rp_cells \
         WHERE indicator = $1 AND dimension IN ({}) AND month >= $2 AND month <= $3 \
         AND month <> '{ALL_MONTHS}' AND facts > 0 ORDER BY 1, 2, 3",
        names.join(", ")
    );
    groups(conn, sql, indicator, from, to).await
}

/// One group of one indicator, dimension and month.
#[derive(Debug)]
pub(crate) struct IndicatorSums {
    pub indicator: String,
    /// The dimension's key (`""`: the unsplit total).
    pub dimension: String,
    pub month: String,
    pub group: String,
    pub sums: Sums,
}

/// The sums of each of `indicators` by month from `from` to `to` (`YYYY-MM`, included; `to`
/// empty: no end) for each dimension of `dimensions`, in one statement: ordered by indicator,
/// dimension, month and group. Its cost is that of the cells it returns.
pub(crate) async fn of_indicators(
    conn: &mut AnyConnection,
    indicators: &[&str],
    from: &str,
    to: &str,
    dimensions: &[Dimension],
) -> Result<Vec<IndicatorSums>, sqlx::Error> {
    if indicators.is_empty() {
        return Ok(Vec::new());
    }
    // Dimension names are constants: spelled into the statement, not bound.
    let names: Vec<String> = dimensions
        .iter()
        .map(|d| format!("'{}'", dimension_key(*d)))
        .collect();
    let sql = format!(
        "SELECT indicator, dimension, month, grp, total, denominator, facts, people \
         FROM rp_cells WHERE indicator IN ({}) AND dimension IN ({}) AND month >= $1 \
         AND month <= $2 AND month <> '{ALL_MONTHS}' AND facts > 0 \
         ORDER BY indicator, dimension, month, grp",
        params::list(3, indicators.len()),
        names.join(", ")
    );
    let to = if to.is_empty() { "9999-12" } else { to };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to);
    for indicator in indicators {
        query = query.bind(*indicator);
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(IndicatorSums {
                indicator: row.try_get("indicator")?,
                dimension: row.try_get("dimension")?,
                month: row.try_get("month")?,
                group: row.try_get("grp")?,
                sums: sums(row)?,
            })
        })
        .collect()
}

/// The groups `sql` selects (columns `split`, `month`, `grp` and the sums) for `indicator`
/// (`$1`) from month `from` (`$2`) to `to` (`$3`; empty: no end).
pub(super) async fn groups(
    conn: &mut AnyConnection,
    sql: String,
    indicator: &str,
    from: &str,
    to: &str,
) -> Result<Vec<GroupSums>, sqlx::Error> {
    let to = if to.is_empty() { "9999-12" } else { to };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(indicator)
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    rows.iter().map(group_sums).collect()
}

/// A row's group (columns `split`, `month`, `grp`) and sums.
fn group_sums(row: &sqlx::any::AnyRow) -> Result<GroupSums, sqlx::Error> {
    Ok(GroupSums {
        split: row.try_get::<i64, _>("split")? as usize,
        month: row.try_get("month")?,
        group: row.try_get("grp")?,
        sums: sums(row)?,
    })
}

/// The sums of `indicator` over every month, unsplit.
pub(crate) async fn overall(
    conn: &mut AnyConnection,
    indicator: &str,
) -> Result<Sums, sqlx::Error> {
    let row = sqlx::query(
        "SELECT total, denominator, facts, people FROM rp_cells \
         WHERE indicator = $1 AND dimension = '' AND month = $2 AND grp = ''",
    )
    .bind(indicator)
    .bind(ALL_MONTHS)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(sums).transpose()?.unwrap_or_default())
}
