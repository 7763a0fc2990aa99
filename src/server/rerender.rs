//! Renders a page again after a plain form POST was refused, with what was submitted in
//! context, so a browser without JavaScript gets the form back with every value and its
//! messages, under the status that says why (422, 429).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use crate::app::shell;
use crate::auth::server::guard::AuthSession;
use crate::server::state::AppState;

/// The page at `path`, rendered with `submitted` in context, answered with `status`.
pub async fn with_submission<T>(
    state: &AppState,
    path: &str,
    submitted: T,
    status: StatusCode,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    render(state, path, submitted, status, None).await
}

/// `with_submission` for a page only its signed-in user may see: the page's own server
/// functions read the same session the POST came with.
pub async fn with_submission_as<T>(
    state: &AppState,
    path: &str,
    submitted: T,
    status: StatusCode,
    session: AuthSession,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    render(state, path, submitted, status, Some(session)).await
}

async fn render<T>(
    state: &AppState,
    path: &str,
    submitted: T,
    status: StatusCode,
    session: Option<AuthSession>,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let options = state.leptos_options.clone();
    let app_state = state.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(app_state.clone());
            provide_context(submitted.clone());
        },
        move || shell(options.clone()),
    );
    let Ok(mut req) = Request::get(path).body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if let Some(session) = session {
        req.extensions_mut().insert(session);
    }
    let mut res = handler(req).await.into_response();
    *res.status_mut() = status;
    res
}
