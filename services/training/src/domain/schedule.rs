//! A session's schedule: its days, each with the local wall-clock times people come and leave,
//! in the region's time zone, and the instants the rules compare with now.
//!
//! Times are kept as wall-clock text (`09:00`) and turned into instants with the zone when a
//! rule needs one, so a change in the zone's rules keeps the meeting at 09:00 at the venue. A
//! day scheduled before sessions had times has none ("time not set"): its bounds are then the
//! whole local day, which is what every rule used before.

use serde::{Deserialize, Serialize};
use tachawor_region::{Skipped, Zone};

/// Minutes in a day.
const DAY_MINUTES: u32 = 1440;

/// One day of a session; `times` are minutes after local midnight, start before end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub times: Option<(u32, u32)>,
}

/// A day as stored: `{"date": "2026-03-04", "start": "09:00", "end": "17:00"}`, both times
/// empty when not set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct DayJson {
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

/// `HH:MM` on a 24-hour clock as minutes after midnight.
pub fn parse_time(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight as `HH:MM`.
pub fn format_time(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Why a day's times are refused, per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeProblem {
    StartMissing,
    StartInvalid,
    /// The clocks skip the start on that day (a change of offset).
    StartSkipped,
    EndMissing,
    EndInvalid,
    EndNotAfterStart,
    EndSkipped,
}

impl TimeProblem {
    /// `start` or `end`.
    pub fn field(self) -> &'static str {
        match self {
            Self::StartMissing | Self::StartInvalid | Self::StartSkipped => "start",
            _ => "end",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::StartMissing | Self::EndMissing => "is required (HH:MM, local time)",
            Self::StartInvalid | Self::EndInvalid => "must be a time HH:MM (00:00 to 23:59)",
            Self::EndNotAfterStart => "must be after start, on the same day",
            Self::StartSkipped | Self::EndSkipped => {
                "does not exist on that day in the region's time zone (the clocks skip it)"
            }
        }
    }
}

/// Checks a day's `start` and `end` text in `zone` and answers them as minutes, or every
/// problem found. Both empty is a day without times (as read back for a day scheduled before
/// sessions had times); one without the other is refused.
pub fn check_times(
    zone: &Zone,
    date: &str,
    start: &str,
    end: &str,
) -> Result<Option<(u32, u32)>, Vec<TimeProblem>> {
    if start.trim().is_empty() && end.trim().is_empty() {
        return Ok(None);
    }
    let mut problems = Vec::new();
    let skipped = |minutes| matches!(zone.instant(date, minutes), Some(Err(Skipped)));
    let s = match start.trim() {
        "" => {
            problems.push(TimeProblem::StartMissing);
            None
        }
        text => {
            let s = parse_time(text);
            match s {
                None => problems.push(TimeProblem::StartInvalid),
                Some(s) if skipped(s) => problems.push(TimeProblem::StartSkipped),
                Some(_) => {}
            }
            s
        }
    };
    match (end.trim(), parse_time(end.trim())) {
        ("", _) => problems.push(TimeProblem::EndMissing),
        (_, None) => problems.push(TimeProblem::EndInvalid),
        (_, Some(e)) if s.is_some_and(|s| e <= s) => problems.push(TimeProblem::EndNotAfterStart),
        (_, Some(e)) if skipped(e) => problems.push(TimeProblem::EndSkipped),
        (_, Some(e)) if problems.is_empty() => return Ok(Some((s.unwrap_or_default(), e))),
        _ => {}
    }
    Err(problems)
}

impl Day {
    pub fn untimed(date: &str) -> Self {
        Self {
            date: date.to_string(),
            times: None,
        }
    }

    /// `HH:MM` start and end, empty when not set.
    pub fn start_end(&self) -> (String, String) {
        match self.times {
            Some((s, e)) => (format_time(s), format_time(e)),
            None => (String::new(), String::new()),
        }
    }

    /// When the day starts and ends, in unix milliseconds: its times in `zone`, or the whole
    /// local day when it has none.
    pub fn bounds(&self, zone: &Zone) -> (i64, i64) {
        let (start, end) = self.times.unwrap_or((0, DAY_MINUTES));
        let at = |minutes| match zone.instant(&self.date, minutes) {
            Some(Ok(millis)) => millis,
            // Checked when written; a later change of the zone's rules could still land a
            // time in a gap: the day's first instant then stands in.
            _ => zone.start_of_day(&self.date).unwrap_or_default(),
        };
        (at(start), at(end))
    }
}

/// A session's days in date order, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    pub days: Vec<Day>,
}

