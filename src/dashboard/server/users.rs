//! Coordinator accounts: list them, invite a new one (an email with a link to choose a
//! password; nobody else ever knows it), disable and re-enable. An admin manages every
//! account; a provider's coordinator invites employer coordinators and manages those their
//! organisation invited (`Manager`), scoped in each query. A disabled account's sessions
//! end at its next request, and its emailed links stop working.

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
    nzbn: Option<String>,
    disabled: i64,
    password_hash: Option<String>,
}

/// Who manages accounts: an admin, or the provider organisation whose coordinator invites
/// employer coordinators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Admin,
    Provider(i64),
}

impl Manager {
    /// The roles this manager may invite.
    pub fn roles(self) -> Vec<Role> {
        match self {
            Manager::Admin => vec![Role::Provider, Role::Employer, Role::Admin],
            Manager::Provider(_) => vec![Role::Employer],
        }
    }

    /// The condition on `users u` for the accounts this manager sees (binds `$1`).
    fn condition(self) -> (&'static str, i64) {
        match self {
            Manager::Admin => ("$1 = $1", 0),
            Manager::Provider(org) => ("u.invited_by_org_id = $1 AND u.role = 'employer'", org),
        }
    }
}

pub async fn list(pool: &AnyPool, manager: Manager) -> Result<Vec<Account>, AppError> {
    let (condition, bind) = manager.condition();
    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
        "SELECT u.id, u.email, u.name, u.role, o.name AS organisation, o.nzbn, u.disabled, u.password_hash \
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id \
         WHERE {condition} ORDER BY o.name, u.name LIMIT 1000"
    ))
    .bind(bind)
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
            nzbn: r.nzbn,
            disabled: r.disabled != 0,
            invited: r.password_hash.is_none(),
        })
        .collect())
}

/// Checks the form field by field, then invites. A provider's coordinator may invite only
/// employer coordinators (anything else is refused as forbidden: the page offers no other).
pub async fn add(pool: &AnyPool, manager: Manager, form: &NewAccount) -> Result<i64, AppError> {
    let role = Role::parse(&form.role);
    if role.is_some_and(|r| !manager.roles().contains(&r)) {
        return Err(AppError::Forbidden);
    }
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
    let nzbn: String = form.nzbn.chars().filter(|c| !c.is_whitespace()).collect();
    if !nzbn.is_empty() {
        if role != Some(Role::Employer) {
            refuse("nzbn", "Only an employer's NZBN is kept: leave this empty.");
        } else if !nzbn_ok(&nzbn) {
            refuse(
                "nzbn",
                "An NZBN is 13 digits, starting 94 (look it up at nzbn.govt.nz).",
            );
        }
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Err(AppError::Refused {
            errors,
            message: None,
        });
    };
    let org = (!organisation.is_empty()).then_some(organisation);
    let invited_by = match manager {
        Manager::Admin => None,
        Manager::Provider(org) => Some(org),
    };
    let nzbn = (!nzbn.is_empty()).then_some(nzbn.as_str());
    invite_user(pool, email, name, role, (org, nzbn), invited_by)
        .await
        .map_err(|e| match e {
            AddUserError::Exists => {
                AppError::field("email", "An account with that email already exists.")
            }
            AddUserError::Db(e) => AppError::from(e),
            other => AppError::form(other.to_string()),
        })
}

/// A New Zealand Business Number: 13 digits (a GS1 global location number, New Zealand's
/// prefix 94) whose last is the GS1 check digit, so a mistyped digit is caught here.
fn nzbn_ok(n: &str) -> bool {
    let digits: Vec<u32> = n.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 13 || n.len() != 13 || !n.starts_with("94") {
        return false;
    }
    let sum: u32 = digits[..12]
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    (10 - sum % 10) % 10 == digits[12]
}

/// Disables or re-enables account `id`, one the manager sees (else "not found"); nobody
/// disables their own account.
pub async fn set_disabled(
    pool: &AnyPool,
    (manager, own_id): (Manager, i64),
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    // A provider's coordinator manages only the employers they invited, never themselves
    // ("not found" below); an admin sees their own account and is told why not.
    if id == own_id && disabled && manager == Manager::Admin {
        return Err(AppError::form("You cannot disable your own account."));
    }
    // Disabling also revokes any password link already emailed.
    let (condition, bind) = manager.condition();
    let changed = sqlx::query(&format!(
        "UPDATE users SET disabled = $2, link_version = link_version + $3 \
         WHERE id = $4 AND id IN (SELECT u.id FROM users u WHERE {condition})"
    ))
    .bind(bind)
    .bind(i64::from(disabled))
    .bind(i64::from(disabled))
    .bind(id)
    .execute(pool)
    .await?
    .rows_affected();
    match changed {
        1 => {
            tracing::info!(
                by = own_id,
                user_id = id,
                disabled,
                "account access changed"
            );
            Ok(())
        }
        _ => Err(AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::nzbn_ok;

    #[test]
    fn an_nzbn_is_13_digits_with_its_check_digit() {
        assert!(nzbn_ok("9429041535776"));
        assert!(!nzbn_ok("9429041535775"), "a digit off");
        assert!(!nzbn_ok("942904153577"), "12 digits");
        assert!(!nzbn_ok("1429041535776"), "not a New Zealand number");
    }
}
