//! Application state, provided to every route and server function as Leptos context.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use std::sync::Arc;

use crate::catalogue::server::search::SearchService;
use crate::server::clock::Clock;
use crate::server::db::Db;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Clock,
    /// The site's public address, for links in emails (`TOHU_PUBLIC_URL`).
    pub public_url: String,
    /// The catalogue's search index, rebuilt when the catalogue changes.
    pub search: Arc<SearchService>,
}

/// The state inside a server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}
