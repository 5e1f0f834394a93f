//! Which public cells are withheld: small cells (primary suppression) and, so that no withheld
//! cell comes back by subtraction, enough other cells beside them (complementary suppression).
//!
//! A public reader sees, for one indicator and one month, the unsplit total and every split of
//! it (by province, gender, age band, kind of actor), each split adding up to the total. Within
//! each split, a withheld cell must never be the only unknown of its sum:
//! - when the total is shown, each split withholds none or at least two cells, whose people add
//!   up to at least `min` and to more than one per cell (otherwise each would be exactly 1);
//! - when the total is withheld, each split withholds at least one cell, so that no split gives
//!   the total back by addition.
//!
//! The pattern depends only on the figures, never on the split asked for, so answers to
//! different splits (and their exports) agree on what is withheld.

/// One published figure of an indicator for one month.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    /// How many people are behind it (what the threshold applies to).
    pub people: i64,
    /// A stable tie-breaker (the group's name), so the same figures give the same pattern.
    pub key: String,
    pub withheld: bool,
}

/// The unsplit total of one month and its splits (each a list of groups).
#[derive(Debug, Clone)]
pub(crate) struct Month {
    pub total: Figure,
    pub splits: Vec<Vec<Figure>>,
}

impl Figure {
    pub fn new(key: impl Into<String>, people: i64) -> Self {
        Self {
            people,
            key: key.into(),
            withheld: false,
        }
    }
}

/// Marks the withheld figures of one month in place.
pub(crate) fn suppress(month: &mut Month, min: i64) {
    month.total.withheld |= month.total.people < min;
    for split in &mut month.splits {
        for f in split.iter_mut() {
            f.withheld |= f.people < min;
        }
    }
    // Each step only withholds more, so this ends.
    loop {
        let mut changed = false;
        for i in 0..month.splits.len() {
            let total_withheld = month.total.withheld;
            let split = &mut month.splits[i];
            if total_withheld {
                if !split.is_empty() && !split.iter().any(|f| f.withheld) {
                    changed |= withhold_smallest(split);
                }
                continue;
            }
            if !split.iter().any(|f| f.withheld) {
                continue;
            }
            while !protected(split, min) {
                if !withhold_smallest(split) {
                    // Nothing left to withhold beside it: the total goes too.
                    month.total.withheld = true;
                    changed = true;
                    break;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether the withheld cells of a split whose total is shown cannot be told apart.
fn protected(split: &[Figure], min: i64) -> bool {
    let withheld: Vec<&Figure> = split.iter().filter(|f| f.withheld).collect();
    let people: i64 = withheld.iter().map(|f| f.people).sum();
    withheld.len() >= 2 && people >= min && people > withheld.len() as i64
}

/// Withholds the smallest shown cell; false when every cell already is.
fn withhold_smallest(split: &mut [Figure]) -> bool {
    let smallest = split
        .iter_mut()
        .filter(|f| !f.withheld)
        .min_by(|a, b| a.people.cmp(&b.people).then_with(|| a.key.cmp(&b.key)));
    match smallest {
        Some(f) => {
            f.withheld = true;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(total: i64, splits: &[&[i64]]) -> Month {
        Month {
            total: Figure::new("", total),
            splits: splits
                .iter()
                .map(|s| {
                    s.iter()
                        .enumerate()
                        .map(|(i, p)| Figure::new(format!("g{i}"), *p))
                        .collect()
                })
                .collect(),
        }
    }

    fn withheld(m: &Month) -> Vec<Vec<bool>> {
        m.splits
            .iter()
            .map(|s| s.iter().map(|f| f.withheld).collect())
            .collect()
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        let mut m = month(28, &[&[10, 9, 8, 1], &[28]]);
        suppress(&mut m, 5);
        assert!(!m.total.withheld);
        assert_eq!(
            withheld(&m),
            vec![vec![false, false, true, true], vec![false]]
        );
    }

    #[test]
    fn small_cells_adding_up_to_little_take_more() {
        // Two cells of 1 each: their sum 2 would tell both.
        let mut m = month(20, &[&[1, 1, 6, 12]]);
        suppress(&mut m, 5);
        assert_eq!(withheld(&m), vec![vec![true, true, true, false]]);
    }

    #[test]
    fn a_withheld_total_leaves_no_split_whole() {
        let mut m = month(4, &[&[2, 2], &[4], &[]]);
        suppress(&mut m, 5);
        assert!(m.total.withheld);
        assert_eq!(withheld(&m), vec![vec![true, true], vec![true], vec![]]);
    }

    #[test]
    fn a_split_that_cannot_hide_its_cell_hides_the_total_and_the_others_follow() {
        // One group of 3 people but a total of 6 (people counted in two groups): hiding the
        // group alone would leave it as total minus nothing.
        let mut m = month(6, &[&[3], &[6], &[5, 1]]);
        suppress(&mut m, 5);
        assert!(m.total.withheld);
        assert_eq!(
            withheld(&m),
            vec![vec![true], vec![true], vec![false, true]]
        );
    }

    #[test]
    fn nothing_small_nothing_withheld() {
        let mut m = month(30, &[&[10, 20], &[30]]);
        suppress(&mut m, 5);
        assert!(!m.total.withheld);
        assert_eq!(withheld(&m), vec![vec![false, false], vec![false]]);
    }
}
