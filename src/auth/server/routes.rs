//! Sign-in and sign-out as plain form POSTs: one path that works with and without
//! JavaScript. A refused sign-in renders the page again with the email kept (never the
//! password) and one message for an unknown email and a wrong password alike.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use time::OffsetDateTime;

use crate::auth::server::backend::{BackendError, Credentials};
use crate::auth::server::device;
use crate::auth::server::guard::{AuthSession, SIGNED_IN_AT};
use crate::auth::server::throttle::{self, Verdict};
use crate::auth::server::work::{WorkError, BUSY, RETRY_AFTER_SECS};
use crate::auth::types::{safe_next, PasswordRefusal, SignInForm, SignInRefused};
use crate::error::AppError;
use crate::server::client::ClientAddr;
use crate::server::email::email_key;
use crate::server::limits::in_words;
use crate::server::rerender;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/forgot-password", post(forgot_password))
        .route("/reset-password", post(reset_password))
}

#[derive(Debug, serde::Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Queues a link for the account, if there is one, and says the same thing either way:
/// an unknown address, a known one and a known one past its 3 emails an hour all get the
/// same redirect. Limited per network too (its own allowance, not sign-in's), so it cannot
/// be used to mail-bomb, and never spends the owner's sign-in tries.
async fn forgot_password(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    Form(form): Form<ForgotForm>,
) -> Response {
    let email = form.email.trim().to_owned();
    let refuse = |status: StatusCode, errors, message: Option<String>| {
        let refused = PasswordRefusal {
            email: email.chars().take(254).collect(),
            errors,
            message,
        };
        let state = state.clone();
        async move { rerender::with_submission(&state, "/forgot-password", refused, status).await }
    };
    if email.is_empty() || email.len() > 254 || !email.contains('@') {
        let e = vec![crate::error::FieldError {
            field: "email".into(),
            message: "Enter the email address you sign in with.".into(),
        }];
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, e, None).await;
    }
    if let Err(wait) = state.sign_in_throttle.reset_allowed(address) {
        let message = format!(
            "Too many requests from your network. Please try again in {}.",
            in_words(wait)
        );
        let res = refuse(StatusCode::TOO_MANY_REQUESTS, vec![], Some(message)).await;
        return retry_after(res, wait);
    }
    let key = email_key(&email);
    let sent = match throttle::reset_email_allowed(&state.db.pool, &key).await {
        Ok(true) => crate::auth::server::password::request_reset(&state.db.pool, &email).await,
        Ok(false) => Ok(()),
        Err(e) => Err(e.into()),
    };
    match sent {
        Ok(()) => Redirect::to("/forgot-password?sent=1").into_response(),
        Err(_) => unavailable(),
    }
}

