//! Registration types that cross the wire.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// New Zealand's regions, for the region field (and "Overseas" for learners abroad).
pub const REGIONS: [&str; 17] = [
    "Northland",
    "Auckland",
    "Waikato",
    "Bay of Plenty",
    "Gisborne",
    "Hawke's Bay",
    "Taranaki",
    "Manawatū-Whanganui",
    "Wellington",
    "Tasman",
    "Nelson",
    "Marlborough",
    "West Coast",
    "Canterbury",
    "Otago",
    "Southland",
    "Overseas",
];

/// A learner's details as a registration keeps them, checked and normalised: written once
/// when they register, shown to their coordinator, given back to them on request. What
/// they typed before the checks is [`RegistrationForm`] (or a group's row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Learner {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub employer: Option<String>,
    pub region: String,
    pub nsn: Option<String>,
    /// ISO date.
    pub date_of_birth: String,
}

/// What the learner typed, exactly as typed (kept whole so that an error loses nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub intake: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub nsn: String,
    #[serde(default)]
    pub date_of_birth: String,
    /// "on" when the consent box is ticked (what an HTML checkbox sends).
    #[serde(default)]
    pub consent: Option<String>,
}

impl RegistrationForm {
    /// The form's text fields by their name in the markup (the intake, the boxes, the
    /// region; not the consent box).
    pub const TEXT_FIELDS: [&'static str; 9] = [
        "intake",
        "given_name",
        "family_name",
        "email",
        "phone",
        "employer",
        "region",
        "nsn",
        "date_of_birth",
    ];

    /// The value of text field `field` (empty for a name the form does not have).
    pub fn value(&self, field: &str) -> &str {
        match field {
            "intake" => &self.intake,
            "given_name" => &self.given_name,
            "family_name" => &self.family_name,
            "email" => &self.email,
            "phone" => &self.phone,
            "employer" => &self.employer,
            "region" => &self.region,
            "nsn" => &self.nsn,
            "date_of_birth" => &self.date_of_birth,
            _ => "",
        }
    }

    /// Sets text field `field` (a name the form does not have is ignored).
    pub fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "intake" => &mut self.intake,
            "given_name" => &mut self.given_name,
            "family_name" => &mut self.family_name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "employer" => &mut self.employer,
            "region" => &mut self.region,
            "nsn" => &mut self.nsn,
            "date_of_birth" => &mut self.date_of_birth,
            _ => return,
        };
        *slot = value;
    }
}

/// The privacy statement a learner agrees to: on their own form, and on the group form as
/// the statement each person on the list agreed to. Its version is stored with every
/// consent (`server::privacy::STATEMENT_VERSION`): change the two together.
pub const PRIVACY_STATEMENT: &str =
    "We collect these details to enrol you in this intake, to contact you about it, \
     and (with your date of birth and National Student Number) to check funding \
     eligibility and report your results to NZQA. Only our staff, your training \
     provider and, if your employer enrolled you, their training coordinator see \
     them. When you complete it, your provider issues you a digital credential \
     that carries your name and, only as a scrambled (salted hash) code, your \
     email; never your date of birth or National Student Number. If you take \
     part, we keep your details for as long as NZQA requires for your record of \
     learning; if you cancel, are withdrawn or never get a seat, we remove them 12 \
     months after the intake ends. Under the Privacy Act 2020 you can ask to see, \
     correct or remove them at any time.";

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
    /// The Open Badges credential of a completion, while it stands (not revoked).
    pub credential: Option<crate::badges::types::LearnerCredential>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_field_is_read_and_written_by_its_name() {
        let mut form = RegistrationForm::default();
        for (i, field) in RegistrationForm::TEXT_FIELDS.iter().enumerate() {
            form.set(field, format!("v{i}"));
        }
        form.set("consent", "on".to_owned());
        for (i, field) in RegistrationForm::TEXT_FIELDS.iter().enumerate() {
            assert_eq!(form.value(field), format!("v{i}"));
        }
        assert_eq!(form.email, "v3");
        assert_eq!(form.consent, None);
        assert_eq!(form.value("consent"), "");
    }
}
