//! A coordinator's actions on registrations: confirm from the waitlist, withdraw, mark
//! completed (which issues the learner's Open Badges credential in the same transaction,
//! `badges::server::issue`), issue the credential of a learner completed before
//! credentials were issued, resend the confirmation, add a note. Each runs in one transaction that finds
//! the registration through the coordinator's scope, locks its intake (as registering and
//! cancelling do), checks the action still applies, and records it on the timeline with the
//! coordinator as actor. Withdrawing a confirmed learner frees the seat for the waitlist
//! exactly as a learner's cancel does (`registration::server::seats`).

use sqlx::{Any, AnyPool, Transaction};

use crate::auth::server::guard::Scope;
use crate::badges::server::issue;
use crate::dashboard::server::sql::{scoped, Binds, FROM};
use crate::dashboard::types::{BulkOutcome, RegistrationAction, MAX_BULK, MAX_REASON};
use crate::error::AppError;
use crate::registration::events::EventKind;
use crate::registration::server::emails;
use crate::registration::server::invitation;
use crate::registration::server::seats;
use crate::registration::server::timeline::{record, Actor, Event};
use crate::registration::types::RegistrationStatus;
use crate::server::{clock, links, outbox};

/// A coordinator's reason, trimmed; refused when one is needed and missing, or too long.
pub fn reason(action: RegistrationAction, reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if action.needs_reason() && reason.is_empty() {
        let message = match action {
            RegistrationAction::Note => "Write the note.",
            _ => "Say why: the reason goes on the registration's timeline.",
        };
        return Err(AppError::field("reason", message));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::field(
            "reason",
            format!("Keep it to {MAX_REASON} characters or fewer."),
        ));
    }
    Ok(reason.to_owned())
}

#[derive(sqlx::FromRow)]
struct Target {
    id: i64,
    intake_id: i64,
}

#[derive(sqlx::FromRow)]
struct Current {
    status: String,
    reference: String,
    given_name: String,
    email: String,
    title: String,
    starts_on: String,
    ends_on: String,
    created_at: String,
}

/// The date a learner met the requirements: as typed (YYYY-MM-DD), or with none the
/// intake's end (today if it has not ended); never after today nor before they registered
/// (`registered_on`).
pub fn achieved_on(
    typed: &str,
    registered_on: &str,
    ends_on: &str,
    today: &str,
) -> Result<String, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(ends_on.min(today).to_owned());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(date) = time::Date::parse(typed, &format) else {
        return Err(AppError::field(
            "achieved_on",
            "Give the date the learner met the requirements as a day, month and year.",
        ));
    };
    let date = date.to_string();
    if date.as_str() > today {
        return Err(AppError::field(
            "achieved_on",
            "The date the learner met the requirements cannot be after today.",
        ));
    }
    // (A "today" fixed for a demo may be earlier than the clock's registration date.)
    if date.as_str() < registered_on && registered_on <= today {
        return Err(AppError::field(
            "achieved_on",
            format!(
                "The learner cannot have met the requirements before they registered, on {}.",
                crate::format::long_date(registered_on)
            ),
        ));
    }
    Ok(date)
}

/// Where an action happens: the site's address (for links in emails), today's date (a
/// freed seat goes to the waitlist only before the intake starts; a completion is never
/// dated after it) and the key id that signs a completion's credential.
#[derive(Debug, Clone)]
pub struct Site {
    pub base_url: String,
    pub today: String,
    pub key_id: String,
}

impl Site {
    /// Where this instance is, now.
    pub fn of(state: &crate::server::state::AppState) -> Self {
        Self {
            base_url: state.public_url(),
            today: state.clock().today_iso(),
            key_id: state.issuer_keys.key_id(),
        }
    }
}

/// What a coordinator asked for: the action, their reason, and for a completion the date
/// the learner met the requirements (empty for the default).
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    pub action: RegistrationAction,
    pub reason: &'a str,
    pub achieved_on: &'a str,
}

