//! The per-email caps a registration is held to: active registrations one email may hold,
//! and registration emails one address may be sent in 24 hours (`Caps`, from the
//! configuration): confirmations and the emails that confirm a learner's cancelled seat, so
//! a script looping "register, cancel" mails a stranger no more than the cap and the one
//! cancellation of its last registration. `over_cap` counts them for a learner's registration, `over_caps` for
//! every row of an employer's group at once. Counted in the database, so they hold across
//! instances; read before the intake is locked, and applied after the intake's own refusals.

use sqlx::AnyPool;

use crate::registration::server::emails::{CANCELLED, REGISTERED};
use crate::registration::server::place::RegisterError;
use crate::server::clock;
use crate::server::email::email_key;

/// The per-email caps a learner's registration is held to (from the configuration). They
/// are counted in the database, so they hold across instances.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Active (pending, confirmed, waitlisted) registrations one email may hold.
    pub active_per_email: i64,
    /// Registration emails (confirmations, cancelled seats) one address may be sent in 24
    /// hours.
    pub emails_per_day: i64,
}

impl From<&crate::server::config::Config> for Caps {
    fn from(c: &crate::server::config::Config) -> Self {
        Self {
            active_per_email: c.active_per_email.into(),
            emails_per_day: c.emails_per_recipient_day.into(),
        }
    }
}

/// The refusal a registration whose email already holds `caps.active_per_email` active
/// registrations, or has been sent `caps.emails_per_day` registration emails in the last 24
/// hours (a script looping register and cancel to mail a stranger), gets once the intake
/// has room for it. Read before the intake is locked, so the lock is held no longer for
/// it: the caps are about the email, across intakes, which no one intake's lock could
/// serialise anyway; two registrations racing with one email can pass together, once.
pub(crate) async fn over_cap(
    pool: &AnyPool,
    email: &str,
    caps: Caps,
) -> Result<Option<RegisterError>, RegisterError> {
    // One statement for both counts: on SQLite every statement borrows one of the pool's few
    // connections, which the registering writers wait for too.
    let (active, sent): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM registrations WHERE email_key = $1 \
                 AND status IN ('pending', 'confirmed', 'waitlisted')), \
                (SELECT COUNT(*) FROM outbox WHERE recipient_key = $1 AND created_at > $2 \
                 AND (dedupe_key LIKE $3 OR dedupe_key LIKE $4))",
    )
    .bind(email_key(email))
    .bind(clock::from_now(time::Duration::hours(-24)))
    .bind(format!("{REGISTERED}%"))
    .bind(format!("{CANCELLED}%"))
    .fetch_one(pool)
    .await?;
    Ok(if active >= caps.active_per_email {
        Some(RegisterError::TooManyActive)
    } else if sent >= caps.emails_per_day {
        Some(RegisterError::TooManyEmails)
    } else {
        None
    })
}

/// `over_cap` for a group's emails, two statements for all of them: each email key over
/// a cap, with why. A coordinator's group is not held to the per-address limits meant for
/// anonymous scripts, but the people on it are strangers' addresses all the same: an
/// account looping "register, withdraw" must not mail anyone more than a learner could.
pub async fn over_caps(
    pool: &AnyPool,
    emails: &[String],
    caps: Caps,
) -> Result<std::collections::HashMap<String, RegisterError>, sqlx::Error> {
    let mut over = std::collections::HashMap::new();
    if emails.is_empty() {
        return Ok(over);
    }
    let keys: Vec<String> = emails.iter().map(|e| email_key(e)).collect();
    let marks = |from: usize| -> String {
        (0..keys.len())
            .map(|i| format!("${}", i + from))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let active_sql = format!(
        "SELECT email_key, COUNT(*) FROM registrations WHERE email_key IN ({}) \
         AND status IN ('pending', 'confirmed', 'waitlisted') GROUP BY email_key",
        marks(1)
    );
    let mut active = sqlx::query_as::<_, (String, i64)>(&active_sql);
    for key in &keys {
        active = active.bind(key.clone());
    }
    for (key, n) in active.fetch_all(pool).await? {
        if n >= caps.active_per_email {
            over.insert(key, RegisterError::TooManyActive);
        }
    }
    let sent_sql = format!(
        "SELECT recipient_key, COUNT(*) FROM outbox WHERE created_at > $1 \
         AND (dedupe_key LIKE $2 OR dedupe_key LIKE $3) \
         AND recipient_key IN ({}) GROUP BY recipient_key",
        marks(4)
    );
    let mut sent = sqlx::query_as::<_, (String, i64)>(&sent_sql)
        .bind(clock::from_now(time::Duration::hours(-24)))
        .bind(format!("{REGISTERED}%"))
        .bind(format!("{CANCELLED}%"));
    for key in &keys {
        sent = sent.bind(key.clone());
    }
    for (key, n) in sent.fetch_all(pool).await? {
        if n >= caps.emails_per_day {
            over.entry(key).or_insert(RegisterError::TooManyEmails);
        }
    }
    Ok(over)
}
