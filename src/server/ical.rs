//! The one iCalendar (RFC 5545) writer. Two things speak it: the public intakes feed
//! (`METHOD:PUBLISH`, `public_api::intakes`) and a confirmed seat's invitation
//! (`METHOD:REQUEST` / `CANCEL`, iTIP RFC 5546, `registration::server::invitation`). Both
//! are all-day events over an intake's dates, so one writer keeps the date rules (DATE
//! values, an exclusive DTEND) and the escaping the same for both.

use icalendar::{Attendee, Calendar, Component, Event, EventLike, EventStatus, Property};
use time::OffsetDateTime;

/// What a calendar asks of its reader (RFC 5546, 1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed: events to show, no scheduling.
    Publish,
    /// An invitation, or an update of one with a higher SEQUENCE.
    Request,
    /// The event is off.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "PUBLISH",
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }
}

/// Someone named in an invitation: its organiser or its attendee.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// What makes an event an invitation (iTIP): who sends it, to whom, and which revision of
/// it this is.
#[derive(Debug, Clone, Copy)]
pub struct Scheduling<'a> {
    pub sequence: u32,
    pub organizer: Person<'a>,
    pub attendee: Person<'a>,
}

/// One all-day event from `first_day` to `last_day` inclusive (YYYY-MM-DD).
#[derive(Debug, Clone)]
pub struct DayEvent<'a> {
    pub uid: String,
    pub first_day: &'a str,
    pub last_day: &'a str,
    pub summary: String,
    pub location: &'a str,
    pub description: String,
    pub url: String,
    /// Set on an invitation, absent from a feed.
    pub scheduling: Option<Scheduling<'a>>,
}

/// A calendar of `events` for `method`, stamped `stamp` (DTSTAMP). An event whose dates
/// do not parse is left out. CANCEL marks each event `STATUS:CANCELLED`, REQUEST
/// `STATUS:CONFIRMED`.
pub fn calendar<'a>(
    method: Method,
    name: Option<&str>,
    stamp: OffsetDateTime,
    events: impl IntoIterator<Item = DayEvent<'a>>,
) -> String {
    let stamp = chrono::DateTime::from_timestamp(stamp.unix_timestamp(), 0).unwrap_or_default();
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//Tohu//Micro-credential intakes//EN"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", method.as_str()));
    if let Some(name) = name {
        cal.name(name);
    }
    for e in events {
        let (Some(first), Some(last)) = (day(e.first_day), day(e.last_day)) else {
            continue;
        };
        let mut event = Event::new();
        event
            .uid(&e.uid)
            .timestamp(stamp)
            .summary(&e.summary)
            .starts(first)
            // DTEND of an all-day event is the day after the last.
            .ends(last.succ_opt().unwrap_or(last))
            .location(e.location)
            .description(&e.description)
            .url(&e.url);
        if let Some(s) = e.scheduling {
            event.sequence(s.sequence);
            event.status(match method {
                Method::Cancel => EventStatus::Cancelled,
                _ => EventStatus::Confirmed,
            });
            event.append_property(
                Property::new("ORGANIZER", format!("mailto:{}", s.organizer.email))
                    .add_parameter("CN", &parameter(s.organizer.name))
                    .done(),
            );
            event.attendee(
                Attendee::new(format!("mailto:{}", s.attendee.email))
                    .cn(parameter(s.attendee.name))
                    .rsvp(false),
            );
        }
        cal.push(event.done());
    }
    cal.to_string()
}

fn day(iso: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()
}

/// A parameter value (a CN): RFC 5545 allows no DQUOTE or control character in one, quoted
/// or not, so a name that holds one loses it rather than breaking the line.
fn parameter(value: &str) -> String {
    value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(scheduling: Option<Scheduling<'static>>) -> DayEvent<'static> {
        DayEvent {
            uid: "r-1@tohu.test".into(),
            first_day: "2027-03-01",
            last_day: "2027-03-05",
            summary: "Forklift operation".into(),
            location: "Waikato",
            description: "Reference TOHU-1".into(),
            url: "https://tohu.test/credentials/forklift".into(),
            scheduling,
        }
    }

    #[test]
    fn an_invitation_is_an_all_day_event_with_an_exclusive_end() {
        let person = |name, email| Person { name, email };
        let text = calendar(
            Method::Request,
            None,
            OffsetDateTime::UNIX_EPOCH,
            [event(Some(Scheduling {
                sequence: 3,
                organizer: person("Tohu", "no-reply@tohu.test"),
                attendee: person("Mere \"Mē\" Parata", "mere@example.nz"),
            }))],
        );
        for line in [
            "METHOD:REQUEST\r\n",
            "DTSTART;VALUE=DATE:20270301\r\n",
            "DTEND;VALUE=DATE:20270306\r\n",
            "SEQUENCE:3\r\n",
            "STATUS:CONFIRMED\r\n",
            "ORGANIZER;CN=Tohu:mailto:no-reply@tohu.test\r\n",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
        // The quote is gone from the name, the parameter still one value.
        assert!(text.contains("CN=Mere Mē Parata"), "{text}");
        assert!(text.contains("RSVP=FALSE"), "{text}");
    }

    #[test]
    fn a_feed_names_no_one_and_a_cancel_is_cancelled() {
        let feed = calendar(
            Method::Publish,
            Some("Intakes"),
            OffsetDateTime::UNIX_EPOCH,
            [event(None)],
        );
        assert!(
            !feed.contains("ORGANIZER") && !feed.contains("ATTENDEE") && !feed.contains("SEQUENCE")
        );
        let person = Person {
            name: "Tohu",
            email: "no-reply@tohu.test",
        };
        let cancel = calendar(
            Method::Cancel,
            None,
            OffsetDateTime::UNIX_EPOCH,
            [event(Some(Scheduling {
                sequence: 4,
                organizer: person,
                attendee: person,
            }))],
        );
        assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"));
    }
}
