//! Registering for an intake, and cancelling. Each runs in one transaction that first
//! locks the intake row with a write (a row lock on PostgreSQL, the write lock on SQLite),
//! so concurrent registrations for an intake are decided one at a time: a seat is never
//! sold twice and the waitlist never overflows.

use sqlx::{Any, AnyPool, Transaction};

use crate::registration::server::tokens::new_reference;
use crate::registration::server::{emails, privacy};
use crate::registration::types::{RegistrationOutcome, RegistrationStatus};
use crate::registration::validate::ValidRegistration;
use crate::server::clock;
use crate::server::email::email_key;
use crate::server::links::{self, LinkSecret, REGISTRATION};
use crate::server::outbox;

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
    #[error("this email holds {0} active registrations")]
    TooManyActive(i64),
    #[error("this address has been sent {0} emails today")]
    TooManyEmails(i64),
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
            RegisterError::TooManyActive(_) | RegisterError::TooManyEmails(_) => "limited",
            RegisterError::Db(_) => "error",
        }
    }
}

/// The intake row, locked by the no-op write that serialises its registrations.
#[derive(sqlx::FromRow)]
struct LockedIntake {
    id: i64,
    capacity: i64,
    waitlist_capacity: i64,
    seats_taken: i64,
    enrolment_opens_on: String,
    enrolment_closes_on: String,
    credential_id: i64,
    starts_on: String,
    region: String,
}

#[derive(sqlx::FromRow)]
struct CredentialState {
    status: String,
    title: String,
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

/// One line of a registration's timeline: a status change, a note or an email sent again.
pub struct Event<'a> {
    pub kind: &'static str,
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
        kind: "status",
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
    .bind(e.kind.to_owned())
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
const REGISTERED: &str = "registered:";

/// Refuses a registration whose email already holds `caps.active_per_email` active
/// registrations, or has been sent `caps.emails_per_day` registration emails in the last 24
/// hours (a script looping register and cancel to mail a stranger). Read before the intake
/// is locked, so the lock is held no longer for it: the caps are about the email, across
/// intakes, which no one intake's lock could serialise anyway; two registrations racing
/// with one email can pass together, once.
async fn held_to_caps(pool: &AnyPool, email: &str, caps: Caps) -> Result<(), RegisterError> {
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
    if active >= caps.active_per_email {
        return Err(RegisterError::TooManyActive(active));
    }
    if sent >= caps.emails_per_day {
        return Err(RegisterError::TooManyEmails(sent));
    }
    Ok(())
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
    let result = register_once(pool, slug, v, today, links, caps).await;
    crate::server::metrics::registration(match &result {
        Ok(o) => o.status.as_str(),
        Err(e) => e.metric_label(),
    });
    result
}

async fn register_once(
    pool: &AnyPool,
    slug: &str,
    v: &ValidRegistration,
    today: &str,
    links: &LinkSecret,
    caps: Caps,
) -> Result<RegistrationOutcome, RegisterError> {
    held_to_caps(pool, &v.email, caps).await?;
    let mut tx = pool.begin().await?;
    match register_in(&mut tx, slug, v, today, links).await {
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

async fn register_in(
    tx: &mut Transaction<'_, Any>,
    slug: &str,
    v: &ValidRegistration,
    today: &str,
    links: &LinkSecret,
) -> Result<RegistrationOutcome, RegisterError> {
    // The write that serialises registrations for this intake.
    let Some(intake) = sqlx::query_as::<_, LockedIntake>(
        "UPDATE intakes SET seats_taken = seats_taken \
         WHERE code = $1 AND credential_id = (SELECT id FROM credentials WHERE slug = $2) \
         RETURNING id, capacity, waitlist_capacity, seats_taken, enrolment_opens_on, \
           enrolment_closes_on, credential_id, starts_on, region",
    )
    .bind(v.intake.clone())
    .bind(slug.to_owned())
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Err(RegisterError::UnknownIntake);
    };
    let LockedIntake {
        id: intake_id,
        capacity,
        waitlist_capacity,
        seats_taken,
        enrolment_opens_on: opens,
        enrolment_closes_on: closes,
        credential_id,
        starts_on,
        region,
    } = intake;

    let CredentialState { status, title } =
        sqlx::query_as::<_, CredentialState>("SELECT status, title FROM credentials WHERE id = $1")
            .bind(credential_id)
            .fetch_one(&mut **tx)
            .await?;
    if status != "current" {
        return Err(RegisterError::NotEnrolling);
    }
    if today < opens.as_str() || today > closes.as_str() {
        return Err(RegisterError::WindowClosed);
    }
    let key = email_key(&v.email);
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT reference FROM registrations WHERE intake_id = $1 AND email_key = $2 \
         AND status IN ('pending', 'confirmed', 'waitlisted')",
    )
    .bind(intake_id)
    .bind(key.clone())
    .fetch_optional(&mut **tx)
    .await?;
    if existing.is_some() {
        return Err(RegisterError::AlreadyRegistered);
    }
    // A newcomer takes a seat only when nobody is waiting for one. Before the intake starts
    // a free seat means an empty waitlist (every seat freed or added promotes it, under this
    // lock); once it has started nobody is promoted, so seats can be free with learners
    // waiting, and they are counted.
    let started = today >= starts_on.as_str();
    let waiting: i64 = if seats_taken < capacity && !started {
        0
    } else {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE intake_id = $1 AND status = 'waitlisted'",
        )
        .bind(intake_id)
        .fetch_one(&mut **tx)
        .await?
    };
    let (new_status, position) = if seats_taken < capacity && waiting == 0 {
        sqlx::query("UPDATE intakes SET seats_taken = seats_taken + 1 WHERE id = $1")
            .bind(intake_id)
            .execute(&mut **tx)
            .await?;
        (RegistrationStatus::Confirmed, None)
    } else if waiting >= waitlist_capacity {
        return Err(RegisterError::Full);
    } else {
        (RegistrationStatus::Waitlisted, Some(waiting + 1))
    };

