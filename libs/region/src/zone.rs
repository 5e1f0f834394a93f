//! The region's clock: its IANA time zone, and the conversions between instants (unix
//! milliseconds) and the wall-clock dates and times people at the venue read.
//!
//! Times are agreed in local wall-clock time ("09:00 on 4 March"), so they are stored that way
//! and turned into instants with the zone when a rule needs one: if the zone's rules change (a
//! tzdb update, as Morocco's Ramadan changes are), the meeting still starts at 09:00.

use std::fmt;

use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::{AmbiguousOffset, TimeZone},
};

/// An IANA time zone, by name (`Africa/Casablanca`); an unknown name does not load.
#[derive(Clone, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

/// A local time that does not exist on that day: the clocks jump over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skipped;

impl Zone {
    /// The zone called `name` in the time zone database.
    pub fn named(name: &str) -> Result<Self, String> {
        let tz = TimeZone::get(name).map_err(|_| {
            format!(
                "time_zone {name:?} is not a known IANA time zone (for example \"Africa/Casablanca\")"
            )
        })?;
        Ok(Self {
            name: name.to_string(),
            tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The local calendar day at `millis`, `YYYY-MM-DD`.
    pub fn date_of(&self, millis: i64) -> String {
        let ts = Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH);
        ts.to_zoned_datetime(self.tz.clone()).date().to_string()
    }

    /// The instant of `minutes` after local midnight on `date` (`YYYY-MM-DD`), in unix
    /// milliseconds; `minutes` may be 1440 (the next midnight). A time the clocks skip on that
    /// day is [`Skipped`]; one they pass twice is its first occurrence. `None` for a date that
    /// does not parse.
    pub fn instant(&self, date: &str, minutes: u32) -> Option<Result<i64, Skipped>> {
        let date: Date = date.parse().ok()?;
        let (date, minutes) = if minutes >= 1440 {
            (date.tomorrow().ok()?, minutes - 1440)
        } else {
            (date, minutes)
        };
        let hour = i8::try_from(minutes / 60).ok()?;
        let minute = i8::try_from(minutes % 60).ok()?;
        let local: DateTime = date.at(hour, minute, 0, 0);
        let ambiguous = self.tz.to_ambiguous_zoned_datetime(local);
        if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
            return Some(Err(Skipped));
        }
        let zoned = ambiguous.compatible().ok()?;
        Some(Ok(zoned.timestamp().as_millisecond()))
    }

    /// The first instant of local `date`, in unix milliseconds (`None` for a bad date). Local
    /// midnight exists in every zone this platform serves; were it skipped, the first instant
    /// after the jump is taken.
    pub fn start_of_day(&self, date: &str) -> Option<i64> {
        let parsed: Date = date.parse().ok()?;
        let zoned = parsed.to_zoned_datetime(self.tz.clone()).ok()?;
        Some(zoned.timestamp().as_millisecond())
    }

    /// The local UTC offset at `millis`, in minutes (60 for Morocco most of the year).
    pub fn offset_minutes(&self, millis: i64) -> i32 {
        let ts = Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH);
        self.tz.to_offset(ts).seconds() / 60
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Zone").field(&self.name).finish()
    }
}

impl TryFrom<String> for Zone {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::named(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn casablanca() -> Zone {
        Zone::named("Africa/Casablanca").expect("Morocco's zone is known")
    }

    /// Unix milliseconds of a UTC wall-clock time.
    fn utc(text: &str) -> i64 {
        let local: DateTime = text.parse().expect("a date-time");
        local
            .to_zoned_datetime(TimeZone::UTC)
            .expect("UTC")
            .timestamp()
            .as_millisecond()
    }

    #[test]
    fn unknown_zones_are_refused_naming_the_setting() {
        let e = Zone::named("Africa/Laayoune-Nowhere").unwrap_err();
        assert!(e.contains("time_zone"), "{e}");
        assert!(e.contains("Africa/Laayoune-Nowhere"), "{e}");
        assert_eq!(casablanca().name(), "Africa/Casablanca");
    }

    #[test]
    fn morocco_is_utc_plus_one_and_utc_during_ramadan() {
        let z = casablanca();
        assert_eq!(z.offset_minutes(utc("2026-11-30T12:00")), 60);
        // Ramadan 2026: clocks go back on 15 February at 03:00 and forward on 22 March at 02:00.
        assert_eq!(z.offset_minutes(utc("2026-03-01T12:00")), 0);
        assert_eq!(
            z.instant("2026-03-04", 9 * 60),
            Some(Ok(utc("2026-03-04T09:00")))
        );
        assert_eq!(
            z.instant("2026-11-30", 9 * 60),
            Some(Ok(utc("2026-11-30T08:00")))
        );
    }

    #[test]
    fn days_follow_the_zone_not_a_fixed_offset() {
        let z = casablanca();
        // 23:30 UTC is already the next day at UTC+1, but not during Ramadan (UTC+0).
        assert_eq!(z.date_of(utc("2026-11-30T23:30")), "2026-12-01");
        assert_eq!(z.date_of(utc("2026-03-01T23:30")), "2026-03-01");
        assert_eq!(z.start_of_day("2026-12-01"), Some(utc("2026-11-30T23:00")));
        assert_eq!(z.start_of_day("2026-03-02"), Some(utc("2026-03-02T00:00")));
        assert_eq!(
            z.instant("2026-12-01", 1440),
            z.start_of_day("2026-12-02").map(Ok)
        );
    }

    #[test]
    fn skipped_and_repeated_times() {
        let z = casablanca();
        // 22 March 2026: 02:00 becomes 03:00, so 02:30 never happens.
        assert_eq!(z.instant("2026-03-22", 150), Some(Err(Skipped)));
        assert_eq!(
            z.instant("2026-03-22", 3 * 60),
            Some(Ok(utc("2026-03-22T02:00")))
        );
        // 15 February 2026: 03:00 becomes 02:00, so 02:30 happens twice; the first is taken.
        assert_eq!(
            z.instant("2026-02-15", 150),
            Some(Ok(utc("2026-02-15T01:30")))
        );
        assert_eq!(z.instant("2026-02-30", 60), None);
    }
}
