//! A confirmed seat's calendar invitation (iTIP, RFC 5546), so a learner's calendar holds
//! their intake and stays right: `REQUEST` when the seat is theirs (registering, or a
//! promotion from the waitlist), `REQUEST` again with a higher SEQUENCE when the intake's
//! dates, region or delivery change, `CANCEL` when the seat goes (withdrawn, cancelled by
//! the learner, the intake cancelled). Waitlisted learners get none: they hold no seat.
//!
//! The outbox keeps only a name (`request:42`, `cancel:42`: registration 42);
//! [`render`] writes the calendar from the registration and its intake as they are when
//! the worker sends, as links are derived then (`server::links`). So two changes before
//! the worker runs both carry the latest dates and the highest SEQUENCE, and a REQUEST
//! whose seat has gone meanwhile is sent without its calendar rather than bringing the
//! event back.
//!
//! - UID `{reference}@registrations.{host}`: one per registration, for every message about
//!   it; never a feed UID (`{code}.{slug}@{host}`, on the host itself).
//! - SEQUENCE: the intake's `row_version`, which every change of the intake moves
//!   (dashboard, editor, import), so each update is higher than the last; a CANCEL is one
//!   higher again, above every REQUEST sent for that seat.

use sqlx::AnyPool;

use crate::catalogue::vocab::delivery_label;
use crate::server::ical::{self, DayEvent, Method, Person, Scheduling};

const REQUEST: &str = "request";
const CANCEL: &str = "cancel";

/// The outbox name of registration `id`'s invitation (or its update).
pub fn request_spec(registration_id: i64) -> String {
    format!("{REQUEST}:{registration_id}")
}

/// The outbox name of registration `id`'s cancelled invitation.
pub fn cancel_spec(registration_id: i64) -> String {
    format!("{CANCEL}:{registration_id}")
}

/// What an intake change does to the calendars of its learners with a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calendars {
    /// Nothing in the event changed (a closed enrolment, a new fee).
    Unchanged,
    /// The dates, region or delivery changed: send the event again.
    Update,
    /// The intake was cancelled.
    Cancel,
}

impl Calendars {
    /// The invitation to send registration `id`, which was in `status` before the change.
    pub fn spec(self, registration_id: i64, status: &str) -> Option<String> {
        match (self, status) {
            (_, s) if s != "confirmed" => None,
            (Self::Unchanged, _) => None,
            (Self::Update, _) => Some(request_spec(registration_id)),
            (Self::Cancel, _) => Some(cancel_spec(registration_id)),
        }
    }
}

/// A calendar to send: its method (for the part's `Content-Type`) and its text.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub method: Method,
    pub ics: String,
}

#[derive(sqlx::FromRow)]
struct Seat {
    reference: String,
    status: String,
    given_name: String,
    family_name: String,
    email: String,
    starts_on: String,
    ends_on: String,
    region: String,
    delivery_mode: String,
    row_version: i64,
    cancelled: i64,
    title: String,
    slug: String,
}

/// The calendar `spec` names, as the registration and its intake are now, from
/// `organizer` (the email's sender), with links under `base_url`. `None` when there is
/// nothing to send: an unknown name, a registration erased, or a REQUEST whose seat is no
/// longer held (a CANCEL follows it, or already went).
pub async fn render(
    pool: &AnyPool,
    spec: &str,
    organizer: Person<'_>,
    base_url: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    let Some((kind, id)) = spec.split_once(':') else {
        return Ok(None);
    };
    let (method, Ok(id)) = (
        match kind {
            REQUEST => Method::Request,
            CANCEL => Method::Cancel,
            _ => return Ok(None),
        },
        id.parse::<i64>(),
    ) else {
        return Ok(None);
    };
    let seat = sqlx::query_as::<_, Seat>(
        "SELECT r.reference, r.status, r.given_name, r.family_name, r.email, i.starts_on, \
           i.ends_on, i.region, i.delivery_mode, i.row_version, \
           CASE WHEN i.cancelled_at IS NULL THEN 0 ELSE 1 END AS cancelled, c.title, c.slug \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
           JOIN credentials c ON c.id = i.credential_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(seat) = seat else {
        return Ok(None);
    };
    let holds_seat =
        matches!(seat.status.as_str(), "confirmed" | "completed") && seat.cancelled == 0;
    if seat.email.is_empty() || (method == Method::Request && !holds_seat) {
        return Ok(None);
    }
    let sequence = match method {
        Method::Cancel => seat.row_version + 1,
        _ => seat.row_version,
    };
    // The site's host name, without a port.
    let host = base_url.split("://").nth(1).unwrap_or(base_url);
    let host = host.split([':', '/']).next().unwrap_or(host);
    let name = format!("{} {}", seat.given_name, seat.family_name);
    let page = format!("{base_url}/credentials/{}", seat.slug);
    let delivery = delivery_label(&seat.delivery_mode);
    let location = match seat.delivery_mode.as_str() {
        "online" => "Online",
        _ => seat.region.as_str(),
    };
    let description = match method {
        Method::Cancel => format!(
            "Your registration {} for {} is cancelled, so this is off your calendar.\n\n\
             Other intakes: {page}",
            seat.reference, seat.title
        ),
        _ => format!(
            "Your seat in {}: registration {}.\nDelivery: {delivery}, {}.\n\n\
             About the micro-credential: {page}\n\nThe email this came with has the link to \
             see or cancel your registration.",
            seat.title, seat.reference, seat.region
        ),
    };
    let event = DayEvent {
        uid: format!("{}@registrations.{host}", seat.reference),
        first_day: &seat.starts_on,
        last_day: &seat.ends_on,
        summary: seat.title.clone(),
        location,
        description,
        url: page.clone(),
        scheduling: Some(Scheduling {
            sequence: u32::try_from(sequence).unwrap_or(u32::MAX),
            organizer,
            attendee: Person {
                name: &name,
                email: &seat.email,
            },
        }),
    };
    let ics = ical::calendar(method, None, time::OffsetDateTime::now_utc(), [event]);
    Ok(Some(Invitation { method, ics }))
}
