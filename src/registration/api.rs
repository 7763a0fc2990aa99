//! Registration's server functions. `register` is the registration island's submit
//! (`registration::ui::form::RegisterForm`); it reaches the same `server::flow` as the form's
//! plain POST, so both give the same refusals. `get_registration` and `cancel_registration`
//! serve the confirmation page behind the learner's link: POSTs, so the token travels in the
//! body, not in an address that logs keep. `group_page` is the employer's group page's read
//! (GET; employer coordinators only).

use leptos::prelude::*;

use crate::error::AppError;
use crate::registration::types::RegistrationForm;
use crate::registration::types::{RegistrationOutcome, RegistrationView};

/// Registers for an intake. Refusals (a field error, a full intake, a duplicate) come back
/// as [`AppError::Refused`] with HTTP 422, which the browser's client decodes.
#[server(endpoint = "registration/register", output = crate::codec::JsonText)]
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
#[server(endpoint = "registration/get", output = crate::codec::JsonText)]
pub async fn get_registration(
    reference: String,
    token: String,
) -> Result<Option<RegistrationView>, AppError> {
    let state = crate::server::state::app_state()?;
    if reference.len() > 20 || token.len() > 64 {
        return Ok(None);
    }
    crate::registration::server::lookup::find(
        &state.db.pool,
        &state.links,
        &reference,
        &token,
        &state.public_url(),
    )
    .await
}

/// Cancels through the secret link; frees the seat for the first learner on the waitlist.
#[server(endpoint = "registration/cancel", output = crate::codec::JsonText)]
pub async fn cancel_registration(reference: String, token: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    if reference.len() > 20 || token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let client = crate::server::client::ClientAddr::current(&state);
    state.limits.cancel(client.0)?;
    use crate::registration::server::cancel::{cancel, Site};
    let (today, base_url) = (state.clock().today_iso(), state.public_url());
    let site = Site {
        today: &today,
        base_url: &base_url,
    };
    match cancel(&state.db.pool, &state.links, (&reference, &token), site).await? {
        true => Ok(()),
        false => Err(AppError::NotFound),
    }
}

/// The group page for the signed-in employer coordinator: their organisation and the
/// credential's intakes. 401 for nobody signed in, 403 for any other role.
#[server(endpoint = "registration/group_page", output = crate::codec::JsonText, input = leptos::server_fn::codec::GetUrl)]
pub async fn group_page(
    slug: String,
) -> Result<Option<crate::registration::group::GroupPage>, AppError> {
    use crate::auth::{server::guard, types::Role};
    let state = crate::server::state::app_state()?;
    let user = guard::require(&[Role::Employer]).await?;
    let crate::registration::server::place::Enroller::Employer { org_name, .. } =
        crate::registration::server::group::submit::employer(&state, &user).await?
    else {
        return Err(AppError::Forbidden);
    };
    if slug.len() > 120 {
        return Ok(None);
    }
    let today = state.clock().today_iso();
    let credential =
        crate::catalogue::server::detail::detail(&state.db.pool, &slug, &today).await?;
    Ok(
        credential.map(|credential| crate::registration::group::GroupPage {
            employer: org_name,
            credential,
        }),
    )
}
