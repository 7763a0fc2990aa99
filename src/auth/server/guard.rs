//! Who is signed in, and what may they see? Sessions end after 30 minutes idle (the session
//! layer) or 12 hours after sign-in (checked here: tower-sessions has no absolute expiry).

use axum::http::{header, HeaderValue};
use leptos::prelude::use_context;
use time::OffsetDateTime;

use crate::auth::server::backend::{Backend, User};
use crate::auth::types::{CurrentUser, Role};
use crate::error::AppError;
use crate::server::state::AppState;

pub type AuthSession = axum_login::AuthSession<Backend>;

/// Session key: Unix seconds of the sign-in.
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// The longest a sign-in lasts, however busy.
pub const ABSOLUTE_LIFETIME_SECS: i64 = 12 * 60 * 60;

/// The signed-in user of this session, if the session is still within its 12 hours;
/// a session past them is ended here.
pub async fn signed_in(auth: &mut AuthSession) -> Result<Option<User>, AppError> {
    let Some(user) = auth.user.clone() else {
        return Ok(None);
    };
    let since: Option<i64> = auth.session.get(SIGNED_IN_AT).await.unwrap_or(None);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    if since.is_none_or(|t| now - t >= ABSOLUTE_LIFETIME_SECS) {
        auth.logout().await.map_err(|_| AppError::Internal)?;
        return Ok(None);
    }
    Ok(Some(user))
}

async fn session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|_| {
        tracing::error!("auth session layer missing");
        AppError::Internal
    })
}

/// Which rows a signed-in user may see: every organisation's (admin), their provider's
/// intakes, or the registrations their employer made. Every coordinator query filters by it
/// in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    ProviderOrg(i64),
    EmployerOrg(i64),
}

impl User {
    pub fn scope(&self) -> Result<Scope, AppError> {
        match (self.role, self.organisation_id) {
            (Role::Admin, _) => Ok(Scope::All),
            (Role::Provider, Some(org)) => Ok(Scope::ProviderOrg(org)),
            (Role::Employer, Some(org)) => Ok(Scope::EmployerOrg(org)),
            // The schema forbids this; refuse rather than guess.
            _ => Err(AppError::Forbidden),
        }
    }
}

/// The signed-in user if their role is one of `roles` (admins pass every check): 401 when
/// nobody is signed in, 403 when the role does not fit. Every coordinator server function
/// calls this first; the page guard alone protects nothing.
pub async fn require(roles: &[Role]) -> Result<User, AppError> {
    no_store();
    let mut auth = session().await?;
    require_in(&mut auth, roles).await
}

/// `require` for a plain axum handler that holds the session itself.
pub async fn require_in(auth: &mut AuthSession, roles: &[Role]) -> Result<User, AppError> {
    let user = signed_in(auth).await?.ok_or(AppError::Unauthorized)?;
    if user.role == Role::Admin || roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in person for pages, with their organisation's name.
pub async fn current(state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    let mut auth = session().await?;
    let Some(user) = signed_in(&mut auth).await? else {
        return Ok(None);
    };
    let organisation: Option<String> = match user.organisation_id {
        Some(id) => {
            sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
                .bind(id)
                .fetch_optional(&state.db.pool)
                .await?
        }
        None => None,
    };
    Ok(Some(CurrentUser {
        name: user.name,
        email: user.email,
        role: user.role,
        organisation,
    }))
}

/// Marks this response as personal: no cache may keep it.
pub fn no_store() {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// The answer to someone not signed in at `uri` (a plain route: a CSV, a form's POST): the
/// sign-in page, which comes back to `uri` afterwards.
pub fn to_sign_in(uri: &axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let here = uri.path_and_query().map_or("/dashboard", |p| p.as_str());
    axum::response::Redirect::to(&crate::auth::types::sign_in_for(here)).into_response()
}
