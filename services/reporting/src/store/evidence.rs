//! The facts behind a milestone: what `tracker` weighs to propose its status, read from the
//! aggregates (the milestones' totals, the unsplit cells).

use sqlx::{AnyConnection, Row};
use tachawor_storage::params;

use super::cells::ALL_MONTHS;

/// The sum of `indicator`'s values for facts tagged with `milestone_ref`, by kind (an unknown
/// kind is `""`).
pub(crate) async fn totals_by_kind(
    conn: &mut AnyConnection,
    indicator: &str,
    milestone_ref: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, total FROM rp_milestone_totals WHERE indicator = $1 AND milestone_ref = $2",
    )
    .bind(indicator)
    .bind(milestone_ref)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("kind")?,
                r.try_get::<f64, _>("total")? as i64,
            ))
        })
        .collect()
}

/// The sum of the values of `indicators` over the months `from` to `to` (`YYYY-MM`, included).
pub(crate) async fn total_in_months(
    conn: &mut AnyConnection,
    indicators: &[&str],
    from: &str,
    to: &str,
) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(total), 0) AS DOUBLE PRECISION) AS total FROM rp_cells \
         WHERE dimension = '' AND month >= $1 AND month <= $2 AND month <> '{ALL_MONTHS}' \
         AND indicator IN ({})",
        params::list(3, indicators.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to);
    for indicator in indicators {
        query = query.bind(*indicator);
    }
    let row = query.fetch_one(conn).await?;
    Ok(row.try_get::<f64, _>("total")? as i64)
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
