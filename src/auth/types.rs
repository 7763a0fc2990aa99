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
    /// Where to go once signed in: the dashboard address visited signed out
    /// ([`safe_next`] decides whether it is one).
    #[serde(default)]
    pub next: String,
}

/// The longest address a sign-in returns to.
const MAX_NEXT: usize = 2048;

/// `next` if it is a path on this site to return to after signing in, else `None`. Only
/// a path from the root: not `//host` or `/\host` (which browsers read as another site),
/// no backslash, space or control character anywhere (a URL parser drops tabs and newlines
/// and turns `\` into `/`, so `/\t/host` would become `//host`), and printable ASCII only
/// (a browser sends a path percent-encoded; anything else is not one it sent).
pub fn safe_next(next: &str) -> Option<&str> {
    let mut chars = next.chars();
    let own = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && next.len() <= MAX_NEXT
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    own.then_some(next)
}

/// The sign-in page's address for returning to `path` (with its query) afterwards.
pub fn sign_in_for(path: &str) -> String {
    match safe_next(path) {
        Some(next) if next != "/dashboard" => format!(
            "/sign-in?next={}",
            crate::catalogue::query::encode_component(next)
        ),
        _ => "/sign-in".to_owned(),
    }
}

/// A refused password form ("forgot password" or "choose a password"), for the page
/// rendered again. Passwords are never echoed; the email is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRefusal {
    pub email: String,
    pub errors: Vec<crate::error::FieldError>,
    pub message: Option<String>,
}

/// A refused sign-in, for the page rendered again: the email kept, one message, and where
/// to go once signed in (already checked by [`safe_next`]; empty for the dashboard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRefused {
    pub email: String,
    pub message: String,
    #[serde(default)]
    pub next: String,
}

/// What a dead password link says.
pub const DEAD_LINK: &str =
    "This link has expired or has already been used. Ask for a new one below.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_site_s_own_paths_are_returned_to() {
        for own in [
            "/dashboard",
            "/dashboard/registrations?status=waitlisted&page=2",
            "/x%2F%2Fy",
        ] {
            assert_eq!(safe_next(own), Some(own));
        }
        for other in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "\\evil.example",
            "/\t/evil.example",
            "/ok\\..\\x",
            "/\n/evil.example",
            "/dashboard /x",
            "dashboard",
            "",
            "/Māori",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(other), None, "{other:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(MAX_NEXT))), None);
        assert_eq!(
            sign_in_for("/dashboard/intakes?x=1"),
            "/sign-in?next=%2Fdashboard%2Fintakes%3Fx%3D1"
        );
        assert_eq!(sign_in_for("/dashboard"), "/sign-in");
        assert_eq!(sign_in_for("//evil.example"), "/sign-in");
    }
}
