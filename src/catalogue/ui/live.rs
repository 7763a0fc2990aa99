//! Seats kept current while a credential's page is open (the detail page and the
//! registration form), so nobody fills in a form for an intake that has just filled. The
//! server renders the seats it read; in the browser `start` then follows the server's
//! live seats stream (`catalogue::server::live`) through gloo-net's `EventSource`,
//! closed while the tab is hidden and opened again when it is shown, and rewrites each
//! figure in place. Without JavaScript the render-time figure stays.
//!
//! The markup is the contract between the two sides: an element with
//! `data-seats-stream` (the stream's address) holds figures with `data-intake` (the
//! intake's code) and `data-seats` (how to word the figure, `SeatsLabel`). The wording is
//! written once, here, for the server's render and the browser's updates.

use crate::catalogue::types::EnrolmentState;

/// The attribute that holds the stream's address, on the element around the figures.
pub const STREAM_ATTRIBUTE: &str = "data-seats-stream";

/// The live seats stream of credential `slug`.
pub fn stream_url(slug: &str) -> String {
    format!("/credentials/{slug}/seats")
}

/// How a seat figure is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// The `data-seats` value that says how to word this figure.
    pub fn attribute(self) -> String {
        match self {
            SeatsLabel::Intake { capacity } => format!("intake {capacity}"),
            SeatsLabel::Choice { enrolment } => match enrolment {
                EnrolmentState::Open => "choice open",
                EnrolmentState::Closed => "choice closed",
                EnrolmentState::NotYetOpen => "choice not-yet-open",
            }
            .to_owned(),
        }
    }

    /// Reads a `data-seats` value back (`None` for anything else).
    pub fn parse(value: &str) -> Option<Self> {
        match value.split_once(' ')? {
            ("intake", capacity) => Some(SeatsLabel::Intake {
                capacity: capacity.parse().ok()?,
            }),
            ("choice", "open") => Some(SeatsLabel::Choice {
                enrolment: EnrolmentState::Open,
            }),
            ("choice", "closed") => Some(SeatsLabel::Choice {
                enrolment: EnrolmentState::Closed,
            }),
            ("choice", "not-yet-open") => Some(SeatsLabel::Choice {
                enrolment: EnrolmentState::NotYetOpen,
            }),
            _ => None,
        }
    }
}

#[cfg(feature = "hydrate")]
pub use browser::start;

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, Element};

    use super::{SeatsLabel, STREAM_ATTRIBUTE};

    /// Follows the stream named by the page's `data-seats-stream`, if it has one, for as
    /// long as the page is open.
    pub fn start() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let selector = format!("[{STREAM_ATTRIBUTE}]");
        let Some(region) = document.query_selector(&selector).ok().flatten() else {
            return;
        };
        let Some(url) = region.get_attribute(STREAM_ATTRIBUTE) else {
            return;
        };
        let live = Rc::new(Live {
            document: document.clone(),
            region,
            url,
            source: RefCell::new(None),
        });
        live.open();
        let on_visibility = Closure::<dyn Fn()>::new({
            let live = live.clone();
            move || {
                if live.document.hidden() {
                    // Dropping the source closes the connection.
                    live.source.borrow_mut().take();
                } else {
                    live.open();
                }
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
        // Lives as long as the page.
        on_visibility.forget();
    }

    /// One page's figures and its open stream.
    struct Live {
        document: Document,
        region: Element,
        url: String,
        source: RefCell<Option<EventSource>>,
    }

    impl Live {
        fn open(self: &Rc<Self>) {
            if self.source.borrow().is_some() || self.document.hidden() {
                return;
            }
            let Ok(mut source) = EventSource::new(&self.url) else {
                return;
            };
            let Ok(mut events) = source.subscribe("seats") else {
                return;
            };
            *self.source.borrow_mut() = Some(source);
            let live = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                while let Some(event) = events.next().await {
                    let Ok((_, message)) = event else {
                        // Closed for good (by us, or the server refused): the page keeps
                        // the last figures; becoming visible again retries.
                        live.source.borrow_mut().take();
                        break;
                    };
                    if let Some(data) = message.data().as_string() {
                        live.show(&data);
                    }
                }
            });
        }

        /// Writes the stream's latest seats (`[{"code": …, "seats_left": …}, …]`) into
        /// the figures they belong to.
        fn show(&self, data: &str) {
            let Ok(list) = js_sys::JSON::parse(data) else {
                return;
            };
            let Ok(list) = list.dyn_into::<js_sys::Array>() else {
                return;
            };
            for item in list.iter() {
                let field = |name: &str| js_sys::Reflect::get(&item, &JsValue::from_str(name));
                let (Some(code), Some(left)) = (
                    field("code").ok().and_then(|v| v.as_string()),
                    field("seats_left").ok().and_then(|v| v.as_f64()),
                ) else {
                    continue;
                };
                // Codes are the catalogue's own (letters and digits), so they can be
                // written into a selector as they are; anything else is skipped.
                if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    continue;
                }
                let selector = format!("[data-intake=\"{code}\"][data-seats]");
                let Ok(figures) = self.region.query_selector_all(&selector) else {
                    continue;
                };
                for i in 0..figures.length() {
                    let Some(figure) = figures.item(i).and_then(|n| n.dyn_into::<Element>().ok())
                    else {
                        continue;
                    };
                    let label = figure
                        .get_attribute("data-seats")
                        .and_then(|v| SeatsLabel::parse(&v));
                    if let Some(label) = label {
                        let text = label.text(left as i64);
                        if figure.text_content().as_deref() != Some(text.as_str()) {
                            figure.set_text_content(Some(&text));
                        }
                    }
                }
            }
        }
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

    #[test]
    fn the_wording_survives_the_markup() {
        for label in [
            SeatsLabel::Intake { capacity: 30 },
            SeatsLabel::Choice {
                enrolment: EnrolmentState::Open,
            },
            SeatsLabel::Choice {
                enrolment: EnrolmentState::Closed,
            },
            SeatsLabel::Choice {
                enrolment: EnrolmentState::NotYetOpen,
            },
        ] {
            assert_eq!(SeatsLabel::parse(&label.attribute()), Some(label));
        }
        assert_eq!(SeatsLabel::parse("intake many"), None);
        assert_eq!(SeatsLabel::parse("other"), None);
    }
}
