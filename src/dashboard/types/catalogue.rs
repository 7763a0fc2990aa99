//! The catalogue editor's wire types (`/dashboard/catalogue`): which kind of record, its
//! form as the server describes it (fields, controls, values as text, the row version it
//! was read at), its change history, and what a refused plain POST sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The kinds of record the editor keeps; each has its natural key, fixed once created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    Sector,
    UnitStandard,
    FundingScheme,
    Credential,
    Intake,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Sector,
        RecordKind::UnitStandard,
        RecordKind::FundingScheme,
        RecordKind::Credential,
        RecordKind::Intake,
    ];

    /// Its segment of the editor's addresses: `/dashboard/catalogue/{path}/{key}`.
    pub fn path(self) -> &'static str {
        match self {
            RecordKind::Sector => "sector",
            RecordKind::UnitStandard => "unit-standard",
            RecordKind::FundingScheme => "funding-scheme",
            RecordKind::Credential => "credential",
            RecordKind::Intake => "intake",
        }
    }

    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.path() == path)
    }

    /// The record's name in a sentence ("a funding scheme").
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Sector => "sector",
            RecordKind::UnitStandard => "unit standard",
            RecordKind::FundingScheme => "funding scheme",
            RecordKind::Credential => "micro-credential",
            RecordKind::Intake => "intake",
        }
    }

    /// The field that names the record for good (in URLs, the sitemap and the API).
    pub fn key_field(self) -> &'static str {
        match self {
            RecordKind::Sector | RecordKind::Credential => "slug",
            RecordKind::UnitStandard => "number",
            RecordKind::FundingScheme | RecordKind::Intake => "code",
        }
    }

    /// The editor page of the record `key` ("new" for a new one).
    pub fn href(self, key: &str) -> String {
        format!("/dashboard/catalogue/{}/{key}", self.path())
    }
}

/// One option of a select, a checkbox group or a credential's funding rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// How a field is entered. A checkbox group's boxes are the values `{name}.{choice}`; a
/// credential's funding is a select per scheme, `funding.{code}` (blank, `eligible` or
/// `not-eligible`) with its note in `funding_note.{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    Text,
    LongText,
    Number,
    Date,
    Select(Vec<Choice>),
    Checks(Vec<Choice>),
    Check,
    Funding(Vec<Choice>),
}

/// One field of a record's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// The field's name: in the file format, in `values` and in a refusal's messages.
    pub name: String,
    pub label: String,
    pub hint: String,
    pub control: Control,
    /// Shown but not changeable (a natural key once created).
    pub fixed: bool,
}

/// A record's editor page: its form filled with the stored values, read at `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    pub kind: RecordKind,
    /// Its key, or "new".
    pub key: String,
    pub heading: String,
    /// The row version it was read at; a save from a stale copy is refused (409).
    pub version: i64,
    /// For a new intake, the credential it is for.
    pub credential: String,
    pub fields: Vec<FormField>,
    pub values: BTreeMap<String, String>,
    /// What happens to learners on a save, when anything does.
    pub note: String,
    /// Links beside the form: a credential's intakes and "add an intake", an intake's
    /// registrations.
    pub links: Vec<RecordLink>,
    /// The record's change history, newest first (administrators only; empty otherwise).
    pub history: Vec<Change>,
}

/// One saved change of a record: who, when, and each field before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub at: super::Moment,
    pub who: String,
    pub action: String,
    pub fields: Vec<ChangedField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedField {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A record in the editor's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLink {
    pub label: String,
    pub detail: String,
    pub href: String,
}

/// `/dashboard/catalogue`: what the signed-in coordinator may edit. Administrators keep
/// the listing (sectors, standards, schemes, credentials); a provider's coordinators
/// their own intakes, on current credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueList {
    pub admin: bool,
    pub sectors: Vec<RecordLink>,
    pub unit_standards: Vec<RecordLink>,
    pub funding_schemes: Vec<RecordLink>,
    pub credentials: Vec<RecordLink>,
    pub intakes: Vec<RecordLink>,
}

/// A refused plain POST of a record's form: what was sent and why, for the page rendered
/// again without JavaScript (`server::rerender`). A stale save carries the current values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSubmission {
    pub version: i64,
    pub values: BTreeMap<String, String>,
    pub error: AppError,
}
