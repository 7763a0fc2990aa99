//! What the group registration page shows, on both sides: the employer coordinator's form
//! as typed, the preview of every row with its problems, and the result row by row. The
//! page is a plain multipart form (an upload needs one), so the server renders each step
//! and the browser hydrates it; these types carry the step into the hydrated page.

use serde::{Deserialize, Serialize};

use crate::catalogue::types::CredentialDetail;
use crate::error::FieldError;

/// The form as the coordinator left it: everything they typed or pasted comes back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupForm {
    pub intake: String,
    /// The pasted rows, or an uploaded file's text (so a fix needs no new upload).
    pub rows: String,
    pub all_or_none: bool,
    pub attest: bool,
}

/// One row of the preview: who, and what is wrong with it (nothing: ready).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: u64,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub region: String,
    pub problems: Vec<FieldError>,
}

/// What happened to one person of the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowOutcome {
    Confirmed,
    Waitlisted(Option<i64>),
    AlreadyRegistered,
    Full,
    /// The email already holds as many active registrations as one person may (never how
    /// many: that would tell the coordinator about a stranger's address).
    TooManyActive,
    /// The address has had as many registration emails in 24 hours as anyone is sent.
    TooManyEmails,
}

impl RowOutcome {
    /// What the result table and its CSV say; `taken` is false when nothing was written.
    pub fn label(self, taken: bool) -> String {
        match (self, taken) {
            (Self::Confirmed, true) => "Confirmed".to_owned(),
            (Self::Confirmed, false) => "Would have had a seat".to_owned(),
            (Self::Waitlisted(Some(n)), true) => format!("Waitlisted (place {n})"),
            (Self::Waitlisted(_), true) => "Waitlisted".to_owned(),
            (Self::Waitlisted(_), false) => "No seat: would have been waitlisted".to_owned(),
            (Self::AlreadyRegistered, _) => {
                "Refused: already registered for this intake with this email".to_owned()
            }
            (Self::Full, _) => "Refused: no seat or waitlist place left".to_owned(),
            (Self::TooManyActive, _) => "Refused: this email already holds as many \
                 confirmed or waitlisted registrations as one person may"
                .to_owned(),
            (Self::TooManyEmails, _) => {
                "Refused: this address has been sent as many registration emails today as we \
                 send anyone; try again tomorrow"
                    .to_owned()
            }
        }
    }
}

/// One person's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub line: u64,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub outcome: RowOutcome,
    /// The registration's reference, when one was written.
    pub reference: Option<String>,
}

/// The group's result: whether it was written (false: "all together or none" found a row
/// without a seat), each row, and the same as a CSV file for the download link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupResult {
    pub taken: bool,
    pub rows: Vec<ResultRow>,
    /// `data:` URL of the result as CSV (UTF-8 with a BOM, formula cells neutralised).
    pub csv_href: String,
}

impl GroupResult {
    pub fn count(&self, outcome: fn(&RowOutcome) -> bool) -> usize {
        self.rows.iter().filter(|r| outcome(&r.outcome)).count()
    }
}

/// The page after a POST: the form, its refusals, and the preview or the result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupState {
    pub form: GroupForm,
    /// Problems with the form itself (intake, rows, file, attestation).
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
    pub preview: Vec<PreviewRow>,
    pub result: Option<GroupResult>,
}

impl GroupState {
    /// Whether every previewed row is ready and the form has no problem.
    pub fn ready(&self) -> bool {
        self.errors.is_empty()
            && self.message.is_none()
            && !self.preview.is_empty()
            && self.preview.iter().all(|r| r.problems.is_empty())
    }
}

/// What the page needs before anything was sent: who enrols, and the credential's intakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPage {
    pub employer: String,
    pub credential: CredentialDetail,
}
