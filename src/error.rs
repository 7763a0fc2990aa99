//! One error type for the whole app: what the browser may see, and the HTTP status it means.
//!
//! A refusal (a field the server will not accept, a full intake, a duplicate) is an error
//! too, with HTTP 422: the browser's server-function client reads every non-2xx body as this
//! type, so a refusal carried in an `Ok` value with a 422 status could not be read there.

use crate::codec::JsonTextEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One problem with one field; `field` is the form control's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("We couldn't find that page.")]
    NotFound,
    /// The server refused what was sent: messages tied to fields, and or one for the form.
    #[error("{}", refusal_text(errors, message))]
    Refused {
        errors: Vec<FieldError>,
        message: Option<String>,
    },
    /// Someone saved the record after this copy of it was read: HTTP 409, with the values
    /// it holds now, one per field (each `FieldError`'s `message` is the field's value: the
    /// type every browser build already decodes, so the learner's WASM grows by no new
    /// decoder) and the version to save over.
    #[error("Someone else saved this record after you opened it. Their values are shown under yours: check them, then save again.")]
    Stale {
        current: Vec<FieldError>,
        version: i64,
    },
    #[error("Please sign in to see this page.")]
    Unauthorized,
    #[error("Your account does not have access to this.")]
    Forbidden,
    #[error("That request could not be understood.")]
    BadRequest,
    /// Over a limit meant for scripts (per address, per email): HTTP 429, saying when to
    /// try again.
    #[error("{0}")]
    Limited(String),
    /// The server is at a bound it keeps to stay up (password work, `auth::server::work`):
    /// HTTP 503; the answer says when to try again.
    #[error("Tohu is busy: please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The browser's request got no answer (offline, or the connection dropped); the
    /// server never sends it.
    #[error("Tohu could not be reached: check your connection, then try again.")]
    Unreachable,
}

fn refusal_text(errors: &[FieldError], message: &Option<String>) -> String {
    message
        .clone()
        .or_else(|| errors.first().map(|e| e.message.clone()))
        .unwrap_or_else(|| "Please check what you entered.".to_owned())
}

/// A plain route's answer for an error: its real status and its text, which never holds
/// internal detail (server functions answer through their own codec instead).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status_code())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, self.to_string()).into_response()
    }
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Refused { .. } => 422,
            AppError::Stale { .. } => 409,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::BadRequest => 400,
            AppError::Limited(_) => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
            AppError::Unreachable => 503,
        }
    }

    /// A refusal about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Refused {
            errors: vec![FieldError {
                field: field.to_owned(),
                message: message.into(),
            }],
            message: None,
        }
    }

    /// A refusal about the whole form, not one field.
    pub fn form(message: impl Into<String>) -> Self {
        AppError::Refused {
            errors: vec![],
            message: Some(message.into()),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonTextEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest
            }
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            ServerFnErrorErr::Response(_) => AppError::Internal,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// The database's text stays in the log; the browser gets the plain message.
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser decodes a refusal from the exact bytes the server sends with its 422.
    #[test]
    fn a_refusal_survives_the_wire_with_its_field() {
        let sent = AppError::field("email", "You are already registered for this intake.");
        let bytes = <AppError as FromServerFnError>::ser(&sent);
        let body = String::from_utf8_lossy(bytes.as_ref()).into_owned();
        assert!(
            body.starts_with("{\"Refused\":{\"errors\":[{\"field\":\"email\""),
            "{body}"
        );
        assert_eq!(<AppError as FromServerFnError>::de(bytes), sent);
        assert_eq!(sent.status_code(), 422);
    }

    #[test]
    fn a_form_level_refusal_reads_as_its_message() {
        let e = AppError::form("This micro-credential is not taking new enrolments.");
        assert_eq!(
            e.to_string(),
            "This micro-credential is not taking new enrolments."
        );
    }
}
