//! Seats kept current while a credential's page is open (the detail page and the
//! registration form), so nobody fills in a form for an intake that has just filled. The
//! page renders the seats it read; in the browser it then follows the server's live seats
//! stream (`catalogue::server::live`) through gloo-net's `EventSource`, closed while the
//! tab is hidden and opened again when it is shown. Without JavaScript the render-time
//! figure stays.

use leptos::prelude::*;

use crate::catalogue::types::IntakeSeats;

/// The latest seats of one credential's intakes; empty until the stream sends them.
#[derive(Clone, Copy)]
pub struct LiveSeats(RwSignal<Vec<IntakeSeats>>);

impl LiveSeats {
    /// Seats left in intake `code`: the live figure once one has arrived, else `initial`
    /// (what the page was rendered with).
    pub fn left(self, code: &str, initial: i64) -> i64 {
        self.0.with(|seats| {
            seats
                .iter()
                .find(|s| s.code == code)
                .map_or(initial, |s| s.seats_left)
        })
    }
}

/// Starts following `slug`'s seats for as long as the calling component lives.
pub fn follow(slug: &str) -> LiveSeats {
    let seats = LiveSeats(RwSignal::new(Vec::new()));
    #[cfg(feature = "hydrate")]
    browser::follow(format!("/credentials/{slug}/seats"), seats.0);
    #[cfg(not(feature = "hydrate"))]
    let _ = slug;
    seats
}

#[cfg(feature = "hydrate")]
mod browser {
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    use leptos::prelude::*;

    use crate::catalogue::types::IntakeSeats;

    pub fn follow(url: String, seats: RwSignal<Vec<IntakeSeats>>) {
        // The open stream; dropping it closes the connection.
        let source = StoredValue::new_local(None::<EventSource>);
        let open = move || {
            if source.with_value(Option::is_some) || document().hidden() {
                return;
            }
            let Ok(mut es) = EventSource::new(&url) else {
                return;
            };
            let Ok(mut events) = es.subscribe("seats") else {
                return;
            };
            source.set_value(Some(es));
            leptos::task::spawn_local(async move {
                while let Some(event) = events.next().await {
                    let Ok((_, message)) = event else {
                        // Closed for good (by us, or the server refused): the page keeps
                        // the last figure; becoming visible again retries.
                        let _ = source.try_update_value(|s| *s = None);
                        break;
                    };
                    let list = message
                        .data()
                        .as_string()
                        .and_then(|d| serde_json::from_str::<Vec<IntakeSeats>>(&d).ok());
                    if let Some(list) = list {
                        let _ = seats.try_set(list);
                    }
                }
            });
        };
        let open = std::rc::Rc::new(open);
        let on_visibility = {
            let open = open.clone();
            move |_| {
                if document().hidden() {
                    source.set_value(None);
                } else {
                    open();
                }
            }
        };
        let handle = window_event_listener_untyped("visibilitychange", on_visibility);
        // After hydration, not during the render.
        Effect::new(move |_| open());
        on_cleanup(move || {
            handle.remove();
            let _ = source.try_update_value(|s| *s = None);
        });
    }
}
