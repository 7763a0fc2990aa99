//! Cancelling through the learner's secret link, and the promotion from the waitlist that
//! follows: one transaction that locks the intake row first, as registering does.

use sqlx::{Any, AnyPool, Transaction};

use crate::registration::server::seats;
use crate::registration::server::store::{event, Actor};
use crate::registration::server::tokens::hash_token;
use crate::server::clock;

#[derive(sqlx::FromRow)]
struct RegistrationState {
    id: i64,
    status: String,
}

/// Cancels through the learner's secret link. Frees the seat and gives it to the first
/// learner on the waitlist, in the same transaction. `Ok(false)` when nothing matched.
pub async fn cancel(
    pool: &AnyPool,
    reference: &str,
    token: &str,
    base_url: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    match cancel_in(&mut tx, reference, token, base_url).await {
        Ok(true) => {
            tx.commit().await?;
            Ok(true)
        }
        other => {
            let _ = tx.rollback().await;
            other
        }
    }
}

async fn cancel_in(
    tx: &mut Transaction<'_, Any>,
    reference: &str,
    token: &str,
    base_url: &str,
) -> Result<bool, sqlx::Error> {
    // Lock the intake first, as registering does, so the two never interleave.
    let locked: Option<i64> = sqlx::query_scalar(
        "UPDATE intakes SET seats_taken = seats_taken \
         WHERE id = (SELECT intake_id FROM registrations WHERE reference = $1 AND token_hash = $2) \
         RETURNING id",
    )
    .bind(reference.to_owned())
    .bind(hash_token(token))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(intake_id) = locked else {
        return Ok(false);
    };
    let RegistrationState { id, status } = sqlx::query_as::<_, RegistrationState>(
        "SELECT id, status FROM registrations WHERE reference = $1",
    )
    .bind(reference.to_owned())
    .fetch_one(&mut **tx)
    .await?;
    if !matches!(status.as_str(), "pending" | "confirmed" | "waitlisted") {
        return Ok(true);
    }
    sqlx::query("UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2")
        .bind(clock::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    event(tx, id, Some(&status), "cancelled", Actor::Learner).await?;
    if status == "confirmed" {
        seats::release_seat(tx, intake_id, base_url).await?;
    }
    Ok(true)
}
