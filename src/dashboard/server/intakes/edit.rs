//! A coordinator's edits to an intake: capacity and dates, closing enrolment, cancelling.
//! Each locks the intake row first, changes capacity only through `seats::set_capacity`,
//! marks the intake as edited at the catalogue revision it moves (so an import of an older
//! file leaves it alone), and tells its learners through the outbox.

use sqlx::{Any, Transaction};
use time::Date;

use super::{find, one};
use crate::auth::server::guard::Scope;
use crate::dashboard::types::{IntakeChange, IntakeSummary, MAX_REASON};
use crate::error::{AppError, FieldError};
use crate::format;
use crate::registration::events::EventKind;
use crate::registration::server::emails;
use crate::registration::server::invitation::Calendars;
use crate::registration::server::seats::{self, CapacityError};
use crate::registration::server::timeline::{record, Actor, Event};
use crate::server::state::AppState;
use crate::server::{clock, outbox};

/// What a coordinator does to an intake.
#[derive(Debug, Clone)]
pub enum Edit {
    Change(IntakeChange),
    Close(String),
    Cancel(String),
}

/// A checked change: the new capacity and dates.
struct ValidChange {
    capacity: i64,
    starts_on: String,
    ends_on: String,
    enrolment_closes_on: String,
}

fn parse_day(value: &str) -> Option<Date> {
    Date::parse(
        value.trim(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Checks every field of `change` against `current`, each message tied to its field.
fn validate(change: &IntakeChange, current: &IntakeSummary) -> Result<ValidChange, AppError> {
    let mut errors = Vec::new();
    let mut refuse = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            message,
        })
    };
    let capacity = change.capacity.trim().parse::<i64>().ok();
    match capacity {
        Some(c) if (0..=seats::MAX_CAPACITY).contains(&c) => {}
        _ => refuse(
            "capacity",
            format!(
                "Enter the number of seats, a whole number from 0 to {}.",
                seats::MAX_CAPACITY
            ),
        ),
    }
    let day = |field: &str, value: &str, refuse: &mut dyn FnMut(&str, String)| {
        let d = parse_day(value);
        if d.is_none() {
            refuse(
                field,
                "Enter a date as YYYY-MM-DD, for example 2027-03-01.".to_owned(),
            );
        }
        d
    };
    let starts = day("starts_on", &change.starts_on, &mut refuse);
    let ends = day("ends_on", &change.ends_on, &mut refuse);
    let closes = day(
        "enrolment_closes_on",
        &change.enrolment_closes_on,
        &mut refuse,
    );
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            refuse(
                "ends_on",
                "The intake must end on or after the day it starts.".to_owned(),
            );
        }
    }
    let opens = parse_day(&current.enrolment_opens_on);
    if let (Some(c), Some(o)) = (closes, opens) {
        if c < o {
            refuse(
                "enrolment_closes_on",
                format!(
                    "Enrolment opens on {}; it cannot close before that.",
                    format::long_date(&current.enrolment_opens_on)
                ),
            );
        }
    }
    if change.reason.chars().count() > MAX_REASON {
        refuse(
            "reason",
            format!("Keep it to {MAX_REASON} characters or fewer."),
        );
    }
    match (capacity, starts, ends, closes) {
        (Some(capacity), Some(s), Some(e), Some(c)) if errors.is_empty() => Ok(ValidChange {
            capacity,
            starts_on: s.to_string(),
            ends_on: e.to_string(),
            enrolment_closes_on: c.to_string(),
        }),
        _ => Err(AppError::Refused {
            errors,
            message: None,
        }),
    }
}

