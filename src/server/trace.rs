//! The request log and request ids. Every request gets an id (the load balancer's
//! `X-Request-Id` when it sent one that looks like an id, else a fresh random one), echoed
//! in the response's `X-Request-Id` and carried by a tracing span, so every line logged
//! while answering names it. Spans hold the route's pattern, never the path or query a
//! client sent: paths carry registration references and queries carry what learners typed.
//! Logs are text or JSON (`--log-format`), configured once in `main`.

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use clap::ValueEnum;
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, with the spans (and so the request id) as fields.
    Json,
}

/// Starts logging for the process with `filter` (tracing's syntax).
pub fn init(filter: &str, format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(false)
            .with_span_list(true)
            .init(),
    }
}

/// Sixteen hex digits of randomness per request.
#[derive(Clone, Copy, Debug, Default)]
pub struct NewId;

impl MakeRequestId for NewId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", rand::random::<u64>());
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// Keeps an incoming `X-Request-Id` only when it is 1 to 64 letters, digits, `-`, `_` or
/// `.`; anything else (a script's log injection, a megabyte of text) is dropped and
/// replaced by a fresh id.
pub async fn screen_incoming(mut req: Request, next: Next) -> Response {
    let acceptable = |v: &HeaderValue| {
        let b = v.as_bytes();
        (1..=64).contains(&b.len())
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    };
    if req
        .headers()
        .get(&REQUEST_ID)
        .is_some_and(|v| !acceptable(v))
    {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
}

/// The span every request's log lines sit in.
pub fn span(req: &axum::http::Request<Body>) -> Span {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route)
}
