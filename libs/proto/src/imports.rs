//! What the import RPCs share (`ImportSummary`, `ImportProblem` of the common contract): a
//! batch's rows are all checked and every bad one is listed with its line, field and code.

use crate::common::{ImportProblem, ImportSummary};

/// At most this many rows in one import call.
pub const MAX_ROWS: usize = 1_000;

/// The problem codes of the contract (`ImportProblem.code`).
pub mod code {
    pub const REQUIRED: &str = "required";
    pub const INVALID: &str = "invalid";
    pub const UNKNOWN: &str = "unknown";
    pub const DUPLICATE: &str = "duplicate";
    pub const FUTURE: &str = "future";
    pub const BEFORE_START: &str = "before_start";
    pub const OVERLAP: &str = "overlap";
    pub const PRESIDENT_TAKEN: &str = "president_taken";
    pub const NOT_VERIFIED: &str = "not_verified";
}

/// The bad rows of a batch, in the order found.
#[derive(Debug, Default)]
pub struct Problems(Vec<ImportProblem>);

impl Problems {
    pub fn add(&mut self, line: u32, field: &str, code: &'static str, description: &str) {
        self.0.push(ImportProblem {
            line,
            field: field.to_string(),
            code: code.to_string(),
            description: description.to_string(),
        });
    }

    /// Adds the problem unless `ok`; returns `ok`.
    pub fn check(
        &mut self,
        ok: bool,
        line: u32,
        field: &str,
        code: &'static str,
        description: &str,
    ) -> bool {
        if !ok {
            self.add(line, field, code, description);
        }
        ok
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems a row at `line` has so far.
    pub fn on_line(&self, line: u32) -> usize {
        self.0.iter().filter(|p| p.line == line).count()
    }

    /// The batch's answer, problems in the file's order; `written` only when there was
    /// nothing to refuse.
    pub fn summary(mut self, created: u32, unchanged: u32, written: bool) -> ImportSummary {
        // Stable: a line's problems keep the order of its columns.
        self.0.sort_by_key(|p| p.line);
        ImportSummary {
            created,
            unchanged,
            written: written && self.0.is_empty(),
            problems: self.0,
        }
    }
}

/// The line a row is reported under: the one it gives, or else its place in the batch
/// counted as in a file whose first line is a header.
pub fn line(given: u32, index: usize) -> u32 {
    if given > 0 {
        given
    } else {
        u32::try_from(index)
            .unwrap_or(u32::MAX - 2)
            .saturating_add(2)
    }
}

/// A row's `YYYY-MM-DD` text as stored, when it is a calendar date (years 1900 to 2200).
pub fn date(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() != 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
        return None;
    }
    crate::dates::date_from_str(text).and_then(|d| crate::dates::date_str(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_whole_calendar_dates() {
        assert_eq!(date(" 2025-03-01 ").as_deref(), Some("2025-03-01"));
        for bad in [
            "",
            "2025-3-1",
            "2025-02-30",
            "01/03/2025",
            "1899-12-31",
            "2025-03-01x",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }

    #[test]
    fn rows_without_a_line_are_numbered_after_a_header() {
        assert_eq!(line(0, 0), 2);
        assert_eq!(line(17, 0), 17);
    }

    #[test]
    fn a_batch_with_problems_is_not_written() {
        let mut problems = Problems::default();
        assert!(problems.check(true, 2, "a", code::REQUIRED, "is required"));
        assert!(problems.summary(3, 1, true).written);
        let mut problems = Problems::default();
        problems.add(4, "b", code::INVALID, "is not valid");
        assert_eq!(problems.on_line(4), 1);
        let summary = problems.summary(3, 1, true);
        assert!(!summary.written);
        assert_eq!(summary.problems[0].line, 4);
    }
}
