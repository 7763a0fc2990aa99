//! Registration's plain HTTP route: the form's POST without JavaScript, answered with a
//! redirect to the confirmation (POST/redirect/GET) or the form again with HTTP 422.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};

use crate::error::AppError;
use crate::registration::server::flow;
use crate::registration::types::RegistrationForm;
use crate::registration::types::Submitted;
use crate::server::client::ClientAddr;
use crate::server::rerender;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credentials/{slug}/register", post(registration_post))
        .merge(crate::registration::server::group::routes::routes())
}

/// The registration form's POST without JavaScript: redirect to the confirmation on
/// success (POST/redirect/GET), or render the form again with every typed value and the
/// errors, answering 422 (429 when over a limit).
async fn registration_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    client: ClientAddr,
    Form(form): Form<RegistrationForm>,
) -> Response {
    let (errors, message, status) = match flow::submit(&state, &slug, &form, client).await {
        Ok(outcome) => return Redirect::to(&outcome.link()).into_response(),
        Err(AppError::Refused { errors, message }) => {
            (errors, message, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::Limited(message)) => (vec![], Some(message), StatusCode::TOO_MANY_REQUESTS),
        Err(_) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "We could not save your registration just now. Please go back and try again.",
            )
                .into_response()
        }
    };
    let submitted = Submitted {
        form,
        errors,
        message,
    };
    let path = format!("/credentials/{slug}/register");
    rerender::with_submission(&state, &path, submitted, status).await
}
