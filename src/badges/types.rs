//! What `/verify` found, shared by the server that checks and the page that shows it.

use serde::{Deserialize, Serialize};

/// One thing `/verify` checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The proof's signature matches the credential and the key it names.
    Signature,
    /// The key is one this Tohu lists for the credential's issuer.
    Key,
    /// The credential has not been revoked.
    Status,
    /// The credential is, to the byte, what this Tohu issued under its id.
    Issued,
    /// The listing still says what the credential says.
    Listing,
    /// The name the checker typed is the learner's.
    Name,
    /// The email the checker typed is the one hashed in the credential.
    Email,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signature => "signature",
            Self::Key => "key",
            Self::Status => "status",
            Self::Issued => "issued",
            Self::Listing => "listing",
            Self::Name => "name",
            Self::Email => "email",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Self::Signature => "Signature",
            Self::Key => "Signed by this issuer's key",
            Self::Status => "Not revoked",
            Self::Issued => "Issued by this service",
            Self::Listing => "Listing unchanged since",
            Self::Name => "Name matches",
            Self::Email => "Email matches",
        }
    }
}

/// A check's answer and what it means, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: CheckKind,
    /// `Some(true)` passed, `Some(false)` failed, `None` could not be decided.
    pub passed: Option<bool>,
    pub detail: String,
}

/// The facts a verified credential states, for the checker to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stated {
    pub title: String,
    pub issuer: String,
    pub awarded: String,
    pub id: String,
}

/// The outcome of one check of a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerifyReport {
    /// The credential could be read; each finding says what held.
    Checked {
        stated: Option<Stated>,
        findings: Vec<Finding>,
    },
    /// It could not be read at all: why, in words, and on which field.
    Unreadable { field: String, message: String },
}

impl VerifyReport {
    /// Whether the essential checks were made and every check passed (a changed listing
    /// does not make the credential untrue: it says what was true then).
    pub fn trusted(&self) -> bool {
        match self {
            Self::Checked { findings, .. } => {
                let passed = |k| {
                    findings
                        .iter()
                        .any(|f| f.check == k && f.passed == Some(true))
                };
                findings
                    .iter()
                    .filter(|f| f.check != CheckKind::Listing)
                    .all(|f| f.passed != Some(false))
                    && [
                        CheckKind::Signature,
                        CheckKind::Key,
                        CheckKind::Status,
                        CheckKind::Issued,
                    ]
                    .into_iter()
                    .all(passed)
            }
            Self::Unreadable { .. } => false,
        }
    }
}

/// What the checker sent, kept so the form shows it again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyInput {
    pub credential: String,
    pub name: String,
    pub email: String,
}

/// A checked submission: what was sent and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub input: VerifyInput,
    pub report: VerifyReport,
}

/// A learner's credential as their registration page offers it: where to download it, the
/// public page of its id, and an add-to-LinkedIn link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerCredential {
    pub title: String,
    pub issuer: String,
    pub achieved_on: String,
    /// `/badges/{id}`, absolute: the achievement, the issuer and the status, not the name.
    pub public_page: String,
    /// LinkedIn's add-to-profile address with the credential's name, issuer, date and page.
    pub linkedin: String,
}

/// What anyone may read of an issued credential by its id (`/badges/{id}`): never the
/// learner's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicBadge {
    pub id: String,
    pub title: String,
    pub description: String,
    pub credits: i64,
    pub level: i64,
    pub nzqa_ref: Option<i64>,
    pub slug: String,
    pub issuer: String,
    pub issuer_profile: String,
    pub achieved_on: String,
    pub revoked: bool,
}
