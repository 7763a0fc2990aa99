//! The catalogue's server functions, both safe reads over GET (cacheable, the query visible
//! in the address). `search_catalogue` answers the search island's live searches
//! (`catalogue::ui::search`) and, called as a function, the server's render of `/`; it runs
//! the in-memory index (`catalogue::server::search`) on a blocking thread. `get_credential`
//! is the detail and registration pages' read of a credential, on the server
//! (`catalogue::server::detail`); no island calls it (docs/decisions/0018).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::catalogue::query::CatalogueQuery;
use crate::catalogue::types::{CredentialDetail, SearchResults};
use crate::error::AppError;

/// One page of credentials matching a search text and facet selection, with facet counts.
#[server(endpoint = "catalogue/search", output = crate::codec::JsonText, input = GetUrl)]
pub async fn search_catalogue(query: CatalogueQuery) -> Result<SearchResults, AppError> {
    let state = crate::server::state::app_state()?;
    let query = query.normalised();
    let today = state.clock().today();
    // Searching is CPU work (scoring, facets, a suggestion scan): on a blocking thread, so
    // the async workers stay free for every other request.
    let search = state.search.clone();
    tokio::task::spawn_blocking(move || search.search(&query, today))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "search task failed");
            AppError::Internal
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "search failed");
            AppError::Internal
        })
}

/// One credential by slug; `None` when no credential has that slug.
#[server(endpoint = "catalogue/credential", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_credential(slug: String) -> Result<Option<CredentialDetail>, AppError> {
    let state = crate::server::state::app_state()?;
    if slug.len() > 120 {
        return Ok(None);
    }
    let today = state.clock().today_iso();
    Ok(crate::catalogue::server::detail::detail(&state.db.pool, &slug, &today).await?)
}
