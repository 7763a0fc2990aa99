//! Timestamps stored as fixed-width UTC text (`2026-11-28T19:20:00Z`), which sort and
//! compare correctly as strings on both databases.

use time::{Duration, OffsetDateTime};

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
