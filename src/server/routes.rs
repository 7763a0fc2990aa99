//! The HTTP router: each feature's own routes, Leptos pages and server functions, static
//! files, and the hardening layers around all of them.

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use axum_login::AuthManagerLayerBuilder;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::app::{shell, App};
use crate::auth::server::backend::Backend;
use crate::auth::server::sessions::DbSessionStore;
use crate::server::state::AppState;
use crate::server::{api_status, health, metrics, security, trace};

/// Builds the whole application over `state`; tests call this with their own database.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let policy = security::Policy::new(&state.config);
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.pool.clone()))
        .with_name("tohu_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.public_url().starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(30)))
        // Every signed-in request moves the 30-minute idle expiry on.
        .with_always_save(true);
    let auth = AuthManagerLayerBuilder::new(Backend::new(state.db.pool.clone()), sessions).build();
    // Everything but the live streams is held to the request timeout and the instance's
    // concurrency limit; the streams are long by design and have their own cap.
    let limited = Router::new()
        .merge(crate::catalogue::server::crawl::routes())
        .merge(crate::registration::server::routes::routes())
        .merge(crate::auth::server::routes::routes())
        .merge(crate::dashboard::server::export::routes())
        .merge(crate::dashboard::server::catalogue::routes::routes())
        .merge(crate::public_api::routes(&state))
        .merge(crate::badges::server::routes::routes())
        .nest_service("/pkg", assets(&state.leptos_options))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(
                    state.config.max_concurrent as usize,
                ))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(state.config.request_timeout_secs),
                )),
        );
    // `Router::layer` wraps each route, so the metrics and the request span see the
    // route's pattern (`MatchedPath`). Health checks stand outside every layer: no limits,
    // no session, no log line per probe.
    let app = Router::new()
        .merge(crate::catalogue::server::live::routes())
        .merge(limited)
        .layer(auth)
        .layer(from_fn(api_status::server_fn_status))
        .layer(from_fn_with_state(
            policy.clone(),
            security::same_origin_writes,
        ))
        .layer(from_fn_with_state(policy, security::headers))
        .layer(from_fn(metrics::track))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(trace::span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(trace::REQUEST_ID))
        .layer(SetRequestIdLayer::new(trace::REQUEST_ID, trace::NewId))
        .layer(from_fn(trace::screen_incoming))
        .layer(CompressionLayer::new());
    Router::new()
        .merge(health::routes())
        .merge(app)
        .with_state(state)
}

/// More requests at once than the instance takes: 503 at once, with when to come back,
/// instead of a queue that grows until everything times out.
async fn overloaded(_: tower::BoxError) -> Response {
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        "Tohu is very busy just now. Please try again in a few seconds.",
    )
        .into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    res
}

/// The built script, WASM and CSS under `/pkg`. Their names carry a hash of their content
/// (cargo-leptos `hash-files`), so a browser may keep them for a year without asking again;
/// a release build writes brotli and gzip copies beside them (`--precompress`), served as
/// they are instead of compressing per request. Without hashed names (a build that did not
/// hash) the browser must revalidate.
pub fn assets(options: &leptos::config::LeptosOptions) -> Router {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache),
        ))
}
