//! The badges' addresses: an issuer's profile (`/issuers/{id}`), a signed status list
//! (`/status-lists/{n}`), `/verify`'s form POST, plain or multipart (an uploaded `.json` or
//! baked `.svg`), answered with the page and its report, and a learner's downloads behind
//! their registration's secret link (`/registrations/{reference}/credential.json` and
//! `badge.svg`, `?token=`). Public JSON-LD documents are served as `application/ld+json`,
//! cacheable for a minute, readable from any origin; a learner's downloads are private and
//! never cached.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use crate::badges::server::{issue, issuer, status, svg, verify};
use crate::badges::types::{Verified, VerifyInput, VerifyReport};
use crate::error::AppError;
use crate::registration::server::lookup;
use crate::server::client::ClientAddr;
use crate::server::rerender;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/issuers/{id}", get(issuer_profile))
        .route("/status-lists/{list}", get(status_list))
        .route("/verify", axum::routing::post(verify_post))
        .route(
            "/registrations/{reference}/credential.json",
            get(download_json),
        )
        .route("/registrations/{reference}/badge.svg", get(download_svg))
        .layer(axum::extract::DefaultBodyLimit::max(
            verify::MAX_BYTES + 16 * 1024,
        ))
}

fn ld_json(value: &Value) -> Response {
    let mut res = (StatusCode::OK, value.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

async fn issuer_profile(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if uuid::Uuid::parse_str(&id).is_err() {
        return AppError::NotFound.into_response();
    }
    match issuer::profile(&state.db.pool, &id, &state.public_url(), &state.issuer_keys).await {
        Ok(Some(profile)) => ld_json(&profile),
        Ok(None) => AppError::NotFound.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

async fn status_list(State(state): State<AppState>, Path(list): Path<String>) -> Response {
    let Ok(list) = list.parse::<i64>() else {
        return AppError::NotFound.into_response();
    };
    let base = state.public_url();
    match status::credential(&state.db.pool, list, &base, &state.issuer_keys).await {
        Ok(Some(Ok(list))) => ld_json(&list),
        Ok(Some(Err(e))) => {
            tracing::error!(error = %e, "a status list would not canonicalise");
            AppError::Internal.into_response()
        }
        Ok(None) => AppError::NotFound.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    token: String,
}

/// The signed credential of the registration behind a learner's secret link, while it
/// stands; with what names the file.
async fn learner_credential(
    state: &AppState,
    reference: &str,
    token: &str,
) -> Result<(Value, crate::badges::server::credential::Issued), AppError> {
    let pool = &state.db.pool;
    let id = lookup::registration_id(pool, &state.links, reference, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let issued = issue::of_registration(pool, id)
        .await?
        .filter(|i| i.status == "active")
        .ok_or(AppError::NotFound)?;
    let signed = issued
        .signed(&state.public_url(), &state.issuer_keys)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "an issued credential would not canonicalise");
            AppError::Internal
        })?;
    Ok((signed, issued))
}

fn attachment(body: String, content_type: &'static str, file: &str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

async fn download_json(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Query(q): Query<Token>,
) -> Response {
    match learner_credential(&state, &reference, &q.token).await {
        Ok((signed, issued)) => {
            let file = format!("{}-credential.json", issued.recorded.listing.slug);
            attachment(signed.to_string(), "application/ld+json", &file)
        }
        Err(e) => e.into_response(),
    }
}

async fn download_svg(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Query(q): Query<Token>,
) -> Response {
    match learner_credential(&state, &reference, &q.token).await {
        Ok((signed, issued)) => {
            let listing = &issued.recorded.listing;
            let svg = svg::bake(
                &signed.to_string(),
                &listing.title,
                &issued.recorded.issuer_name,
            );
            attachment(svg, "image/svg+xml", &format!("{}-badge.svg", listing.slug))
        }
        Err(e) => e.into_response(),
    }
}

/// What the form sent: pasted JSON (`credential`) or a file (`file`), and the optional name
/// and email to compare.
async fn read_input(
    state: &AppState,
    req: Request,
) -> Result<VerifyInput, (VerifyInput, VerifyReport, StatusCode)> {
    let too_large = |input: VerifyInput, field: &str| {
        let report = VerifyReport::Unreadable {
            field: field.to_owned(),
            message: format!(
                "That is over {} KB; a credential or badge is far smaller.",
                verify::MAX_BYTES / 1024
            ),
        };
        (input, report, StatusCode::PAYLOAD_TOO_LARGE)
    };
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| too_large(VerifyInput::default(), "credential"))?;
        let input: VerifyInput = serde_html_form::from_bytes(&bytes).unwrap_or_default();
        return Ok(input);
    }
    let mut form = Multipart::from_request(req, state)
        .await
        .map_err(|_| too_large(VerifyInput::default(), "file"))?;
    let mut input = VerifyInput::default();
    let mut upload: Option<(String, Bytes)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large(input, "file"))
            }
            Err(_) => break,
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(_) => return Err(too_large(input, "file")),
        };
        if bytes.len() > verify::MAX_BYTES {
            let field = if name == "file" { "file" } else { "credential" };
            return Err(too_large(input, field));
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "credential" => input.credential = text(),
            "name" => input.name = text(),
            "email" => input.email = text(),
            "file" if !bytes.is_empty() => upload = Some((file_name, bytes.clone())),
            _ => {}
        }
    }
    if let Some((file_name, bytes)) = upload {
        match verify::from_upload(&file_name, &bytes) {
            Ok(json) => input.credential = json,
            Err(report) => return Err((input, report, StatusCode::UNPROCESSABLE_ENTITY)),
        }
    }
    Ok(input)
}

/// `/verify`'s POST: the page again, with the report (422 when the credential could not be
/// read, 413 when it is too large, 429 over the limit).
async fn verify_post(State(state): State<AppState>, client: ClientAddr, req: Request) -> Response {
    let answer = |input: VerifyInput, report: VerifyReport, status: StatusCode| {
        let state = state.clone();
        async move {
            rerender::with_submission(&state, "/verify", Verified { input, report }, status).await
        }
    };
    if let Err(AppError::Limited(message)) = state.limits.verify(client.0) {
        let report = VerifyReport::Unreadable {
            field: "credential".to_owned(),
            message,
        };
        return answer(
            VerifyInput::default(),
            report,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let input = match read_input(&state, req).await {
        Ok(input) => input,
        Err((input, report, status)) => return answer(input, report, status).await,
    };
    match verify::check(&state, &input).await {
        Ok(report) => {
            let status = match report {
                VerifyReport::Unreadable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                VerifyReport::Checked { .. } => StatusCode::OK,
            };
            metrics::counter!("tohu_credentials_checked_total", "trusted" => report.trusted().to_string())
                .increment(1);
            answer(input, report, status).await
        }
        Err(e) => e.into_response(),
    }
}
