//! Coordinator accounts as an admin (every account), a provider's coordinator (the
//! employer coordinators they invited) or an employer's coordinator (their organisation's,
//! read-only) sees them.

use serde::{Deserialize, Serialize};

use crate::auth::types::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// The employer organisation's New Zealand Business Number, when given.
    pub nzbn: Option<String>,
    pub disabled: bool,
    /// Disabled by an administrator: only an administrator re-enables it.
    pub disabled_by_admin: bool,
    /// Invited and has not chosen a password yet.
    pub invited: bool,
    /// The provider organisation whose coordinator invited this account (shown to
    /// administrators only; `None` for an administrator's or the command line's).
    pub invited_by: Option<String>,
}

/// An organisation an administrator can add a coordinator to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationChoice {
    pub id: i64,
    pub name: String,
    /// An employer (else a provider).
    pub employer: bool,
}

/// The accounts a coordinator sees, the roles they may invite (none: read-only) and, for an
/// administrator, the organisations a new coordinator can join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub accounts: Vec<Account>,
    pub roles: Vec<Role>,
    pub organisations: Vec<OrganisationChoice>,
}

/// The "add a coordinator" form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    /// `provider`, `employer` or `admin`.
    pub role: String,
    /// An existing organisation's id, chosen from the administrator's list ("" for none).
    pub organisation_id: String,
    /// A new organisation's name.
    pub organisation: String,
    /// An employer's NZBN (optional): 13 digits.
    pub nzbn: String,
}
