//! Placing a group under one lock of its intake: rows in the order given, each taking a
//! seat while there are seats and nobody waits, then a waitlist place, else refused as
//! full; a row whose email already holds a registration for the intake (or is over a
//! learner's caps) is refused on its own. A row with no place left is "full" whoever it
//! names, as a learner's form is (`store`): the answer never tells who is registered for
//! a full intake. With "all together or none" the whole group is written only if every
//! row gets a seat; otherwise nothing is, and the answer says what each row would have got.

use sqlx::AnyPool;

use crate::registration::server::caps::{over_caps, Caps};
use crate::registration::server::place::RegisterError;
use crate::registration::server::place::{self, Enroller};
use crate::registration::types::{RegistrationOutcome, RegistrationStatus};
use crate::registration::validate::ValidRegistration;
use crate::server::email::email_key;
use crate::server::links::LinkSecret;

/// What happened to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowResult {
    /// A seat or a waitlist place (its reference and the learner's own link).
    Placed(RegistrationOutcome),
    /// The email already holds a registration for this intake.
    AlreadyRegistered,
    /// No seat and no waitlist place was left.
    Full,
    /// The email already holds as many active registrations as a learner may (never how
    /// many).
    TooManyActive,
    /// The address has been sent as many registration emails in 24 hours as anyone is.
    TooManyEmails,
}

/// The group's answer, row by row in the order given.
#[derive(Debug, Clone)]
pub struct GroupOutcome {
    /// Whether anything was written: false when "all together or none" found a row
    /// without a seat.
    pub taken: bool,
    pub rows: Vec<RowResult>,
}

impl GroupOutcome {
    /// Rows that got (or, when not taken, would have got) a seat.
    pub fn seated(&self) -> usize {
        self.rows
            .iter()
            .filter(
                |r| matches!(r, RowResult::Placed(o) if o.status == RegistrationStatus::Confirmed),
            )
            .count()
    }
}

/// Registers `rows` (already checked) for intake `code` of credential `slug`, enrolled by
/// `by`, in one transaction; a row whose email is over a learner's caps is refused alone.
#[expect(
    clippy::too_many_arguments,
    reason = "the intake, the rows, who and how: each named"
)]
pub async fn register_group(
    pool: &AnyPool,
    slug: &str,
    code: &str,
    rows: &[ValidRegistration],
    by: &Enroller,
    (all_or_none, caps): (bool, Caps),
    today: &str,
    links: &LinkSecret,
) -> Result<GroupOutcome, RegisterError> {
    let emails: Vec<String> = rows.iter().map(|v| v.learner.email.clone()).collect();
    // Read before the intake is locked, as for a learner (`caps::over_cap`).
    let capped = over_caps(pool, &emails, caps).await?;
    let mut tx = pool.begin().await?;
    let mut intake = match place::lock_open(&mut tx, slug, code, today).await {
        Ok(intake) => intake,
        Err(e) => {
            let _ = tx.rollback().await;
            return Err(e);
        }
    };
    let registered = place::registered_among(&mut tx, intake.id, &emails).await?;
    let mut results = Vec::with_capacity(rows.len());
    for v in rows {
        let key = email_key(&v.learner.email);
        // Whether a place is left for this row, before anything about its address.
        let result = if !intake.seating.has_room() {
            RowResult::Full
        } else if registered.contains(&key) {
            RowResult::AlreadyRegistered
        } else if let Some(over) = capped.get(&key) {
            match over {
                RegisterError::TooManyActive => RowResult::TooManyActive,
                _ => RowResult::TooManyEmails,
            }
        } else {
            match intake.seating.place_next() {
                Some(placed) => {
                    RowResult::Placed(place::insert(&mut tx, &intake, v, placed, by, links).await?)
                }
                None => RowResult::Full,
            }
        };
        results.push(result);
    }
    place::save_seats(&mut tx, &intake).await?;
    let outcome = GroupOutcome {
        taken: true,
        rows: results,
    };
    let everyone_seated = outcome.seated() == rows.len();
    if all_or_none && !everyone_seated {
        tx.rollback().await?;
        return Ok(GroupOutcome {
            taken: false,
            ..outcome
        });
    }
    tx.commit().await?;
    for row in &outcome.rows {
        crate::server::metrics::registration(match row {
            RowResult::Placed(o) => o.status.as_str(),
            RowResult::AlreadyRegistered => "already_registered",
            RowResult::Full => "full",
            RowResult::TooManyActive | RowResult::TooManyEmails => "limited",
        });
    }
    Ok(outcome)
}
