//! Dashboard server functions. Each calls `require` first (401 anonymous, 403 wrong role)
//! and passes the user's scope to SQL, so a coordinator of one organisation reads and
//! changes nothing of another's. They stay thin: the work is in `server/`.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::dashboard::types::{
    AccountsView, BulkOutcome, CatalogueList, Completions, IntakeChange, IntakeSummary, NewAccount,
    Overview, RecordForm, RecordKind, RegistrationAction, RegistrationDetail, RegistrationsPage,
    RegistrationsQuery,
};
use crate::error::AppError;
use crate::registration::types::RegistrationStatus;

#[cfg(feature = "ssr")]
use crate::auth::types::Role;

/// The overview's figures for the signed-in coordinator's organisation.
#[server(endpoint = "dashboard/overview", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_overview() -> Result<Overview, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::overview::overview(&state.db.pool, user.scope()?, &state.clock())
        .await
}

/// One page of the registrations the signed-in coordinator may see.
#[server(endpoint = "dashboard/registrations", output = crate::codec::JsonText, input = GetUrl)]
pub async fn list_registrations(query: RegistrationsQuery) -> Result<RegistrationsPage, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    let state = crate::server::state::app_state()?;
    let mut page =
        crate::dashboard::server::registrations::page(&state.db.pool, user.scope()?, &query)
            .await?;
    page.actions = RegistrationAction::BULK
        .into_iter()
        .filter(|a| a.allowed_for(user.role))
        .collect();
    Ok(page)
}

/// One registration with its timeline; "not found" for another organisation's.
#[server(endpoint = "dashboard/registration", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_registration_detail(reference: String) -> Result<RegistrationDetail, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    let state = crate::server::state::app_state()?;
    let today = state.clock().today_iso();
    crate::dashboard::server::detail::detail(
        &state.db.pool,
        user.scope()?,
        user.role,
        &reference,
        &today,
    )
    .await
}

/// Confirm, withdraw, complete (with the date the learner met the requirements), issue a
/// credential, resend or note one registration, with a reason.
#[server(endpoint = "dashboard/registration/act", output = crate::codec::JsonText)]
pub async fn act_on_registration(
    reference: String,
    action: RegistrationAction,
    #[server(default)] reason: String,
    #[server(default)] achieved_on: String,
) -> Result<RegistrationStatus, AppError> {
    use crate::dashboard::server::actions::{act, Acting, Site};
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    if !action.allowed_for(user.role) {
        return Err(AppError::Forbidden);
    }
    let state = crate::server::state::app_state()?;
    let acting = Acting {
        action,
        reason: &reason,
        achieved_on: &achieved_on,
    };
    act(
        &state.db.pool,
        user.scope()?,
        user.id,
        &reference,
        acting,
        &Site::of(&state),
    )
    .await
}

/// One status change for every selected registration (a completion with the date the
/// learners met the requirements).
#[server(endpoint = "dashboard/registrations/change", output = crate::codec::JsonText)]
pub async fn change_registrations(
    #[server(default)] references: Vec<String>,
    action: RegistrationAction,
    #[server(default)] reason: String,
    #[server(default)] achieved_on: String,
) -> Result<BulkOutcome, AppError> {
    use crate::dashboard::server::actions::{bulk, Acting, Site};
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    if !action.allowed_for(user.role) {
        return Err(AppError::Forbidden);
    }
    let state = crate::server::state::app_state()?;
    let acting = Acting {
        action,
        reason: &reason,
        achieved_on: &achieved_on,
    };
    bulk(
        &state.db.pool,
        user.scope()?,
        user.id,
        &references,
        acting,
        &Site::of(&state),
    )
    .await
}

/// The NZQA worksheet: completions not yet reported, those missing an NSN or a listing
/// number apart.
#[server(endpoint = "dashboard/completions", output = crate::codec::JsonText, input = GetUrl)]
pub async fn list_completions() -> Result<Completions, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::completions::list(&state.db.pool, user.scope()?).await
}

/// Marks the chosen completions reported to NZQA; how many were.
#[server(endpoint = "dashboard/completions/reported", output = crate::codec::JsonText)]
pub async fn mark_reported(#[server(default)] ids: Vec<String>) -> Result<u64, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::completions::mark_reported(
        &state.db.pool,
        user.scope()?,
        user.id,
        &ids,
    )
    .await
}

/// The provider's intakes, soonest first.
#[server(endpoint = "dashboard/intakes", output = crate::codec::JsonText, input = GetUrl)]
pub async fn list_intakes() -> Result<Vec<IntakeSummary>, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::intakes::list(&state.db.pool, user.scope()?).await
}

