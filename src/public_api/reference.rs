//! The catalogue's reference lists: sectors, unit standards (one with the credentials that
//! use it) and funding schemes. Each a page of `per_page`, in a fixed order.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use utoipa::IntoParams;

use crate::public_api::paging;
use crate::public_api::params::{self, Parsed, Spec, PAGE, PER_PAGE};
use crate::public_api::problem::Problem;
use crate::public_api::store::{self, Window};
use crate::public_api::types::{
    CredentialRef, FundingScheme, Page, Sector, UnitStandard, UnitStandardDetail,
};
use crate::server::state::AppState;

/// Paging only.
pub const SPECS: [Spec; 2] = [PAGE, PER_PAGE];

pub struct PagingParams;

impl IntoParams for PagingParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        params::documented(&SPECS)
    }
}

fn window(raw: Option<&str>) -> Result<(Parsed, Window), Problem> {
    let parsed = params::parse(raw, &SPECS).map_err(Problem::bad_request)?;
    let (page, per_page) = parsed.paging();
    Ok((parsed, Window { page, per_page }))
}

fn page_of<T: utoipa::ToSchema>(
    state: &AppState,
    path: &str,
    (parsed, w): (Parsed, Window),
    items: Vec<T>,
    total: i64,
) -> Page<T> {
    let total = total.max(0) as u64;
    let pages = paging::pages(total, w.per_page);
    Page {
        items,
        total,
        page: w.page,
        pages,
        per_page: w.per_page,
        links: paging::links(&state.public_url(), path, &SPECS, &parsed, pages),
    }
}

/// The sectors, in the catalogue's order, with how many credentials each lists.
#[utoipa::path(get, path = "/sectors", tag = "reference", params(PagingParams),
    responses(
        (status = 200, description = "One page of sectors", body = Page<Sector>),
        (status = 400, description = "A parameter is not valid", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn sectors(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Sector>>, Problem> {
    let (parsed, w) = window(raw.as_deref())?;
    let (rows, total) = store::sectors(&state.db.pool, w).await?;
    let base = state.public_url();
    let items = rows
        .into_iter()
        .map(|r| Sector {
            url: format!("{base}/api/v1/credentials?sector={}", r.slug),
            slug: r.slug,
            title: r.name,
            credentials: r.credentials,
        })
        .collect();
    Ok(Json(page_of(
        &state,
        "/api/v1/sectors",
        (parsed, w),
        items,
        total,
    )))
}

fn standard(base: &str, r: store::StandardRow) -> UnitStandard {
    UnitStandard {
        slug: r.number.to_string(),
        url: format!("{base}/api/v1/unit-standards/{}", r.number),
        title: r.title,
        number: r.number,
        version: r.version,
        level: r.level,
        credits: r.credits,
        domain: r.domain,
        source_url: r.source_url,
    }
}

/// The unit standards the catalogue's credentials list, by number.
#[utoipa::path(get, path = "/unit-standards", tag = "reference", params(PagingParams),
    responses(
        (status = 200, description = "One page of unit standards", body = Page<UnitStandard>),
        (status = 400, description = "A parameter is not valid", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn standards(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<UnitStandard>>, Problem> {
    let (parsed, w) = window(raw.as_deref())?;
    let (rows, total) = store::standards(&state.db.pool, w).await?;
    let base = state.public_url();
    let items = rows.into_iter().map(|r| standard(&base, r)).collect();
    Ok(Json(page_of(
        &state,
        "/api/v1/unit-standards",
        (parsed, w),
        items,
        total,
    )))
}

/// One unit standard with the listed credentials that use it.
#[utoipa::path(get, path = "/unit-standards/{number}", tag = "reference",
    params(("number" = i64, Path, description = "The standard's number", minimum = 1,
        example = 6917)),
    responses(
        (status = 200, description = "The unit standard", body = UnitStandardDetail),
        (status = 400, description = "The number is not a whole number", body = Problem,
         content_type = "application/problem+json"),
        (status = 404, description = "No unit standard has that number", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn standard_one(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Json<UnitStandardDetail>, Problem> {
    let number: i64 = match number.parse() {
        Ok(n) if n >= 1 => n,
        _ => {
            return Err(Problem::bad_request(vec![
                crate::public_api::problem::ParamError::new(
                    "number",
                    "expected a whole number from 1",
                ),
            ]))
        }
    };
    let pool = &state.db.pool;
    let row = store::standard(pool, number)
        .await?
        .ok_or_else(|| Problem::not_found("unit standard"))?;
    let base = state.public_url();
    let credentials = store::credentials_using(pool, number)
        .await?
        .into_iter()
        .map(|(slug, title)| CredentialRef {
            url: format!("{base}/api/v1/credentials/{slug}"),
            slug,
            title,
        })
        .collect();
    Ok(Json(UnitStandardDetail {
        standard: standard(&base, row),
        credentials,
    }))
}

/// The funding schemes, oldest first, with how many listed credentials are eligible.
#[utoipa::path(get, path = "/funding-schemes", tag = "reference", params(PagingParams),
    responses(
        (status = 200, description = "One page of funding schemes", body = Page<FundingScheme>),
        (status = 400, description = "A parameter is not valid", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn schemes(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<FundingScheme>>, Problem> {
    let (parsed, w) = window(raw.as_deref())?;
    let (rows, total) = store::schemes(&state.db.pool, w).await?;
    let base = state.public_url();
    let items = rows
        .into_iter()
        .map(|r| FundingScheme {
            url: format!("{base}/api/v1/funding-schemes#{}", r.code),
            slug: r.code,
            title: r.name,
            description: r.description,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            source_url: r.source_url,
            eligible_credentials: r.eligible_credentials,
        })
        .collect();
    Ok(Json(page_of(
        &state,
        "/api/v1/funding-schemes",
        (parsed, w),
        items,
        total,
    )))
}
