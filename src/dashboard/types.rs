//! Dashboard types that cross the wire, and the registrations view's URL state.

use serde::{Deserialize, Serialize};

use crate::catalogue::query::encode_component;
use crate::registration::types::RegistrationStatus;

/// Rows per page of the registrations table.
pub const REGISTRATIONS_PAGE: i64 = 50;
/// Longest free text we act on.
const MAX_TEXT: usize = 100;

/// What the registrations table shows, as in its URL:
/// `/dashboard/registrations?q=aroha&status=waitlisted&page=2`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationsQuery {
    /// Name, email or reference.
    pub q: String,
    pub status: Option<RegistrationStatus>,
    pub page: i64,
}

impl RegistrationsQuery {
    /// Reads the URL's parameters; anything unreadable is ignored, never an error.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            q: get("q")
                .unwrap_or_default()
                .trim()
                .chars()
                .take(MAX_TEXT)
                .collect(),
            status: get("status").and_then(|s| RegistrationStatus::parse(&s)),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .clamp(1, 100_000),
        }
    }

    /// The table's URL for this query, on page `page`.
    pub fn url(&self, page: i64) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode_component(&self.q)));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        match parts.is_empty() {
            true => "/dashboard/registrations".to_owned(),
            false => format!("/dashboard/registrations?{}", parts.join("&")),
        }
    }
}

/// One row of the registrations table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRow {
    pub reference: String,
    pub status: RegistrationStatus,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub credential_title: String,
    pub intake_code: String,
    pub starts_on: String,
    pub registered_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationsPage {
    pub rows: Vec<RegistrationRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_round_trips_and_bad_values_are_ignored() {
        let params = [("q", " Āwhina "), ("status", "waitlisted"), ("page", "3")];
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let q = RegistrationsQuery::from_params(get);
        assert_eq!(q.q, "Āwhina");
        assert_eq!(q.status, Some(RegistrationStatus::Waitlisted));
        assert_eq!(
            q.url(3),
            "/dashboard/registrations?q=%C4%80whina&status=waitlisted&page=3"
        );
        let bad = [("status", "deleted"), ("page", "-4")];
        let get = |k: &str| {
            bad.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let q = RegistrationsQuery::from_params(get);
        assert_eq!((q.status, q.page), (None, 1));
        assert_eq!(q.url(1), "/dashboard/registrations");
    }
}
