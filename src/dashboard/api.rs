//! Dashboard server functions. Each calls `require` first (401 anonymous, 403 wrong role)
//! and passes the user's scope to SQL.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::dashboard::types::{RegistrationsPage, RegistrationsQuery};
use crate::error::AppError;

/// One page of the registrations the signed-in coordinator may see.
#[server(endpoint = "dashboard/registrations", input = GetUrl)]
pub async fn list_registrations(query: RegistrationsQuery) -> Result<RegistrationsPage, AppError> {
    use crate::auth::types::Role;
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::registrations::page(&state.db.pool, user.scope()?, &query).await
}
