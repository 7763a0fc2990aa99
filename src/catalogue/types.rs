//! Types that cross the wire between the catalogue's server functions and the browser:
//! result cards, facets, the detail page. The search request itself is in `query.rs`.

use serde::{Deserialize, Serialize};

use crate::catalogue::facet::Facet;
use crate::catalogue::query::{CatalogueQuery, Sort};

/// One value of a facet with the number of results it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The URL value (`sector=forestry`).
    pub value: String,
    pub label: String,
    /// Results with this value under the other facets' selections (standard faceted
    /// search: a facet does not narrow its own counts).
    pub count: u64,
    pub selected: bool,
}

/// One facet's every value with its count (zero counts included, so the layout does not
/// jump when a selection empties a value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    pub facet: Facet,
    pub values: Vec<FacetValue>,
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
    /// The order actually used (relevance without a search text falls back to title).
    pub sort: Sort,
    /// Results over all pages.
    pub total: u64,
    pub page: u32,
    /// Number of pages (0 when there are no results).
    pub pages: u32,
    /// This page's results; empty past the last page.
    pub items: Vec<CredentialCard>,
    pub facets: Vec<FacetCounts>,
    /// For an empty result: a nearby search text made of the index's own words.
    pub suggestion: Option<String>,
    /// When no credential matched every word, what the results are instead ("No
    /// micro-credential matches all of “dairy farming”; showing those that match “dairy”.").
    pub partial: Option<String>,
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
    /// The NZSCED field of study code (six digits), when recorded.
    pub nzsced_code: Option<String>,
    /// The date NZQA next reviews the listing (YYYY-MM-DD), when recorded.
    pub review_date: Option<String>,
    pub delivery_modes: Vec<String>,
    pub developer: String,
    pub source_url: Option<String>,
    pub data_note: String,
    pub sector: Sector,
    pub standards: Vec<UnitStandard>,
    pub intakes: Vec<Intake>,
    pub funding: Vec<Funding>,
}

/// One intake's seats left, as the live seats stream sends them (`catalogue::server::live`):
/// a page that stays open shows seats taken through any instance within seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeSeats {
    pub code: String,
    pub seats_left: i64,
}
