//! An admin's view of coordinator accounts: list them, invite a new one (an email with a
//! link to choose a password; nobody else ever knows it), disable and re-enable. A disabled
//! account's sessions end at its next request, and its emailed links stop working.

use sqlx::AnyPool;

use crate::auth::server::users::{invite_user, AddUserError};
use crate::auth::types::Role;
use crate::dashboard::types::{Account, NewAccount};
use crate::error::{AppError, FieldError};

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    organisation: Option<String>,
    disabled: i64,
    password_hash: Option<String>,
}

pub async fn list(pool: &AnyPool) -> Result<Vec<Account>, AppError> {
    let rows: Vec<AccountRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.role, o.name AS organisation, u.disabled, u.password_hash \
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id \
         ORDER BY o.name, u.name LIMIT 1000",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Account {
            id: r.id,
            email: r.email,
            name: r.name,
            role: Role::parse(&r.role).unwrap_or(Role::Provider),
            organisation: r.organisation,
            disabled: r.disabled != 0,
            invited: r.password_hash.is_none(),
        })
        .collect())
}

/// Checks the form field by field, then invites.
pub async fn add(pool: &AnyPool, form: &NewAccount) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let mut refuse = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        })
    };
    let email = form.email.trim();
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        refuse(
            "email",
            "Enter their email address, like name@example.co.nz.",
        );
    }
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        refuse("name", "Enter their name (up to 100 characters).");
    }
    let role = Role::parse(&form.role);
    let organisation = form.organisation.trim();
    match role {
        None => refuse("role", "Choose a role."),
        Some(Role::Admin) if !organisation.is_empty() => refuse(
            "organisation",
            "An administrator belongs to no organisation: leave this empty.",
        ),
        Some(Role::Provider | Role::Employer) if organisation.is_empty() => refuse(
            "organisation",
            "Enter the organisation they coordinate for.",
        ),
        _ if organisation.chars().count() > 200 => refuse(
            "organisation",
            "Keep the organisation's name to 200 characters.",
        ),
        _ => {}
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Err(AppError::Refused {
            errors,
            message: None,
        });
    };
    let org = (!organisation.is_empty()).then_some(organisation);
    invite_user(pool, email, name, role, org)
        .await
        .map_err(|e| match e {
            AddUserError::Exists => {
                AppError::field("email", "An account with that email already exists.")
            }
            AddUserError::Db(e) => AppError::from(e),
            other => AppError::form(other.to_string()),
        })
}

/// Disables or re-enables account `id`; an admin cannot disable their own account.
pub async fn set_disabled(
    pool: &AnyPool,
    admin_id: i64,
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    if id == admin_id && disabled {
        return Err(AppError::form("You cannot disable your own account."));
    }
    // Disabling also revokes any password link already emailed.
    let changed = sqlx::query(
        "UPDATE users SET disabled = $1, link_version = link_version + $2 WHERE id = $3",
    )
    .bind(i64::from(disabled))
    .bind(i64::from(disabled))
    .bind(id)
    .execute(pool)
    .await?
    .rows_affected();
    match changed {
        1 => {
            tracing::info!(admin_id, user_id = id, disabled, "account access changed");
            Ok(())
        }
        _ => Err(AppError::NotFound),
    }
}