/// One intake of the provider's; "not found" for another organisation's.
#[server(endpoint = "dashboard/intake", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_intake(id: i64) -> Result<IntakeSummary, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::intakes::one(&state.db.pool, user.scope()?, id).await
}

/// Changes an intake's capacity and dates; learners hear of new dates.
#[server(endpoint = "dashboard/intake/change", output = crate::codec::JsonText)]
pub async fn change_intake(id: i64, change: IntakeChange) -> Result<IntakeSummary, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    let edit = crate::dashboard::server::intakes::Edit::Change(change);
    crate::dashboard::server::intakes::edit(&state, user.scope()?, user.id, id, edit).await
}

/// Closes enrolment now, or cancels the intake; its learners are told.
#[server(endpoint = "dashboard/intake/close", output = crate::codec::JsonText)]
pub async fn close_intake(
    id: i64,
    cancel: bool,
    #[server(default)] reason: String,
) -> Result<IntakeSummary, AppError> {
    use crate::dashboard::server::intakes::{edit, Edit};
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    let what = match cancel {
        true => Edit::Cancel(reason),
        false => Edit::Close(reason),
    };
    edit(&state, user.scope()?, user.id, id, what).await
}

/// The accounts the signed-in coordinator sees (an admin: all; a provider's coordinator:
/// the employer coordinators their organisation invited; an employer's coordinator: their
/// organisation's, read-only), the roles they may invite and, for an admin, the
/// organisations to choose from.
#[server(endpoint = "dashboard/users", output = crate::codec::JsonText, input = GetUrl)]
pub async fn list_accounts() -> Result<AccountsView, AppError> {
    let (scope, _) = account_scope().await?;
    let state = crate::server::state::app_state()?;
    let pool = &state.db.pool;
    Ok(AccountsView {
        accounts: crate::dashboard::server::users::list(pool, scope).await?,
        roles: scope.roles(),
        organisations: crate::dashboard::server::users::organisations(pool, scope).await?,
    })
}

/// Invites a coordinator: their account, and an email with a link to choose a password.
#[server(endpoint = "dashboard/users/add", output = crate::codec::JsonText)]
pub async fn add_account(account: NewAccount) -> Result<i64, AppError> {
    let who = account_scope().await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::users::add(&state.db.pool, who, &account).await
}

/// Disables or re-enables an account the coordinator manages (never their own).
#[server(endpoint = "dashboard/users/access", output = crate::codec::JsonText)]
pub async fn set_account_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    let who = account_scope().await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::users::set_disabled(&state.db.pool, who, id, disabled).await
}

/// Whose accounts the signed-in coordinator sees, and their own id.
#[cfg(feature = "ssr")]
async fn account_scope() -> Result<(crate::dashboard::server::users::AccountScope, i64), AppError> {
    use crate::auth::server::guard::Scope;
    use crate::dashboard::server::users::AccountScope;
    let user = crate::auth::server::guard::require(&[Role::Provider, Role::Employer]).await?;
    let scope = match user.scope()? {
        Scope::All => AccountScope::Admin,
        Scope::ProviderOrg(org) => AccountScope::Provider(org),
        Scope::EmployerOrg(org) => AccountScope::Employer(org),
    };
    Ok((scope, user.id))
}

/// The catalogue editor's list: what the signed-in coordinator may edit (employers 403).
#[server(endpoint = "dashboard/catalogue", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_catalogue() -> Result<CatalogueList, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::catalogue::list(&state, &user).await
}

/// One record's form ("new" for an empty one; a new intake names its credential). The
/// listing is administrators'; an intake its provider's (another provider's: not found).
#[server(endpoint = "dashboard/catalogue/record", output = crate::codec::JsonText, input = GetUrl)]
pub async fn get_record(
    kind: RecordKind,
    key: String,
    #[server(default)] credential: String,
) -> Result<RecordForm, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::catalogue::form(&state, &user, kind, &key, &credential).await
}

/// Saves a record's form read at `version`: the address of its page. A refusal names
/// each field; a copy someone saved over meanwhile answers 409 with the values now.
#[server(endpoint = "dashboard/catalogue/save", output = crate::codec::JsonText)]
pub async fn save_record(
    kind: RecordKind,
    key: String,
    #[server(default)] credential: String,
    version: i64,
    #[server(default)] values: std::collections::BTreeMap<String, String>,
) -> Result<String, AppError> {
    let user = crate::auth::server::guard::require(&[Role::Provider]).await?;
    let state = crate::server::state::app_state()?;
    crate::dashboard::server::catalogue::save(
        &state,
        &user,
        kind,
        &key,
        &credential,
        version,
        values,
    )
    .await
}
