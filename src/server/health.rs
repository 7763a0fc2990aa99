//! Health for load balancers and supervisors. `/healthz` says the process answers;
//! `/readyz` says this instance should be sent traffic: its database answers, every
//! migration it knows is applied, its search index is loaded and it is not draining. Both
//! are cheap, unauthenticated and outside the rate limits and the concurrency limit; the
//! readiness body names what failed, never a setting or an error's text.
//!
//! Until the application is built (migrations, seed, index) the listener answers through
//! [`starting`]: alive, not ready.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::server::state::AppState;

/// The longest a readiness check waits for the database.
const DB_CHECK: Duration = Duration::from_secs(2);

/// Whether this instance is shutting down.
#[derive(Debug, Default)]
pub struct Health {
    draining: AtomicBool,
}

impl Health {
    /// From now on `/readyz` answers 503, so a load balancer sends new requests elsewhere.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(alive))
        .route("/readyz", get(ready))
}

async fn alive() -> Response {
    plain(StatusCode::OK, "ok")
}

#[derive(Serialize)]
struct Readiness {
    ready: bool,
    draining: bool,
    database: bool,
    migrations: bool,
    search_revision: i64,
}

async fn ready(State(state): State<AppState>) -> Response {
    let draining = state.health.draining();
    let (database, migrations) =
        match tokio::time::timeout(DB_CHECK, state.db.migrations_applied()).await {
            Ok(Ok(applied)) => (true, applied),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness: database check failed");
                (false, false)
            }
            Err(_) => {
                tracing::warn!("readiness: database check timed out");
                (false, false)
            }
        };
    let ready = !draining && database && migrations;
    let body = Readiness {
        ready,
        draining,
        database,
        migrations,
        search_revision: state.search.snapshot().revision,
    };
    let status = match ready {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    (status, no_store(), Json(body)).into_response()
}

/// The answer while the instance is still starting: `/healthz` alive, everything else 503.
pub fn starting(path: &str) -> Response {
    match path {
        "/healthz" => plain(StatusCode::OK, "ok"),
        _ => {
            let mut res = plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "Tohu is starting. Please try again in a few seconds.",
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
            res
        }
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, no_store(), text).into_response()
}

fn no_store() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}
