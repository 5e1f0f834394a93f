//! Instants and calendar dates as the contract and the databases spell them.
//!
//! Databases keep instants as unix milliseconds and dates as `YYYY-MM-DD` text (it sorts as
//! text on both backends); the contract uses `google.protobuf.Timestamp` and
//! `tachawor.common.v1.Date`.

use crate::common::Date;

/// A timestamp from unix milliseconds.
pub fn timestamp(millis: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: millis.div_euclid(1000),
        nanos: i32::try_from(millis.rem_euclid(1000) * 1_000_000).unwrap_or(0),
    }
}

/// Unix milliseconds of a timestamp.
pub fn millis(timestamp: &prost_types::Timestamp) -> i64 {
    timestamp.seconds * 1000 + i64::from(timestamp.nanos) / 1_000_000
}

/// Days in a month of the proleptic Gregorian calendar.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 → (year, month, day): Howard Hinnant's civil-from-days, so one
/// conversion needs no calendar dependency.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// (year, month, day) → days since 1970-01-01, the inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix milliseconds of a timestamp, `None` when it is malformed or out of range.
pub fn checked_millis(t: &prost_types::Timestamp) -> Option<i64> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return None;
    }
    t.seconds
        .checked_mul(1000)?
        .checked_add(i64::from(t.nanos) / 1_000_000)
}

/// A valid calendar date as `YYYY-MM-DD`; `None` for an impossible one.
pub fn date_str(d: &Date) -> Option<String> {
    let (y, m, day) = (i64::from(d.year), i64::from(d.month), i64::from(d.day));
    ((1900..=2200).contains(&y)
        && (1..=12).contains(&m)
        && (1..=days_in_month(y, m)).contains(&day))
    .then(|| format!("{y:04}-{m:02}-{day:02}"))
}

/// The date a `YYYY-MM-DD` text holds.
pub fn date_from_str(s: &str) -> Option<Date> {
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i32>().ok());
    Some(Date {
        year: parts.next()??,
        month: parts.next()??,
        day: parts.next()??,
    })
}

/// The UTC date of unix milliseconds, as `YYYY-MM-DD`.
pub fn date_of_millis(millis: i64) -> String {
    let (y, m, d) = civil_from_days(millis.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Unix milliseconds as RFC 3339 in UTC, second precision (`2025-11-30T01:02:03Z`).
pub fn instant_of_millis(millis: i64) -> String {
    let secs = millis.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_of_millis(millis),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Unix milliseconds at 00:00 UTC of a `YYYY-MM-DD` date.
pub fn millis_of_date(date: &str) -> Option<i64> {
    let d = date_from_str(date)?;
    date_str(&d)?;
    Some(days_from_civil(i64::from(d.year), i64::from(d.month), i64::from(d.day)) * 86_400_000)
}

/// The same instant `months` calendar months later (UTC), the day clamped to the month's end.
pub fn add_months(millis: i64, months: i32) -> i64 {
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m - 1) + i64::from(months);
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd) * 86_400_000 + in_day
}

/// The date `years` years before a `YYYY-MM-DD` date, 29 February becoming 28.
pub fn years_before(date: &str, years: i32) -> String {
    let d = date_from_str(date).unwrap_or_default();
    let year = i64::from(d.year - years);
    let day = i64::from(d.day).min(days_in_month(year, i64::from(d.month)));
    format!("{year:04}-{:02}-{day:02}", d.month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(date_str(&d(2024, 2, 29)).as_deref(), Some("2024-02-29"));
        assert_eq!(date_str(&d(2023, 2, 29)), None);
        assert_eq!(date_str(&d(2025, 13, 1)), None);
        assert_eq!(date_str(&d(2025, 4, 31)), None);
        assert_eq!(date_from_str("2025-06-01"), Some(d(2025, 6, 1)));
    }

    #[test]
    fn millis_and_dates_convert_both_ways() {
        assert_eq!(date_of_millis(0), "1970-01-01");
        assert_eq!(date_of_millis(1_798_761_600_000), "2027-01-01");
        assert_eq!(date_of_millis(1_709_164_800_000), "2024-02-29");
        for date in ["1970-01-01", "2024-02-29", "2027-06-30", "2000-03-01"] {
            assert_eq!(date_of_millis(millis_of_date(date).unwrap()), date);
        }
        assert_eq!(millis_of_date("2025-02-30"), None);
    }

    #[test]
    fn months_and_years_are_calendar_ones() {
        let jan31 = millis_of_date("2026-01-31").unwrap();
        assert_eq!(date_of_millis(add_months(jan31, 1)), "2026-02-28");
        assert_eq!(date_of_millis(add_months(jan31, 2)), "2026-03-31");
        assert_eq!(date_of_millis(add_months(jan31, -2)), "2025-11-30");
        assert_eq!(years_before("2024-02-29", 3), "2021-02-28");
        assert_eq!(years_before("2026-11-27", 3), "2023-11-27");
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        let bad = prost_types::Timestamp {
            seconds: 1,
            nanos: -1,
        };
        assert_eq!(checked_millis(&bad), None);
        assert_eq!(checked_millis(&timestamp(1_500)), Some(1_500));
    }

    #[test]
    fn timestamps_round_trip() {
        for ms in [0, 1, 999, 1_000, -1, 1_798_761_600_123] {
            assert_eq!(millis(&timestamp(ms)), ms);
        }
    }
}
