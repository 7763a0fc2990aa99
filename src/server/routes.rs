//! The HTTP router: each feature's own routes, Leptos pages and server functions, static
//! files, and the hardening layers around all of them.

use axum::middleware::from_fn;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use axum_login::AuthManagerLayerBuilder;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::app::{shell, App};
use crate::auth::server::backend::Backend;
use crate::auth::server::sessions::DbSessionStore;
use crate::server::state::AppState;
use crate::server::{api_status, security};

/// Builds the whole application over `state`; tests call this with their own database.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.pool.clone()))
        .with_name("tohu_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.public_url().starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(30)))
        // Every signed-in request moves the 30-minute idle expiry on.
        .with_always_save(true);
    let auth = AuthManagerLayerBuilder::new(Backend::new(state.db.pool.clone()), sessions).build();
    Router::new()
        .merge(crate::registration::server::routes::routes())
        .merge(crate::auth::server::routes::routes())
        .merge(crate::dashboard::server::export::routes())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(auth)
        .layer(from_fn(api_status::server_fn_status))
        .layer(from_fn(security::same_origin_writes))
        .layer(from_fn(security::headers))
        .layer(CompressionLayer::new())
        .with_state(state)
}
