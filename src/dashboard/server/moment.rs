//! Stored UTC stamps on New Zealand's clock, for every place the dashboard shows one: the
//! timeline, the tables, the change history and the CSV. Daylight saving comes from the
//! time zone database built into the binary (`server::clock::in_new_zealand`).

use crate::dashboard::types::Moment;
use crate::server::clock::in_new_zealand;

/// `stamp` as pages show it: `2026-12-08`, `1:15 pm NZDT`. A stamp that does not parse
/// (none should) is shown as UTC, saying so.
pub fn moment(stamp: &str) -> Moment {
    let Some(z) = in_new_zealand(stamp) else {
        return Moment {
            utc: stamp.to_owned(),
            date: stamp.get(..10).unwrap_or(stamp).to_owned(),
            time: format!("{} UTC", stamp.get(11..16).unwrap_or_default()),
        };
    };
    let (hour, half) = match z.hour() {
        0 => (12, "am"),
        h @ 1..=11 => (h, "am"),
        12 => (12, "pm"),
        h => (h - 12, "pm"),
    };
    Moment {
        utc: stamp.to_owned(),
        date: z.strftime("%Y-%m-%d").to_string(),
        time: format!("{hour}:{:02} {half} {}", z.minute(), z.strftime("%Z")),
    }
}

/// `stamp` as the CSV writes it, sortable and zone named: `2026-12-08 13:15:02 NZDT`.
pub fn csv_time(stamp: &str) -> String {
    match in_new_zealand(stamp) {
        Some(z) => z.strftime("%Y-%m-%d %H:%M:%S %Z").to_string(),
        None => stamp.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_and_winter_are_named() {
        // 8 December: daylight saving, UTC+13; 1 July: standard time, UTC+12.
        let summer = moment("2026-12-08T00:15:02Z");
        assert_eq!(
            (summer.date.as_str(), summer.time.as_str()),
            ("2026-12-08", "1:15 pm NZDT")
        );
        assert_eq!(summer.long(), "8 December 2026, 1:15 pm NZDT");
        let winter = moment("2026-07-01T11:59:00Z");
        assert_eq!(
            (winter.date.as_str(), winter.time.as_str()),
            ("2026-07-01", "11:59 pm NZST")
        );
        // A UTC evening is the next morning in New Zealand.
        let next_day = moment("2026-12-07T11:30:00Z");
        assert_eq!(
            (next_day.date.as_str(), next_day.time.as_str()),
            ("2026-12-08", "12:30 am NZDT")
        );
        assert_eq!(csv_time("2026-12-08T00:15:02Z"), "2026-12-08 13:15:02 NZDT");
        assert_eq!(csv_time("2026-07-01T00:00:00Z"), "2026-07-01 12:00:00 NZST");
    }
}