    let mut reference = new_reference();
    while sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM registrations WHERE reference = $1")
        .bind(reference.clone())
        .fetch_one(&mut **tx)
        .await?
        > 0
    {
        reference = new_reference();
    }
    let now = clock::now();
    let id: i64 = sqlx::query_scalar(
        // The intake's provider is written with the row (a trigger would add it otherwise,
        // at the cost of rewriting the row's index entries: migration 9).
        "INSERT INTO registrations (intake_id, reference, token_hash, status, given_name, \
           family_name, email, email_key, phone, employer, region, nsn, date_of_birth, \
           consented_at, created_at, updated_at, provider_org_id, privacy_version) \
         VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13, \
           (SELECT i.provider_org_id FROM intakes i WHERE i.id = $1), $14) \
         RETURNING id",
    )
    .bind(intake_id)
    .bind(reference.clone())
    .bind(new_status.as_str().to_owned())
    .bind(v.given_name.clone())
    .bind(v.family_name.clone())
    .bind(v.email.clone())
    .bind(key)
    .bind(v.phone.clone())
    .bind(v.employer.clone())
    .bind(v.region.clone())
    .bind(v.nsn.clone())
    .bind(v.date_of_birth.clone())
    .bind(now)
    // The statement the learner agreed to, kept with their consent.
    .bind(privacy::STATEMENT_VERSION.to_owned())
    .fetch_one(&mut **tx)
    .await?;
    event(tx, id, None, new_status.as_str(), Actor::Learner).await?;
    // The learner sees the link now; the email gets a placeholder the worker signs as it
    // sends, so the outbox holds nothing that opens the registration.
    let token = links.token(REGISTRATION, id, 1, "");
    let link = links::registration_spec(id);
    outbox::queue(
        tx,
        &format!("{REGISTERED}{reference}"),
        &v.email,
        &emails::registered(
            &v.given_name,
            &title,
            &starts_on,
            &region,
            &reference,
            new_status,
            position,
            &link,
        ),
    )
    .await?;
    Ok(RegistrationOutcome {
        reference,
        token,
        status: new_status,
        waitlist_position: position,
    })
}
