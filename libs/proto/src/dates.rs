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

/// A valid calendar date as `YYYY-MM-DD`; `None` for an impossible one.
pub fn date_str(d: &Date) -> Option<String> {
    let days_in_month = match d.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&d.year) && (1..=days_in_month).contains(&d.day))
        .then(|| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
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
    // Civil-from-days (Howard Hinnant's algorithm): no calendar dependency for one conversion.
    let days = millis.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Unix milliseconds at 00:00 UTC of a `YYYY-MM-DD` date.
pub fn millis_of_date(date: &str) -> Option<i64> {
    let d = date_from_str(date)?;
    date_str(&d)?;
    // Days-from-civil, the inverse of `date_of_millis`.
    let (y, m) = if d.month <= 2 {
        (i64::from(d.year) - 1, i64::from(d.month) + 9)
    } else {
        (i64::from(d.year), i64::from(d.month) - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400_000)
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
    fn timestamps_round_trip() {
        for ms in [0, 1, 999, 1_000, -1, 1_798_761_600_123] {
            assert_eq!(millis(&timestamp(ms)), ms);
        }
    }
}