/// Applies `edit` to intake `id` as coordinator `user_id`, and returns the intake after it.
pub async fn edit(
    state: &AppState,
    scope: Scope,
    user_id: i64,
    id: i64,
    edit: Edit,
) -> Result<IntakeSummary, AppError> {
    let pool = &state.db.pool;
    let mut tx = crate::server::db::begin_write(pool).await?;
    let result = edit_in(&mut tx, state, scope, user_id, id, edit).await;
    match result {
        Ok(()) => {
            tx.commit().await?;
            one(pool, scope, id).await
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn edit_in(
    tx: &mut Transaction<'_, Any>,
    state: &AppState,
    scope: Scope,
    user_id: i64,
    id: i64,
    edit: Edit,
) -> Result<(), AppError> {
    // Scope first, so another organisation's intake is "not found" before anything is locked.
    find(&mut **tx, scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    seats::lock(tx, id).await?.ok_or(AppError::NotFound)?;
    let current = find(&mut **tx, scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.cancelled {
        return Err(AppError::form(
            "This intake was cancelled, so it cannot be changed.",
        ));
    }
    let yesterday = state
        .clock()
        .today()
        .previous_day()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let mut told = None;
    let notice = match edit {
        Edit::Change(change) => {
            let v = validate(&change, &current)?;
            seats::set_capacity(tx, id, v.capacity, &state.clock().today_iso())
                .await
                .map_err(capacity_refusal)?;
            sqlx::query(
                "UPDATE intakes SET starts_on = $1, ends_on = $2, enrolment_closes_on = $3, \
                 edited_at = $4 WHERE id = $5",
            )
            .bind(v.starts_on.clone())
            .bind(v.ends_on.clone())
            .bind(v.enrolment_closes_on.clone())
            .bind(clock::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            let moved = v.starts_on != current.starts_on || v.ends_on != current.ends_on;
            moved.then(|| {
                (
                    Calendars::Update,
                    format!("dates:{}:{}", v.starts_on, v.ends_on),
                    format!(
                        "It now runs from {} to {}.",
                        format::long_date(&v.starts_on),
                        format::long_date(&v.ends_on)
                    ),
                )
            })
        }
        Edit::Close(reason) => {
            let reason = required_reason(&reason)?;
            if current.enrolment_closes_on.as_str() <= yesterday.as_str() {
                return Err(AppError::form(
                    "Enrolment for this intake has already closed.",
                ));
            }
            // Opening moves back with it, so the window stays a window (and an export of it
            // imports again).
            sqlx::query(
                "UPDATE intakes SET enrolment_closes_on = $1, edited_at = $2, \
                 enrolment_opens_on = CASE WHEN enrolment_opens_on > $1 THEN $1 \
                   ELSE enrolment_opens_on END WHERE id = $3",
            )
            .bind(yesterday.clone())
            .bind(clock::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            Some((
                Calendars::Unchanged,
                "closed".to_owned(),
                format!("Enrolment for it has closed: {reason} Your registration is unchanged."),
            ))
        }
        Edit::Cancel(reason) => {
            let reason = required_reason(&reason)?;
            told = Some(cancel_registrations(tx, id, user_id, &reason).await?);
            sqlx::query(
                "UPDATE intakes SET cancelled_at = $1, edited_at = $1, seats_taken = \
                   (SELECT COUNT(*) FROM registrations WHERE intake_id = $3 AND status = 'completed'), \
                 enrolment_closes_on = CASE WHEN enrolment_closes_on > $2 THEN $2 \
                   ELSE enrolment_closes_on END, \
                 enrolment_opens_on = CASE WHEN enrolment_opens_on > $2 THEN $2 \
                   ELSE enrolment_opens_on END WHERE id = $3",
            )
            .bind(clock::now())
            .bind(yesterday.clone())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            Some((
                Calendars::Cancel,
                "cancelled".to_owned(),
                format!("It has been cancelled, and so has your registration: {reason}"),
            ))
        }
    };
    // Marked first, so the emails below are keyed by this change's row version.
    mark_edited(tx, id).await?;
    if let Some((calendars, key, what)) = notice {
        let learners = match told {
            Some(cancelled) => cancelled,
            None => active_learners(tx, id, ACTIVE).await?,
        };
        notify(tx, id, learners, (&key, &what), calendars).await?;
    }
    Ok(())
}

/// Marks intake `id` as changed in the dashboard now: a new catalogue revision (searches on
/// every instance follow it), the intake's edit mark, and its row version.
pub async fn mark_edited(tx: &mut Transaction<'_, Any>, id: i64) -> Result<i64, sqlx::Error> {
    let revision = crate::catalogue::server::revision::bump(tx).await?;
    sqlx::query(
        "UPDATE intakes SET edited_revision = $1, row_version = row_version + 1 WHERE id = $2",
    )
    .bind(revision)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(revision)
}

/// A capacity the one capacity function refused, as the coordinator's form says it.
pub(crate) fn capacity_refusal(e: CapacityError) -> AppError {
    match e {
        CapacityError::Db(e) => AppError::from(e),
        CapacityError::UnknownIntake => AppError::NotFound,
        other => AppError::field("capacity", format!("{}.", capitalise(&other.to_string()))),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn required_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "Say why: the learners are told, and it goes on their timelines.",
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::field(
            "reason",
            format!("Keep it to {MAX_REASON} characters or fewer."),
        ));
    }
    let end = if reason.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    Ok(format!("{reason}{end}"))
}

#[derive(sqlx::FromRow)]
pub(crate) struct Learner {
    id: i64,
    reference: String,
    status: String,
    given_name: String,
    email: String,
    title: String,
}

pub(crate) async fn active_learners(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    statuses: &str,
) -> Result<Vec<Learner>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.reference, r.status, r.given_name, r.email, c.title \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
           JOIN credentials c ON c.id = i.credential_id \
         WHERE r.intake_id = $1 AND r.status IN ({statuses}) ORDER BY r.id"
    ))
    .bind(intake_id)
    .fetch_all(&mut **tx)
    .await
}

pub(crate) const ACTIVE: &str = "'pending', 'confirmed', 'waitlisted'";

/// Cancels every active registration of a cancelled intake, each on its timeline; returns
/// the learners it cancelled.
async fn cancel_registrations(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    user_id: i64,
    reason: &str,
) -> Result<Vec<Learner>, AppError> {
    let learners = active_learners(tx, intake_id, ACTIVE).await?;
    for l in &learners {
        sqlx::query("UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2")
            .bind(clock::now())
            .bind(l.id)
            .execute(&mut **tx)
            .await?;
        let e = Event {
            kind: EventKind::Status,
            from: Some(&l.status),
            to: "cancelled",
            actor: Actor::Coordinator(user_id),
            reason: &format!("The intake was cancelled: {reason}"),
        };
        record(tx, l.id, &e).await?;
    }
    Ok(learners)
}

/// Emails `learners` of the intake what changed; a learner with a seat also gets the
/// calendar update `calendars` says (`invitation`), and a sentence saying so. Called after
/// the change moved the intake's `row_version`, which keys the emails: dates moved back and
/// then forward again are two changes, each emailed, though `key` repeats.
pub(crate) async fn notify(
    tx: &mut Transaction<'_, Any>,
    intake_id: i64,
    learners: Vec<Learner>,
    (key, what): (&str, &str),
    calendars: Calendars,
) -> Result<(), AppError> {
    let version: i64 = sqlx::query_scalar("SELECT row_version FROM intakes WHERE id = $1")
        .bind(intake_id)
        .fetch_one(&mut **tx)
        .await?;
    for l in learners {
        let calendar = calendars.spec(l.id, &l.status);
        let what = match (&calendar, calendars) {
            (None, _) | (_, Calendars::Unchanged) => what.to_owned(),
            (Some(_), Calendars::Update) => format!("{what}\n\n{}", emails::CALENDAR_UPDATED),
            (Some(_), Calendars::Cancel) => format!("{what}\n\n{}", emails::CALENDAR_REMOVED),
        };
        outbox::queue(
            tx,
            &format!("intake:{intake_id}:{key}:{}:{version}", l.reference),
            &l.email,
            &emails::intake_changed(&l.given_name, &l.title, &l.reference, &what)
                .with_calendar(calendar),
        )
        .await?;
    }
    Ok(())
}
