//! The aggregates behind every figure, kept as events arrive: one cell per (indicator,
//! dimension, month, group) holding the sums the measures need, the accounts behind each cell
//! (so that `people` stays a count of distinct accounts), and the milestones' totals by kind.
//!
//! A cell always equals what a `GROUP BY` over `rp_facts` joined with `rp_accounts` would give
//! (`recount` checks it): every change to a fact or to an account's attributes is turned into
//! the difference between its contribution before and after, and those differences are added
//! to the cells. Additions commute, so events applied in any order leave the same cells.

use std::collections::BTreeMap;

use sqlx::{AnyConnection, Row};
use tachawor_proto::reporting::Dimension;
use tachawor_storage::params;

use crate::measures;

/// The month of the cells that add every month together (one per indicator, unsplit): for
/// the headline figures, whose distinct people cannot be added month by month.
pub(crate) const ALL_MONTHS: &str = "all";

/// Rows per multi-row statement (each row binds at most eight values).
const CHUNK: usize = 500;

/// The attributes of an account that place its facts in groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Attributes {
    pub province_code: Option<String>,
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub actor_kind: Option<String>,
}

/// A fact as stored: what it adds to its cells.
#[derive(Debug, Clone)]
pub(crate) struct StoredFact {
    pub indicator: String,
    pub month: String,
    pub account_id: Option<String>,
    pub province_code: Option<String>,
    pub actor_kind: Option<String>,
    pub milestone_ref: Option<String>,
    pub kind: Option<String>,
    pub value: f64,
    pub denominator: f64,
}

/// The columns [`StoredFact::from_row`] reads.
pub(crate) const FACT_COLUMNS: &str = "indicator, month, account_id, province_code, actor_kind, \
                                       milestone_ref, kind, value, denominator";

impl StoredFact {
    pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            indicator: row.try_get("indicator")?,
            month: row.try_get("month")?,
            account_id: row.try_get("account_id")?,
            province_code: row.try_get("province_code")?,
            actor_kind: row.try_get("actor_kind")?,
            milestone_ref: row.try_get("milestone_ref")?,
            kind: row.try_get("kind")?,
            value: row.try_get("value")?,
            denominator: row.try_get("denominator")?,
        })
    }
}

/// One cell: an indicator's group in one split and one month.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CellKey {
    pub indicator: String,
    pub dimension: String,
    pub month: String,
    pub group: String,
}

/// What a cell adds up (or, in [`Deltas`], what a change adds to it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CellSums {
    pub total: f64,
    pub denominator: f64,
    pub facts: i64,
    pub people: i64,
}

impl CellSums {
    fn is_zero(&self) -> bool {
        self.total == 0.0 && self.denominator == 0.0 && self.facts == 0 && self.people == 0
    }
}

/// The spelling of a dimension in `rp_cells.dimension` (the unsplit total is `''`).
pub(crate) fn dimension_key(d: Dimension) -> &'static str {
    measures::dimension_name(d)
}

/// The group a fact falls in for dimension `d`. Attributes the event carried win over the
/// account's.
fn group_of(d: Dimension, fact: &StoredFact, account: &Attributes) -> String {
    let or_unknown = |a: &Option<String>, b: &Option<String>| a.as_ref().or(b.as_ref()).cloned();
    let group = match d {
        Dimension::Unspecified => return String::new(),
        Dimension::Province => or_unknown(&fact.province_code, &account.province_code),
        Dimension::Gender => account.gender.clone(),
        Dimension::AgeBand => account.age_band.clone(),
        Dimension::ActorKind => or_unknown(&fact.actor_kind, &account.actor_kind),
    };
    group.unwrap_or_else(|| "unknown".to_string())
}

/// The changes to the aggregates that one transaction makes, summed by key before they are
/// written (so each cell is written once, in key order: concurrent writers lock cells in the
/// same order).
#[derive(Debug, Default)]
pub(crate) struct Deltas {
    cells: BTreeMap<CellKey, CellSums>,
    /// Facts with a positive value per cell and account.
    people: BTreeMap<(CellKey, String), i64>,
    /// Values per indicator, milestone and kind (`''` unknown).
    milestones: BTreeMap<(String, String, String), f64>,
}

