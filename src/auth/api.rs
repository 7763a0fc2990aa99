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

/// What the server refused when a password page was rendered after a POST: the email
/// (never a password), field messages and a message for the form.
#[server(endpoint = "auth/password-refusal", output = crate::codec::JsonText, input = GetUrl)]
pub async fn password_refusal() -> Result<Option<crate::auth::types::PasswordRefusal>, AppError> {
    crate::auth::server::guard::no_store();
    Ok(use_context::<crate::auth::types::PasswordRefusal>())
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
