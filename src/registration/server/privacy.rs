//! Personal data kept only as long as it is needed (Privacy Act 2020, IPP 9), and a
//! learner's requests to see or remove it (IPP 6 and 7):
//! - registrations that never led to learning (cancelled, withdrawn, or still waiting when
//!   the intake ended) lose their personal details a configurable time after their intake
//!   ends (`--retention-months`, 12 by default): names, email, phone, NSN, date of birth
//!   and employer are blanked, the row and its timeline stay for the counts;
//! - sent emails are deleted from the outbox 30 days after sending;
//! - `tohu privacy export EMAIL` prints everything held about an address as JSON, and
//!   `tohu privacy erase EMAIL` cancels its active registrations (the seats go to the
//!   waitlist) and removes its details from every registration and queued email.
//!
//! Confirmed and completed registrations are kept: they are the learner's record of learning.

use serde::Serialize;
use sqlx::{Any, AnyPool, Transaction};
use time::Date;

use crate::registration::server::cancel::{cancel_in, Cancelled};
use crate::registration::server::timeline::Actor;
use crate::registration::types::Learner;
use crate::server::clock::{self, months_before};
use crate::server::email::email_key;
use crate::server::links;

/// The version of `registration::types::PRIVACY_STATEMENT`, stored with each
/// learner's consent. Change it whenever the statement's text changes.
pub const STATEMENT_VERSION: &str = "2026-12-07";

/// Sent emails are kept this long (for "did you send it?" questions), then deleted.
pub const SENT_EMAIL_DAYS: i64 = 30;

/// What one retention pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub anonymised: u64,
    pub emails_deleted: u64,
}

/// The blanking every anonymised registration gets; `$1` is the time it happened.
const BLANK: &str = "given_name = 'Removed', family_name = '', email = '', \
     email_key = 'removed:' || CAST(id AS TEXT), phone = '', employer = NULL, nsn = NULL, \
     date_of_birth = '', anonymised_at = $1";

/// One retention pass: anonymises the registrations that never led to learning whose
/// intake ended more than `months` before `today`, and deletes emails sent more than
/// [`SENT_EMAIL_DAYS`] ago.
pub async fn sweep(pool: &AnyPool, today: Date, months: u32) -> Result<Swept, sqlx::Error> {
    let cutoff = months_before(today, months).to_string();
    let mut tx = pool.begin().await?;
    let stale = "SELECT r.id FROM registrations r JOIN intakes i ON i.id = r.intake_id \
         WHERE r.anonymised_at IS NULL AND i.ends_on < $2 \
           AND r.status IN ('pending', 'waitlisted', 'cancelled', 'withdrawn')";
    // Notes on their timelines may name them too.
    sqlx::query(&format!(
        "UPDATE registration_events SET reason = '' WHERE reason <> '' AND registration_id IN \
         ({})",
        stale.replace("$2", "$1")
    ))
    .bind(cutoff.clone())
    .execute(&mut *tx)
    .await?;
    let anonymised = sqlx::query(&format!(
        "UPDATE registrations SET {BLANK} WHERE id IN ({stale})"
    ))
    .bind(clock::now())
    .bind(cutoff)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let sent_before = clock::from_now(time::Duration::days(-SENT_EMAIL_DAYS));
    let emails_deleted =
        sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
            .bind(sent_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    tx.commit().await?;
    Ok(Swept {
        anonymised,
        emails_deleted,
    })
}

/// One registration as an access request shows it.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct HeldRegistration {
    pub reference: String,
    pub status: String,
    pub credential: String,
    pub intake: String,
    /// Written out beside the registration's own fields, as the export always was.
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub learner: Learner,
    pub consented_at: String,
    pub privacy_version: String,
    pub created_at: String,
}

/// One email to the address.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct HeldEmail {
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Everything held about one email address.
#[derive(Debug, Serialize)]
pub struct Held {
    pub email: String,
    pub registrations: Vec<HeldRegistration>,
    pub emails: Vec<HeldEmail>,
}

