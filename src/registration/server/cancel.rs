//! Cancelling through the learner's secret link, and the promotion from the waitlist that
//! follows: one transaction that locks the intake row first, as registering does.

use sqlx::{Any, AnyPool, Transaction};

use crate::registration::server::seats;
use crate::registration::server::timeline::{event, Actor};
use crate::registration::server::tokens::verify_link;
use crate::server::clock;
use crate::server::links::LinkSecret;

#[derive(sqlx::FromRow)]
struct RegistrationState {
    id: i64,
    status: String,
}

/// Cancels through the learner's secret link. Frees the seat and gives it to the first
/// learner on the waitlist, in the same transaction. `Ok(false)` when nothing matched.
pub async fn cancel(
    pool: &AnyPool,
    links: &LinkSecret,
    reference: &str,
    token: &str,
    today: &str,
) -> Result<bool, sqlx::Error> {
    let Some(id) = verify_link(pool, links, reference, token).await? else {
        return Ok(false);
    };
    let mut tx = pool.begin().await?;
    match cancel_in(&mut tx, id, today, Actor::Learner).await {
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

/// Cancels registration `registration_id` for `actor` inside `tx` (which it locks the
/// intake in first); a confirmed seat goes to the waitlist. `Ok(false)` when the intake is
/// gone; a registration no longer active is left as it is.
pub(crate) async fn cancel_in(
    tx: &mut Transaction<'_, Any>,
    registration_id: i64,
    today: &str,
    actor: Actor,
) -> Result<bool, sqlx::Error> {
    // Lock the intake first, as registering does, so the two never interleave.
    let intake_id: i64 = sqlx::query_scalar("SELECT intake_id FROM registrations WHERE id = $1")
        .bind(registration_id)
        .fetch_one(&mut **tx)
        .await?;
    if seats::lock(tx, intake_id).await?.is_none() {
        return Ok(false);
    }
    let RegistrationState { id, status } = sqlx::query_as::<_, RegistrationState>(
        "SELECT id, status FROM registrations WHERE id = $1",
    )
    .bind(registration_id)
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
    event(tx, id, Some(&status), "cancelled", actor).await?;
    if status == "confirmed" {
        seats::release_seat(tx, intake_id, today).await?;
    }
    Ok(true)
}
