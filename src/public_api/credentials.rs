//! `/api/v1/credentials`: the search page's engine and order (the same snapshot, the same
//! facets and sorts, the same parameter names), and one credential with its standards,
//! intakes (seats left, enrolment) and funding with the schemes' dates.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use utoipa::IntoParams;

use crate::badges::server::achievement::{self as badges, Achievement};
use crate::catalogue::facet::Facet;
use crate::catalogue::query::{CatalogueQuery, Sort, ON};
use crate::catalogue::types::{CredentialCard, CredentialDetail, EnrolmentState, FundingBadge};
use crate::public_api::params::{self, Kind, Spec, PAGE, PER_PAGE};
use crate::public_api::problem::Problem;
use crate::public_api::types::{
    Credential, CredentialFunding, CredentialPage, CredentialSummary, Enrolment, FacetCount,
    FacetValue, Fee, FundingState, IntakeDetail, NextIntake, SectorRef, StandardRef,
};
use crate::public_api::{paging, store};
use crate::server::state::AppState;

const SORTS: &[&str] = &["relevance", "title", "credits", "next-intake"];
const BANDS: &[&str] = &["5-10", "11-20", "21-40"];
const MODES: &[&str] = &["on-job", "workshop", "online", "blended"];

/// The search's parameters: named as in the search page's URL.
pub const SPECS: [Spec; 12] = [
    Spec {
        name: "q",
        kind: Kind::Text(200),
        repeated: false,
        description: "Search text: typo-tolerant, macrons optional (at most 200 characters).",
    },
    Spec {
        name: "sector",
        kind: Kind::Key,
        repeated: true,
        description: "Sector slugs (`/api/v1/sectors`); several combine with OR.",
    },
    Spec {
        name: "level",
        kind: Kind::Int(1, 10),
        repeated: true,
        description: "NZQCF levels; several combine with OR.",
    },
    Spec {
        name: "credits",
        kind: Kind::OneOf(BANDS),
        repeated: true,
        description: "Credit bands; several combine with OR.",
    },
    Spec {
        name: "mode",
        kind: Kind::OneOf(MODES),
        repeated: true,
        description: "Delivery modes; several combine with OR.",
    },
    Spec {
        name: "region",
        kind: Kind::Key,
        repeated: true,
        description: "Regions with an intake open for enrolment today (slugs such as \
                      `bay-of-plenty`); several combine with OR.",
    },
    Spec {
        name: "funded",
        kind: Kind::Bool,
        repeated: false,
        description: "Only credentials with a funding scheme open today.",
    },
    Spec {
        name: "open",
        kind: Kind::Bool,
        repeated: false,
        description: "Only credentials with an intake open for enrolment today.",
    },
    Spec {
        name: "sort",
        kind: Kind::OneOf(SORTS),
        repeated: false,
        description: "Order (default `relevance`: best match, or title without `q`).",
    },
    PAGE,
    PER_PAGE,
    Spec {
        name: "facets",
        kind: Kind::Bool,
        repeated: false,
        description: "Also answer each facet's values with their counts.",
    },
];

pub struct SearchParams;

impl IntoParams for SearchParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        params::documented(&SPECS)
    }
}

/// The search page's query for these parameters.
fn query_of(p: &params::Parsed) -> CatalogueQuery {
    let mut query = CatalogueQuery {
        q: p.one("q").unwrap_or_default().trim().to_owned(),
        sort: Sort::from_key(p.one("sort").unwrap_or("relevance")).unwrap_or_default(),
        page: p.paging().0,
        ..CatalogueQuery::default()
    };
    for f in Facet::ALL {
        let values: Vec<String> = match f.is_flag() {
            true if p.flag(f.param()) => vec![ON.to_owned()],
            true => Vec::new(),
            false => p.all(f.param()).to_vec(),
        };
        *query.filters.get_mut(f) = values;
    }
    query.normalised()
}