#[derive(Debug, serde::Deserialize)]
struct ResetForm {
    #[serde(default)]
    user: i64,
    #[serde(default)]
    expires: i64,
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// Sets the password through an emailed link, then sends the person to sign in.
async fn reset_password(State(state): State<AppState>, Form(form): Form<ResetForm>) -> Response {
    use crate::auth::server::password::{set_password, PasswordLink};
    let link = PasswordLink {
        user: form.user,
        expires: form.expires,
        token: form.token.chars().take(64).collect(),
    };
    let (status, errors, message) = match set_password(
        &state.db.pool,
        &state.links,
        &link,
        &form.password,
        &form.confirm,
    )
    .await
    {
        Ok(()) => return Redirect::to("/sign-in?password_set=1").into_response(),
        Err(AppError::Refused { errors, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, message)
        }
        Err(AppError::Busy) => (
            StatusCode::SERVICE_UNAVAILABLE,
            vec![],
            Some(BUSY.to_owned()),
        ),
        Err(_) => return unavailable(),
    };
    let path = format!(
        "/reset-password?user={}&expires={}&token={}",
        link.user,
        link.expires,
        crate::catalogue::query::encode_component(&link.token)
    );
    let refused = PasswordRefusal {
        email: String::new(),
        errors,
        message,
    };
    busy_retry(rerender::with_submission(&state, &path, refused, status).await)
}

const WRONG: &str = "That email and password do not match an account. Check both and try again.";

async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    mut auth: AuthSession,
    Form(form): Form<SignInForm>,
) -> Response {
    // What the page shows back is bounded, whatever was sent.
    let shown: String = form.email.chars().take(254).collect();
    // Where to go once signed in: a path on this site, or the overview.
    let next = safe_next(&form.next).unwrap_or("").to_owned();
    let refuse = |status: StatusCode, message: &str| {
        let refusal = SignInRefused {
            email: shown.clone(),
            message: message.to_owned(),
            next: next.clone(),
        };
        refused(&state, status, refusal)
    };
    let email = form.email.trim();
    if email.is_empty()
        || email.len() > 254
        || form.password.is_empty()
        || form.password.len() > 1024
    {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter your email and your password.",
        )
        .await;
    }
    let key = email_key(&form.email);
    let account = throttle::account(&key);
    let trusted = device::trusted(&state.links, &headers, &account);
    let attempt = match state
        .sign_in_throttle
        .allow(&state.db.pool, &key, address, trusted)
        .await
    {
        Ok(Verdict::Try(attempt)) => attempt,
        Ok(Verdict::Wait(wait)) => {
            let message = format!(
                "Too many sign-in attempts. Please wait {}, then try again.",
                in_words(wait)
            );
            let res = refuse(StatusCode::TOO_MANY_REQUESTS, &message).await;
            return retry_after(res, wait);
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in throttle unavailable");
            return unavailable();
        }
    };
    let creds = Credentials {
        email: form.email.clone(),
        password: form.password.clone(),
    };
    let user = match auth.authenticate(creds).await {
        Ok(Some(user)) => {
            // A right password is not a guess.
            if let Err(e) = attempt.forget(&state.db.pool).await {
                tracing::warn!(error = %e, "sign-in attempt not taken back");
            }
            user
        }
        Ok(None) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, WRONG).await,
        Err(axum_login::Error::Backend(BackendError::Work(WorkError::Busy))) => {
            // The password was never checked: not a guess.
            if let Err(e) = attempt.forget(&state.db.pool).await {
                tracing::warn!(error = %e, "sign-in attempt not taken back");
            }
            return refuse(StatusCode::SERVICE_UNAVAILABLE, BUSY).await;
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed");
            return unavailable();
        }
    };
    // Every sign-in gets a new session id (axum-login cycles it only for a session that was
    // not signed in), so no id known before sign-in is worth anything after it.
    if auth.session.cycle_id().await.is_err() || auth.login(&user).await.is_err() {
        return unavailable();
    }
    let now = OffsetDateTime::now_utc().unix_timestamp();
    if auth.session.insert(SIGNED_IN_AT, now).await.is_err() {
        return unavailable();
    }
    tracing::info!(user_id = user.id, "signed in");
    let mut res = match next.as_str() {
        "" => Redirect::to("/dashboard"),
        next => Redirect::to(next),
    }
    .into_response();
    let secure = state.public_url().starts_with("https://");
    if let Some(cookie) = device::remember(&state.links, &headers, &account, secure) {
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    res
}

/// `res` with a `Retry-After` of `wait`, in whole seconds rounded up (at least 1).
fn retry_after(mut res: Response, wait: std::time::Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    res
}

/// Ends the session and deletes it on the server.
async fn sign_out(mut auth: AuthSession) -> Response {
    if auth.logout().await.is_err() {
        return unavailable();
    }
    Redirect::to("/sign-in?signed_out=1").into_response()
}

fn unavailable() -> Response {
    busy_retry(
        (
            StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal.to_string(),
        )
            .into_response(),
    )
}

async fn refused(state: &AppState, status: StatusCode, refusal: SignInRefused) -> Response {
    let res = rerender::with_submission(state, "/sign-in", refusal, status).await;
    busy_retry(res)
}

/// A 503 says when to try again (`Retry-After`), unless it already does. A 429 always
/// carries the wait the throttle computed (`retry_after`).
fn busy_retry(mut res: Response) -> Response {
    if res.status() == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert_with(|| HeaderValue::from(RETRY_AFTER_SECS));
    }
    res
}
