//! Placing learners in an intake, under its lock: the lock itself (`lock_open`, with the
//! checks that the intake takes enrolments today), the seat-or-waitlist rule (`Seating`),
//! the row, event and email one registration writes (`insert`), who enrolled the learner
//! (`Enroller`), and why a registration is refused (`RegisterError`). A learner's own
//! registration (`register`) places one learner; an employer's group (`group::store`)
//! places many in one transaction, in order.

use sqlx::{Any, Transaction};

use crate::registration::server::emails::{self, REGISTERED};
use crate::registration::server::invitation;
use crate::registration::server::privacy;
use crate::registration::server::timeline::{event, Actor};
use crate::registration::server::tokens::new_reference;
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

/// A locked intake that takes enrolments today, and what its emails name.
pub struct OpenIntake {
    pub id: i64,
    pub title: String,
    pub starts_on: String,
    pub region: String,
    pub seating: Seating,
    /// The seats taken when the lock was taken (`save_seats` writes only a change).
    seats_at_lock: i64,
}

/// Locks intake `code` of credential `slug` for the rest of the transaction, and checks
/// that it takes enrolments on `today`.
pub async fn lock_open(
    tx: &mut Transaction<'_, Any>,
    slug: &str,
    code: &str,
    today: &str,
) -> Result<OpenIntake, RegisterError> {
    // The write that serialises registrations for this intake.
    let Some(intake) = sqlx::query_as::<_, LockedIntake>(
        "UPDATE intakes SET seats_taken = seats_taken \
         WHERE code = $1 AND credential_id = (SELECT id FROM credentials WHERE slug = $2) \
         RETURNING id, capacity, waitlist_capacity, seats_taken, enrolment_opens_on, \
           enrolment_closes_on, credential_id, starts_on, region",
    )
    .bind(code.to_owned())
    .bind(slug.to_owned())
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Err(RegisterError::UnknownIntake);
    };
    let CredentialState { status, title } =
        sqlx::query_as::<_, CredentialState>("SELECT status, title FROM credentials WHERE id = $1")
            .bind(intake.credential_id)
            .fetch_one(&mut **tx)
            .await?;
    if status != "current" {
        return Err(RegisterError::NotEnrolling);
    }
    if today < intake.enrolment_opens_on.as_str() || today > intake.enrolment_closes_on.as_str() {
        return Err(RegisterError::WindowClosed);
    }
    // A newcomer takes a seat only when nobody is waiting for one. Before the intake starts
    // a free seat means an empty waitlist (every seat freed or added promotes it, under this
    // lock); once it has started nobody is promoted, so seats can be free with learners
    // waiting, and they are counted.
    let started = today >= intake.starts_on.as_str();
    let waiting: i64 = if intake.seats_taken < intake.capacity && !started {
        0
    } else {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE intake_id = $1 AND status = 'waitlisted'",
        )
        .bind(intake.id)
        .fetch_one(&mut **tx)
        .await?
    };
    Ok(OpenIntake {
        id: intake.id,
        title,
        starts_on: intake.starts_on,
        region: intake.region,
        seats_at_lock: intake.seats_taken,
        seating: Seating {
            capacity: intake.capacity,
            seats_taken: intake.seats_taken,
            waitlist_capacity: intake.waitlist_capacity,
            waiting,
        },
    })
}

/// An intake's seats and waitlist as the lock found them, counted on as learners are
/// placed in the same transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seating {
    pub capacity: i64,
    pub seats_taken: i64,
    pub waitlist_capacity: i64,
    pub waiting: i64,
}

impl Seating {
    /// Where the next learner goes: a seat (only while nobody waits), a waitlist place
    /// (with its position), or nowhere (`None`: seats and waitlist full). Counts them.
    pub fn place_next(&mut self) -> Option<(RegistrationStatus, Option<i64>)> {
        if self.seats_taken < self.capacity && self.waiting == 0 {
            self.seats_taken += 1;
            Some((RegistrationStatus::Confirmed, None))
        } else if self.waiting >= self.waitlist_capacity {
            None
        } else {
            self.waiting += 1;
            Some((RegistrationStatus::Waitlisted, Some(self.waiting)))
        }
    }

    /// Whether [`Seating::place_next`] would place the next learner, without counting them.
    pub fn has_room(self) -> bool {
        let mut next = self;
        next.place_next().is_some()
    }
}

