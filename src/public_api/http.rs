//! What every `/api/v1` answer shares, around the handlers: the per-address limit (429
//! problem+json with `Retry-After`), CORS for reads from any origin (GET and HEAD only;
//! a preflight answers 204), `Cache-Control: public, max-age=60`, and an `ETag` with
//! `If-None-Match` → 304.
//!
//! The ETag is the catalogue revision and a digest of the body: seats left and enrolment
//! states are in the body, so a seat taken changes it, and a client that polls pays for
//! a body only when something it can see changed.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::public_api::problem::Problem;
use crate::server::client::client_ip;
use crate::server::state::AppState;

/// The largest body given an ETag (the feed at 1,000 events is well under it); a larger
/// one is passed on without.
const MAX_TAGGED_BODY: usize = 8 * 1024 * 1024;

pub const CACHE: &str = "public, max-age=60";

pub async fn around(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if method == Method::OPTIONS {
        return preflight();
    }
    let reading = method == Method::GET || method == Method::HEAD;
    let (parts, body) = req.into_parts();
    let client = client_ip(&parts, &state.config.trusted_proxies);
    let mut req = Request::from_parts(parts, body);
    if let Err(wait) = state.limits.api(client) {
        metrics::counter!("tohu_api_refused_total").increment(1);
        let mut res = Problem::too_many(wait.as_secs().max(1)).into_response();
        if reading {
            allow_any_origin(res.headers_mut());
        }
        return res;
    }
    if !reading {
        // Only reads are served here; the router answers 405 with `Allow`.
        return next.run(req).await;
    }
    // A HEAD is answered as the GET would be, then without its body: the ETag is the same.
    *req.method_mut() = Method::GET;
    let wanted = req.headers().get(header::IF_NONE_MATCH).cloned();
    let res = next.run(req).await;
    let mut res = tagged(&state, res, wanted.as_ref()).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    allow_any_origin(h);
    if method == Method::HEAD {
        let (parts, _) = res.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    res
}

fn allow_any_origin(h: &mut HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Retry-After"),
    );
}

/// A CORS preflight: reads from any origin, with the headers a cached read sends.
fn preflight() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Accept, If-None-Match"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    res
}

/// Adds the ETag to a 200, or answers 304 when the client already holds that version.
async fn tagged(state: &AppState, res: Response, wanted: Option<&HeaderValue>) -> Response {
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_TAGGED_BODY).await else {
        tracing::warn!("API answer too large to tag");
        return Problem::internal().into_response();
    };
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{}-{hex}\"", state.search.snapshot().revision);
    let Ok(value) = HeaderValue::from_str(&etag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if wanted.is_some_and(|w| matches(w, &etag)) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        res.headers_mut().insert(header::ETAG, value);
        return res;
    }
    parts.headers.insert(header::ETAG, value);
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether an `If-None-Match` list names `etag` (or is `*`); weak tags compare too.
fn matches(wanted: &HeaderValue, etag: &str) -> bool {
    let Ok(list) = wanted.to_str() else {
        return false;
    };
    list.split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let tag = "\"7-00ff\"";
        for (header, hit) in [
            ("\"7-00ff\"", true),
            ("W/\"7-00ff\"", true),
            ("\"1-aa\", \"7-00ff\"", true),
            ("*", true),
            ("\"7-00fe\"", false),
        ] {
            assert_eq!(
                matches(&HeaderValue::from_static(header), tag),
                hit,
                "{header}"
            );
        }
    }
}
