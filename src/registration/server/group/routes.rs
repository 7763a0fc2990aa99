//! `POST /credentials/{slug}/group`: the group page's multipart form (the upload needs
//! one), with or without JavaScript. The server answers with the same page, rendered with
//! the preview or the result in context, under the status that says what happened (200;
//! 422 to fix something; 409 when "all together or none" could not seat everyone; 429 when
//! the list would take the account past its rows per 24 hours).

use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

use crate::auth::server::guard::{require_in, AuthSession};
use crate::auth::types::Role;
use crate::error::{AppError, FieldError};
use crate::registration::group::GroupForm;
use crate::registration::server::group::parse::{self, ParseError, MAX_BYTES};
use crate::registration::server::group::submit::{employer, submit, Step};
use crate::server::rerender;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/credentials/{slug}/group",
        // The paste box and a file, each at most 1 MB, and the form's other fields.
        post(group_post).layer(DefaultBodyLimit::max(2 * MAX_BYTES + 64 * 1024)),
    )
}

/// The form as sent: its fields, and a problem with the upload (too large, not UTF-8).
async fn read(mut multipart: Multipart) -> (GroupForm, Step, Option<FieldError>) {
    let mut form = GroupForm::default();
    let mut step = Step::Check;
    let mut problem = None;
    let too_large = || FieldError {
        field: "file".to_owned(),
        message: ParseError::TooLarge.to_string(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return (form, step, problem),
            // A body over the limit ends here; anything else unreadable is treated alike.
            Err(_) => return (form, step, Some(too_large())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Ok(bytes) = bytes(field).await else {
            return (form, step, Some(too_large()));
        };
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "intake" => form.intake = text(),
            "rows" => form.rows = text(),
            "all_or_none" => form.all_or_none = true,
            "attest" => form.attest = true,
            "step" => step = Step::parse(&text()),
            "file" if !bytes.is_empty() => match parse::text(&bytes) {
                Ok(t) => form.rows = t.to_owned(),
                Err(e) => {
                    problem = Some(FieldError {
                        field: "file".to_owned(),
                        message: e.to_string(),
                    })
                }
            },
            _ => {}
        }
    }
}

/// A field's bytes, refused past the size any one field may have.
async fn bytes(mut field: Field<'_>) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ParseError::TooLarge)? {
        if out.len() + chunk.len() > MAX_BYTES {
            return Err(ParseError::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

async fn group_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    mut auth: AuthSession,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let user = match require_in(&mut auth, &[Role::Employer]).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/sign-in").into_response(),
        Err(e) => return refused(e),
    };
    let by = match employer(&state, &user).await {
        Ok(by) => by,
        Err(e) => return refused(e),
    };
    let Ok(multipart) = multipart else {
        return (
            StatusCode::BAD_REQUEST,
            "Send the group form from its page.",
        )
            .into_response();
    };
    let (form, step, upload_error) = read(multipart).await;
    match submit(&state, &slug, &by, form, upload_error, step).await {
        Ok((page, status)) => {
            let path = format!("/credentials/{slug}/group");
            rerender::with_submission_as(&state, &path, page, status, auth).await
        }
        Err(e) => refused(e),
    }
}

/// `AppError`'s own answer, with what a signed-in non-employer should do instead.
fn refused(e: AppError) -> Response {
    match e {
        AppError::Forbidden => (
            StatusCode::FORBIDDEN,
            "Group registration is for employers' coordinators. Sign in with your \
             organisation's coordinator account.",
        )
            .into_response(),
        e => e.into_response(),
    }
}