impl Deltas {
    /// Adds (`sign` 1) or takes back (`sign` -1) what `fact` contributes, its account having
    /// `account`'s attributes.
    pub(crate) fn add(&mut self, fact: &StoredFact, account: &Attributes, sign: i64) {
        let s = sign as f64;
        let dimensions = measures::find(&fact.indicator)
            .map(|i| i.dimensions)
            .unwrap_or_default();
        let unsplit = [
            (Dimension::Unspecified, fact.month.as_str()),
            (Dimension::Unspecified, ALL_MONTHS),
        ];
        let split = dimensions.iter().map(|d| (*d, fact.month.as_str()));
        for (d, month) in unsplit.into_iter().chain(split) {
            let key = CellKey {
                indicator: fact.indicator.clone(),
                dimension: dimension_key(d).to_string(),
                month: month.to_string(),
                group: group_of(d, fact, account),
            };
            if fact.value > 0.0
                && let Some(account_id) = &fact.account_id
            {
                *self
                    .people
                    .entry((key.clone(), account_id.clone()))
                    .or_default() += sign;
            }
            let sums = self.cells.entry(key).or_default();
            sums.total += s * fact.value;
            sums.denominator += s * fact.denominator;
            sums.facts += sign;
        }
        if let Some(milestone) = &fact.milestone_ref {
            let key = (
                fact.indicator.clone(),
                milestone.clone(),
                fact.kind.clone().unwrap_or_default(),
            );
            *self.milestones.entry(key).or_default() += s * fact.value;
        }
    }

    /// Adds what `other` changes to what this changes (an event's changes to its
    /// transaction's).
    pub(crate) fn absorb(&mut self, other: Deltas) {
        for (key, sums) in other.cells {
            let mine = self.cells.entry(key).or_default();
            mine.total += sums.total;
            mine.denominator += sums.denominator;
            mine.facts += sums.facts;
            mine.people += sums.people;
        }
        for (key, facts) in other.people {
            *self.people.entry(key).or_default() += facts;
        }
        for (key, total) in other.milestones {
            *self.milestones.entry(key).or_default() += total;
        }
    }

    /// Moves `fact` from what it contributed (`before`) to what it contributes (`after`).
    pub(crate) fn replace(
        &mut self,
        before: Option<(&StoredFact, &Attributes)>,
        after: (&StoredFact, &Attributes),
    ) {
        if let Some((fact, account)) = before {
            self.add(fact, account, -1);
        }
        self.add(after.0, after.1, 1);
    }

    /// Writes the changes: the accounts behind each cell first (which tells how many distinct
    /// people each cell gains or loses), then the cells, then the milestones.
    pub(crate) async fn write(mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let people: Vec<_> = std::mem::take(&mut self.people)
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .collect();
        for chunk in people.chunks(CHUNK) {
            self.write_people(conn, chunk).await?;
        }
        let cells: Vec<_> = std::mem::take(&mut self.cells)
            .into_iter()
            .filter(|(_, s)| !s.is_zero())
            .collect();
        for chunk in cells.chunks(CHUNK) {
            write_cells(conn, chunk).await?;
        }
        let milestones: Vec<_> = std::mem::take(&mut self.milestones)
            .into_iter()
            .filter(|(_, v)| *v != 0.0)
            .collect();
        for chunk in milestones.chunks(CHUNK) {
            write_milestones(conn, chunk).await?;
        }
        Ok(())
    }

    /// Adds to each account's count of facts in a cell; a count leaving or reaching zero
    /// changes the cell's distinct people.
    async fn write_people(
        &mut self,
        conn: &mut AnyConnection,
        chunk: &[((CellKey, String), i64)],
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO rp_cell_people (indicator, dimension, month, grp, account_id, facts) \
             VALUES {} ON CONFLICT (indicator, dimension, month, grp, account_id) DO UPDATE \
             SET facts = rp_cell_people.facts + excluded.facts \
             RETURNING indicator, dimension, month, grp, account_id, facts",
            params::rows(1, chunk.len(), 6)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((key, account), n) in chunk {
            query = query
                .bind(&key.indicator)
                .bind(&key.dimension)
                .bind(&key.month)
                .bind(&key.group)
                .bind(account)
                .bind(*n);
        }
        let given: BTreeMap<(&CellKey, &String), i64> =
            chunk.iter().map(|((k, a), n)| ((k, a), *n)).collect();
        for row in query.fetch_all(&mut *conn).await? {
            let key = CellKey {
                indicator: row.try_get("indicator")?,
                dimension: row.try_get("dimension")?,
                month: row.try_get("month")?,
                group: row.try_get("grp")?,
            };
            let account: String = row.try_get("account_id")?;
            let after: i64 = row.try_get("facts")?;
            let before = after - given.get(&(&key, &account)).copied().unwrap_or(0);
            let change = i64::from(after > 0) - i64::from(before > 0);
            if change != 0 {
                self.cells.entry(key).or_default().people += change;
            }
        }
        Ok(())
    }
}

