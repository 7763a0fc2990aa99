//! Registering one learner for an intake, in one transaction that first locks the intake
//! row with a write (a row lock on PostgreSQL, the write lock on SQLite), so concurrent
//! registrations for an intake are decided one at a time: a seat is never sold twice and
//! the waitlist never overflows. The lock, the seat-or-waitlist rule and the writes are
//! `place`'s, shared with an employer's group (`group::store`); the per-email caps are
//! counted before the lock (`caps`), so the lock is held no longer for them.
//!
//! The refusals come in a fixed order, the intake's first (unknown, not enrolling, closed,
//! full), then the address's (already registered, over a cap): a refusal about the intake
//! says the same to every address, so a full intake tells nobody who is registered for it
//! or how many registrations an address holds, and nothing is written to learn it (issue
//! 27). An open intake with room still says "already registered", since the alternative is
//! a registration and an email to the address.

use sqlx::{Any, AnyPool, Transaction};

use crate::registration::server::caps::{over_cap, Caps};
use crate::registration::server::place::{self, Enroller, RegisterError};
use crate::registration::types::RegistrationOutcome;
use crate::registration::validate::ValidRegistration;
use crate::server::links::LinkSecret;

/// Registers `v` for intake `v.intake` of credential `slug`, in one transaction. Every
/// refusal rolls back at once, releasing the intake's lock (SQLite's write lock) before the
/// connection goes back to the pool.
pub async fn register(
    pool: &AnyPool,
    slug: &str,
    v: &ValidRegistration,
    today: &str,
    links: &LinkSecret,
    caps: Caps,
) -> Result<RegistrationOutcome, RegisterError> {
    let result = async {
        let capped = over_cap(pool, &v.learner.email, caps).await?;
        let mut tx = pool.begin().await?;
        match register_in(&mut tx, slug, v, today, links, capped).await {
            Ok(outcome) => {
                tx.commit().await?;
                Ok(outcome)
            }
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }
    .await;
    crate::server::metrics::registration(match &result {
        Ok(o) => o.status.as_str(),
        Err(e) => e.metric_label(),
    });
    result
}

async fn register_in(
    tx: &mut Transaction<'_, Any>,
    slug: &str,
    v: &ValidRegistration,
    today: &str,
    links: &LinkSecret,
    capped: Option<RegisterError>,
) -> Result<RegistrationOutcome, RegisterError> {
    let mut intake = place::lock_open(tx, slug, &v.intake, today).await?;
    // The intake's answer first: a full intake is full for every address alike.
    let Some(placed) = intake.seating.place_next() else {
        return Err(RegisterError::Full);
    };
    if place::already_registered(tx, intake.id, &v.learner.email).await? {
        return Err(RegisterError::AlreadyRegistered);
    }
    if let Some(refusal) = capped {
        return Err(refusal);
    }
    let outcome = place::insert(tx, &intake, v, placed, &Enroller::Learner, links).await?;
    place::save_seats(tx, &intake).await?;
    Ok(outcome)
}
