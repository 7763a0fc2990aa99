//! Registration server functions: thin wrappers over `server::registration`. Writes are POST.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

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
    crate::registration::server::flow::submit(&state, &slug, &form).await
}

/// The registration behind a learner's secret link.
#[server(endpoint = "registration/get", input = GetUrl)]
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
    match crate::registration::server::cancel::cancel(
        &state.db.pool,
        &state.links,
        &reference,
        &token,
    )
    .await?
    {
        true => Ok(()),
        false => Err(AppError::NotFound),
    }
}
