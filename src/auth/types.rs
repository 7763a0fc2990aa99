//! Account types that cross the wire.

use serde::{Deserialize, Serialize};

/// What a signed-in person may do. Admins may do everything; a provider coordinator works
/// on their organisation's intakes; an employer coordinator on the registrations their
/// organisation made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Provider,
    Employer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Provider => "provider",
            Role::Employer => "employer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "admin" => Role::Admin,
            "provider" => Role::Provider,
            "employer" => Role::Employer,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Provider => "Provider coordinator",
            Role::Employer => "Employer coordinator",
        }
    }
}

/// The signed-in person, as pages show them. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organisation: Option<String>,
}

/// What the sign-in form sends. Never logged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// A refused password form ("forgot password" or "choose a password"), for the page
/// rendered again. Passwords are never echoed; the email is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRefusal {
    pub email: String,
    pub errors: Vec<crate::error::FieldError>,
    pub message: Option<String>,
}

/// A refused sign-in, for the page rendered again: the email kept, one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRefused {
    pub email: String,
    pub message: String,
}

/// What a dead password link says.
pub const DEAD_LINK: &str =
    "This link has expired or has already been used. Ask for a new one below.";