impl Schedule {
    /// Sorts the days by date.
    pub fn new(mut days: Vec<Day>) -> Self {
        days.sort_by(|a, b| a.date.cmp(&b.date));
        Self { days }
    }

    /// The stored schedule, or, for a session from before times (`schedule` empty), its dates
    /// without times.
    pub fn from_stored(schedule: &str, dates: &[String]) -> Self {
        if schedule.trim().is_empty() {
            return Self::new(dates.iter().map(|d| Day::untimed(d)).collect());
        }
        let stored: Vec<DayJson> = serde_json::from_str(schedule).unwrap_or_default();
        Self::new(
            stored
                .into_iter()
                .map(|d| Day {
                    times: parse_time(&d.start).zip(parse_time(&d.end)),
                    date: d.date,
                })
                .collect(),
        )
    }

    pub fn to_stored(&self) -> String {
        let days: Vec<DayJson> = self
            .days
            .iter()
            .map(|d| {
                let (start, end) = d.start_end();
                DayJson {
                    date: d.date.clone(),
                    start,
                    end,
                }
            })
            .collect();
        serde_json::to_string(&days).unwrap_or_else(|_| "[]".into())
    }

    pub fn dates(&self) -> Vec<String> {
        self.days.iter().map(|d| d.date.clone()).collect()
    }

    pub fn day(&self, date: &str) -> Option<&Day> {
        self.days.iter().find(|d| d.date == date)
    }

    /// When the first day starts (`None` without days).
    pub fn first_start(&self, zone: &Zone) -> Option<i64> {
        self.days.first().map(|d| d.bounds(zone).0)
    }

    /// When the first day ends.
    pub fn first_end(&self, zone: &Zone) -> Option<i64> {
        self.days.first().map(|d| d.bounds(zone).1)
    }

    /// When the last day starts.
    pub fn last_start(&self, zone: &Zone) -> Option<i64> {
        self.days.last().map(|d| d.bounds(zone).0)
    }

    /// When the last day ends: the session is over.
    pub fn last_end(&self, zone: &Zone) -> Option<i64> {
        self.days.last().map(|d| d.bounds(zone).1)
    }

    /// Days written without times (by a client that gives only dates) keep the times `old`
    /// has for the same date.
    pub fn keep_times_of(mut self, old: &Schedule) -> Self {
        for day in self.days.iter_mut().filter(|d| d.times.is_none()) {
            day.times = old.day(&day.date).and_then(|o| o.times);
        }
        self
    }

