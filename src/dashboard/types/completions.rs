//! The NZQA reporting worksheet: the completions a provider has not yet reported.

use serde::{Deserialize, Serialize};

/// One completion to report to NZQA: who, what, when, and what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The credential's id: what "mark reported" names.
    pub id: String,
    pub reference: String,
    pub nsn: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub nzqa_ref: Option<i64>,
    pub nzqa_version: Option<i64>,
    pub title: String,
    pub achieved_on: String,
    /// What NZQA needs that this row lacks ("National Student Number", "NZQA listing
    /// number"); empty when it can be reported.
    pub missing: Vec<String>,
}

/// The worksheet: rows ready to report, and rows listed apart with what they lack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completions {
    pub ready: Vec<Completion>,
    pub incomplete: Vec<Completion>,
}
