//! One error type for the whole app: what the browser may see, and the HTTP status it means.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("We couldn't find that page.")]
    NotFound,
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("That request could not be understood.")]
    BadRequest,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Invalid { .. } => 422,
            AppError::BadRequest => 400,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Internal,
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
