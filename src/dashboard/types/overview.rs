//! The dashboard overview's figures: counts, weekly registrations, sectors, seats filled.

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
}
