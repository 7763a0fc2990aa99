//! The catalogue's server functions: thin wrappers over `server::catalogue`. Both are safe
//! reads, so they use GET (cacheable, and visible in the address for debugging).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::catalogue::types::{CatalogueQuery, CredentialDetail, SearchResults, Sector};
use crate::error::AppError;

/// Credentials matching a search text and sector filter.
#[server(endpoint = "catalogue/search", input = GetUrl)]
pub async fn search_catalogue(query: CatalogueQuery) -> Result<SearchResults, AppError> {
    let state = crate::server::state::app_state()?;
    let query = CatalogueQuery::from_parts(Some(query.q), query.sectors);
    let today = state.clock.today_iso();
    Ok(crate::server::catalogue::search(&state.db.pool, &query, &today).await?)
}

/// Every sector, in display order, for the filter.
#[server(endpoint = "catalogue/sectors", input = GetUrl)]
pub async fn list_sectors() -> Result<Vec<Sector>, AppError> {
    let state = crate::server::state::app_state()?;
    Ok(crate::server::catalogue::sectors(&state.db.pool).await?)
}

/// One credential by slug; `None` when no credential has that slug.
#[server(endpoint = "catalogue/credential", input = GetUrl)]
pub async fn get_credential(slug: String) -> Result<Option<CredentialDetail>, AppError> {
    let state = crate::server::state::app_state()?;
    if slug.len() > 120 {
        return Ok(None);
    }
    let today = state.clock.today_iso();
    Ok(crate::server::catalogue::detail(&state.db.pool, &slug, &today).await?)
}
