//! Account server functions: thin wrappers over `server::guard`.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::auth::types::CurrentUser as Me;
use crate::error::AppError;

/// The signed-in person, or `None`. Answers `Cache-Control: no-store` (it names a person).
#[server(endpoint = "auth/me", output = crate::codec::JsonText, input = GetUrl)]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    crate::auth::server::guard::no_store();
    let state = crate::server::state::app_state()?;
    crate::auth::server::guard::current(&state).await
}

/// Whether a password link still works (unexpired, unused, signed by this server).
#[server(endpoint = "auth/password-link", output = crate::codec::JsonText, input = GetUrl)]
pub async fn password_link_works(user: i64, expires: i64, token: String) -> Result<bool, AppError> {
    use crate::auth::server::password::{check, PasswordLink};
    crate::auth::server::guard::no_store();
    let state = crate::server::state::app_state()?;
    let link = PasswordLink {
        user,
        expires,
        token: token.chars().take(64).collect(),
    };
    Ok(check(&state.db.pool, &state.links, &link).await?.is_some())
}
