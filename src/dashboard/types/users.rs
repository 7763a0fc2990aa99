//! Coordinator accounts as an admin (every account) or a provider's coordinator (the
//! employer coordinators they invited) manages them.

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
    /// Invited and has not chosen a password yet.
    pub invited: bool,
}

/// The accounts a coordinator manages, and the roles they may invite: an admin every account
/// and role; a provider's coordinator the employer coordinators their organisation invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub accounts: Vec<Account>,
    pub roles: Vec<Role>,
}

/// The "add a coordinator" form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    /// `provider`, `employer` or `admin`.
    pub role: String,
    pub organisation: String,
    /// An employer's NZBN (optional): 13 digits.
    pub nzbn: String,
}
