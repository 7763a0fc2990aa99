//! Seats kept current while a credential's page is open (the detail page and the
//! registration form), so nobody fills in a form for an intake that has just filled. The
//! server renders the seats it read; in the browser each figure is an island (`Seats`), or
//! part of one (the registration form), that follows the server's live seats stream
//! (`catalogue::server::live`) through gloo-net's `EventSource`. A page's figures share
//! one stream, closed while the tab is hidden and whenever the islands router brings
//! another page (the new page's figures open their own), so a tab holds at most one.
//! Without JavaScript the render-time figure stays. The wording is written once, here,
//! for the server's render and the browser's updates.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalogue::types::EnrolmentState;

/// The live seats stream of credential `slug`.
pub fn stream_url(slug: &str) -> String {
    format!("/credentials/{slug}/seats")
}

/// How a seat figure is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeatsLabel {
    /// An intake on the detail page: "4 of 12 seats left", "1 seat left", "Full".
    Intake { capacity: i64 },
    /// An intake to choose on the registration form, by its enrolment state:
    /// "4 seats left", "Full: join the waitlist", "Enrolment has closed".
    Choice { enrolment: EnrolmentState },
}

impl SeatsLabel {
    /// The figure for `left` seats left.
    pub fn text(self, left: i64) -> String {
        match self {
            SeatsLabel::Intake { capacity } => match left {
                n if n <= 0 => "Full".to_owned(),
                1 => "1 seat left".to_owned(),
                n => format!("{n} of {capacity} seats left"),
            },
            SeatsLabel::Choice { enrolment } => match (enrolment, left) {
                (EnrolmentState::Open, 1) => "1 seat left".to_owned(),
                (EnrolmentState::Open, n) if n > 0 => format!("{n} seats left"),
                (EnrolmentState::Open, _) => "Full: join the waitlist".to_owned(),
                (EnrolmentState::Closed, _) => "Enrolment has closed".to_owned(),
                (EnrolmentState::NotYetOpen, _) => "Enrolment is not open yet".to_owned(),
            },
        }
    }
}

/// One intake's seat figure on a credential's page, following the live stream.
#[island]
pub fn Seats(slug: String, intake: String, label: SeatsLabel, left: i64) -> impl IntoView {
    let left = follow(&slug, &intake, left);
    crate::ui::islands::island_hydrated();
    view! { <span class="seats" data-intake=intake>{move || label.text(left.get())}</span> }
}

/// Seats left at intake `intake` of credential `slug`: `left` as the server read it, then
/// (in the browser) what the live stream says.
pub fn follow(slug: &str, intake: &str, left: i64) -> Signal<i64> {
    #[cfg(feature = "hydrate")]
    {
        browser::follow(slug, intake, left)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (slug, intake);
        Signal::stored(left)
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    use leptos::prelude::*;

    use crate::catalogue::types::IntakeSeats;

    /// The page's stream: its credential, the connection (none while hidden), and each
    /// intake's figure.
    struct Stream {
        slug: String,
        source: Option<EventSource>,
        seats: HashMap<String, ArcRwSignal<i64>>,
    }

    thread_local! {
        static STREAM: RefCell<Option<Stream>> = const { RefCell::new(None) };
    }

    pub fn follow(slug: &str, intake: &str, left: i64) -> Signal<i64> {
        listen_once();
        let (signal, new) = STREAM.with_borrow_mut(|stream| {
            let new = stream.as_ref().is_none_or(|s| s.slug != slug);
            if new {
                *stream = Some(Stream {
                    slug: slug.to_owned(),
                    source: None,
                    seats: HashMap::new(),
                });
            }
            let stream = stream.as_mut().expect("set above");
            let signal = stream
                .seats
                .entry(intake.to_owned())
                .or_insert_with(|| ArcRwSignal::new(left))
                .clone();
            (signal, new)
        });
        // The page's first figure opens the stream, once every island of the page has
        // asked for its figure (a task later).
        if new {
            leptos::task::spawn_local(async { open() });
        }
        signal.into()
    }

    /// Opens the stream, unless it is open, the tab is hidden or no page follows one.
    fn open() {
        if document().hidden() {
            return;
        }
        let url = STREAM.with_borrow(|s| {
            s.as_ref()
                .filter(|s| s.source.is_none())
                .map(|s| super::stream_url(&s.slug))
        });
        let Some(url) = url else { return };
        let Ok(mut source) = EventSource::new(&url) else {
            return;
        };
        let Ok(mut events) = source.subscribe("seats") else {
            return;
        };
        STREAM.with_borrow_mut(|s| {
            if let Some(s) = s.as_mut() {
                s.source = Some(source);
            }
        });
        leptos::task::spawn_local(async move {
            while let Some(event) = events.next().await {
                // Closed for good (by us, or the server refused): the page keeps the last
                // figures; becoming visible again retries.
                let Ok((_, message)) = event else { break };
                let Some(data) = message.data().as_string() else {
                    continue;
                };
                let Ok(list) = serde_json::from_str::<Vec<IntakeSeats>>(&data) else {
                    continue;
                };
                STREAM.with_borrow(|s| {
                    let Some(s) = s else { return };
                    for seats in list {
                        if let Some(figure) = s.seats.get(&seats.code) {
                            figure.set(seats.seats_left);
                        }
                    }
                });
            }
        });
    }

    /// Closes the stream while the tab is hidden and opens it again when it is shown;
    /// closes it for good when the router brings another page.
    fn listen_once() {
        thread_local! { static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) }; }
        if LISTENING.replace(true) {
            return;
        }
        // The document's event reaches the window (it bubbles).
        let visibility = leptos::prelude::window_event_listener_untyped("visibilitychange", |_| {
            if document().hidden() {
                // Dropping the source closes the connection.
                STREAM.with_borrow_mut(|s| {
                    if let Some(s) = s.as_mut() {
                        s.source = None;
                    }
                });
            } else {
                open();
            }
        });
        let navigated = leptos::prelude::window_event_listener_untyped("tohu:navigated", |_| {
            STREAM.with_borrow_mut(|s| *s = None);
        });
        // Both live as long as the document.
        std::mem::forget((visibility, navigated));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_worded_for_their_page() {
        let intake = SeatsLabel::Intake { capacity: 12 };
        assert_eq!(intake.text(4), "4 of 12 seats left");
        assert_eq!(intake.text(1), "1 seat left");
        assert_eq!(intake.text(0), "Full");
        let open = SeatsLabel::Choice {
            enrolment: EnrolmentState::Open,
        };
        assert_eq!(open.text(4), "4 seats left");
        assert_eq!(open.text(1), "1 seat left");
        assert_eq!(open.text(0), "Full: join the waitlist");
        let closed = SeatsLabel::Choice {
            enrolment: EnrolmentState::Closed,
        };
        assert_eq!(closed.text(4), "Enrolment has closed");
    }
}
