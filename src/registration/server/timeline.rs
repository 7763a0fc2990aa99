//! A registration's timeline: who changed it (`Actor`), and each line recorded in the same
//! transaction as the change (`Event`: a status change, a note, an email sent again).
//! Every path that changes a registration records here: a registration (a learner's, or a
//! group's row, through `place`), a cancellation, a promotion from the waitlist (`seats`),
//! a coordinator's action or intake edit (the dashboard, through this published module).

use sqlx::{Any, Transaction};

use crate::registration::events::EventKind;
use crate::server::clock;

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
