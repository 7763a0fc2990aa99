//! Account server functions: thin wrappers over `server::guard`.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::auth::types::CurrentUser as Me;
use crate::error::AppError;

/// The signed-in person, or `None`. Answers `Cache-Control: no-store` (it names a person).
#[server(endpoint = "auth/me", input = GetUrl)]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    crate::auth::server::guard::no_store();
    let state = crate::server::state::app_state()?;
    crate::auth::server::guard::current(&state).await
}
