//! The badges' server function: the public page of an issued credential reads it here.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::badges::types::PublicBadge;
use crate::error::AppError;

/// What anyone may read of credential `id` (its UUID): the achievement, the issuer and the
/// status, never the learner; `None` for an id this Tohu did not issue.
#[server(endpoint = "badges/public", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_public_badge(id: String) -> Result<Option<PublicBadge>, AppError> {
    let state = crate::server::state::app_state()?;
    if uuid::Uuid::parse_str(&id).is_err() {
        return Ok(None);
    }
    let issued = crate::badges::server::issue::by_id(&state.db.pool, &id).await?;
    Ok(issued.map(|i| i.public(&state.public_url())))
}
