//! The sums behind indicators counted again from the facts (`rp_facts` joined with
//! `rp_accounts`, by month and group) at the cost of every fact recorded: how figures were
//! computed before the aggregates, kept to check them (`measures::disagreements`).

use sqlx::AnyConnection;
use tachawor_proto::reporting::Dimension;

use super::{
    evidence,
    figures::{self, GroupSums, Sums},
};

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

/// The sums of `indicator` by month from `from` to `to` (`YYYY-MM`, included; `to` empty: no
/// end), split by each dimension of `splits` (`Unspecified`: the unsplit total), in one query.
pub(crate) async fn by_group(
    conn: &mut AnyConnection,
    indicator: &str,
    from: &str,
    to: &str,
    splits: &[Dimension],
) -> Result<Vec<GroupSums>, sqlx::Error> {
    let selects: Vec<String> = splits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "SELECT CAST({i} AS BIGINT) AS split, f.month AS month, {group} AS grp, \
                 CAST(SUM(f.value) AS DOUBLE PRECISION) AS total, \
                 CAST(SUM(f.denominator) AS DOUBLE PRECISION) AS denominator, \
                 COUNT(*) AS facts, \
                 COUNT(DISTINCT CASE WHEN f.value > 0 THEN f.account_id END) AS people \
                 FROM rp_facts f LEFT JOIN rp_accounts a ON a.account_id = f.account_id \
                 WHERE f.indicator = $1 AND f.month >= $2 AND f.month <= $3 \
                 GROUP BY 2, 3",
                group = group_sql(*d),
            )
        })
        .collect();
    let sql = format!("{} ORDER BY 1, 2, 3", selects.join(" UNION ALL "));
    figures::groups(conn, sql, indicator, from, to).await
}

/// The sums of `indicator` over every month, unsplit.
pub(crate) async fn overall(
    conn: &mut AnyConnection,
    indicator: &str,
) -> Result<Sums, sqlx::Error> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(value), 0) AS DOUBLE PRECISION) AS total, \
         CAST(COALESCE(SUM(denominator), 0) AS DOUBLE PRECISION) AS denominator, \
         COUNT(*) AS facts, \
         COUNT(DISTINCT CASE WHEN value > 0 THEN account_id END) AS people \
         FROM rp_facts WHERE indicator = $1",
    )
    .bind(indicator)
    .fetch_one(conn)
    .await?;
    figures::sums(&row)
}

/// The sum of the values of each indicator, milestone and kind (`''` unknown), for the facts
/// tagged with a milestone.
pub(crate) async fn milestone_totals(
    conn: &mut AnyConnection,
) -> Result<Vec<((String, String, String), f64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT indicator, milestone_ref, COALESCE(kind, '') AS kind, \
         CAST(SUM(value) AS DOUBLE PRECISION) AS total FROM rp_facts \
         WHERE milestone_ref IS NOT NULL GROUP BY indicator, milestone_ref, COALESCE(kind, '')",
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(evidence::milestone_total).collect()
}
