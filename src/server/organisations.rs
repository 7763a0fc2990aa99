//! Organisations: the providers whose intakes a coordinator manages and the employers who
//! register their staff. Shared by the catalogue import (providers), accounts and, later,
//! group registration, so it lives with the platform.

use sqlx::{Any, Transaction};

use crate::server::clock;

/// The id of the organisation of `kind` ("provider" or "employer") called `name`, created
/// when it does not exist yet.
pub async fn ensure(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    name: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (name, kind, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, name) DO NOTHING",
    )
    .bind(name.to_owned())
    .bind(kind.to_owned())
    .bind(clock::now())
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar("SELECT id FROM organisations WHERE kind = $1 AND name = $2")
        .bind(kind.to_owned())
        .bind(name.to_owned())
        .fetch_one(&mut **tx)
        .await
}
