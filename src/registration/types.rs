//! Registration types that cross the wire.

use serde::{Deserialize, Serialize};

use crate::registration::validate::{FieldError, RegistrationForm};

/// The privacy statement a learner agrees to: on their own form, and on the group form as
/// the statement each person on the list agreed to. Its version is stored with every
/// consent (`server::privacy::STATEMENT_VERSION`): change the two together.
pub const PRIVACY_STATEMENT: &str =
    "We collect these details to enrol you in this intake, to contact you about it, \
     and (with your date of birth and National Student Number) to check funding \
     eligibility and report your results to NZQA. Only our staff, your training \
     provider and, if your employer enrolled you, their training coordinator see \
     them. If you take part, we keep them for as long as NZQA requires for your \
     record of learning; if you cancel, are withdrawn or never get a seat, we remove \
     them 12 months after the intake ends. Under the Privacy Act 2020 you can ask to \
     see, correct or remove them at any time.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationStatus {
    Pending,
    Confirmed,
    Waitlisted,
    Cancelled,
    Withdrawn,
    Completed,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
            Self::Withdrawn => "withdrawn",
            Self::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "confirmed" => Self::Confirmed,
            "waitlisted" => Self::Waitlisted,
            "cancelled" => Self::Cancelled,
            "withdrawn" => Self::Withdrawn,
            "completed" => Self::Completed,
            _ => return None,
        })
    }

    /// Whether the learner can still cancel.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Confirmed | Self::Waitlisted)
    }
}

/// What a successful registration gives the learner: the reference, and the secret token
/// for their confirmation and cancellation link (shown once, stored only as a hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationOutcome {
    pub reference: String,
    pub token: String,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i64>,
}

impl RegistrationOutcome {
    pub fn link(&self) -> String {
        format!("/registrations/{}?token={}", self.reference, self.token)
    }
}

/// A form the server refused, handed to the re-rendered page when JavaScript is off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub form: RegistrationForm,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
}

/// The confirmation page's view of one registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub reference: String,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i64>,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub starts_on: String,
    pub ends_on: String,
    pub region: String,
    pub delivery_mode: String,
    pub credential_title: String,
    pub credential_slug: String,
}
