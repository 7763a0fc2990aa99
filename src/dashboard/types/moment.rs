//! A moment as coordinators read it. Stamps are stored in UTC; a coordinator in New
//! Zealand reads them on their own clock, zone named (NZST or NZDT), in the timeline,
//! tables and CSV alike. The server converts (`dashboard::server::moment`), so the browser
//! needs no time zone database.

use serde::{Deserialize, Serialize};

/// One moment: the stored UTC stamp (for `<time datetime>`) and New Zealand's date and
/// time then.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    /// `2026-12-08T00:15:02Z`
    pub utc: String,
    /// New Zealand's date then: `2026-12-08`.
    pub date: String,
    /// New Zealand's time then, zone named: `1:15 pm NZDT`.
    pub time: String,
}

impl Moment {
    /// `8 December 2026, 1:15 pm NZDT`
    pub fn long(&self) -> String {
        format!("{}, {}", crate::format::long_date(&self.date), self.time)
    }
}
