//! What the public API answers: its own types, apart from the pages' wire types, so the
//! pages can change without breaking a client. Additive changes only within v1 (README).
//! Every list is a page: `items`, `total`, `page`, `pages`, `per_page` and `links`.

use serde::Serialize;
use utoipa::ToSchema;

/// Where a page of a list is and its neighbours are (absolute URLs).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Links {
    /// This page.
    #[serde(rename = "self")]
    pub this: String,
    /// The next page; null on the last.
    pub next: Option<String>,
    /// The previous page; null on the first.
    pub prev: Option<String>,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Items over all pages.
    pub total: u64,
    pub page: u32,
    /// Number of pages (0 when the list is empty).
    pub pages: u32,
    pub per_page: u32,
    pub links: Links,
}

/// A sector as a credential names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectorRef {
    pub slug: String,
    pub name: String,
}

/// A credential as another record names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CredentialRef {
    pub slug: String,
    pub title: String,
    /// This credential in the API.
    pub url: String,
}

/// The first intake starting today or later.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextIntake {
    /// ISO date.
    pub starts_on: String,
    pub region: String,
}

/// One credential in a search's results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CredentialSummary {
    pub slug: String,
    pub title: String,
    /// This credential in the API.
    pub url: String,
    /// Its page for people.
    pub page_url: String,
    pub summary: String,
    pub sector: SectorRef,
    /// NZQCF level, 1 to 10.
    pub level: i64,
    pub credits: i64,
    pub standards_count: i64,
    pub next_intake: Option<NextIntake>,
    /// Whether a funding scheme it is eligible for is open today.
    pub funded_today: bool,
}

/// One value of a facet with the results selecting it would give.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The parameter's value (`sector=forestry`).
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// One facet: its query parameter and every value with its count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub parameter: String,
    pub heading: String,
    pub values: Vec<FacetValue>,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CredentialPage {
    pub items: Vec<CredentialSummary>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub per_page: u32,
    pub links: Links,
    /// The order used: `relevance` without a search text is `title`.
    pub sort: String,
    /// The facets with counts, when asked for with `facets=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub facets: Option<Vec<FacetCount>>,
}

/// A unit standard as a credential lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StandardRef {
    pub number: i64,
    pub title: String,
    pub version: Option<i64>,
    pub level: Option<i64>,
    pub credits: Option<i64>,
    /// This standard in the API.
    pub url: String,
}

/// Whether an intake takes registrations today.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Enrolment {
    NotYetOpen,
    Open,
    Closed,
}

/// A fee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Fee {
    /// In cents.
    pub amount_cents: i64,
    /// ISO 4217; always `NZD`.
    pub currency: String,
}

/// One intake of a credential.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntakeDetail {
    pub code: String,
    /// ISO dates.
    pub starts_on: String,
    pub ends_on: String,
    pub enrolment_opens_on: String,
    pub enrolment_closes_on: String,
    pub enrolment: Enrolment,
    pub region: String,
    /// `on-job`, `workshop`, `online` or `blended`.
    pub delivery_mode: String,
    pub provider: String,
    pub fee: Fee,
    pub capacity: i64,
    pub seats_left: i64,
    /// Where a learner registers for it.
    pub register_url: String,
}

/// How a funding scheme applies to a credential today.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FundingState {
    /// Eligible, and the scheme is open today.
    Available,
    /// Eligible once the scheme opens.
    OpensLater,
    /// The scheme has ended.
    Ended,
    /// Not eligible for this scheme.
    NotEligible,
}

/// A funding scheme as it applies to one credential.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CredentialFunding {
    /// The scheme's code.
    pub scheme: String,
    pub name: String,
    pub eligible: bool,
    pub state: FundingState,
    /// ISO date the scheme opens.
    pub valid_from: String,
    /// ISO date it ends; null while open-ended.
    pub valid_to: Option<String>,
    pub note: String,
    pub source_url: Option<String>,
}

/// Everything about one credential.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Credential {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub page_url: String,
    /// NZQA's reference number and version, when listed.
    pub nzqa_ref: Option<i64>,
    pub nzqa_version: Option<i64>,
    pub summary: String,
    pub purpose: String,
    pub outcomes: String,
    pub education_pathway: String,
    pub employment_pathway: String,
    pub entry_requirements: String,
    pub level: i64,
    pub credits: i64,
    /// `current`, `expiring` or `discontinued` (a discontinued one is not in the lists,
    /// but its address still answers).
    pub status: String,
    /// The NZSCED (New Zealand Standard Classification of Education) field of study code,
    /// six digits, when recorded.
    pub nzsced_code: Option<String>,
    /// The date NZQA next reviews the listing (ISO date), when recorded.
    pub review_date: Option<String>,
    pub delivery_modes: Vec<String>,
    pub developer: String,
    /// NZQA's page for it.
    pub source_url: Option<String>,
    /// Which facts are sample data rather than NZQA's; empty when none are.
    pub data_note: String,
    pub sector: SectorRef,
    pub standards: Vec<StandardRef>,
    pub intakes: Vec<IntakeDetail>,
    pub funding: Vec<CredentialFunding>,
}

/// A sector with how many credentials it lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sector {
    pub slug: String,
    pub title: String,
    /// Its credentials in the API.
    pub url: String,
    pub credentials: i64,
}

/// A unit standard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitStandard {
    /// Its number, as text.
    pub slug: String,
    pub title: String,
    pub url: String,
    pub number: i64,
    pub version: Option<i64>,
    pub level: Option<i64>,
    pub credits: Option<i64>,
    pub domain: String,
    /// NZQA's page for it.
    pub source_url: Option<String>,
}

/// A unit standard with the listed credentials that use it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitStandardDetail {
    #[serde(flatten)]
    pub standard: UnitStandard,
    pub credentials: Vec<CredentialRef>,
}

/// A funding scheme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundingScheme {
    /// Its code.
    pub slug: String,
    pub title: String,
    /// Its place in the API's list.
    pub url: String,
    pub description: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub source_url: Option<String>,
    /// Listed credentials eligible for it.
    pub eligible_credentials: i64,
}

/// One intake in the intakes list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntakeItem {
    /// The credential's slug and the intake's code, joined by `:`.
    pub slug: String,
    /// The credential's title and the intake's region.
    pub title: String,
    /// The credential in the API.
    pub url: String,
    pub credential: CredentialRef,
    pub sector: SectorRef,
    #[serde(flatten)]
    pub intake: IntakeDetail,
}