/// Credentials matching a search, one page, in the search page's order.
#[utoipa::path(get, path = "/credentials", tag = "catalogue", params(SearchParams),
    responses(
        (status = 200, description = "One page of results", body = CredentialPage),
        (status = 400, description = "A parameter is not valid", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CredentialPage>, Problem> {
    let parsed = params::parse(raw.as_deref(), &SPECS).map_err(Problem::bad_request)?;
    let query = query_of(&parsed);
    let (_, per_page) = parsed.paging();
    let today = state.clock().today();
    let search = state.search.clone();
    let results =
        tokio::task::spawn_blocking(move || search.search_paged(&query, today, per_page as usize))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "API search task failed");
                Problem::internal()
            })?
            .map_err(|e| {
                tracing::error!(error = %e, "API search failed");
                Problem::internal()
            })?;
    let base = state.public_url();
    let facets = parsed.flag("facets").then(|| {
        results
            .facets
            .iter()
            .map(|f| FacetCount {
                parameter: f.facet.param().to_owned(),
                heading: f.facet.heading().to_owned(),
                values: f
                    .values
                    .iter()
                    .map(|v| FacetValue {
                        // A flag's value in the API is `true`.
                        value: match f.facet.is_flag() {
                            true => "true".to_owned(),
                            false => v.value.clone(),
                        },
                        label: v.label.clone(),
                        count: v.count,
                        selected: v.selected,
                    })
                    .collect(),
            })
            .collect()
    });
    Ok(Json(CredentialPage {
        items: results.items.iter().map(|c| summary(&base, c)).collect(),
        total: results.total,
        page: results.page,
        pages: results.pages,
        per_page,
        links: paging::links(&base, "/api/v1/credentials", &SPECS, &parsed, results.pages),
        sort: results.sort.key().to_owned(),
        facets,
    }))
}

