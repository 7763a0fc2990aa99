//! The public API's errors as RFC 9457 problem details (`application/problem+json`): a
//! client reads the status, a title that names the kind of problem, a detail for people,
//! and for a bad request every parameter that was wrong and why.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// A problem with a request (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem, the same for every occurrence of it.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time, for people.
    pub detail: String,
    /// For 400: each parameter that was wrong.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub errors: Vec<ParamError>,
    /// For 429: seconds until a request will be answered again (as the `Retry-After`
    /// header says).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub retry_after: Option<u64>,
}

/// One parameter that was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ParamError {
    /// The query or path parameter, as the request named it.
    pub parameter: String,
    pub message: String,
}

impl ParamError {
    pub fn new(parameter: &str, message: impl Into<String>) -> Self {
        Self {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }
}

impl Problem {
    fn of(status: StatusCode, detail: String) -> Self {
        Self {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 400, listing every wrong parameter.
    pub fn bad_request(errors: Vec<ParamError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!(
                "The parameter `{}` is not valid: {}",
                one.parameter, one.message
            ),
            _ => format!("{} parameters are not valid.", errors.len()),
        };
        Self {
            errors,
            ..Self::of(StatusCode::BAD_REQUEST, detail)
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::of(StatusCode::NOT_FOUND, format!("No {what} has that name."))
    }

    pub fn too_many(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::of(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many requests from your network in a short time. Try again in \
                     {retry_after} s."
                ),
            )
        }
    }

    /// 500 with nothing of the cause (that goes to the log).
    pub fn internal() -> Self {
        Self::of(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Please try again.".to_owned(),
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if let Some(secs) = retry {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

impl From<sqlx::Error> for Problem {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "public API read failed");
        Problem::internal()
    }
}