async fn write_cells(
    conn: &mut AnyConnection,
    chunk: &[(CellKey, CellSums)],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO rp_cells (indicator, dimension, month, grp, total, denominator, facts, \
         people) VALUES {} ON CONFLICT (indicator, dimension, month, grp) DO UPDATE SET \
         total = rp_cells.total + excluded.total, \
         denominator = rp_cells.denominator + excluded.denominator, \
         facts = rp_cells.facts + excluded.facts, people = rp_cells.people + excluded.people",
        params::rows(1, chunk.len(), 8)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (key, sums) in chunk {
        query = query
            .bind(&key.indicator)
            .bind(&key.dimension)
            .bind(&key.month)
            .bind(&key.group)
            .bind(sums.total)
            .bind(sums.denominator)
            .bind(sums.facts)
            .bind(sums.people);
    }
    query.execute(conn).await?;
    Ok(())
}

async fn write_milestones(
    conn: &mut AnyConnection,
    chunk: &[((String, String, String), f64)],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO rp_milestone_totals (indicator, milestone_ref, kind, total) VALUES {} \
         ON CONFLICT (indicator, milestone_ref, kind) DO UPDATE SET \
         total = rp_milestone_totals.total + excluded.total",
        params::rows(1, chunk.len(), 4)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for ((indicator, milestone, kind), total) in chunk {
        query = query
            .bind(indicator)
            .bind(milestone)
            .bind(kind)
            .bind(*total);
    }
    query.execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(indicator: &str, account: &str, province: Option<&str>, value: f64) -> StoredFact {
        StoredFact {
            indicator: indicator.into(),
            month: "2025-09".into(),
            account_id: Some(account.into()),
            province_code: province.map(Into::into),
            actor_kind: None,
            milestone_ref: None,
            kind: None,
            value,
            denominator: 0.0,
        }
    }

    fn key(indicator: &str, dimension: &str, month: &str, group: &str) -> CellKey {
        CellKey {
            indicator: indicator.into(),
            dimension: dimension.into(),
            month: month.into(),
            group: group.into(),
        }
    }

    #[test]
    fn a_fact_adds_to_its_unsplit_cells_and_each_split_of_its_indicator() {
        let mut d = Deltas::default();
        let account = Attributes {
            gender: Some("female".into()),
            ..Attributes::default()
        };
        d.add(
            &fact("registrations", "a", Some("tarfaya"), 1.0),
            &account,
            1,
        );
        let cells: Vec<&CellKey> = d.cells.keys().collect();
        assert_eq!(cells.len(), 6, "{cells:?}");
        assert_eq!(d.cells[&key("registrations", "", "all", "")].facts, 1);
        assert_eq!(
            d.cells[&key("registrations", "province", "2025-09", "tarfaya")].total,
            1.0
        );
        assert!(
            d.cells
                .contains_key(&key("registrations", "gender", "2025-09", "female"))
        );
        assert!(
            d.cells
                .contains_key(&key("registrations", "age_band", "2025-09", "unknown"))
        );
        assert_eq!(d.people.len(), 6);
    }

    #[test]
    fn a_change_of_attributes_moves_only_the_split_cells() {
        let mut d = Deltas::default();
        let f = fact("registrations", "a", None, 1.0);
        let before = Attributes::default();
        let after = Attributes {
            province_code: Some("boujdour".into()),
            ..Attributes::default()
        };
        d.replace(Some((&f, &before)), (&f, &after));
        let moved: Vec<(&CellKey, &CellSums)> =
            d.cells.iter().filter(|(_, s)| !s.is_zero()).collect();
        assert_eq!(moved.len(), 2, "{moved:?}");
        assert_eq!(
            d.cells[&key("registrations", "province", "2025-09", "unknown")].facts,
            -1
        );
        assert_eq!(
            d.cells[&key("registrations", "province", "2025-09", "boujdour")].facts,
            1
        );
    }

    #[test]
    fn deltas_absorbed_one_by_one_equal_deltas_added_together() {
        let account = Attributes::default();
        let facts = [
            fact("registrations", "a", Some("tarfaya"), 1.0),
            fact("registrations", "b", Some("tarfaya"), 1.0),
            fact("registrations", "a", None, 1.0),
        ];
        let mut together = Deltas::default();
        let mut gathered = Deltas::default();
        for (n, f) in facts.iter().enumerate() {
            let sign = if n == 2 { -1 } else { 1 };
            together.add(f, &account, sign);
            let mut one = Deltas::default();
            one.add(f, &account, sign);
            gathered.absorb(one);
        }
        assert_eq!(gathered.cells, together.cells);
        assert_eq!(gathered.people, together.people);
        assert_eq!(gathered.milestones, together.milestones);
        assert_eq!(
            gathered.cells[&key("registrations", "", "all", "")].facts,
            1,
            "two facts added, one taken back"
        );
    }

    #[test]
    fn a_fact_without_a_positive_value_counts_as_a_fact_but_not_as_a_person() {
        let mut d = Deltas::default();
        d.add(
            &fact("signatures", "a", None, 0.0),
            &Attributes::default(),
            1,
        );
        assert!(d.people.is_empty());
        assert_eq!(d.cells[&key("signatures", "", "2025-09", "")].facts, 1);
    }
}
