//! Registration's plain HTTP route: the form's POST without JavaScript, answered with a
//! redirect to the confirmation (POST/redirect/GET) or the form again with HTTP 422.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use leptos::prelude::provide_context;

use crate::app::shell;
use crate::error::AppError;
use crate::registration::server::flow;
use crate::registration::types::Submitted;
use crate::registration::validate::RegistrationForm;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/credentials/{slug}/register", post(registration_post))
}

/// The registration form's POST without JavaScript: redirect to the confirmation on
/// success (POST/redirect/GET), or render the form again with every typed value and the
/// errors, answering 422.
async fn registration_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Form(form): Form<RegistrationForm>,
) -> Response {
    let (errors, message) = match flow::submit(&state, &slug, &form).await {
        Ok(outcome) => return Redirect::to(&outcome.link()).into_response(),
        Err(AppError::Refused { errors, message }) => (errors, message),
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
    let options = state.leptos_options.clone();
    let app_state = state.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(app_state.clone());
            provide_context(submitted.clone());
        },
        move || shell(options.clone()),
    );
    let uri = format!("/credentials/{slug}/register");
    let Ok(req) = Request::get(uri).body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let mut res = handler(req).await.into_response();
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}
