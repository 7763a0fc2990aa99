//! Prometheus metrics through the `metrics` facade and its Prometheus exporter: requests and
//! their latency per route, registrations by outcome, the outbox's backlog and the age of its
//! oldest unsent email, the search index's revision and build time, and the database pool.
//! Counters are recorded where things happen; what the database knows (the outbox) is read
//! when Prometheus scrapes. The endpoint is served on its own listen address
//! (`--metrics-addr`), never on the public one, so it needs no authentication of its own.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::server::clock;
use crate::server::state::AppState;

/// Request latency buckets, in seconds: 1 ms to 10 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder, once; later calls return the same handle. `None` when
/// another recorder was installed first (metrics are then that recorder's).
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            describe();
            Some(handle)
        })
        .clone()
}

fn describe() {
    metrics::describe_counter!(
        "tohu_http_requests_total",
        "HTTP requests by route and status"
    );
    metrics::describe_histogram!(
        "tohu_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "time to answer an HTTP request, by route"
    );
    metrics::describe_counter!(
        "tohu_registrations_total",
        "registration attempts by outcome"
    );
    metrics::describe_gauge!("tohu_outbox_unsent", "emails waiting to be sent");
    metrics::describe_gauge!(
        "tohu_outbox_oldest_unsent_seconds",
        metrics::Unit::Seconds,
        "age of the oldest email waiting to be sent (0 when none waits)"
    );
    metrics::describe_gauge!("tohu_search_revision", "catalogue revision the index holds");
    metrics::describe_gauge!(
        "tohu_search_build_seconds",
        metrics::Unit::Seconds,
        "time the current search index took to build"
    );
    metrics::describe_gauge!("tohu_db_pool_connections", "open database connections");
    metrics::describe_gauge!("tohu_db_pool_idle", "idle database connections");
    metrics::describe_counter!(
        "tohu_api_refused_total",
        "public API requests refused over the per-address limit"
    );
    metrics::describe_counter!(
        "tohu_credentials_checked_total",
        "credentials checked on /verify, by whether every check passed"
    );
}

/// Counts every request and times it, labelled with the route's pattern (never the path a
/// client sent: that would put references and search words in labels, and let a script
/// grow the label set without end).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    // Methods are a client's choice too: the known ones, else "other".
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m,
        _ => "other",
    }
    .to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("tohu_http_requests_total",
        "method" => method.clone(), "route" => route.clone(), "status" => status)
    .increment(1);
    metrics::histogram!("tohu_http_request_duration_seconds",
        "method" => method, "route" => route)
    .record(started.elapsed().as_secs_f64());
    res
}

/// One registration attempt's outcome: `confirmed`, `waitlisted`, or why it was refused.
pub fn registration(outcome: &'static str) {
    metrics::counter!("tohu_registrations_total", "outcome" => outcome).increment(1);
}

/// The search index now serving: its revision and how long it took to build.
pub fn search_index(revision: i64, build: std::time::Duration) {
    metrics::gauge!("tohu_search_revision").set(revision as f64);
    metrics::gauge!("tohu_search_build_seconds").set(build.as_secs_f64());
}

/// The scrape endpoint, for the metrics listener.
pub fn router(state: AppState, handle: PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state((state, handle))
}

async fn scrape(State((state, handle)): State<(AppState, PrometheusHandle)>) -> Response {
    read_database(&state).await;
    handle.run_upkeep();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

/// Gauges the database knows: the outbox and the pool. A failed read leaves the last figures
/// (and logs), so a scrape still answers while the database is away.
async fn read_database(state: &AppState) {
    let pool = &state.db.pool;
    metrics::gauge!("tohu_db_pool_connections").set(f64::from(pool.size()));
    metrics::gauge!("tohu_db_pool_idle").set(pool.num_idle() as f64);
    let backlog = sqlx::query_as::<_, (i64, Option<String>)>(
        "SELECT COUNT(*), MIN(created_at) FROM outbox \
         WHERE sent_at IS NULL AND given_up_at IS NULL",
    )
    .fetch_one(pool)
    .await;
    match backlog {
        Ok((unsent, oldest)) => {
            metrics::gauge!("tohu_outbox_unsent").set(unsent as f64);
            let age = oldest
                .and_then(|t| clock::parse(&t))
                .map(|t| {
                    (time::OffsetDateTime::now_utc() - t)
                        .as_seconds_f64()
                        .max(0.0)
                })
                .unwrap_or(0.0);
            metrics::gauge!("tohu_outbox_oldest_unsent_seconds").set(age);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: outbox not read"),
    }
    let snapshot = state.search.snapshot();
    search_index(snapshot.revision, snapshot.build_time);
}
