//! Time for the whole server: "today" (New Zealand's date, or a fixed one for tests and
//! demos), and timestamps stored as fixed-width UTC text (`2026-11-28T19:20:00Z`), which
//! sort and compare correctly as strings on both databases.

use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// Where "today" comes from: the clock in New Zealand, or a fixed date for tests and demos.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// New Zealand Standard Time (UTC+12); during daylight saving the date can lag by an
    /// hour at midnight, which no date-granular rule here notices.
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
            Clock::NewZealand => {
                let nzst = UtcOffset::from_hms(12, 0, 0).unwrap_or(UtcOffset::UTC);
                OffsetDateTime::now_utc().to_offset(nzst).date()
            }
        }
    }

    pub fn today_iso(&self) -> String {
        self.today().to_string()
    }
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

pub fn now() -> String {
    stamp(OffsetDateTime::now_utc())
}

pub fn from_now(d: Duration) -> String {
    stamp(OffsetDateTime::now_utc() + d)
}
