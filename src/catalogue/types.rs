//! Types that cross the wire between the catalogue's server functions and the browser.

use serde::{Deserialize, Serialize};

/// Longest search text we act on; anything longer is cut, never rejected, so a pasted
/// paragraph still searches for its start instead of failing.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most sector filters one request may carry (there are far fewer sectors than this).
pub const MAX_SECTORS: usize = 32;

/// What a learner asked the catalogue for; mirrors the URL (`?q=chainsaw&sector=forestry`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sectors: Vec<String>,
}

impl CatalogueQuery {
    /// Builds a query from raw URL values, trimming and bounding them so that hostile or
    /// accidental input (10 kB strings, repeated parameters) cannot cost the server much.
    pub fn from_parts(q: Option<String>, sectors: Vec<String>) -> Self {
        let q: String = q
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_QUERY_CHARS)
            .collect();
        let mut clean: Vec<String> = Vec::new();
        for s in sectors {
            let s = s.trim();
            let valid = !s.is_empty()
                && s.len() <= 64
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if valid && !clean.iter().any(|c| c == s) && clean.len() < MAX_SECTORS {
                clean.push(s.to_owned());
            }
        }
        clean.sort();
        Self {
            q: q.trim().to_owned(),
            sectors: clean,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.q.is_empty() && self.sectors.is_empty()
    }

    /// The catalogue URL for this query, with `sector` repeated once per selected sector.
    pub fn to_url(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode_component(&self.q)));
        }
        for s in &self.sectors {
            parts.push(format!("sector={}", encode_component(s)));
        }
        if parts.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes a URL query component (RFC 3986 unreserved characters pass through).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sector {
    pub slug: String,
    pub name: String,
}

/// The funding badge a card shows, decided on the server from scheme dates and today's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundingBadge {
    /// At least one scheme the credential is eligible for is open today.
    Available,
    /// No open scheme covers it today.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextIntake {
    pub starts_on: String,
    pub region: String,
}

/// One result card on the catalogue page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub sector: Sector,
    pub level: i64,
    pub credits: i64,
    pub standards_count: i64,
    pub next_intake: Option<NextIntake>,
    pub funding: FundingBadge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: CatalogueQuery,
    pub total: i64,
    pub items: Vec<CredentialCard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStandard {
    pub number: i64,
    pub version: Option<i64>,
    pub title: String,
    pub level: Option<i64>,
    pub credits: Option<i64>,
    pub domain: String,
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub code: String,
    pub starts_on: String,
    pub ends_on: String,
    pub enrolment_opens_on: String,
    pub enrolment_closes_on: String,
    pub region: String,
    pub delivery_mode: String,
    pub provider: String,
    pub fee_cents: i64,
    pub capacity: i64,
    pub seats_left: i64,
    pub enrolment: EnrolmentState,
}

/// Whether an intake takes registrations today, from its enrolment window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrolmentState {
    NotYetOpen,
    Open,
    Closed,
}

/// How one funding scheme applies to a credential today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundingStatus {
    /// Eligible and the scheme is open, with an end date.
    EligibleUntil(String),
    /// Eligible and the scheme has no end date.
    EligibleOngoing,
    /// Eligible once the scheme opens.
    OpensOn(String),
    /// The scheme ended on this date.
    SchemeEnded(String),
    /// The credential is not eligible for this scheme.
    NotEligible,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub scheme: String,
    pub description: String,
    pub status: FundingStatus,
    pub note: String,
    pub source_url: Option<String>,
}

/// Everything the detail page shows about one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialDetail {
    pub slug: String,
    pub nzqa_ref: Option<i64>,
    pub nzqa_version: Option<i64>,
    pub title: String,
    pub summary: String,
    pub purpose: String,
    pub outcomes: String,
    pub education_pathway: String,
    pub employment_pathway: String,
    pub entry_requirements: String,
    pub level: i64,
    pub credits: i64,
    pub status: String,
    pub delivery_modes: Vec<String>,
    pub developer: String,
    pub source_url: Option<String>,
    pub data_note: String,
    pub sector: Sector,
    pub standards: Vec<UnitStandard>,
    pub intakes: Vec<Intake>,
    pub funding: Vec<Funding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_trimmed_bounded_and_deduplicated() {
        let long = "a".repeat(10_000);
        let q = CatalogueQuery::from_parts(
            Some(long),
            vec![
                "forestry".into(),
                "forestry".into(),
                "Forestry'; DROP".into(),
                "manufacturing".into(),
            ],
        );
        assert_eq!(q.q.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(q.sectors, vec!["forestry", "manufacturing"]);
    }

    #[test]
    fn url_round_trips_special_characters() {
        let q = CatalogueQuery::from_parts(Some(" Māori & co ".into()), vec!["forestry".into()]);
        assert_eq!(q.to_url(), "/?q=M%C4%81ori+%26+co&sector=forestry");
        assert_eq!(CatalogueQuery::default().to_url(), "/");
    }
}
