//! Time for the whole server: "today" (New Zealand's date, or a fixed one for tests and
//! demos), and timestamps stored as fixed-width UTC text (`2026-11-28T19:20:00Z`), which
//! sort and compare correctly as strings on both databases.

use time::{Date, Duration, OffsetDateTime};

/// Where "today" comes from: the clock in New Zealand, or a fixed date for tests and demos.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// The date in Pacific/Auckland, daylight saving included (NZDT is UTC+13), from the
    /// time zone database built into the binary.
    NewZealand,
    Fixed(Date),
}

impl From<&crate::server::config::Config> for Clock {
    fn from(config: &crate::server::config::Config) -> Self {
        config.today.map(Clock::Fixed).unwrap_or(Clock::NewZealand)
    }
}

impl Clock {
    pub fn today(&self) -> Date {
        match self {
            Clock::Fixed(d) => *d,
            Clock::NewZealand => new_zealand_date(OffsetDateTime::now_utc()),
        }
    }

    pub fn today_iso(&self) -> String {
        self.today().to_string()
    }
}

/// The calendar date in New Zealand (Pacific/Auckland) at instant `t`.
pub fn new_zealand_date(t: OffsetDateTime) -> Date {
    let fallback = || {
        t.to_offset(time::UtcOffset::from_hms(12, 0, 0).unwrap_or(time::UtcOffset::UTC))
            .date()
    };
    let Ok(zone) = jiff::tz::TimeZone::get("Pacific/Auckland") else {
        return fallback();
    };
    let Ok(instant) = jiff::Timestamp::from_second(t.unix_timestamp()) else {
        return fallback();
    };
    let d = instant.to_zoned(zone).date();
    time::Month::try_from(d.month() as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(d.year().into(), m, d.day() as u8).ok())
        .unwrap_or_else(fallback)
}

/// A stored stamp (`2026-12-08T00:15:02Z`) on New Zealand's clock (Pacific/Auckland,
/// `NZDT` in summer, `NZST` in winter); `None` for anything else.
pub fn in_new_zealand(stamp: &str) -> Option<jiff::Zoned> {
    let instant: jiff::Timestamp = stamp.parse().ok()?;
    let zone = jiff::tz::TimeZone::get("Pacific/Auckland").ok()?;
    Some(instant.to_zoned(zone))
}

/// When New Zealand's day `date` (YYYY-MM-DD) began, as a stored stamp
/// (`2026-12-07T11:00:00Z` for 8 December, in daylight saving); `None` for anything else.
pub fn new_zealand_day_start(date: &str) -> Option<String> {
    let day: jiff::civil::Date = date.parse().ok()?;
    let zone = jiff::tz::TimeZone::get("Pacific/Auckland").ok()?;
    let start = day.to_zoned(zone).ok()?.timestamp();
    let t = OffsetDateTime::from_unix_timestamp(start.as_second()).ok()?;
    Some(stamp(t))
}

/// An ISO calendar date (`2027-02-01`); `None` for anything else.
pub fn parse_date(v: &str) -> Option<Date> {
    Date::parse(
        v,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

pub fn stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads a timestamp written by [`stamp`]; `None` for anything else.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// The date `months` calendar months before `date` (the day clamped to the month's end):
/// the retention period's start, the NZQA reporting deadline's.
pub fn months_before(date: Date, months: u32) -> Date {
    let index =
        i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 - i64::from(months);
    let (year, month0) = (index.div_euclid(12), index.rem_euclid(12));
    let month = time::Month::January.nth_next(month0 as u8);
    let year = year as i32;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

pub fn now() -> String {
    stamp(OffsetDateTime::now_utc())
}

pub fn from_now(d: Duration) -> String {
    stamp(OffsetDateTime::now_utc() + d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn a_new_zealand_day_starts_at_its_own_midnight() {
        assert_eq!(
            new_zealand_day_start("2026-12-08").as_deref(),
            Some("2026-12-07T11:00:00Z")
        );
        assert_eq!(
            new_zealand_day_start("2026-07-01").as_deref(),
            Some("2026-06-30T12:00:00Z")
        );
        assert_eq!(new_zealand_day_start("2026-02-30"), None);
    }

    #[test]
    fn a_stamp_reads_back() {
        let t = datetime!(2026-11-28 19:20:05 UTC);
        assert_eq!(parse(&stamp(t)), Some(t));
        assert_eq!(parse("yesterday"), None);
    }

    #[test]
    fn new_zealand_dates_follow_daylight_saving() {
        // 11:30 UTC on 28 November is 00:30 on the 29th in NZDT (UTC+13), while a fixed
        // UTC+12 would still say the 28th.
        assert_eq!(
            new_zealand_date(datetime!(2026-11-28 11:30 UTC)),
            date!(2026 - 11 - 29)
        );
        assert_eq!(
            new_zealand_date(datetime!(2026-11-28 10:30 UTC)),
            date!(2026 - 11 - 28)
        );
        // In winter (NZST, UTC+12) the day turns at 12:00 UTC.
        assert_eq!(
            new_zealand_date(datetime!(2026-06-15 11:30 UTC)),
            date!(2026 - 06 - 15)
        );
        assert_eq!(
            new_zealand_date(datetime!(2026-06-15 12:30 UTC)),
            date!(2026 - 06 - 16)
        );
    }
}
