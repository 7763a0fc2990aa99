//! The registrations table: its URL state (every filter, the sort and the page) and rows.

use serde::{Deserialize, Serialize};

use super::detail::RegistrationAction;
use crate::catalogue::query::encode_component;
use crate::registration::types::RegistrationStatus;

/// Rows per page of the registrations table.
pub const REGISTRATIONS_PAGE: i64 = 50;
/// Longest free text we act on.
const MAX_TEXT: usize = 100;

/// The order of the table (and of its CSV export).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Name,
    Starts,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::Name, Sort::Starts];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Name => "name",
            Sort::Starts => "starts",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "Newest first",
            Sort::Oldest => "Oldest first",
            Sort::Name => "Family name, A to Z",
            Sort::Starts => "Intake start date",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// What the registrations table shows, as in its URL:
/// `/dashboard/registrations?q=aroha&status=waitlisted&credential=chainsaw-use&page=2`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationsQuery {
    /// Name, email or reference.
    pub q: String,
    pub status: Option<RegistrationStatus>,
    /// A credential's slug.
    pub credential: String,
    /// An intake's id.
    pub intake: Option<i64>,
    /// Registered on or after this day (YYYY-MM-DD).
    pub from: String,
    /// Registered on or before this day (YYYY-MM-DD).
    pub to: String,
    /// The employer organisation that registered its staff.
    pub employer: Option<i64>,
    pub sort: Sort,
    pub page: i64,
}

/// `s` if it is a real calendar day, else empty.
fn day(s: Option<String>) -> String {
    s.filter(|s| crate::registration::validate::parse_date(s).is_some())
        .unwrap_or_default()
}

impl RegistrationsQuery {
    /// Reads the URL's parameters; anything unreadable is ignored, never an error.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let id = |k: &str| {
            get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|v| *v > 0)
        };
        Self {
            q: get("q")
                .unwrap_or_default()
                .trim()
                .chars()
                .take(MAX_TEXT)
                .collect(),
            status: get("status").and_then(|s| RegistrationStatus::parse(&s)),
            credential: get("credential")
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(MAX_TEXT)
                .collect(),
            intake: id("intake"),
            from: day(get("from")),
            to: day(get("to")),
            employer: id("employer"),
            sort: get("sort")
                .and_then(|s| Sort::parse(&s))
                .unwrap_or_default(),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .clamp(1, 100_000),
        }
    }

    /// The query string of this view without its page, e.g. `q=aroha&status=confirmed`.
    pub fn params(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode_component(&self.q)));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if !self.credential.is_empty() {
            parts.push(format!("credential={}", self.credential));
        }
        if let Some(i) = self.intake {
            parts.push(format!("intake={i}"));
        }
        if !self.from.is_empty() {
            parts.push(format!("from={}", self.from));
        }
        if !self.to.is_empty() {
            parts.push(format!("to={}", self.to));
        }
        if let Some(e) = self.employer {
            parts.push(format!("employer={e}"));
        }
        if self.sort != Sort::Newest {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        parts.join("&")
    }

    /// The table's URL for this query, on page `page`.
    pub fn url(&self, page: i64) -> String {
        let mut params = self.params();
        if page > 1 {
            if !params.is_empty() {
                params.push('&');
            }
            params.push_str(&format!("page={page}"));
        }
        match params.is_empty() {
            true => "/dashboard/registrations".to_owned(),
            false => format!("/dashboard/registrations?{params}"),
        }
    }

    /// The CSV export of exactly this view (every page).
    pub fn csv_url(&self) -> String {
        match self.params() {
            p if p.is_empty() => "/dashboard/registrations.csv".to_owned(),
            p => format!("/dashboard/registrations.csv?{p}"),
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
    pub registered_at: super::Moment,
}

/// A choice in one of the table's filters: the value in the URL and what the coordinator
/// reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoice {
    pub value: String,
    pub label: String,
}

/// The choices the table's filters offer: only what this coordinator may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoices {
    pub credentials: Vec<FilterChoice>,
    pub intakes: Vec<FilterChoice>,
    pub employers: Vec<FilterChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationsPage {
    pub rows: Vec<RegistrationRow>,
    /// Rows matched, counted up to a cap when the filter has free text or dates.
    pub total: i64,
    /// More rows match than `total` (the last page is unknown).
    pub more: bool,
    pub page: i64,
    pub pages: i64,
    pub choices: FilterChoices,
    /// The status changes this coordinator may make to the selected rows.
    #[serde(default)]
    pub actions: Vec<RegistrationAction>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn getter<'a>(params: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            params
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_url_round_trips_and_bad_values_are_ignored() {
        let params = [
            ("q", " Āwhina "),
            ("status", "waitlisted"),
            ("credential", "chainsaw-use"),
            ("intake", "7"),
            ("from", "2026-11-01"),
            ("to", "2026-11-30"),
            ("employer", "3"),
            ("sort", "name"),
            ("page", "3"),
        ];
        let q = RegistrationsQuery::from_params(getter(&params));
        assert_eq!(q.q, "Āwhina");
        assert_eq!(q.status, Some(RegistrationStatus::Waitlisted));
        assert_eq!(
            q.url(3),
            "/dashboard/registrations?q=%C4%80whina&status=waitlisted&credential=chainsaw-use\
             &intake=7&from=2026-11-01&to=2026-11-30&employer=3&sort=name&page=3"
        );
        assert!(q
            .csv_url()
            .starts_with("/dashboard/registrations.csv?q=%C4%80whina&"));
        let bad = [
            ("status", "deleted"),
            ("page", "-4"),
            ("intake", "x"),
            ("from", "2026-02-30"),
            ("to", "yesterday"),
            ("credential", "a'b<c"),
            ("sort", "DROP"),
        ];
        let q = RegistrationsQuery::from_params(getter(&bad));
        assert_eq!((q.status, q.page, q.intake), (None, 1, None));
        assert_eq!((q.from.as_str(), q.to.as_str()), ("", ""));
        assert_eq!(q.credential, "abc");
        assert_eq!(q.sort, Sort::Newest);
        assert_eq!(q.url(1), "/dashboard/registrations?credential=abc");
        assert_eq!(
            RegistrationsQuery::default().url(1),
            "/dashboard/registrations"
        );
    }
}
