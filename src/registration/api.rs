//! Registration server functions: thin wrappers over `server::registration`. Writes are POST.

use leptos::prelude::*;

use crate::error::AppError;
use crate::registration::types::{RegistrationOutcome, RegistrationView};
use crate::registration::validate::RegistrationForm;

/// Registers for an intake. Refusals (a field error, a full intake, a duplicate) come back
/// as [`AppError::Refused`] with HTTP 422, which the browser's client decodes.
#[server(endpoint = "registration/register")]
pub async fn register(
    slug: String,
    form: RegistrationForm,
) -> Result<RegistrationOutcome, AppError> {
    let state = crate::server::state::app_state()?;
    let client = crate::server::client::ClientAddr::current(&state);
    crate::registration::server::flow::submit(&state, &slug, &form, client).await
}

/// The registration behind a learner's secret link. A POST, so the token travels in the
/// body, not in a URL that logs and caches keep.
#[server(endpoint = "registration/get")]
pub async fn get_registration(
    reference: String,
    token: String,
) -> Result<Option<RegistrationView>, AppError> {
    let state = crate::server::state::app_state()?;
    if reference.len() > 20 || token.len() > 64 {
        return Ok(None);
    }
    Ok(
        crate::registration::server::lookup::find(&state.db.pool, &state.links, &reference, &token)
            .await?,
    )
}

/// Cancels through the secret link; frees the seat for the first learner on the waitlist.
#[server(endpoint = "registration/cancel")]
pub async fn cancel_registration(reference: String, token: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    if reference.len() > 20 || token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let client = crate::server::client::ClientAddr::current(&state);
    state.limits.cancel(client.0)?;
    match crate::registration::server::cancel::cancel(
        &state.db.pool,
        &state.links,
        &reference,
        &token,
        &state.clock().today_iso(),
    )
    .await?
    {
        true => Ok(()),
        false => Err(AppError::NotFound),
    }
}