/// Writes the seats taken as [`Seating`] counted them, once, however many learners the
/// transaction placed.
pub async fn save_seats(
    tx: &mut Transaction<'_, Any>,
    intake: &OpenIntake,
) -> Result<(), sqlx::Error> {
    if intake.seating.seats_taken != intake.seats_at_lock {
        sqlx::query("UPDATE intakes SET seats_taken = $1 WHERE id = $2")
            .bind(intake.seating.seats_taken)
            .bind(intake.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The email keys among `emails` that already hold an active registration for the intake,
/// in one query.
pub async fn registered_among(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    emails: &[String],
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    if emails.is_empty() {
        return Ok(Default::default());
    }
    let keys: Vec<String> = emails.iter().map(|e| email_key(e)).collect();
    let marks: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT email_key FROM registrations WHERE intake_id = $1 AND email_key IN ({}) \
         AND status IN ('pending', 'confirmed', 'waitlisted')",
        marks.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql).bind(intake_id);
    for key in keys {
        query = query.bind(key);
    }
    Ok(query.fetch_all(&mut **tx).await?.into_iter().collect())
}

/// Whether `email` already holds an active registration for the intake.
pub async fn already_registered(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let found = registered_among(tx, intake_id, &[email.to_owned()]).await?;
    Ok(!found.is_empty())
}

/// Who enrolled the learner: the learner themselves, or an employer's coordinator (who
/// attested the learner's consent, and whose organisation the registration belongs to).
#[derive(Debug, Clone)]
pub enum Enroller {
    Learner,
    Employer {
        org_id: i64,
        org_name: String,
        user_id: i64,
    },
}

/// Writes one registration already placed by [`Seating::place_next`]: the row, its first
/// timeline event and its email. The seats it took are written once for all the
/// transaction's learners by [`save_seats`].
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    intake: &OpenIntake,
    v: &ValidRegistration,
    (status, position): (RegistrationStatus, Option<i64>),
    by: &Enroller,
    links: &LinkSecret,
) -> Result<RegistrationOutcome, RegisterError> {
    let mut reference = new_reference();
    while sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM registrations WHERE reference = $1")
        .bind(reference.clone())
        .fetch_one(&mut **tx)
        .await?
        > 0
    {
        reference = new_reference();
    }
    let (employer_org, consented_by, actor) = match by {
        Enroller::Learner => (None, None, Actor::Learner),
        Enroller::Employer {
            org_id, user_id, ..
        } => (Some(*org_id), Some(*user_id), Actor::Coordinator(*user_id)),
    };
    let l = &v.learner;
    let id: i64 = sqlx::query_scalar(
        // The intake's provider is written with the row (a trigger would add it otherwise,
        // at the cost of rewriting the row's index entries: migration 9).
        "INSERT INTO registrations (intake_id, reference, token_hash, status, given_name, \
           family_name, email, email_key, phone, employer, region, nsn, date_of_birth, \
           consented_at, created_at, updated_at, provider_org_id, privacy_version, \
           employer_org_id, consented_by_user_id) \
         VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13, \
           (SELECT i.provider_org_id FROM intakes i WHERE i.id = $1), $14, $15, $16) \
         RETURNING id",
    )
    .bind(intake.id)
    .bind(reference.clone())
    .bind(status.as_str().to_owned())
    .bind(l.given_name.clone())
    .bind(l.family_name.clone())
    .bind(l.email.clone())
    .bind(email_key(&l.email))
    .bind(l.phone.clone())
    .bind(l.employer.clone())
    .bind(l.region.clone())
    .bind(l.nsn.clone())
    .bind(l.date_of_birth.clone())
    .bind(clock::now())
    // The statement the learner (or the coordinator, for them) agreed to, kept with it.
    .bind(privacy::STATEMENT_VERSION.to_owned())
    .bind(employer_org)
    .bind(consented_by)
    .fetch_one(&mut **tx)
    .await?;
    event(tx, id, None, status.as_str(), actor).await?;
    // The learner sees the link now; the email gets a placeholder the worker signs as it
    // sends, so the outbox holds nothing that opens the registration.
    let token = links.token(REGISTRATION, id, 1, "");
    let link = links::registration_spec(id);
    let enrolled_by = match by {
        Enroller::Learner => None,
        Enroller::Employer { org_name, .. } => Some(org_name.as_str()),
    };
    let email = emails::registered(
        &emails::Registered {
            given_name: &l.given_name,
            title: &intake.title,
            starts_on: &intake.starts_on,
            region: &intake.region,
            reference: &reference,
            status,
            position,
            enrolled_by,
        },
        &link,
    )
    .with_calendar((status == RegistrationStatus::Confirmed).then(|| invitation::request_spec(id)));
    outbox::queue(tx, &format!("{REGISTERED}{reference}"), &l.email, &email).await?;
    Ok(RegistrationOutcome {
        reference,
        token,
        status,
        waitlist_position: position,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_first_then_the_waitlist_in_order_then_nothing() {
        let mut s = Seating {
            capacity: 2,
            seats_taken: 1,
            waitlist_capacity: 2,
            waiting: 0,
        };
        assert_eq!(s.place_next(), Some((RegistrationStatus::Confirmed, None)));
        assert_eq!(
            s.place_next(),
            Some((RegistrationStatus::Waitlisted, Some(1)))
        );
        assert_eq!(
            s.place_next(),
            Some((RegistrationStatus::Waitlisted, Some(2)))
        );
        assert!(!s.has_room());
        assert_eq!(s.place_next(), None);
        assert_eq!(s.seats_taken, 2);
    }

    #[test]
    fn nobody_jumps_the_waitlist_for_a_free_seat() {
        // After the start, seats can be free while learners wait.
        let mut s = Seating {
            capacity: 5,
            seats_taken: 3,
            waitlist_capacity: 4,
            waiting: 2,
        };
        assert_eq!(
            s.place_next(),
            Some((RegistrationStatus::Waitlisted, Some(3)))
        );
    }
}
