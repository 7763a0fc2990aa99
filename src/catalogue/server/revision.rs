//! The catalogue revision: one number every write to the catalogue moves, in the writer's
//! transaction. Each instance's search index follows it (`search::load`), an export records
//! it, and a record edited in the dashboard keeps the revision of its edit, so an import of
//! an older file leaves it alone.

use sqlx::{Any, Transaction};

/// Moves the revision on by one inside `tx`; the new revision.
pub async fn bump(tx: &mut Transaction<'_, Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE catalogue_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision",
    )
    .fetch_one(&mut **tx)
    .await
}
