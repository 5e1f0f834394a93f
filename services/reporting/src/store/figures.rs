//! The sums behind indicators: `rp_facts` joined with `rp_accounts`, by month and group.
//! `measures` turns them into figures.

use sqlx::{AnyConnection, Row};
use tachawor_proto::reporting::Dimension;

/// What one group's facts add up to.
#[derive(Debug, Clone, Copy, Default)]
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
        .bind(indicator)
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(GroupSums {
                split: row.try_get::<i64, _>("split")? as usize,
                month: row.try_get("month")?,
                group: row.try_get("grp")?,
                sums: Sums {
                    total: row.try_get("total")?,
                    denominator: row.try_get("denom")?,
                    rows: row.try_get("n")?,
                    accounts: row.try_get("people")?,
                },
            })
        })
        .collect()
}

/// The sums of `indicator` over every month, unsplit.
pub(crate) async fn overall(
    conn: &mut AnyConnection,
    indicator: &str,
) -> Result<Sums, sqlx::Error> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(value), 0) AS DOUBLE PRECISION) AS total, \
         CAST(COALESCE(SUM(denominator), 0) AS DOUBLE PRECISION) AS denom, COUNT(*) AS n, \
         COUNT(DISTINCT CASE WHEN value > 0 THEN account_id END) AS people \
         FROM rp_facts WHERE indicator = $1",
    )
    .bind(indicator)
    .fetch_one(conn)
    .await?;
    Ok(Sums {
        total: row.try_get("total")?,
        denominator: row.try_get("denom")?,
        rows: row.try_get("n")?,
        accounts: row.try_get("people")?,
    })
}
