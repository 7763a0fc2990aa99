//! The dashboard overview's figures: counts, weekly registrations, sectors, seats filled,
//! and the group lists employers' accounts sent for the coordinator's intakes that were
//! refused for going past their daily rows.

use serde::{Deserialize, Serialize};

use crate::dashboard::types::IntakeSummary;

/// Weeks in the registrations-per-week chart.
pub const WEEKS: usize = 26;

/// A labelled number, one bar of a chart and one row of its table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub value: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub last_7_days: i64,
    pub last_30_days: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    /// Cancelled by the learner or withdrawn by a coordinator.
    pub cancelled: i64,
    /// Registrations per week, oldest first; each label is the week's Monday (YYYY-MM-DD).
    pub weekly: Vec<Count>,
    pub by_sector: Vec<Count>,
    /// The next intakes to start, soonest first.
    pub upcoming: Vec<IntakeSummary>,
    /// Group lists refused over an employer account's rows per 24 hours in the last 30
    /// days, for the coordinator's intakes: one line per employer and day, newest first.
    pub group_refusals: Vec<GroupRefusal>,
    /// Completions achieved more than two months ago and not yet marked reported to NZQA
    /// (none for an employer's coordinator: reporting is the provider's).
    pub unreported_overdue: i64,
}

/// Rows an employer's accounts sent to group registration for the provider's intakes on
/// one day and had refused, over their daily limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRefusal {
    /// The employer organisation's name.
    pub employer: String,
    pub rows: i64,
    /// The day in New Zealand (YYYY-MM-DD).
    pub on: String,
}

impl GroupRefusal {
    /// The overview's line: "Pine Crew Ltd's group registrations: 240 rows refused on …".
    pub fn sentence(&self) -> String {
        format!(
            "{}'s group registrations: {} {} refused on {} (over its daily limit)",
            self.employer,
            crate::format::thousands(self.rows),
            if self.rows == 1 { "row" } else { "rows" },
            crate::format::long_date(&self.on)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_as_a_sentence() {
        let g = GroupRefusal {
            employer: "Pine Crew Ltd".to_owned(),
            rows: 1240,
            on: "2026-12-07".to_owned(),
        };
        let text = g.sentence();
        assert!(
            text.starts_with("Pine Crew Ltd's group registrations: 1,240 rows refused on "),
            "{text}"
        );
        assert!(text.ends_with("(over its daily limit)"), "{text}");
        let one = GroupRefusal { rows: 1, ..g };
        assert!(one.sentence().contains(": 1 row refused"));
    }
}
