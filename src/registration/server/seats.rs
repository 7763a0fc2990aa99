//! Seats and the waitlist. Everything that frees a seat or changes an intake's capacity
//! (a learner cancelling, a coordinator withdrawing someone or editing the intake, an
//! import) comes through here, inside a transaction that has locked the intake row first,
//! as registering does: so `seats_taken` always equals the seats used (confirmed rows, and
//! completed ones, who kept their seat) and the waitlist is promoted in the order learners
//! joined it.

use sqlx::{Any, Transaction};

use crate::registration::server::emails;
use crate::registration::server::invitation;
use crate::registration::server::timeline::{event, Actor};
use crate::server::{clock, links, outbox};

/// An intake's numbers, read under its lock.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct LockedSeats {
    pub id: i64,
    pub capacity: i64,
    pub seats_taken: i64,
}

/// Locks intake `intake_id` for this transaction (a no-op write: PostgreSQL's row lock,
/// SQLite's write lock) and reads its seats; `None` when there is no such intake.
pub async fn lock(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
) -> Result<Option<LockedSeats>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE intakes SET seats_taken = seats_taken WHERE id = $1 \
         RETURNING id, capacity, seats_taken",
    )
    .bind(intake_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Why a capacity was not changed.
#[derive(Debug, thiserror::Error)]
pub enum CapacityError {
    #[error("{confirmed} learners already hold a seat; the capacity cannot go below that")]
    BelowConfirmed { confirmed: i64 },
    #[error("the capacity must be between 0 and {MAX_CAPACITY}")]
    OutOfRange,
    #[error("that intake does not exist")]
    UnknownIntake,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The most seats one intake may have.
pub const MAX_CAPACITY: i64 = 10_000;

/// Sets the capacity of an intake (locked here), refusing one below the seats already
/// confirmed; a rise promotes from the waitlist in order (until the intake starts on or
/// after `today`). Returns how many were promoted.
pub async fn set_capacity(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    capacity: i64,
    today: &str,
) -> Result<i64, CapacityError> {
    if !(0..=MAX_CAPACITY).contains(&capacity) {
        return Err(CapacityError::OutOfRange);
    }
    let seats = lock(tx, intake_id)
        .await?
        .ok_or(CapacityError::UnknownIntake)?;
    if capacity < seats.seats_taken {
        return Err(CapacityError::BelowConfirmed {
            confirmed: seats.seats_taken,
        });
    }
    if capacity != seats.capacity {
        sqlx::query("UPDATE intakes SET capacity = $1 WHERE id = $2")
            .bind(capacity)
            .bind(intake_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(fill_from_waitlist(tx, intake_id, today).await?)
}

/// Gives up one confirmed seat of a locked intake and offers free seats to the waitlist
/// (none once the intake has started: nobody is told "a seat is yours" for a course already
/// under way).
pub async fn release_seat(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    today: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE intakes SET seats_taken = seats_taken - 1 WHERE id = $1")
        .bind(intake_id)
        .execute(&mut **tx)
        .await?;
    fill_from_waitlist(tx, intake_id, today).await
}

/// The first learner on an intake's waitlist.
#[derive(sqlx::FromRow)]
struct NextWaiting {
    id: i64,
    reference: String,
    email: String,
    given_name: String,
    title: String,
}

/// Promotes waitlisted learners of a locked intake, oldest first, while seats are free
/// (`seats_taken < capacity`: an intake overbooked by an earlier capacity cut promotes
/// nobody) and the intake has not started by `today`.
async fn fill_from_waitlist(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    today: &str,
) -> Result<i64, sqlx::Error> {
    let mut promoted = 0;
    loop {
        let free: i64 = sqlx::query_scalar(
            "SELECT capacity - seats_taken FROM intakes \
             WHERE id = $1 AND cancelled_at IS NULL AND starts_on > $2",
        )
        .bind(intake_id)
        .bind(today.to_owned())
        .fetch_optional(&mut **tx)
        .await?
        .unwrap_or(0);
        if free <= 0 {
            return Ok(promoted);
        }
        let next = sqlx::query_as::<_, NextWaiting>(
            "SELECT r.id, r.reference, r.email, r.given_name, c.title \
             FROM registrations r JOIN intakes i ON i.id = r.intake_id \
               JOIN credentials c ON c.id = i.credential_id \
             WHERE r.intake_id = $1 AND r.status = 'waitlisted' ORDER BY r.id LIMIT 1",
        )
        .bind(intake_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(next) = next else {
            return Ok(promoted);
        };
        sqlx::query("UPDATE registrations SET status = 'confirmed', updated_at = $1 WHERE id = $2")
            .bind(clock::now())
            .bind(next.id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("UPDATE intakes SET seats_taken = seats_taken + 1 WHERE id = $1")
            .bind(intake_id)
            .execute(&mut **tx)
            .await?;
        event(tx, next.id, Some("waitlisted"), "confirmed", Actor::System).await?;
        outbox::queue(
            tx,
            &format!("promoted:{}", next.reference),
            &next.email,
            &emails::promoted(
                &next.given_name,
                &next.title,
                &next.reference,
                &links::registration_spec(next.id),
            )
            .with_calendar(Some(invitation::request_spec(next.id))),
        )
        .await?;
        promoted += 1;
    }
}
