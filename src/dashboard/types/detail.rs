//! One registration as a coordinator sees it, its timeline, and what they can do to it.

use serde::{Deserialize, Serialize};

use super::Moment;
use crate::auth::types::Role;
use crate::registration::events::EventKind;
use crate::registration::types::{Learner, RegistrationStatus};

/// Longest reason or note a coordinator can give.
pub const MAX_REASON: usize = 500;
/// Most registrations one bulk change may touch.
pub const MAX_BULK: usize = 200;

/// What a coordinator can do to one registration. Each is recorded on its timeline with the
/// coordinator as actor and their reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationAction {
    /// Give a waitlisted (or pending) learner a seat.
    Confirm,
    /// Take the learner off the intake; a confirmed seat goes to the waitlist.
    Withdraw,
    /// The learner finished the micro-credential.
    Complete,
    /// Send the registration's details to the learner again.
    Resend,
    /// A note on the timeline; the status stays.
    Note,
    /// Give a learner completed before credentials were issued their credential.
    Issue,
    /// Undo a completion: back to confirmed, the credential revoked, the learner told.
    Uncomplete,
}

impl RegistrationAction {
    pub const ALL: [RegistrationAction; 7] = [
        Self::Confirm,
        Self::Withdraw,
        Self::Complete,
        Self::Issue,
        Self::Uncomplete,
        Self::Resend,
        Self::Note,
    ];
    /// The actions a bulk change offers: the status changes.
    pub const BULK: [RegistrationAction; 3] = [Self::Confirm, Self::Withdraw, Self::Complete];

    /// Whether a coordinator of `role` may take this action: an employer's coordinator only
    /// takes their own staff off an intake; the provider's coordinators (and admins) take
    /// every action.
    pub fn allowed_for(self, role: Role) -> bool {
        match role {
            Role::Employer => self == Self::Withdraw,
            Role::Admin | Role::Provider => true,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Withdraw => "withdraw",
            Self::Complete => "complete",
            Self::Resend => "resend",
            Self::Note => "note",
            Self::Issue => "issue",
            Self::Uncomplete => "uncomplete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Confirm => "Confirm a seat",
            Self::Withdraw => "Withdraw",
            Self::Complete => "Mark completed",
            Self::Resend => "Resend the confirmation email",
            Self::Note => "Add a note",
            Self::Issue => "Issue the credential",
            Self::Uncomplete => "Undo completion (revokes the credential)",
        }
    }

    /// The status this action leaves, if it changes the status.
    pub fn to_status(self) -> Option<RegistrationStatus> {
        match self {
            Self::Confirm => Some(RegistrationStatus::Confirmed),
            Self::Withdraw => Some(RegistrationStatus::Withdrawn),
            Self::Complete => Some(RegistrationStatus::Completed),
            Self::Uncomplete => Some(RegistrationStatus::Confirmed),
            Self::Resend | Self::Note | Self::Issue => None,
        }
    }

    /// Whether this action applies to a registration in `status`.
    pub fn applies_to(self, status: RegistrationStatus) -> bool {
        use RegistrationStatus as S;
        match self {
            Self::Confirm => matches!(status, S::Waitlisted | S::Pending),
            Self::Withdraw => status.is_active(),
            Self::Complete => status == S::Confirmed,
            Self::Resend => status.is_active() || status == S::Completed,
            Self::Note => true,
            Self::Issue | Self::Uncomplete => status == S::Completed,
        }
    }

    /// Whether this action asks for the date the learner met the requirements.
    pub fn needs_achieved_on(self) -> bool {
        matches!(self, Self::Complete | Self::Issue)
    }

    /// Whether the coordinator must say why.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Self::Resend | Self::Issue)
    }

    /// Why this action does not apply to a registration in `status`.
    pub fn refusal(self, status: RegistrationStatus) -> String {
        let now = status_label(status).to_lowercase();
        match self {
            Self::Confirm => {
                format!("Only a waitlisted registration can be confirmed; this one is {now}.")
            }
            Self::Withdraw => {
                format!("This registration is already {now}, so there is nothing to withdraw.")
            }
            Self::Complete => {
                format!("Only a confirmed registration can be marked completed; this one is {now}.")
            }
            Self::Resend => {
                format!("This registration is {now}; there is no confirmation to send.")
            }
            Self::Issue => {
                format!(
                    "Only a completed registration has a credential to issue; this one is {now}."
                )
            }
            Self::Uncomplete => format!(
                "Only a completed registration can have its completion undone; this one is {now}."
            ),
            Self::Note => String::new(),
        }
    }
}

/// How a status reads on the dashboard.
pub fn status_label(s: RegistrationStatus) -> &'static str {
    match s {
        RegistrationStatus::Pending => "Pending",
        RegistrationStatus::Confirmed => "Confirmed",
        RegistrationStatus::Waitlisted => "Waitlisted",
        RegistrationStatus::Cancelled => "Cancelled",
        RegistrationStatus::Withdrawn => "Withdrawn",
        RegistrationStatus::Completed => "Completed",
    }
}

/// One line of a registration's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: Moment,
    /// A status change, a note or an email sent again; only kinds the reader may see.
    pub kind: EventKind,
    pub from: Option<RegistrationStatus>,
    pub to: RegistrationStatus,
    /// The coordinator's name, or "Learner" / "Tohu" for the learner and the system.
    pub who: String,
    pub reason: String,
}

/// Everything the learner gave, where they registered, and what happened since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDetail {
    pub reference: String,
    pub status: RegistrationStatus,
    pub learner: Learner,
    pub registered_at: Moment,
    pub credential_title: String,
    pub credential_slug: String,
    pub intake_id: i64,
    pub intake_code: String,
    pub starts_on: String,
    pub provider: String,
    /// The employer organisation that registered this learner, if one did.
    pub employer_organisation: Option<String>,
    /// The learner's Open Badges credential, if one was issued (never shown to employers).
    pub credential: Option<IssuedCredential>,
    /// The date a completion offers: the intake's end, or today if it has not ended.
    pub achieved_default: String,
    pub timeline: Vec<TimelineEntry>,
    /// What the signed-in coordinator can do now.
    pub actions: Vec<RegistrationAction>,
}

/// A completion's credential as the provider's coordinators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCredential {
    /// Its UUID (the credential's id is `urn:uuid:` and this).
    pub id: String,
    pub achieved_on: String,
    pub revoked: bool,
}

/// What a bulk change did: the references changed, and each one left alone with why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub changed: Vec<String>,
    pub skipped: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegistrationStatus as S;

    #[test]
    fn actions_apply_only_where_they_make_sense() {
        assert!(RegistrationAction::Confirm.applies_to(S::Waitlisted));
        assert!(!RegistrationAction::Confirm.applies_to(S::Confirmed));
        assert!(RegistrationAction::Withdraw.applies_to(S::Confirmed));
        assert!(!RegistrationAction::Withdraw.applies_to(S::Cancelled));
        assert!(RegistrationAction::Complete.applies_to(S::Confirmed));
        assert!(!RegistrationAction::Complete.applies_to(S::Waitlisted));
        assert!(!RegistrationAction::Resend.applies_to(S::Withdrawn));
        assert!(RegistrationAction::Note.applies_to(S::Withdrawn));
        assert!(RegistrationAction::Withdraw
            .refusal(S::Completed)
            .contains("already completed"));
    }
}