/// Applies `acting` to registration `reference` as coordinator `user_id` in `scope`.
/// Returns the registration's status afterwards.
pub async fn act(
    pool: &AnyPool,
    scope: Scope,
    user_id: i64,
    reference: &str,
    acting: Acting<'_>,
    site: &Site,
) -> Result<RegistrationStatus, AppError> {
    let why = reason(acting.action, acting.reason)?;
    let acting = Acting {
        reason: &why,
        ..acting
    };
    // The write lock at once (SQLite): a read that later writes fails at once when another
    // writer holds the lock, instead of waiting its turn.
    let mut tx = crate::server::db::begin_write(pool).await?;
    match act_in(&mut tx, scope, user_id, reference, acting, site).await {
        Ok(status) => {
            tx.commit().await?;
            Ok(status)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn act_in(
    tx: &mut Transaction<'_, Any>,
    scope: Scope,
    user_id: i64,
    reference: &str,
    acting: Acting<'_>,
    site: &Site,
) -> Result<RegistrationStatus, AppError> {
    let (action, why) = (acting.action, acting.reason);
    let (target, seats, now) = lock(tx, scope, reference).await?;
    let from = RegistrationStatus::parse(&now.status).unwrap_or(RegistrationStatus::Pending);
    if !action.applies_to(from) {
        return Err(AppError::form(action.refusal(from)));
    }
    let achieved = match action.needs_achieved_on() {
        true => {
            let registered_on = now.created_at.get(..10).unwrap_or_default();
            achieved_on(acting.achieved_on, registered_on, &now.ends_on, &site.today)?
        }
        false => String::new(),
    };
    let actor = Actor::Coordinator(user_id);
    let Some(to) = action.to_status() else {
        // A resend, a note or a credential issued late: on the timeline, the status as it
        // was.
        let issued_note;
        let (kind, why) = match action {
            RegistrationAction::Resend => {
                resend(tx, &target, &now, from).await?;
                (EventKind::Email, why)
            }
            RegistrationAction::Issue => {
                let id = issue::record(tx, target.id, &achieved, &site.key_id).await?;
                tell_completed(tx, &target, &now, &id).await?;
                issued_note = credential_note(&achieved, why);
                (EventKind::Note, issued_note.as_str())
            }
            _ => (EventKind::Note, why),
        };
        let e = Event {
            kind,
            from: Some(from.as_str()),
            to: from.as_str(),
            actor,
            reason: why,
        };
        record(tx, target.id, &e).await?;
        return Ok(from);
    };
    // An undone completion keeps the seat it held; only a new seat needs a free one.
    let new_seat = to == RegistrationStatus::Confirmed && from != RegistrationStatus::Completed;
    if new_seat && seats.seats_taken >= seats.capacity {
        return Err(AppError::form(format!(
            "Every seat of this intake is taken ({} of {}). Raise its capacity on the intake's \
             page, or withdraw a confirmed learner first.",
            seats.seats_taken, seats.capacity
        )));
    }
    sqlx::query("UPDATE registrations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(to.as_str())
        .bind(clock::now())
        .bind(target.id)
        .execute(&mut **tx)
        .await?;
    let e = Event {
        kind: EventKind::Status,
        from: Some(from.as_str()),
        to: to.as_str(),
        actor,
        reason: why,
    };
    record(tx, target.id, &e).await?;
    follow_up(tx, &target, &now, (from, to), why, site).await?;
    if to == RegistrationStatus::Completed {
        let id = issue::record(tx, target.id, &achieved, &site.key_id).await?;
        tell_completed(tx, &target, &now, &id).await?;
        let note = credential_note(&achieved, "");
        let e = Event {
            kind: EventKind::Note,
            from: Some(to.as_str()),
            to: to.as_str(),
            actor,
            reason: &note,
        };
        record(tx, target.id, &e).await?;
    }
    Ok(to)
}

/// Tells the learner their credential `id` waits on their registration's page (unless
/// their details were erased).
async fn tell_completed(
    tx: &mut Transaction<'_, Any>,
    target: &Target,
    now: &Current,
    id: &str,
) -> Result<(), AppError> {
    if now.email.is_empty() {
        return Ok(());
    }
    let done = emails::completed(
        &now.given_name,
        &now.title,
        &now.reference,
        &links::registration_spec(target.id),
    );
    outbox::queue(tx, &format!("completed:{id}"), &now.email, &done).await?;
    Ok(())
}

/// The timeline's line for an issued credential.
fn credential_note(achieved: &str, why: &str) -> String {
    let line = format!(
        "Open Badges credential issued: requirements met on {}.",
        crate::format::long_date(achieved)
    );
    match why.trim() {
        "" => line,
        why => format!("{line} {why}"),
    }
}

/// The registration through the coordinator's scope, its intake locked, and its state read
/// again under the lock (a learner may have cancelled meanwhile).
async fn lock(
    tx: &mut Transaction<'_, Any>,
    scope: Scope,
    reference: &str,
) -> Result<(Target, seats::LockedSeats, Current), AppError> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT r.id, r.intake_id {FROM} WHERE {} AND r.reference = {}",
        scoped(scope, &mut binds),
        binds.text(reference)
    );
    let target: Target = binds
        .to(sqlx::query_as(&sql))
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let seats = seats::lock(tx, target.intake_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now: Current = sqlx::query_as(
        "SELECT r.status, r.reference, r.given_name, r.email, c.title, i.starts_on, i.ends_on, \
           r.created_at \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
           JOIN credentials c ON c.id = i.credential_id WHERE r.id = $1",
    )
    .bind(target.id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((target, seats, now))
}

/// Queues the registration's details again; each resend is its own outbox message.
async fn resend(
    tx: &mut Transaction<'_, Any>,
    target: &Target,
    now: &Current,
    status: RegistrationStatus,
) -> Result<(), AppError> {
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registration_events \
         WHERE registration_id = $1 AND kind = 'email'",
    )
    .bind(target.id)
    .fetch_one(&mut **tx)
    .await?;
    let details = emails::details(
        &now.given_name,
        &now.title,
        &now.starts_on,
        &now.reference,
        status,
        &links::registration_spec(target.id),
    )
    .with_calendar(
        (status == RegistrationStatus::Confirmed).then(|| invitation::request_spec(target.id)),
    );
    let key = format!("resend:{}:{}", now.reference, sent + 1);
    outbox::queue(tx, &key, &now.email, &details).await?;
    Ok(())
}

/// What a status change sets off: a confirmed seat counted and the learner told, a
/// withdrawn confirmed seat passed to the waitlist, a withdrawn learner told, a completed
/// learner told their credential is ready, an undone completion's credential revoked and
/// the learner told.
async fn follow_up(
    tx: &mut Transaction<'_, Any>,
    target: &Target,
    now: &Current,
    (from, to): (RegistrationStatus, RegistrationStatus),
    why: &str,
    site: &Site,
) -> Result<(), AppError> {
    match (from, to) {
        (RegistrationStatus::Completed, RegistrationStatus::Confirmed) => {
            // An undone completion: the seat stays; the credential, if any, is revoked and
            // the learner told (unless their details were erased).
            let revoked = issue::revoke(tx, target.id, why).await?;
            if let (Some(id), false) = (revoked, now.email.is_empty()) {
                let undone = emails::uncompleted(&now.given_name, &now.title, &now.reference);
                outbox::queue(tx, &format!("uncompleted:{id}"), &now.email, &undone).await?;
            }
        }
        (_, RegistrationStatus::Confirmed) => {
            sqlx::query("UPDATE intakes SET seats_taken = seats_taken + 1 WHERE id = $1")
                .bind(target.intake_id)
                .execute(&mut **tx)
                .await?;
            let promoted = emails::promoted(
                &now.given_name,
                &now.title,
                &now.reference,
                &links::registration_spec(target.id),
            )
            .with_calendar(Some(invitation::request_spec(target.id)));
            let key = format!("promoted:{}", now.reference);
            outbox::queue(tx, &key, &now.email, &promoted).await?;
        }
        (RegistrationStatus::Confirmed, RegistrationStatus::Withdrawn) => {
            seats::release_seat(tx, target.intake_id, &site.today).await?;
        }
        _ => {}
    }
    if to == RegistrationStatus::Withdrawn {
        // Only a confirmed seat was in the learner's calendar.
        let had_seat = from == RegistrationStatus::Confirmed;
        let withdrawn = emails::withdrawn(
            &now.given_name,
            &now.title,
            &now.reference,
            &site.base_url,
            had_seat,
        )
        .with_calendar(had_seat.then(|| invitation::cancel_spec(target.id)));
        let key = format!("withdrawn:{}", now.reference);
        outbox::queue(tx, &key, &now.email, &withdrawn).await?;
    }
    Ok(())
}

/// Applies a status change to each of `references`, one transaction each, and says which
/// changed and why any did not.
pub async fn bulk(
    pool: &AnyPool,
    scope: Scope,
    user_id: i64,
    references: &[String],
    acting: Acting<'_>,
    site: &Site,
) -> Result<BulkOutcome, AppError> {
    let action = acting.action;
    if !RegistrationAction::BULK.contains(&action) {
        return Err(AppError::field(
            "action",
            "Choose confirm, withdraw or mark completed.",
        ));
    }
    if references.is_empty() {
        return Err(AppError::field(
            "references",
            "Select at least one registration in the table.",
        ));
    }
    if references.len() > MAX_BULK {
        return Err(AppError::field(
            "references",
            format!("Select at most {MAX_BULK} registrations at a time."),
        ));
    }
    reason(action, acting.reason)?;
    if action.needs_achieved_on() && !acting.achieved_on.trim().is_empty() {
        // The date's form is checked once; each intake's own bounds per registration.
        achieved_on(acting.achieved_on, "0000-01-01", &site.today, &site.today)?;
    }
    let mut outcome = BulkOutcome::default();
    for reference in references {
        match act(pool, scope, user_id, reference, acting, site).await {
            Ok(_) => outcome.changed.push(reference.clone()),
            Err(AppError::NotFound) => outcome
                .skipped
                .push((reference.clone(), "Not found.".to_owned())),
            Err(AppError::Refused { errors, message }) => outcome.skipped.push((
                reference.clone(),
                AppError::Refused { errors, message }.to_string(),
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(outcome)
}
