//! Numbered placeholders for statements whose size depends on the data: an `IN` list, or a
//! multi-row `VALUES`. Both backends read `$n`.

use std::fmt::Write;

/// `$first, $first+1, …` for `count` parameters: the inside of an `IN (…)`.
pub fn list(first: usize, count: usize) -> String {
    let mut out = String::new();
    for n in first..first + count {
        let sep = if n == first { "" } else { ", " };
        let _ = write!(out, "{sep}${n}");
    }
    out
}

/// `($first, …), (…), …` for `rows` rows of `columns` parameters each: a `VALUES` list.
pub fn rows(first: usize, rows: usize, columns: usize) -> String {
    let mut out = String::new();
    for row in 0..rows {
        let sep = if row == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}({})", list(first + row * columns, columns));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_rows_number_from_first() {
        assert_eq!(list(2, 3), "$2, $3, $4");
        assert_eq!(list(1, 0), "");
        assert_eq!(rows(1, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(rows(3, 1, 2), "($3, $4)");
    }
}
