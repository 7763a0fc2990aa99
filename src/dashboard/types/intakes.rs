//! Intakes as a provider coordinator runs them: seats, waitlist, dates, state.

use serde::{Deserialize, Serialize};

/// One intake in the coordinator's list and on its edit page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeSummary {
    pub id: i64,
    pub credential_title: String,
    pub code: String,
    pub region: String,
    pub starts_on: String,
    pub ends_on: String,
    pub enrolment_opens_on: String,
    pub enrolment_closes_on: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub waitlisted: i64,
    pub waitlist_capacity: i64,
    pub cancelled: bool,
    /// A coordinator changed it, so imports leave its seats, dates and state alone.
    pub edited: bool,
}

impl IntakeSummary {
    /// Whether at least 90 % of the seats are taken.
    pub fn nearly_full(&self) -> bool {
        self.capacity > 0 && self.seats_taken * 10 >= self.capacity * 9
    }
}

/// The intake edit form, as submitted (dates YYYY-MM-DD).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IntakeChange {
    pub capacity: String,
    pub starts_on: String,
    pub ends_on: String,
    pub enrolment_closes_on: String,
    pub reason: String,
}
