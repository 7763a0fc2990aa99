//! Creating coordinator accounts: from the command line (`tohu user add`, organisation
//! matched or created by name) and from the dashboard's invitations (organisation created
//! new, or chosen by an administrator by id: never joined by a typed name, issue 27).

use sqlx::AnyPool;

use crate::auth::types::Role;
use crate::server::email::email_key;
use crate::server::{clock, organisations};

/// Which organisation a new account coordinates for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership<'a> {
    /// None: an administrator.
    None,
    /// The operator's path (`tohu user add --org NAME`): matched by name, created if new.
    Named(&'a str),
    /// An invitation's new organisation, refused when one of that name exists; with its
    /// NZBN, set in the same transaction.
    New {
        name: &'a str,
        nzbn: Option<&'a str>,
    },
    /// An existing organisation an administrator chose from the list; an NZBN given is set.
    Existing { id: i64, nzbn: Option<&'a str> },
}

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
    #[error("an organisation with that name already exists")]
    OrganisationExists,
    #[error("no {0} organisation has that id")]
    NoSuchOrganisation(&'static str),
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
    let membership = organisation.map_or(Membership::None, Membership::Named);
    let mut tx = pool.begin().await?;
    let organisation_id = join(&mut tx, role, membership).await?;
    let id = insert(
        &mut tx,
        email,
        name,
        role,
        organisation_id,
        Some(hash),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds an account without a password and emails its owner a link to choose one (valid
/// for 7 days), in the same transaction as its organisation, if new. `invited_by` is the
/// provider organisation whose coordinator invited an employer coordinator (`None`: an
/// admin or the command line).
pub async fn invite_user(
    pool: &AnyPool,
    email: &str,
    name: &str,
    role: Role,
    membership: Membership<'_>,
    invited_by: Option<i64>,
) -> Result<i64, AddUserError> {
    let mut tx = pool.begin().await?;
    let organisation_id = join(&mut tx, role, membership).await?;
    let id = insert(
        &mut tx,
        email,
        name,
        role,
        organisation_id,
        None,
        invited_by,
    )
    .await?;
    let org: Option<String> = match organisation_id {
        Some(org) => {
            sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let org = org.unwrap_or_else(|| "administrator".to_owned());
    crate::auth::server::password::invite(&mut tx, id, name.trim(), email.trim(), &org).await?;
    tx.commit().await?;
    Ok(id)
}

/// The organisation the account joins, as `membership` says, checked against `role`.
async fn join(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    role: Role,
    membership: Membership<'_>,
) -> Result<Option<i64>, AddUserError> {
    let kind = match (role, membership) {
        (Role::Admin, Membership::None) => return Ok(None),
        (Role::Admin, _) => return Err(AddUserError::AdminWithOrganisation),
        (r, Membership::None) => return Err(AddUserError::MissingOrganisation(r.as_str())),
        (Role::Provider, _) => "provider",
        (Role::Employer, _) => "employer",
    };
    match membership {
        Membership::None => Ok(None),
        Membership::Named(name) => Ok(Some(organisations::ensure(tx, kind, name.trim()).await?)),
        Membership::New { name, nzbn } => organisations::create(tx, kind, name, nzbn)
            .await?
            .map(Some)
            .ok_or(AddUserError::OrganisationExists),
        Membership::Existing { id, nzbn } => {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND kind = $2")
                    .bind(id)
                    .bind(kind.to_owned())
                    .fetch_optional(&mut **tx)
                    .await?;
            let id = found.ok_or(AddUserError::NoSuchOrganisation(kind))?;
            if let Some(nzbn) = nzbn {
                sqlx::query("UPDATE organisations SET nzbn = $1 WHERE id = $2")
                    .bind(nzbn.to_owned())
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(Some(id))
        }
    }
}

async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &str,
    name: &str,
    role: Role,
    organisation_id: Option<i64>,
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