/// What Tohu holds about `email` (any address with the same key).
pub async fn export(pool: &AnyPool, email: &str) -> Result<Held, sqlx::Error> {
    let key = email_key(email);
    let registrations = sqlx::query_as::<_, HeldRegistration>(
        "SELECT r.reference, r.status, c.title AS credential, i.code AS intake, r.given_name, \
           r.family_name, r.email, r.phone, r.employer, r.region, r.nsn, r.date_of_birth, \
           r.consented_at, r.privacy_version, r.created_at \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
           JOIN credentials c ON c.id = i.credential_id \
         WHERE r.email_key = $1 ORDER BY r.id",
    )
    .bind(key.clone())
    .fetch_all(pool)
    .await?;
    let emails = sqlx::query_as::<_, HeldEmail>(
        "SELECT subject, body, created_at, sent_at FROM outbox WHERE recipient_key = $1 \
         ORDER BY id",
    )
    .bind(key.clone())
    .fetch_all(pool)
    .await?
    .into_iter()
    // The link is signed as a message is sent and never stored; the copy says where it was.
    .map(|e| HeldEmail {
        body: e
            .body
            .replace(links::MARKER, "[the private link to your registration]"),
        ..e
    })
    .collect();
    Ok(Held {
        email: key,
        registrations,
        emails,
    })
}

/// What an erasure did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub cancelled: u64,
    pub anonymised: u64,
    pub emails_deleted: u64,
}

/// Removes `email`'s personal details everywhere: its active registrations are cancelled
/// first (each under its intake's lock, the seat going to the waitlist), then every one of
/// its registrations is anonymised and its emails, sent or not, deleted.
pub async fn erase(pool: &AnyPool, email: &str, today: &str) -> Result<Erased, sqlx::Error> {
    let key = email_key(email);
    let mut tx = pool.begin().await?;
    let result = erase_in(&mut tx, &key, today).await;
    match result {
        Ok(erased) => {
            tx.commit().await?;
            Ok(erased)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn erase_in(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    today: &str,
) -> Result<Erased, sqlx::Error> {
    let active: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE email_key = $1 \
         AND status IN ('pending', 'confirmed', 'waitlisted') ORDER BY id",
    )
    .bind(key.to_owned())
    .fetch_all(&mut **tx)
    .await?;
    let mut erased = Erased::default();
    for id in active {
        if cancel_in(tx, id, today, Actor::System).await? != Cancelled::NoIntake {
            erased.cancelled += 1;
        }
    }
    let ids = "SELECT id FROM registrations WHERE email_key = $1";
    sqlx::query(&format!(
        "UPDATE registration_events SET reason = '' WHERE registration_id IN ({ids})"
    ))
    .bind(key.to_owned())
    .execute(&mut **tx)
    .await?;
    // Their credentials keep only their id and status (a verifier still learns whether it
    // stands); what it said, and the salt that tied it to their email, go.
    sqlx::query(&format!(
        "UPDATE issued_credentials SET achievement = '', email_salt = '', achieved_on = '', \
         revoked_reason = NULL WHERE registration_id IN ({ids})"
    ))
    .bind(key.to_owned())
    .execute(&mut **tx)
    .await?;
    erased.anonymised = sqlx::query(&format!(
        "UPDATE registrations SET {} WHERE email_key = $2",
        BLANK
    ))
    .bind(clock::now())
    .bind(key.to_owned())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    erased.emails_deleted = sqlx::query("DELETE FROM outbox WHERE recipient_key = $1")
        .bind(key.to_owned())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(erased)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn calendar_months_back() {
        assert_eq!(
            months_before(date!(2026 - 11 - 29), 12),
            date!(2025 - 11 - 29)
        );
        assert_eq!(
            months_before(date!(2026 - 03 - 31), 1),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            months_before(date!(2026 - 01 - 15), 1),
            date!(2025 - 12 - 15)
        );
        assert_eq!(
            months_before(date!(2026 - 01 - 15), 25),
            date!(2023 - 12 - 15)
        );
    }
}
