//! Cancelling through the learner's secret link, and the promotion from the waitlist that
//! follows: one transaction that locks the intake row first, as registering does. A learner
//! who gave up a seat is emailed the calendar update that takes it off their calendar.

use sqlx::{Any, AnyPool, Transaction};

use crate::registration::server::emails::{self, CANCELLED};
use crate::registration::server::invitation;
use crate::registration::server::seats;
use crate::registration::server::timeline::{event, Actor};
use crate::registration::server::tokens::verify_link;
use crate::server::links::LinkSecret;
use crate::server::{clock, outbox};

#[derive(sqlx::FromRow)]
struct RegistrationState {
    id: i64,
    status: String,
    reference: String,
    given_name: String,
    email: String,
    title: String,
}

/// What [`cancel_in`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cancelled {
    /// The intake is gone.
    NoIntake,
    /// The registration was no longer active: left as it was.
    AlreadyOver,
    /// Cancelled; it held a seat (`confirmed`) or a waitlist place.
    Now { had_seat: bool },
}

/// Where a learner cancels: today's date (a freed seat goes to the waitlist only before the
/// intake starts) and the site's address (for the email).
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub today: &'a str,
    pub base_url: &'a str,
}

/// Cancels through the learner's secret link. Frees the seat and gives it to the first
/// learner on the waitlist, and emails a learner who gave up a seat the calendar update
/// that removes it, in the same transaction. `Ok(false)` when nothing matched.
pub async fn cancel(
    pool: &AnyPool,
    links: &LinkSecret,
    (reference, token): (&str, &str),
    site: Site<'_>,
) -> Result<bool, sqlx::Error> {
    let Some(id) = verify_link(pool, links, reference, token).await? else {
        return Ok(false);
    };
    let mut tx = pool.begin().await?;
    let result = match cancel_in(&mut tx, id, site.today, Actor::Learner).await {
        Ok(Cancelled::Now { had_seat: true }) => tell_cancelled(&mut tx, id, site.base_url)
            .await
            .map(|()| true),
        Ok(Cancelled::NoIntake) => Ok(false),
        Ok(_) => Ok(true),
        Err(e) => Err(e),
    };
    match result {
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

/// Queues the email that confirms a cancelled seat and takes it off the learner's calendar.
async fn tell_cancelled(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    base_url: &str,
) -> Result<(), sqlx::Error> {
    let r = state(tx, id).await?;
    let email = emails::cancelled(&r.given_name, &r.title, &r.reference, base_url)
        .with_calendar(Some(invitation::cancel_spec(id)));
    outbox::queue(tx, &format!("{CANCELLED}{}", r.reference), &r.email, &email).await
}

async fn state(tx: &mut Transaction<'_, Any>, id: i64) -> Result<RegistrationState, sqlx::Error> {
    sqlx::query_as::<_, RegistrationState>(
        "SELECT r.id, r.status, r.reference, r.given_name, r.email, c.title \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
           JOIN credentials c ON c.id = i.credential_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

/// Cancels registration `registration_id` for `actor` inside `tx` (which it locks the
/// intake in first); a confirmed seat goes to the waitlist. A registration no longer active
/// is left as it is.
pub(crate) async fn cancel_in(
    tx: &mut Transaction<'_, Any>,
    registration_id: i64,
    today: &str,
    actor: Actor,
) -> Result<Cancelled, sqlx::Error> {
    // Lock the intake first, as registering does, so the two never interleave.
    let intake_id: i64 = sqlx::query_scalar("SELECT intake_id FROM registrations WHERE id = $1")
        .bind(registration_id)
        .fetch_one(&mut **tx)
        .await?;
    if seats::lock(tx, intake_id).await?.is_none() {
        return Ok(Cancelled::NoIntake);
    }
    let RegistrationState { id, status, .. } = state(tx, registration_id).await?;
    if !matches!(status.as_str(), "pending" | "confirmed" | "waitlisted") {
        return Ok(Cancelled::AlreadyOver);
    }
    sqlx::query("UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2")
        .bind(clock::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    event(tx, id, Some(&status), "cancelled", actor).await?;
    let had_seat = status == "confirmed";
    if had_seat {
        seats::release_seat(tx, intake_id, today).await?;
    }
    Ok(Cancelled::Now { had_seat })
}
