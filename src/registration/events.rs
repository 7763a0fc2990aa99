//! The kinds of line a registration's timeline (`registration_events.kind`) holds, and who
//! may read each. A provider's coordinators write notes for themselves; the employer who
//! enrolled the learner sees the registration too, and must not read them (issue 27). Each
//! kind declares its audience in one exhaustive match, so a new kind cannot reach a
//! timeline before someone decided who sees it; the dashboard's detail query keeps only
//! the kinds the reader's role may see.

use serde::{Deserialize, Serialize};

use crate::auth::types::Role;

/// What one timeline line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The registration's status changed (registered, promoted, withdrawn, cancelled…).
    Status,
    /// A coordinator's note; the status stays.
    Note,
    /// The confirmation email was sent again.
    Email,
}

/// Who may read a kind of timeline line, among those who may see the registration at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every coordinator who sees the registration: its provider's, the employer's who
    /// enrolled the learner, admins.
    Everyone,
    /// The provider's coordinators and admins only: never the employer's.
    Provider,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [Self::Status, Self::Note, Self::Email];

    /// The value stored in `registration_events.kind` (its CHECK constraint lists them).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Note => "note",
            Self::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Who may read this kind of line. No wildcard: a new kind must say.
    pub fn audience(self) -> Audience {
        match self {
            // What happened to the learner's place concerns whoever enrolled them.
            Self::Status => Audience::Everyone,
            // The provider's working notes about a learner stay with the provider.
            Self::Note => Audience::Provider,
            // That the learner was sent their details again, and when.
            Self::Email => Audience::Everyone,
        }
    }

    /// Whether a coordinator of `role` may read this kind of line.
    pub fn visible_to(self, role: Role) -> bool {
        match self.audience() {
            Audience::Everyone => true,
            Audience::Provider => match role {
                Role::Admin | Role::Provider => true,
                Role::Employer => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_change_is_read_by_every_coordinator() {
        for role in [Role::Admin, Role::Provider, Role::Employer] {
            assert!(EventKind::Status.visible_to(role), "{role:?}");
        }
    }

    #[test]
    fn a_note_is_the_providers_and_never_the_employers() {
        assert!(EventKind::Note.visible_to(Role::Provider));
        assert!(EventKind::Note.visible_to(Role::Admin));
        assert!(!EventKind::Note.visible_to(Role::Employer));
    }

    #[test]
    fn an_email_sent_again_is_read_by_every_coordinator() {
        for role in [Role::Admin, Role::Provider, Role::Employer] {
            assert!(EventKind::Email.visible_to(role), "{role:?}");
        }
    }

    #[test]
    fn every_kind_reads_back_as_stored() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("secret"), None);
    }
}
