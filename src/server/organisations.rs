//! Organisations: the providers whose intakes a coordinator manages and the employers who
//! register their staff. Shared by the catalogue import (providers), accounts and group
//! registration, so it lives with the platform.
//!
//! Two ways in, on purpose. Operators (`tohu user add --org`, the catalogue import) run with
//! server access and match an organisation by its name ([`ensure`]). In the dashboard a
//! typed name never decides membership (issue 27: a provider joined an account to another
//! provider's employer by typing its name): an invitation may only create an organisation
//! ([`create`]), refused when the name is taken; joining an existing one is an
//! administrator's choice from a list, by id.
//!
//! Each organisation gets a random permanent `public_id` when it is made: the address of its
//! Open Badges issuer profile, which every credential it issues names (never its name).

use sqlx::{Any, AnyPool, Transaction};
use unicode_normalization::UnicodeNormalization;

use crate::server::clock;

/// How two names are compared: Unicode NFC, surrounding spaces dropped, inner runs of
/// spaces made one, lower-cased (macrons included: "Ōtaki" is "ōtaki").
pub fn name_key(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The id of the organisation of `kind` ("provider" or "employer") whose name is `name`
/// (compared by [`name_key`]), created when there is none. Operators' path only.
pub async fn ensure(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    name: &str,
) -> Result<i64, sqlx::Error> {
    if let Some(id) = create(tx, kind, name, None).await? {
        return Ok(id);
    }
    sqlx::query_scalar("SELECT id FROM organisations WHERE kind = $1 AND name_key = $2")
        .bind(kind.to_owned())
        .bind(name_key(name))
        .fetch_one(&mut **tx)
        .await
}

/// Creates the organisation of `kind` called `name` (with its NZBN, if given) and returns
/// its id; `None` when one of that kind and name already exists, which is left unchanged.
pub async fn create(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    name: &str,
    nzbn: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    // No conflict target: either unique index (exact name, or its key) means "exists".
    sqlx::query_scalar(
        "INSERT INTO organisations (name, name_key, kind, nzbn, created_at, public_id) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(name.trim().to_owned())
    .bind(name_key(name))
    .bind(kind.to_owned())
    .bind(nzbn.map(str::to_owned))
    .bind(clock::now())
    .bind(uuid::Uuid::new_v4().to_string())
    .fetch_optional(&mut **tx)
    .await
}

/// Keys the organisations made before names had keys (start-up, after the migrations).
/// Where two old rows share a key, the first keeps it and the others stay unkeyed: they
/// still exist for their members, and the keyed one answers for the name.
pub async fn key_unkeyed(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, kind, name FROM organisations WHERE name_key IS NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut keyed = 0;
    for (id, kind, name) in rows {
        let key = name_key(&name);
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM organisations WHERE kind = $1 AND name_key = $2")
                .bind(kind)
                .bind(key.clone())
                .fetch_optional(pool)
                .await?;
        if taken.is_some() {
            tracing::warn!(
                organisation_id = id,
                "organisation shares its name with another"
            );
            continue;
        }
        keyed += sqlx::query("UPDATE organisations SET name_key = $1 WHERE id = $2")
            .bind(key)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected();
    }
    Ok(keyed)
}

/// An organisation an administrator can add a coordinator to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

/// Every organisation, by kind then name (the administrator's list).
pub async fn all(pool: &AnyPool) -> Result<Vec<OrganisationRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, kind FROM organisations ORDER BY kind DESC, name LIMIT 5000")
        .fetch_all(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn names_compare_ignoring_case_and_spaces() {
        assert_eq!(name_key("  Pine Crew Ltd "), "pine crew ltd");
        assert_eq!(name_key("PINE   crew\tLTD"), name_key("Pine Crew Ltd"));
        assert_eq!(name_key("Ōtaki Forestry"), name_key("ōtaki forestry"));
        // A macron written as O + combining macron is the same letter.
        assert_eq!(name_key("O\u{304}taki"), name_key("Ōtaki"));
        assert_ne!(name_key("Pine Crew Ltd"), name_key("Pine Crew Limited"));
    }
}