fn summary(base: &str, c: &CredentialCard) -> CredentialSummary {
    CredentialSummary {
        url: format!("{base}/api/v1/credentials/{}", c.slug),
        page_url: format!("{base}/credentials/{}", c.slug),
        slug: c.slug.clone(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        sector: SectorRef {
            slug: c.sector.slug.clone(),
            name: c.sector.name.clone(),
        },
        level: c.level,
        credits: c.credits,
        standards_count: c.standards_count,
        next_intake: c.next_intake.as_ref().map(|n| NextIntake {
            starts_on: n.starts_on.clone(),
            region: n.region.clone(),
        }),
        funded_today: c.funding == FundingBadge::Available,
    }
}

/// One credential: its standards, intakes with seats left, and funding with its dates.
#[utoipa::path(get, path = "/credentials/{slug}", tag = "catalogue",
    params(("slug" = String, Path, description = "The credential's slug",
        example = "chainsaw-use")),
    responses(
        (status = 200, description = "The credential", body = Credential),
        (status = 404, description = "No credential has that slug", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn one(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Credential>, Problem> {
    let not_found = || Problem::not_found("credential");
    if slug.len() > 120 {
        return Err(not_found());
    }
    let pool = &state.db.pool;
    let today = state.clock().today_iso();
    let d = crate::catalogue::server::detail::detail(pool, &slug, &today)
        .await?
        .ok_or_else(not_found)?;
    let funding = store::credential_funding(pool, &slug).await?;
    Ok(Json(credential(&state.public_url(), d, funding, &today)))
}

/// A credential's Open Badges 3.0 `Achievement`, from its listing as it is now: what the
/// credential a learner gets on completing it states (the credential keeps the listing as
/// it was at completion).
#[utoipa::path(get, path = "/credentials/{slug}/achievement", tag = "catalogue",
    params(("slug" = String, Path, description = "The credential's slug",
        example = "chainsaw-use")),
    responses(
        (status = 200, description = "The achievement", body = Achievement),
        (status = 404, description = "No credential has that slug", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn achievement(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Achievement>, Problem> {
    let not_found = || Problem::not_found("credential");
    if slug.len() > 120 {
        return Err(not_found());
    }
    let mut conn = state.db.pool.acquire().await?;
    let listing = badges::current(&mut conn, badges::Listing::Slug(&slug))
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(listing.achievement(&state.public_url())))
}

fn credential(
    base: &str,
    d: CredentialDetail,
    funding: Vec<store::CredentialFundingRow>,
    today: &str,
) -> Credential {
    Credential {
        url: format!("{base}/api/v1/credentials/{}", d.slug),
        page_url: format!("{base}/credentials/{}", d.slug),
        standards: d
            .standards
            .iter()
            .map(|u| StandardRef {
                number: u.number,
                title: u.title.clone(),
                version: u.version,
                level: u.level,
                credits: u.credits,
                url: format!("{base}/api/v1/unit-standards/{}", u.number),
            })
            .collect(),
        intakes: d
            .intakes
            .iter()
            .map(|i| IntakeDetail {
                register_url: register_url(base, &d.slug, &i.code),
                code: i.code.clone(),
                starts_on: i.starts_on.clone(),
                ends_on: i.ends_on.clone(),
                enrolment_opens_on: i.enrolment_opens_on.clone(),
                enrolment_closes_on: i.enrolment_closes_on.clone(),
                enrolment: enrolment(i.enrolment),
                region: i.region.clone(),
                delivery_mode: i.delivery_mode.clone(),
                provider: i.provider.clone(),
                fee: Fee {
                    amount_cents: i.fee_cents,
                    currency: "NZD".to_owned(),
                },
                capacity: i.capacity,
                seats_left: i.seats_left,
            })
            .collect(),
        funding: funding
            .into_iter()
            .map(|f| CredentialFunding {
                state: funding_state(f.eligible == 1, &f.valid_from, f.valid_to.as_deref(), today),
                scheme: f.code,
                name: f.name,
                eligible: f.eligible == 1,
                valid_from: f.valid_from,
                valid_to: f.valid_to,
                note: f.note,
                source_url: f.source_url,
            })
            .collect(),
        sector: SectorRef {
            slug: d.sector.slug,
            name: d.sector.name,
        },
        slug: d.slug,
        title: d.title,
        nzqa_ref: d.nzqa_ref,
        nzqa_version: d.nzqa_version,
        summary: d.summary,
        purpose: d.purpose,
        outcomes: d.outcomes,
        education_pathway: d.education_pathway,
        employment_pathway: d.employment_pathway,
        entry_requirements: d.entry_requirements,
        level: d.level,
        credits: d.credits,
        status: d.status,
        nzsced_code: d.nzsced_code,
        review_date: d.review_date,
        delivery_modes: d.delivery_modes,
        developer: d.developer,
        source_url: d.source_url,
        data_note: d.data_note,
    }
}

/// Where a learner registers for intake `code` of credential `slug` (the form preselects it).
pub fn register_url(base: &str, slug: &str, code: &str) -> String {
    format!(
        "{base}/credentials/{slug}/register?intake={}",
        crate::catalogue::query::encode_component(code)
    )
}

pub fn enrolment(e: EnrolmentState) -> Enrolment {
    match e {
        EnrolmentState::NotYetOpen => Enrolment::NotYetOpen,
        EnrolmentState::Open => Enrolment::Open,
        EnrolmentState::Closed => Enrolment::Closed,
    }
}

/// How a scheme applies today (ISO dates compare as text).
fn funding_state(eligible: bool, from: &str, to: Option<&str>, today: &str) -> FundingState {
    match (eligible, to) {
        (false, _) => FundingState::NotEligible,
        (true, Some(to)) if to < today => FundingState::Ended,
        (true, _) if from > today => FundingState::OpensLater,
        (true, _) => FundingState::Available,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_applies_between_its_dates_to_eligible_credentials() {
        let t = "2026-12-07";
        assert!(matches!(
            funding_state(true, "2026-01-01", None, t),
            FundingState::Available
        ));
        assert!(matches!(
            funding_state(true, "2026-01-01", Some("2026-12-07"), t),
            FundingState::Available
        ));
        assert!(matches!(
            funding_state(true, "2026-01-01", Some("2026-12-06"), t),
            FundingState::Ended
        ));
        assert!(matches!(
            funding_state(true, "2027-01-01", None, t),
            FundingState::OpensLater
        ));
        assert!(matches!(
            funding_state(false, "2026-01-01", None, t),
            FundingState::NotEligible
        ));
    }

    #[test]
    fn the_parameters_become_the_search_pages_query() {
        let p = params::parse(
            Some("q=saw&sector=forestry&level=3&funded=true&open=false&sort=credits&page=2"),
            &SPECS,
        )
        .expect("valid");
        let q = query_of(&p);
        assert_eq!(
            q.to_url(),
            "/?q=saw&sector=forestry&level=3&funded=1&sort=credits&page=2"
        );
    }
}