    /// Whether any day's times differ from `other`'s for the same dates.
    pub fn times_differ(&self, other: &Schedule) -> bool {
        self.days
            .iter()
            .any(|d| other.day(&d.date).is_some_and(|o| o.times != d.times))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Zone {
        Zone::named("Africa/Casablanca").expect("Morocco's zone")
    }

    /// Unix milliseconds of `YYYY-MM-DDTHH:MM` UTC.
    fn utc(text: &str) -> i64 {
        let date = &text[..10];
        let minutes = parse_time(&text[11..]).expect("a time");
        Zone::named("UTC")
            .expect("UTC")
            .instant(date, minutes)
            .expect("a date")
            .expect("UTC skips nothing")
    }

    fn day(date: &str, start: &str, end: &str) -> Day {
        Day {
            date: date.into(),
            times: parse_time(start).zip(parse_time(end)),
        }
    }

    #[test]
    fn times_are_hours_and_minutes_on_a_24_hour_clock() {
        assert_eq!(parse_time("09:00"), Some(540));
        assert_eq!(parse_time("23:59"), Some(1439));
        assert_eq!(parse_time("00:00"), Some(0));
        for bad in [
            "24:00", "9:00", "09:60", "0900", "09:0a", "", "+9:00", "09:00:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(format_time(545), "09:05");
    }

    #[test]
    fn a_day_needs_both_times_end_after_start() {
        let z = zone();
        assert_eq!(
            check_times(&z, "2026-12-03", "09:00", "17:30"),
            Ok(Some((540, 1050)))
        );
        assert_eq!(check_times(&z, "2026-12-03", " ", ""), Ok(None));
        assert_eq!(
            check_times(&z, "2026-12-03", "", "17:00"),
            Err(vec![TimeProblem::StartMissing])
        );
        assert_eq!(
            check_times(&z, "2026-12-03", "09:00", ""),
            Err(vec![TimeProblem::EndMissing])
        );
        assert_eq!(
            check_times(&z, "2026-12-03", "17:00", "09:00"),
            Err(vec![TimeProblem::EndNotAfterStart])
        );
        assert_eq!(
            check_times(&z, "2026-12-03", "9h", "17:00"),
            Err(vec![TimeProblem::StartInvalid])
        );
        assert_eq!(
            check_times(&z, "2026-12-03", "09:00", "09:00"),
            Err(vec![TimeProblem::EndNotAfterStart])
        );
        assert_eq!(TimeProblem::EndNotAfterStart.field(), "end");
    }

    #[test]
    fn a_time_the_clocks_skip_is_refused() {
        // 22 March 2026, end of Ramadan: 02:00 becomes 03:00 in Morocco.
        let z = zone();
        assert_eq!(
            check_times(&z, "2026-03-22", "02:30", "04:00"),
            Err(vec![TimeProblem::StartSkipped])
        );
        assert_eq!(
            check_times(&z, "2026-03-22", "01:00", "02:15"),
            Err(vec![TimeProblem::EndSkipped])
        );
        assert!(check_times(&z, "2026-03-23", "02:30", "04:00").is_ok());
    }

    #[test]
    fn bounds_follow_the_offset_of_each_day() {
        let z = zone();
        // UTC+1 in December; UTC+0 during Ramadan (15 February to 22 March 2026).
        assert_eq!(
            day("2026-12-03", "09:00", "17:00").bounds(&z),
            (utc("2026-12-03T08:00"), utc("2026-12-03T16:00"))
        );
        assert_eq!(
            day("2026-03-04", "09:00", "17:00").bounds(&z),
            (utc("2026-03-04T09:00"), utc("2026-03-04T17:00"))
        );
        // A day that crosses the change: from 01:00 (UTC+0) to 05:00 (UTC+1) is three hours.
        let (start, end) = day("2026-03-22", "01:00", "05:00").bounds(&z);
        assert_eq!(
            (start, end),
            (utc("2026-03-22T01:00"), utc("2026-03-22T04:00"))
        );
        // The other way on 15 February: 01:00 (UTC+1) to 05:00 (UTC+0) is five hours.
        let (start, end) = day("2026-02-15", "01:00", "05:00").bounds(&z);
        assert_eq!(end - start, 5 * 3_600_000);
        // Without times, the whole local day.
        assert_eq!(
            Day::untimed("2026-12-03").bounds(&z),
            (utc("2026-12-02T23:00"), utc("2026-12-03T23:00"))
        );
    }

    #[test]
    fn stored_schedules_round_trip_and_old_rows_have_no_times() {
        let s = Schedule::new(vec![
            day("2026-12-04", "14:00", "18:00"),
            day("2026-12-03", "09:00", "12:30"),
        ]);
        assert_eq!(s.dates(), ["2026-12-03", "2026-12-04"]);
        let stored = s.to_stored();
        assert!(
            stored.contains(r#""start":"09:00","end":"12:30""#),
            "{stored}"
        );
        assert_eq!(Schedule::from_stored(&stored, &[]), s);
        let old = Schedule::from_stored("", &["2026-12-03".into()]);
        assert_eq!(old.days, [Day::untimed("2026-12-03")]);
        assert_eq!(
            old.day("2026-12-03").map(Day::start_end),
            Some((String::new(), String::new()))
        );
    }

    #[test]
    fn dates_without_times_keep_the_times_they_had() {
        let old = Schedule::new(vec![day("2026-12-03", "09:00", "17:00")]);
        let written = Schedule::new(vec![Day::untimed("2026-12-03"), Day::untimed("2026-12-04")]);
        let kept = written.keep_times_of(&old);
        assert_eq!(kept.days[0].times, Some((540, 1020)));
        assert_eq!(kept.days[1].times, None);
        assert!(!kept.times_differ(&old));
        let moved = Schedule::new(vec![day("2026-12-03", "10:00", "17:00")]);
        assert!(moved.times_differ(&old));
    }

    #[test]
    fn first_and_last_bounds() {
        let z = zone();
        let s = Schedule::new(vec![
            day("2026-12-04", "14:00", "18:00"),
            day("2026-12-03", "09:00", "12:30"),
        ]);
        assert_eq!(s.first_start(&z), Some(utc("2026-12-03T08:00")));
        assert_eq!(s.first_end(&z), Some(utc("2026-12-03T11:30")));
        assert_eq!(s.last_start(&z), Some(utc("2026-12-04T13:00")));
        assert_eq!(s.last_end(&z), Some(utc("2026-12-04T17:00")));
        assert_eq!(Schedule::default().first_start(&z), None);
    }
}
