//! The HTTP router: each feature's own routes, Leptos pages and server functions, static
//! files, and the hardening layers around all of them.

use axum::middleware::from_fn;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use crate::app::{shell, App};
use crate::server::state::AppState;
use crate::server::{api_status, security};

/// Builds the whole application over `state`; tests call this with their own database.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .merge(crate::registration::server::routes::routes())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn(api_status::server_fn_status))
        .layer(from_fn(security::same_origin_writes))
        .layer(from_fn(security::headers))
        .layer(CompressionLayer::new())
        .with_state(state)
}
