//! Coordinator accounts: list them, invite a new one (an email with a link to choose a
//! password; nobody else ever knows it), disable and re-enable. An admin manages every
//! account and adds a coordinator to an existing organisation by choosing it from a list; a
//! provider's coordinator invites employer coordinators into a new organisation only (a
//! typed name never joins an existing one, issue 27) and manages those their organisation
//! invited; an employer's coordinator sees, read-only, who coordinates for their
//! organisation. Each is scoped in SQL (`AccountScope`). Disabling ends the account's
//! sessions at once (it bumps the version in their session hash); only an administrator
//! re-enables an account an administrator disabled.

use sqlx::AnyPool;

use crate::auth::server::users::{invite_user, AddUserError, Membership};
use crate::auth::types::Role;
use crate::dashboard::types::{Account, NewAccount, OrganisationChoice};
use crate::error::{AppError, FieldError};
use crate::server::clock;

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    organisation: Option<String>,
    nzbn: Option<String>,
    disabled: i64,
    disabled_by_admin: i64,
    password_hash: Option<String>,
    invited_by: Option<String>,
}

/// Whose accounts a coordinator sees: an admin every account; a provider's coordinator the
/// employer coordinators their organisation invited (and manages them); an employer's
/// coordinator those of their own organisation (read-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountScope {
    Admin,
    Provider(i64),
    Employer(i64),
}

impl AccountScope {
    /// The roles this coordinator may invite (none: they manage no accounts).
    pub fn roles(self) -> Vec<Role> {
        match self {
            AccountScope::Admin => vec![Role::Provider, Role::Employer, Role::Admin],
            AccountScope::Provider(_) => vec![Role::Employer],
            AccountScope::Employer(_) => vec![],
        }
    }

    /// The condition on `users u` for the accounts this coordinator sees (binds `$1`).
    fn condition(self) -> (&'static str, i64) {
        match self {
            AccountScope::Admin => ("$1 = $1", 0),
            AccountScope::Provider(org) => {
                ("u.invited_by_org_id = $1 AND u.role = 'employer'", org)
            }
            AccountScope::Employer(org) => ("u.organisation_id = $1", org),
        }
    }
}

pub async fn list(pool: &AnyPool, scope: AccountScope) -> Result<Vec<Account>, AppError> {
    let (condition, bind) = scope.condition();
    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
        "SELECT u.id, u.email, u.name, u.role, o.name AS organisation, o.nzbn, u.disabled, \
           u.disabled_by_admin, u.password_hash, i.name AS invited_by \
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id \
           LEFT JOIN organisations i ON i.id = u.invited_by_org_id \
         WHERE {condition} ORDER BY o.name, u.name LIMIT 1000"
    ))
    .bind(bind)
    .fetch_all(pool)
    .await?;
    let admin = scope == AccountScope::Admin;
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
            disabled_by_admin: r.disabled_by_admin != 0,
            invited: r.password_hash.is_none(),
            // Only an administrator is told who invited whom.
            invited_by: r.invited_by.filter(|_| admin),
        })
        .collect())
}

/// The organisations an administrator may add a coordinator to; nobody else gets a list.
pub async fn organisations(
    pool: &AnyPool,
    scope: AccountScope,
) -> Result<Vec<OrganisationChoice>, AppError> {
    if scope != AccountScope::Admin {
        return Ok(Vec::new());
    }
    Ok(crate::server::organisations::all(pool)
        .await?
        .into_iter()
        .map(|o| OrganisationChoice {
            id: o.id,
            name: o.name,
            employer: o.kind == "employer",
        })
        .collect())
}

/// "That account already exists" answers one provider's coordinator may get in a day:
/// beyond it their invitations wait, so the form cannot be used to probe which addresses
/// have coordinator accounts.
pub const EXISTS_ANSWERS_PER_DAY: i64 = 10;

