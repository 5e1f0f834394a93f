//! What the import RPCs of every service share beyond the contract's types
//! (`tachawor_proto::imports`): the batch's bound, the checks of text and past-date columns, and
//! the reading of a batch's rows with duplicates of a natural key reported.

use std::collections::HashMap;

use tachawor_errors::{Error, Violations};
use tachawor_proto::imports::{self, MAX_ROWS, Problems, code};

/// Refuses a batch that is empty or too long, before any row is looked at.
pub fn check_batch(rows: usize) -> Result<(), Error> {
    let mut v = Violations::new();
    v.check(
        (1..=MAX_ROWS).contains(&rows),
        "rows",
        "between 1 and 1000 rows a call",
    );
    v.finish()
}

/// Whether a text column holds at most `max` characters on one line.
pub fn text_fits(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// Checks a required text column: present, at most `max` characters, on one line.
pub fn required(problems: &mut Problems, line: u32, field: &str, value: &str, max: usize) -> bool {
    let value = value.trim();
    if value.is_empty() {
        problems.add(line, field, code::REQUIRED, "is required");
        false
    } else {
        problems.check(
            text_fits(value, max),
            line,
            field,
            code::INVALID,
            "is too long or spans lines",
        )
    }
}

/// A past date column: `Some` when it is a calendar date not after `today`.
pub fn past_date(
    problems: &mut Problems,
    line: u32,
    field: &str,
    value: &str,
    today: &str,
) -> Option<String> {
    if value.trim().is_empty() {
        problems.add(line, field, code::REQUIRED, "is required");
        return None;
    }
    let Some(date) = imports::date(value) else {
        problems.add(line, field, code::INVALID, "is not a date (YYYY-MM-DD)");
        return None;
    };
    problems
        .check(
            date.as_str() <= today,
            line,
            field,
            code::FUTURE,
            "must not be in the future",
        )
        .then_some(date)
}

/// Checks a batch's length and parses its rows: `parse` adds a row's problems and gives its
/// natural key (when it has one) and its value (when it is good); a row whose key repeats an
/// earlier row's is a duplicate (reported on `key_field`). The good rows, and the problems.
pub fn parse_batch<R, T>(
    rows: &[R],
    line_of: impl Fn(&R) -> u32,
    key_field: &str,
    mut parse: impl FnMut(u32, &R, &mut Problems) -> (Option<String>, Option<T>),
) -> Result<(Vec<T>, Problems), Error> {
    check_batch(rows.len())?;
    let mut problems = Problems::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let line = imports::line(line_of(row), index);
        let (key, value) = parse(line, row, &mut problems);
        let fresh = match key.map(|k| (seen.get(&k).copied(), k)) {
            Some((Some(first), _)) => {
                let description = format!("repeats line {first}");
                problems.add(line, key_field, code::DUPLICATE, &description);
                false
            }
            Some((None, k)) => {
                seen.insert(k, line);
                true
            }
            None => true,
        };
        if let Some(value) = value
            && fresh
        {
            parsed.push(value);
        }
    }
    Ok((parsed, problems))
}

/// Audits an imported record (`<target_type>.import…` actions), stamped after the fact.
pub async fn audit(
    tx: &mut tachawor_storage::Transaction,
    actor_id: &str,
    (action, target_type, target_id): (&str, &str, &str),
    mut after: serde_json::Value,
    at: i64,
) -> Result<(), Error> {
    after["recorded_after_the_fact"] = serde_json::json!(true);
    let change = crate::audit::Change {
        actor_id,
        action,
        target_type,
        target_id,
        before: serde_json::json!(null),
        after,
    };
    crate::audit::record(tx, change, at).await?;
    Ok(())
}
