//! `POST /dashboard/catalogue/{kind}/{key}`: an editor form sent without JavaScript. The
//! same save as the `save_record` server function; success goes to the record's page (303),
//! a refusal renders the form again with every value typed and each message at its field
//! (422), a stale copy with the values someone saved meanwhile (409).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

use super::fields::Values;
use crate::auth::server::guard::{require_in, to_sign_in, AuthSession};
use crate::auth::types::Role;
use crate::dashboard::types::{RecordKind, RecordSubmission};
use crate::error::AppError;
use crate::server::rerender;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard/catalogue/{kind}/{key}", post(save_post))
}

/// The form's fields: `version`, `credential` and `values[{name}]`.
fn read(body: &[u8]) -> Option<(i64, String, Values)> {
    let pairs: Vec<(String, String)> = serde_html_form::from_bytes(body).ok()?;
    let (mut version, mut credential, mut values) = (0, String::new(), Values::new());
    for (k, v) in pairs {
        match k.as_str() {
            "version" => version = v.trim().parse().ok()?,
            "credential" => credential = v,
            // The address says which record; the server function's copy of it is ignored.
            "kind" | "key" => {}
            _ => {
                let name = k.strip_prefix("values[")?.strip_suffix(']')?;
                values.insert(name.to_owned(), v);
            }
        }
    }
    Some((version, credential, values))
}

async fn save_post(
    State(state): State<AppState>,
    Path((kind, key)): Path<(String, String)>,
    mut auth: AuthSession,
    uri: Uri,
    body: Bytes,
) -> Response {
    let user = match require_in(&mut auth, &[Role::Provider]).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return to_sign_in(&uri),
        Err(e) => return e.into_response(),
    };
    let Some(kind) = RecordKind::from_path(&kind) else {
        return AppError::NotFound.into_response();
    };
    let Some((version, credential, values)) = read(&body) else {
        return AppError::BadRequest.into_response();
    };
    match super::save(
        &state,
        &user,
        kind,
        &key,
        &credential,
        version,
        values.clone(),
    )
    .await
    {
        Ok(href) => Redirect::to(&format!("{href}?saved=1")).into_response(),
        Err(error @ (AppError::Refused { .. } | AppError::Stale { .. })) => {
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let mut path = kind.href(&key);
            if !credential.is_empty() {
                path = format!("{path}?credential={credential}");
            }
            let sent = RecordSubmission {
                version,
                values,
                error,
            };
            rerender::with_submission_as(&state, &path, sent, status, auth).await
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_its_values() {
        let body = b"version=3&credential=&values%5Btitle%5D=Chainsaw+use&values%5Bdelivery_modes.online%5D=on";
        let (version, _, values) = read(body).unwrap();
        assert_eq!(version, 3);
        assert_eq!(values["title"], "Chainsaw use");
        assert_eq!(values["delivery_modes.online"], "on");
        assert!(read(b"version=x").is_none());
        assert!(read(b"other=1").is_none());
    }
}
