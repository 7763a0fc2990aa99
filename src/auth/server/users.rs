//! Creating coordinator accounts (`tohu user add`), with their organisation created or
//! matched by name.

use sqlx::AnyPool;

use crate::auth::types::Role;
use crate::server::email::email_key;
use crate::server::{clock, organisations};

#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("an admin belongs to no organisation; leave out --org")]
    AdminWithOrganisation,
    #[error("a {0} coordinator needs --org (the organisation's name)")]
    MissingOrganisation(&'static str),
    #[error("that is not an email address")]
    BadEmail,
    #[error("a name needs 1 to 100 characters")]
    BadName,
    #[error("a password needs at least 12 characters")]
    ShortPassword,
    #[error("an account with that email already exists")]
    Exists,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Adds an account and returns its id. The password is hashed with argon2id here.
pub async fn add_user(
    pool: &AnyPool,
    email: &str,
    name: &str,
    role: Role,
    organisation: Option<&str>,
    password: &str,
) -> Result<i64, AddUserError> {
    if password.chars().count() < 12 {
        return Err(AddUserError::ShortPassword);
    }
    let hash = password_auth::generate_hash(password);
    let mut tx = pool.begin().await?;
    let id = insert(&mut tx, email, name, role, organisation, Some(hash), None).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds an account without a password and emails its owner a link to choose one (valid
/// for 7 days), in the same transaction, with the employer's NZBN when given. `invited_by`
/// is the provider organisation whose coordinator invited an employer coordinator (`None`:
/// an admin or the command line).
pub async fn invite_user(
    pool: &AnyPool,
    email: &str,
    name: &str,
    role: Role,
    (organisation, nzbn): (Option<&str>, Option<&str>),
    invited_by: Option<i64>,
) -> Result<i64, AddUserError> {
    let mut tx = pool.begin().await?;
    let id = insert(&mut tx, email, name, role, organisation, None, invited_by).await?;
    if let Some(nzbn) = nzbn {
        sqlx::query(
            "UPDATE organisations SET nzbn = $1 \
             WHERE id = (SELECT organisation_id FROM users WHERE id = $2)",
        )
        .bind(nzbn.to_owned())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let org = organisation.unwrap_or("administrator");
    crate::auth::server::password::invite(&mut tx, id, name.trim(), email.trim(), org).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &str,
    name: &str,
    role: Role,
    organisation: Option<&str>,
    hash: Option<String>,
    invited_by: Option<i64>,
) -> Result<i64, AddUserError> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(AddUserError::BadEmail);
    }
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(AddUserError::BadName);
    }
    let kind = match (role, organisation) {
        (Role::Admin, None) => None,
        (Role::Admin, Some(_)) => return Err(AddUserError::AdminWithOrganisation),
        (Role::Provider, Some(_)) => Some("provider"),
        (Role::Employer, Some(_)) => Some("employer"),
        (r, None) => return Err(AddUserError::MissingOrganisation(r.as_str())),
    };
    let organisation_id = match (kind, organisation) {
        (Some(kind), Some(org)) => Some(organisations::ensure(tx, kind, org.trim()).await?),
        _ => None,
    };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, email_key, name, password_hash, role, organisation_id, \
           created_at, invited_by_org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (email_key) DO NOTHING RETURNING id",
    )
    .bind(email.to_owned())
    .bind(email_key(email))
    .bind(name.trim().to_owned())
    .bind(hash)
    .bind(role.as_str())
    .bind(organisation_id)
    .bind(clock::now())
    .bind(invited_by)
    .fetch_optional(&mut **tx)
    .await?;
    id.ok_or(AddUserError::Exists)
}
