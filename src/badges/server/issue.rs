//! Recording a completion's credential, in the completion's own transaction, and reading it
//! back. What is stored is what the credential is built from (`credential::Issued`): the
//! achievement as it is at completion, the issuer's name, the random salt of the email
//! hash, a random status-list entry, and the id of the key that signed it first.

use sqlx::{Any, AnyPool, Transaction};

use crate::badges::server::achievement::{self, Listing};
use crate::badges::server::credential::{Issued, Recorded};
use crate::badges::server::status;
use crate::error::AppError;
use crate::server::clock;

#[derive(sqlx::FromRow)]
struct Source {
    credential_id: i64,
    provider_org_id: Option<i64>,
    issuer_name: Option<String>,
}

/// Records the credential of completed registration `registration_id`, achieved on
/// `achieved_on`, signed by key `key_id`; returns its id. Refused when it has one already.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    registration_id: i64,
    achieved_on: &str,
    key_id: &str,
) -> Result<String, AppError> {
    let held: Option<String> = sqlx::query_scalar(
        "SELECT id FROM issued_credentials WHERE registration_id = $1 AND status = 'active'",
    )
    .bind(registration_id)
    .fetch_optional(&mut **tx)
    .await?;
    if held.is_some() {
        return Err(AppError::form("This learner already has their credential."));
    }
    let source: Source = sqlx::query_as(
        "SELECT i.credential_id, i.provider_org_id, o.name AS issuer_name \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
         LEFT JOIN organisations o ON o.id = i.provider_org_id WHERE r.id = $1",
    )
    .bind(registration_id)
    .fetch_one(&mut **tx)
    .await?;
    let (Some(organisation_id), Some(issuer_name)) = (source.provider_org_id, source.issuer_name)
    else {
        return Err(AppError::form(
            "This intake has no provider organisation to issue the credential; ask an \
             administrator to set the intake's provider.",
        ));
    };
    let listing = achievement::current(tx, Listing::Id(source.credential_id))
        .await?
        .ok_or(AppError::NotFound)?;
    let recorded = serde_json::to_string(&Recorded {
        listing,
        issuer_name,
    })
    .map_err(|_| AppError::Internal)?;
    let (list, index) = status::allocate(tx, organisation_id).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let salt: [u8; 16] = rand::random();
    let salt: String = salt.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query(
        "INSERT INTO issued_credentials (id, registration_id, organisation_id, achieved_on, \
         issued_at, key_id, email_salt, status_list_id, status_index, achievement) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.clone())
    .bind(registration_id)
    .bind(organisation_id)
    .bind(achieved_on.to_owned())
    .bind(clock::now())
    .bind(key_id.to_owned())
    .bind(salt)
    .bind(list)
    .bind(index)
    .bind(recorded)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Revokes the active credential of registration `registration_id`, if it has one, with
/// the coordinator's reason: its status-list bit is set from now on. Its id, if there was
/// one.
pub async fn revoke(
    tx: &mut Transaction<'_, Any>,
    registration_id: i64,
    reason: &str,
) -> Result<Option<String>, AppError> {
    let active: Option<String> = sqlx::query_scalar(
        "SELECT id FROM issued_credentials WHERE registration_id = $1 AND status = 'active'",
    )
    .bind(registration_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = active else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE issued_credentials SET status = 'revoked', revoked_at = $1, revoked_reason = $2 \
         WHERE id = $3",
    )
    .bind(clock::now())
    .bind(reason.to_owned())
    .bind(id.clone())
    .execute(&mut **tx)
    .await?;
    Ok(Some(id))
}

#[derive(sqlx::FromRow)]
struct IssuedRow {
    id: String,
    achieved_on: String,
    issued_at: String,
    status: String,
    email_salt: String,
    status_list_id: i64,
    status_index: i64,
    achievement: String,
    public_id: String,
    given_name: String,
    family_name: String,
    email: String,
}

const SELECT: &str = "SELECT c.id, c.achieved_on, c.issued_at, c.status, c.email_salt, \
     c.status_list_id, c.status_index, c.achievement, o.public_id, r.given_name, \
     r.family_name, r.email FROM issued_credentials c \
     JOIN organisations o ON o.id = c.organisation_id \
     JOIN registrations r ON r.id = c.registration_id";

impl TryFrom<IssuedRow> for Issued {
    type Error = AppError;

    fn try_from(row: IssuedRow) -> Result<Self, AppError> {
        let recorded: Recorded = serde_json::from_str(&row.achievement).map_err(|e| {
            tracing::error!(error = %e, "a stored achievement does not read back");
            AppError::Internal
        })?;
        Ok(Issued {
            id: row.id,
            achieved_on: row.achieved_on,
            issued_at: row.issued_at,
            status: row.status,
            email_salt: row.email_salt,
            status_list_id: row.status_list_id,
            status_index: row.status_index,
            recorded,
            issuer_public_id: row.public_id,
            learner_name: format!("{} {}", row.given_name, row.family_name),
            learner_email: row.email,
        })
    }
}

/// The status of credential `id` whatever is left of it (`active`, `revoked`), if this Tohu
/// issued it: after a privacy erase, only its id and status remain.
pub async fn status_of(pool: &AnyPool, id: &str) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT status FROM issued_credentials WHERE id = $1")
            .bind(id.to_owned())
            .fetch_optional(pool)
            .await?,
    )
}

/// The credential with id `id` (a UUID), if this Tohu issued it and still holds what it
/// said (not erased).
pub async fn by_id(pool: &AnyPool, id: &str) -> Result<Option<Issued>, AppError> {
    let row: Option<IssuedRow> =
        sqlx::query_as(&format!("{SELECT} WHERE c.id = $1 AND c.achievement <> ''"))
            .bind(id.to_owned())
            .fetch_optional(pool)
            .await?;
    row.map(Issued::try_from).transpose()
}

/// The latest credential of registration `registration_id` (the active one, or the last
/// revoked), if it has one.
pub async fn of_registration(
    pool: &AnyPool,
    registration_id: i64,
) -> Result<Option<Issued>, AppError> {
    let row: Option<IssuedRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.registration_id = $1 AND c.achievement <> '' \
         ORDER BY c.status = 'active' DESC, c.issued_at DESC, c.id LIMIT 1"
    ))
    .bind(registration_id)
    .fetch_optional(pool)
    .await?;
    row.map(Issued::try_from).transpose()
}