/// Checks the form field by field, then invites. A provider's coordinator may invite only
/// employer coordinators, into a new organisation (anything else is refused as forbidden:
/// the page offers no other).
pub async fn add(
    pool: &AnyPool,
    (scope, own_id): (AccountScope, i64),
    form: &NewAccount,
) -> Result<i64, AppError> {
    let role = Role::parse(&form.role);
    let chosen = form.organisation_id.trim();
    let provider = match scope {
        AccountScope::Admin => None,
        AccountScope::Provider(org) if chosen.is_empty() => Some(org),
        _ => return Err(AppError::Forbidden),
    };
    if role.is_some_and(|r| !scope.roles().contains(&r)) {
        return Err(AppError::Forbidden);
    }
    if provider.is_some() {
        probe_guard(pool, own_id).await?;
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
    let existing = match chosen {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                refuse("organisation", "Choose an organisation from the list.");
                None
            }
        },
    };
    let organisation = form.organisation.trim();
    match role {
        None => refuse("role", "Choose a role."),
        Some(Role::Admin) if !organisation.is_empty() || existing.is_some() => refuse(
            "organisation",
            "An administrator belongs to no organisation: leave this empty.",
        ),
        Some(Role::Provider | Role::Employer) if organisation.is_empty() && existing.is_none() => {
            refuse(
                "organisation",
                match provider {
                    Some(_) => "Enter the name of their employer (a new organisation).",
                    None => "Choose their organisation, or enter a new one's name.",
                },
            )
        }
        Some(_) if !organisation.is_empty() && existing.is_some() => refuse(
            "organisation",
            "Choose an organisation from the list or enter a new one's name, not both.",
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
    let nzbn = (!nzbn.is_empty()).then_some(nzbn.as_str());
    let membership = match (role, existing) {
        (Role::Admin, _) => Membership::None,
        (_, Some(id)) => Membership::Existing { id, nzbn },
        (_, None) => Membership::New {
            name: organisation,
            nzbn,
        },
    };
    let outcome = invite_user(pool, email, name, role, membership, provider).await;
    if matches!(outcome, Err(AddUserError::Exists)) && provider.is_some() {
        count_exists_answer(pool, own_id).await?;
    }
    outcome.map_err(|e| match e {
        AddUserError::Exists => {
            AppError::field("email", "An account with that email already exists.")
        }
        AddUserError::OrganisationExists => AppError::field(
            "organisation",
            match provider {
                Some(_) => {
                    "An organisation with that name already exists: ask an administrator \
                     to add this person."
                }
                None => "An organisation with that name already exists: choose it from the list.",
            },
        ),
        AddUserError::NoSuchOrganisation(kind) => AppError::field(
            "organisation",
            format!("Choose an {kind} organisation for this role."),
        ),
        AddUserError::Db(e) => AppError::from(e),
        other => AppError::form(other.to_string()),
    })
}

/// Refuses a provider's coordinator who has had [`EXISTS_ANSWERS_PER_DAY`] "already exists"
/// answers in the last 24 hours.
async fn probe_guard(pool: &AnyPool, own_id: i64) -> Result<(), AppError> {
    let answers: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM limit_events WHERE kind = 'invite_exists' AND subject = $1 \
         AND at > $2",
    )
    .bind(own_id.to_string())
    .bind(clock::from_now(-time::Duration::days(1)))
    .fetch_one(pool)
    .await?;
    if answers >= EXISTS_ANSWERS_PER_DAY {
        return Err(AppError::Limited(
            "Too many invitations went to addresses that already have accounts today. \
             Please try again tomorrow, or ask an administrator."
                .to_owned(),
        ));
    }
    Ok(())
}

async fn count_exists_answer(pool: &AnyPool, own_id: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO limit_events (kind, subject, at) VALUES ('invite_exists', $1, $2)")
        .bind(own_id.to_string())
        .bind(clock::now())
        .execute(pool)
        .await?;
    Ok(())
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

/// Disables or re-enables account `id`, one the coordinator manages (else "not found");
/// nobody disables their own account. Disabling bumps the account's version, which ends
/// every session (it is part of the session hash, `auth::server::backend`) and revokes any
/// password link already emailed; re-enabling revives neither. An account an administrator
/// disabled stays disabled for a provider's coordinator.
pub async fn set_disabled(
    pool: &AnyPool,
    (scope, own_id): (AccountScope, i64),
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    if matches!(scope, AccountScope::Employer(_)) {
        return Err(AppError::Forbidden);
    }
    // A provider's coordinator manages only the employers they invited, never themselves
    // ("not found" below); an admin sees their own account and is told why not.
    if id == own_id && disabled && scope == AccountScope::Admin {
        return Err(AppError::form("You cannot disable your own account."));
    }
    let admin = scope == AccountScope::Admin;
    let (condition, bind) = scope.condition();
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT u.disabled_by_admin FROM users u WHERE u.id = $2 AND {condition}"
    ))
    .bind(bind)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    match found {
        None => return Err(AppError::NotFound),
        Some(1) if !admin && !disabled => {
            return Err(AppError::form(
                "An administrator disabled this account: only an administrator can \
                 re-enable it.",
            ))
        }
        Some(_) => {}
    }
    let changed = sqlx::query(&format!(
        "UPDATE users SET disabled = $2, link_version = link_version + $3, \
           disabled_by_admin = CASE WHEN $2 = 0 THEN 0 WHEN $4 = 1 THEN 1 \
             ELSE disabled_by_admin END \
         WHERE id = $5 AND id IN (SELECT u.id FROM users u WHERE {condition}) \
           AND ($6 = 1 OR disabled_by_admin = 0 OR $2 = 1)"
    ))
    .bind(bind)
    .bind(i64::from(disabled))
    .bind(i64::from(disabled))
    .bind(i64::from(disabled && admin))
    .bind(id)
    .bind(i64::from(admin))
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
