//! Registering for an intake, and cancelling. Each runs in one transaction that first
//! locks the intake row with a write (a row lock on PostgreSQL, the write lock on SQLite),
//! so concurrent registrations for an intake are decided one at a time: a seat is never
//! sold twice and the waitlist never overflows.
//!
//! The refusals come in a fixed order, the intake's first (unknown, not enrolling, closed,
//! full), then the address's (already registered, over a cap): a refusal about the intake
//! says the same to every address, so a full intake tells nobody who is registered for it
//! or how many registrations an address holds, and nothing is written to learn it (issue
//! 27). An open intake with room still says "already registered", since the alternative is
//! a registration and an email to the address.

use sqlx::{Any, AnyPool, Transaction};

use crate::registration::events::EventKind;
use crate::registration::server::place::{self, Enroller};
use crate::registration::types::RegistrationOutcome;
use crate::registration::validate::ValidRegistration;
use crate::server::clock;
use crate::server::email::email_key;
use crate::server::links::LinkSecret;

/// Why a valid form still could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("that intake does not exist")]
    UnknownIntake,
    #[error("this micro-credential is not taking new enrolments")]
    NotEnrolling,
    #[error("enrolment for this intake is not open")]
    WindowClosed,
    #[error("this intake and its waitlist are full")]
    Full,
    #[error("already registered")]
    AlreadyRegistered,
    #[error("this email holds as many active registrations as one person may")]
    TooManyActive,
    #[error("this address has been sent as many emails today as anyone is")]
    TooManyEmails,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl RegisterError {
    /// The `outcome` label of `tohu_registrations_total`.
    pub fn metric_label(&self) -> &'static str {
        match self {
            RegisterError::UnknownIntake => "unknown_intake",
            RegisterError::NotEnrolling | RegisterError::WindowClosed => "closed",
            RegisterError::Full => "full",
            RegisterError::AlreadyRegistered => "already_registered",
            RegisterError::TooManyActive | RegisterError::TooManyEmails => "limited",
            RegisterError::Db(_) => "error",
        }
    }
}

/// Who changed a registration: the learner (their link), the system (a promotion), or a
/// signed-in coordinator, whose account is kept with the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Learner,
    System,
    Coordinator(i64),
}

impl Actor {
    fn label(self) -> &'static str {
        match self {
            Self::Learner => "learner",
            Self::System => "system",
            Self::Coordinator(_) => "coordinator",
        }
    }

    fn user_id(self) -> Option<i64> {
        match self {
            Self::Coordinator(id) => Some(id),
            _ => None,
        }
    }
}

/// One line of a registration's timeline: a status change, a note or an email sent again
/// (its kind says who may read it: `EventKind::audience`).
pub struct Event<'a> {
    pub kind: EventKind,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub actor: Actor,
    pub reason: &'a str,
}

/// Records a status change with no reason given.
pub async fn event(
    tx: &mut Transaction<'_, Any>,
    registration_id: i64,
    from: Option<&str>,
    to: &str,
    actor: Actor,
) -> Result<(), sqlx::Error> {
    let e = Event {
        kind: EventKind::Status,
        from,
        to,
        actor,
        reason: "",
    };
    record(tx, registration_id, &e).await
}

/// Records `e` on the registration's timeline.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    registration_id: i64,
    e: &Event<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registration_events \
           (registration_id, from_status, to_status, actor, at, kind, reason, actor_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(registration_id)
    .bind(e.from.map(str::to_owned))
    .bind(e.to.to_owned())
    .bind(e.actor.label().to_owned())
    .bind(clock::now())
    .bind(e.kind.as_str().to_owned())
    .bind(e.reason.to_owned())
    .bind(e.actor.user_id())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The per-email caps a learner's registration is held to (from the configuration). They
/// are counted in the database, so they hold across instances.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Active (pending, confirmed, waitlisted) registrations one email may hold.
    pub active_per_email: i64,
    /// Registration emails one address may be sent in 24 hours.
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

/// The outbox key prefix of a registration's confirmation email.
pub(crate) const REGISTERED: &str = "registered:";

/// The refusal a registration whose email already holds `caps.active_per_email` active
/// registrations, or has been sent `caps.emails_per_day` registration emails in the last 24
/// hours (a script looping register and cancel to mail a stranger), gets once the intake
/// has room for it. Read before the intake is locked, so the lock is held no longer for
/// it: the caps are about the email, across intakes, which no one intake's lock could
/// serialise anyway; two registrations racing with one email can pass together, once.
async fn over_cap(
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
                 AND dedupe_key LIKE $3)",
    )
    .bind(email_key(email))
    .bind(clock::from_now(time::Duration::hours(-24)))
    .bind(format!("{REGISTERED}%"))
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
        "SELECT recipient_key, COUNT(*) FROM outbox WHERE created_at > $1 AND dedupe_key LIKE $2 \
         AND recipient_key IN ({}) GROUP BY recipient_key",
        marks(3)
    );
    let mut sent = sqlx::query_as::<_, (String, i64)>(&sent_sql)
        .bind(clock::from_now(time::Duration::hours(-24)))
        .bind(format!("{REGISTERED}%"));
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
        let capped = over_cap(pool, &v.email, caps).await?;
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
    if place::already_registered(tx, intake.id, &v.email).await? {
        return Err(RegisterError::AlreadyRegistered);
    }
    if let Some(refusal) = capped {
        return Err(refusal);
    }
    let outcome = place::insert(tx, &intake, v, placed, &Enroller::Learner, links).await?;
    place::save_seats(tx, &intake).await?;
    Ok(outcome)
}
